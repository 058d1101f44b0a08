//! What the sandbox answers: credentials, signature, API version, rate limits, body validation,
//! duplicates, balance and success bodies, each from the merged spec; and the connection loop that
//! applies injected faults.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::net::IpAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::http::{Delivery, HttpRequest, HttpResponse, Unread};
use super::schema::{Mode, success_body, validate};
use super::spec::{OpSpec, document, operations};
use super::{
    DEFAULT_ONE_CLICK_CREDENTIALS, DEFAULT_VKYC_CREDENTIALS, Fault, FaultQueue, RecordedRequest,
};
use base64::Engine as _;
use cashfree_openapi::resolve;
use rsa::RsaPrivateKey;
use serde_json::{Value, json};

/// The sandbox's settings.
pub(crate) struct Config {
    /// How long a request head may take, and a kept-alive connection may idle.
    pub read_timeout: Duration,
    /// Accepted credential sets: (scheme, value) pairs sorted by scheme.
    pub credentials: Vec<Vec<(String, String)>>,
    pub signature_key: Option<RsaPrivateKey>,
    pub signature_window: Duration,
    pub per_operation: Option<(u32, Duration)>,
    pub per_ip: Option<(u32, Duration)>,
    pub balance: Option<u64>,
}

impl Default for Config {
    fn default() -> Self {
        // One credential pair per app of the client's table (no scheme named here).
        let defaults = |setter: &str| match setter {
            "vkyc_credentials" => DEFAULT_VKYC_CREDENTIALS,
            _ => DEFAULT_ONE_CLICK_CREDENTIALS,
        };
        let credentials = cashfree_verification::config::APPS
            .iter()
            .map(|app| {
                let (id, secret) = defaults(app.setter);
                let mut pair = vec![
                    (app.id_scheme.to_string(), id.to_string()),
                    (app.secret_scheme.to_string(), secret.to_string()),
                ];
                pair.sort();
                pair
            })
            .collect();
        Config {
            credentials,
            read_timeout: super::http::READ_TIMEOUT,
            signature_key: None,
            signature_window: Duration::from_secs(300),
            per_operation: None,
            per_ip: None,
            balance: None,
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let schemes: Vec<Vec<&str>> = self
            .credentials
            .iter()
            .map(|set| set.iter().map(|(s, _)| s.as_str()).collect())
            .collect();
        f.debug_struct("Config")
            .field("credentials_for", &schemes)
            .field("signature_check", &self.signature_key.is_some())
            .field("signature_window", &self.signature_window)
            .field("per_operation", &self.per_operation)
            .field("per_ip", &self.per_ip)
            .field("balance", &self.balance)
            .finish()
    }
}

/// Reads an RSA private key (PKCS#8 or PKCS#1 PEM).
pub(crate) fn parse_private_key(pem: &str) -> Result<RsaPrivateKey, String> {
    use rsa::pkcs1::DecodeRsaPrivateKey as _;
    use rsa::pkcs8::DecodePrivateKey as _;
    RsaPrivateKey::from_pkcs8_pem(pem)
        .or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem))
        .map_err(|_| {
            "the signature private key is not an RSA private key in PKCS#8 or PKCS#1 PEM"
                .to_string()
        })
}

#[derive(Default)]
struct State {
    used_verification_ids: HashSet<(String, String)>,
    windows: HashMap<String, (Instant, u32)>,
    spent: u64,
    /// Ids the sandbox answered (`reference_id`, `verification_id`) → the body that carried them, so a
    /// status call agrees with the create call that issued the id.
    issued: HashMap<(String, String), Value>,
    /// Access tokens the sandbox issued (bearer credentials of per-user operations).
    tokens: HashSet<String>,
    /// `verification_id`s of 1-Click sessions, which [`Sandbox::consent`](super::Sandbox::consent) may
    /// consent to.
    sessions: HashSet<String>,
    /// Auth codes handed out by consent, each good for one token.
    auth_codes: HashSet<String>,
}

/// The fields whose values the sandbox remembers when it issues them, and that status calls look up.
const ISSUED_IDS: [&str; 2] = ["reference_id", "verification_id"];

/// What the server tasks share with the [`Sandbox`](super::Sandbox) handle.
pub(crate) struct Shared {
    config: Config,
    pub requests: Mutex<std::collections::VecDeque<RecordedRequest>>,
    pub faults: FaultQueue,
    pub conformance: Mutex<Vec<String>>,
    state: Mutex<State>,
    counter: AtomicU64,
}

impl Shared {
    /// How long a request head may take, and a kept-alive connection may idle.
    pub fn read_timeout(&self) -> Duration {
        self.config.read_timeout
    }

    pub fn new(config: Config) -> Self {
        Shared {
            config,
            requests: Mutex::default(),
            faults: Mutex::default(),
            conformance: Mutex::default(),
            state: Mutex::default(),
            counter: AtomicU64::new(0),
        }
    }

    /// Hands out an auth code for the 1-Click session started with `verification_id`, as the user's
    /// consent in Cashfree's SDK would.
    pub fn consent(&self, verification_id: &str) -> Result<String, String> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if !state.sessions.contains(verification_id) {
            return Err(format!(
                "no 1-Click session was initiated with verification_id {verification_id:?}"
            ));
        }
        let code = format!("sbx_auth_{}", self.fresh());
        state.auth_codes.insert(code.clone());
        Ok(code)
    }

    fn fresh(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        format!(
            "{:016x}{n:08x}",
            (nanos as u64).rotate_left(17) ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15)
        )
    }
}

/// The answer to one request: an injected fault, or what Cashfree would answer.
pub(crate) async fn respond(
    shared: &Shared,
    request: &HttpRequest,
    unread: Option<Unread>,
    ip: IpAddr,
) -> Delivery {
    let fault = shared
        .faults
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .pop_front();
    let op = operations()
        .iter()
        .find(|o| o.matches(&request.method, request.path()));
    let (response, violation) = match &fault {
        Some(Fault::Respond {
            status,
            content_type,
            body,
            headers,
        }) => {
            let mut all = vec![("content-type".to_string(), content_type.clone())];
            all.extend(headers.iter().cloned());
            (
                HttpResponse {
                    status: *status,
                    headers: all,
                    body: body.clone(),
                },
                None,
            )
        }
        Some(Fault::Documented(status)) => {
            let example = op
                .and_then(|o| o.responses.get(status))
                .and_then(|r| r.examples.first().cloned())
                .unwrap_or_else(|| json!({}));
            (HttpResponse::json(*status, &example), None)
        }
        _ if unread == Some(Unread::TooLarge) => (
            too_large_answer(op),
            Some(format!("body larger than {} bytes", super::http::MAX_BODY)),
        ),
        _ if unread == Some(Unread::TooSlow) => {
            let mut answer = HttpResponse::json(
                408,
                &json!({"type": "validation_error", "code": "request_timeout",
                        "message": "The request body did not arrive within the sandbox's read timeout."}),
            );
            answer.headers.push(("connection".into(), "close".into()));
            (
                answer,
                Some("body not complete within the read timeout".into()),
            )
        }
        _ => handle(shared, op, request, ip),
    };
    // Recorded before any delay, so a client that gives up waiting still shows in the log.
    record(shared, request, op, response.status, violation);
    if let Some(Fault::Delay(d)) = &fault {
        tokio::time::sleep(*d).await;
    }
    match fault {
        Some(Fault::Drop) => Delivery::Drop,
        Some(Fault::Truncate) => Delivery::Cut(response),
        _ => Delivery::Whole(response),
    }
}

/// 413 for a body over the limit: Cashfree's documented answer where the operation has one.
fn too_large_answer(op: Option<&OpSpec>) -> HttpResponse {
    let documented = op
        .and_then(|o| o.responses.get(&413))
        .and_then(|r| r.examples.first().cloned());
    HttpResponse::json(
        413,
        &documented.unwrap_or_else(|| {
            json!({"type": "validation_error", "code": "request_too_large",
                   "message": "The request body is larger than the sandbox accepts."})
        }),
    )
}

fn record(
    shared: &Shared,
    request: &HttpRequest,
    op: Option<&OpSpec>,
    status: u16,
    violation: Option<String>,
) {
    let headers = request
        .headers
        .iter()
        .map(|(k, v)| {
            let secret = k.contains("secret") || k == "authorization";
            (
                k.clone(),
                if secret {
                    "<redacted>".to_string()
                } else {
                    v.clone()
                },
            )
        })
        .collect();
    let kept = request.body.len().min(super::MAX_LOGGED_BODY_BYTES);
    let mut log = shared.requests.lock().unwrap_or_else(|e| e.into_inner());
    // Bounded: the oldest entries go first.
    if log.len() >= super::MAX_LOGGED_REQUESTS {
        log.pop_front();
    }
    log.push_back(RecordedRequest {
        method: request.method.clone(),
        target: request.target.clone(),
        headers,
        body: request.body[..kept].to_vec(),
        body_len: request.body.len(),
        operation_id: op.map(|o| o.operation_id.clone()),
        status,
        violation,
        received_at: Instant::now(),
    });
}

/// An error answer for `code`: the documented example when there is one, else a body in Cashfree's
/// shape with `status` and `message`.
fn error(op: &OpSpec, code: &str, status: u16, message: &str) -> HttpResponse {
    if let Some((documented_status, body)) = op.documented_error(code) {
        return HttpResponse::json(documented_status, &body);
    }
    let kind = match status {
        401 | 403 => "authentication_error",
        429 => "rate_limit_error",
        500.. => "internal_error",
        _ => "validation_error",
    };
    HttpResponse::json(
        status,
        &json!({"type": kind, "code": code, "message": message}),
    )
}

fn handle(
    shared: &Shared,
    op: Option<&OpSpec>,
    request: &HttpRequest,
    ip: IpAddr,
) -> (HttpResponse, Option<String>) {
    let Some(op) = op else {
        // A known path with another method: 405 and the methods it has.
        let allowed: Vec<&str> = operations()
            .iter()
            .filter(|o| o.matches(&o.method, request.path()))
            .map(|o| o.method.as_str())
            .collect();
        if !allowed.is_empty() {
            let body = json!({"type": "validation_error", "code": "method_not_allowed",
                "message": format!("{} is not allowed on {}; use {}", request.method, request.path(), allowed.join(", "))});
            let mut response = HttpResponse::json(405, &body);
            response.headers.push(("allow".into(), allowed.join(", ")));
            return (response, Some("method not allowed".into()));
        }
        let body = json!({"type": "validation_error", "code": "route_not_found",
            "message": format!("{} {} is not an operation of this sandbox's spec", request.method, request.path())});
        return (
            HttpResponse::json(404, &body),
            Some("unknown operation".into()),
        );
    };
    match check(shared, op, request, ip) {
        Ok(response) => (response, None),
        Err((response, violation)) => (response, violation),
    }
}

type Answer = Result<HttpResponse, (HttpResponse, Option<String>)>;

fn check(shared: &Shared, op: &OpSpec, request: &HttpRequest, ip: IpAddr) -> Answer {
    let config = &shared.config;
    // Credentials of the operation's security requirement.
    let mut client_id = None;
    if !op.security.is_empty() {
        let bearer = |h: &str| h == "authorization";
        let complete = op
            .security
            .iter()
            .find(|alt| alt.iter().all(|(_, h)| request.header(h).is_some()));
        let Some(alt) = complete else {
            let header = op.security[0]
                .iter()
                .map(|(_, h)| h)
                .find(|h| request.header(h).is_none())
                .expect("one is missing");
            // A bearer credential is the end user's access token, and Cashfree names it so.
            let name = if bearer(header) {
                "access_token"
            } else {
                header.as_str()
            };
            let code = format!("{name}_missing");
            let message = format!("{name} is missing in the request.");
            return Err((
                error(op, &code, 400, &message),
                Some(format!("header {header} missing")),
            ));
        };
        let tokens_ok = alt.iter().filter(|(_, h)| bearer(h)).all(|(_, h)| {
            let value = request.header(h).unwrap_or_default();
            let token = value.strip_prefix("Bearer ").unwrap_or("");
            shared
                .state
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .tokens
                .contains(token)
        });
        if !tokens_ok {
            return Err((
                error(
                    op,
                    "access_token_value_invalid",
                    400,
                    "access_token is invalid or expired.",
                ),
                None,
            ));
        }
        let mut sent: Vec<(String, String)> = alt
            .iter()
            .filter(|(_, h)| !bearer(h))
            .map(|(s, h)| (s.clone(), request.header(h).unwrap_or_default().to_string()))
            .collect();
        sent.sort();
        if !sent.is_empty() && !config.credentials.contains(&sent) {
            return Err((
                error(
                    op,
                    "authentication_failed",
                    401,
                    "Invalid clientId and clientSecret combination",
                ),
                None,
            ));
        }
        client_id = alt
            .iter()
            .find(|(_, h)| h == "x-client-id")
            .and_then(|(_, h)| request.header(h))
            .map(String::from);
    }
    // 2FA signature.
    if let Some(key) = &config.signature_key {
        let forbidden = |message: &str| {
            let documented = op.responses.get(&403).and_then(|r| {
                r.examples.iter().find(|e| {
                    e.get("message")
                        .and_then(Value::as_str)
                        .is_some_and(|m| m.contains("x-cf-signature"))
                })
            });
            let body = match (message, documented) {
                ("x-cf-signature missing in the request header", Some(d)) => d.clone(),
                _ => {
                    json!({"type": "authentication_error", "code": "authentication_failed", "message": message})
                }
            };
            Err((HttpResponse::json(403, &body), None))
        };
        let Some(signature) = request.header("x-cf-signature") else {
            return forbidden("x-cf-signature missing in the request header");
        };
        match verify_signature(
            key,
            signature,
            client_id.as_deref().unwrap_or(""),
            config.signature_window,
        ) {
            Ok(()) => {}
            Err(why) => return forbidden(&why),
        }
    }
    // API version: Cashfree requires it on every operation that declares it.
    if op.headers.iter().any(|(name, _)| name == "x-api-version") {
        match request.header("x-api-version") {
            None => {
                return Err((
                    error(
                        op,
                        "x-api-version_missing",
                        400,
                        "x-api-version is missing in the request.",
                    ),
                    Some("header x-api-version missing".into()),
                ));
            }
            Some(v) if !cashfree_verification::config::is_api_version(v) => {
                return Err((
                    error(
                        op,
                        "x-api-version_value_invalid",
                        400,
                        "x-api-version should be valid (YYYY-MM-DD).",
                    ),
                    Some(format!("x-api-version {v:?} is not YYYY-MM-DD")),
                ));
            }
            Some(_) => {}
        }
    }
    // Rate limits.
    let now = Instant::now();
    {
        let mut state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
        for (limit, key, code) in [
            (
                config.per_ip,
                format!("ip {ip}"),
                "too_many_requests_per_ip",
            ),
            (
                config.per_operation,
                format!("op {}", op.operation_id),
                "too_many_requests_per_operation",
            ),
        ] {
            let Some((max, window)) = limit else { continue };
            let slot = state.windows.entry(key).or_insert((now, 0));
            if now.duration_since(slot.0) >= window {
                *slot = (now, 0);
            }
            if slot.1 >= max {
                let wait = window
                    .saturating_sub(now.duration_since(slot.0))
                    .as_secs_f64()
                    .ceil()
                    .max(1.0) as u64;
                let mut response = error(op, code, 429, "Too many requests, rate limit reached");
                response
                    .headers
                    .push(("retry-after".into(), wait.to_string()));
                return Err((response, None));
            }
            slot.1 += 1;
        }
    }
    // Required query and path parameters.
    let params = op.param_values(&request.target);
    for (name, required) in &op.params {
        if *required && !params.iter().any(|(k, v)| k == name && !v.is_empty()) {
            return Err((
                error(
                    op,
                    &format!("{name}_missing"),
                    400,
                    &format!("{name} is missing in the request."),
                ),
                Some(format!("parameter {name} missing")),
            ));
        }
    }
    // Body.
    let body: Value = if op.request_schema.is_some() || op.body_required {
        if request.body.iter().all(u8::is_ascii_whitespace) {
            if op.body_required {
                return Err((
                    error(op, "body_missing", 400, "The request body is missing."),
                    Some("body missing".into()),
                ));
            }
            Value::Null
        } else {
            let parsed = if op.multipart {
                multipart_fields(request).map(|mut fields| {
                    typed_parts(op.request_schema.as_ref(), &mut fields);
                    fields
                })
            } else {
                serde_json::from_slice(&request.body)
                    .map_err(|e| format!("body is not JSON: {e}"))
                    .and_then(|v: Value| {
                        if v.is_null() {
                            Err("body is JSON null, not an object".to_string())
                        } else {
                            Ok(v)
                        }
                    })
            };
            match parsed {
                Ok(v) => v,
                Err(why) => {
                    return Err((
                        error(
                            op,
                            "body_value_invalid",
                            400,
                            "The request body is not what the operation takes.",
                        ),
                        Some(why),
                    ));
                }
            }
        }
    } else {
        Value::Null
    };
    if let (Some(schema), false) = (&op.request_schema, body.is_null())
        && let Err(v) = validate(document(), schema, &body, Mode::Request)
    {
        let code = v.code();
        let response = match op.documented_error(&code) {
            Some((status, example)) => HttpResponse::json(status, &example),
            None => HttpResponse::json(
                400,
                &json!({"type": "validation_error", "code": code, "message": v.default_message()}),
            ),
        };
        return Err((
            response,
            Some(format!(
                "{code} at {}",
                if v.pointer.is_empty() {
                    "/"
                } else {
                    &v.pointer
                }
            )),
        ));
    }
    // A status call answers for an id the sandbox issued, and only for one.
    let mut echo = body.clone();
    if op.method == "GET" {
        for (name, value) in params
            .iter()
            .filter(|(k, _)| ISSUED_IDS.contains(&k.as_str()))
        {
            let issued = shared
                .state
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .issued
                .get(&(name.clone(), value.clone()))
                .cloned();
            let Some(issued) = issued else {
                return Err((
                    error(
                        op,
                        &format!("{name}_not_found"),
                        404,
                        &format!("{name} not found"),
                    ),
                    None,
                ));
            };
            echo = Value::Object(
                ISSUED_IDS
                    .iter()
                    .filter_map(|k| Some((k.to_string(), issued.get(*k)?.clone())))
                    .collect(),
            );
        }
    }
    // 1-Click: an auth code must come from the user's consent (`Sandbox::consent`), once.
    if let Some(code) = body.get("auth_code").and_then(Value::as_str)
        && !shared
            .state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .auth_codes
            .remove(code)
    {
        return Err((
            error(
                op,
                "auth_code_value_invalid",
                400,
                "auth_code is invalid or already used.",
            ),
            None,
        ));
    }
    // Duplicates and balance, where the operation documents them.
    // Compared as text: `424242` and `"424242"` are the same id to Cashfree.
    let verification_id = body.get("verification_id").and_then(|v| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    });
    let dedupe = op
        .documents("verification_id_already_exists")
        .then_some(verification_id)
        .flatten();
    let billable = op.documents("insufficient_balance");
    {
        let mut state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(id) = &dedupe
            && state
                .used_verification_ids
                .contains(&(op.operation_id.clone(), id.clone()))
        {
            return Err((
                error(
                    op,
                    "verification_id_already_exists",
                    409,
                    "verification ID already exists",
                ),
                None,
            ));
        }
        if billable && config.balance.is_some_and(|b| state.spent >= b) {
            return Err((
                error(
                    op,
                    "insufficient_balance",
                    422,
                    "Insufficient balance to process this request",
                ),
                None,
            ));
        }
        if let Some(id) = dedupe {
            state
                .used_verification_ids
                .insert((op.operation_id.clone(), id));
        }
        if billable {
            state.spent += 1;
        }
    }
    // Success.
    let (status, documented) = op
        .responses
        .iter()
        .find(|(s, _)| (200..300).contains(*s))
        .map(|(s, r)| (*s, Some(r)))
        .unwrap_or((200, None));
    let unix = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let mut fresh = || shared.fresh();
    let out = success_body(
        document(),
        documented.and_then(|r| r.examples.first()),
        documented.and_then(|r| r.schema.as_ref()),
        &echo,
        &mut fresh,
        unix,
    );
    {
        let mut state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
        for key in ISSUED_IDS {
            if let Some(value) = out.get(key).filter(|v| !v.is_null()) {
                let text = value
                    .as_str()
                    .map_or_else(|| value.to_string(), String::from);
                state.issued.insert((key.to_string(), text), out.clone());
            }
        }
        if let Some(token) = out.get("access_token").and_then(Value::as_str) {
            state.tokens.insert(token.to_string());
        }
        // A session that a user may consent to: Initiate OAuth answers a session_id.
        if out.get("session_id").is_some()
            && let Some(id) = out.get("verification_id").and_then(Value::as_str)
        {
            state.sessions.insert(id.to_string());
        }
    }
    if let Some(schema) = documented.and_then(|r| r.schema.as_ref())
        && let Err(v) = validate(document(), schema, &out, Mode::Response)
    {
        shared
            .conformance
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(format!(
                "{} {}: {} at {}",
                op.method,
                op.path,
                v.code(),
                v.pointer
            ));
    }
    Ok(HttpResponse::json(status, &out))
}

/// The parts of a `multipart/form-data` body as a JSON object: text parts as strings, file parts as
/// `"<file NAME, N bytes>"` (the schema types them as binary strings).
fn multipart_fields(request: &HttpRequest) -> Result<Value, String> {
    let content_type = request.header("content-type").unwrap_or_default();
    let boundary = multer::parse_boundary(content_type)
        .map_err(|e| format!("not a multipart body ({content_type:?}): {e}"))?;
    let body = bytes::Bytes::from(request.body.clone());
    let stream = futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    // The whole body is in memory, so the parser never waits: drive it on this thread.
    ready_now(async move {
        let mut fields = serde_json::Map::new();
        while let Some(field) = multipart.next_field().await.map_err(|e| e.to_string())? {
            let name = field.name().unwrap_or_default().to_string();
            let file = field.file_name().map(String::from);
            let bytes = field.bytes().await.map_err(|e| e.to_string())?;
            let value = match file {
                Some(file) => format!("<file {file}, {} bytes>", bytes.len()),
                None => String::from_utf8_lossy(&bytes).into_owned(),
            };
            fields.insert(name, Value::String(value));
        }
        Ok(Value::Object(fields))
    })
    .unwrap_or_else(|| Err("the multipart parser stalled".into()))
}

/// Multipart parts are text: those the schema types as booleans or numbers become JSON values, as a
/// JSON body would carry them (left as text when they do not parse, for validation to report).
fn typed_parts(schema: Option<&Value>, fields: &mut Value) {
    let Some(properties) = schema
        .and_then(|s| s.get("properties"))
        .and_then(Value::as_object)
    else {
        return;
    };
    for (name, value) in fields.as_object_mut().into_iter().flatten() {
        let ty = properties
            .get(name)
            .map(|p| resolve(document(), p))
            .and_then(|p| p.get("type"))
            .and_then(Value::as_str);
        if let (Some("boolean" | "integer" | "number"), Some(text)) = (ty, value.as_str())
            && let Ok(parsed) = serde_json::from_str::<Value>(text)
            && !parsed.is_string()
        {
            *value = parsed;
        }
    }
}

/// Runs a future whose input is all in memory to completion on this thread; `None` if it keeps
/// waiting (it never should; bounded so that it cannot spin).
fn ready_now<T>(future: impl std::future::Future<Output = T>) -> Option<T> {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    (0..1024).find_map(|_| match future.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(out) => Some(out),
        std::task::Poll::Pending => None,
    })
}

fn verify_signature(
    key: &RsaPrivateKey,
    signature: &str,
    client_id: &str,
    window: Duration,
) -> Result<(), String> {
    let invalid = || "x-cf-signature is invalid".to_string();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(signature.trim())
        .map_err(|_| invalid())?;
    let plain = key
        .decrypt(rsa::Oaep::new::<sha1::Sha1>(), &bytes)
        .map_err(|_| invalid())?;
    let plain = String::from_utf8(plain).map_err(|_| invalid())?;
    let (id, ts) = plain.rsplit_once('.').ok_or_else(invalid)?;
    if id != client_id {
        return Err("x-cf-signature was made for another client id".into());
    }
    let ts: u64 = ts.parse().map_err(|_| invalid())?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    if now.abs_diff(ts) > window.as_secs() {
        return Err("x-cf-signature has expired".into());
    }
    Ok(())
}
