//! What the sandbox answers: credentials, signature, API version, rate limits, body validation,
//! duplicates, balance and success bodies, each from the merged spec; and the connection loop that
//! applies injected faults.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use rsa::RsaPrivateKey;
use serde_json::{Value, json};
use tokio::io::BufReader;
use tokio::net::{TcpListener, TcpStream};

use super::http::{HttpRequest, HttpResponse, ReadError, read_request, write_response};
use super::schema::{Mode, success_body, validate};
use super::spec::{OpSpec, document, operations};
use super::{
    DEFAULT_ONE_CLICK_CREDENTIALS, DEFAULT_VKYC_CREDENTIALS, Fault, FaultQueue, RecordedRequest,
};

/// The sandbox's settings.
pub(crate) struct Config {
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
        let pair = |a: &str, b: &str, (id, secret): (&str, &str)| {
            let mut v = vec![
                (a.to_string(), id.to_string()),
                (b.to_string(), secret.to_string()),
            ];
            v.sort();
            v
        };
        Config {
            credentials: vec![
                pair("XClientID", "XClientSecret", DEFAULT_VKYC_CREDENTIALS),
                pair(
                    "UVXClientID",
                    "UVXClientSecret",
                    DEFAULT_ONE_CLICK_CREDENTIALS,
                ),
            ],
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
}

/// What the server tasks share with the [`Sandbox`](super::Sandbox) handle.
pub(crate) struct Shared {
    config: Config,
    pub requests: Mutex<Vec<RecordedRequest>>,
    pub faults: FaultQueue,
    pub conformance: Mutex<Vec<String>>,
    state: Mutex<State>,
    counter: AtomicU64,
}

impl Shared {
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

/// Accepts connections until the handle is dropped.
pub(crate) async fn serve(
    listener: TcpListener,
    shared: std::sync::Arc<Shared>,
    mut stopped: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                if let Ok((socket, peer)) = accepted {
                    tokio::spawn(connection(socket, peer, shared.clone(), stopped.clone()));
                }
            }
            _ = stopped.changed() => return,
        }
    }
}

async fn connection(
    socket: TcpStream,
    peer: SocketAddr,
    shared: std::sync::Arc<Shared>,
    mut stopped: tokio::sync::watch::Receiver<bool>,
) {
    let mut reader = BufReader::new(socket);
    loop {
        let read = tokio::select! {
            r = read_request(&mut reader) => r,
            _ = stopped.changed() => return,
        };
        let request = match read {
            Ok(Some(r)) => r,
            Ok(None) | Err(ReadError::Closed) => return,
            Err(ReadError::Bad(status, why)) => {
                let body =
                    json!({"type": "validation_error", "code": "request_invalid", "message": why});
                let _ = write_response(
                    reader.get_mut(),
                    &HttpResponse::json(status, &body),
                    false,
                    None,
                )
                .await;
                return;
            }
        };
        let fault = shared
            .faults
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop_front();
        if let Some(Fault::Delay(d)) = &fault {
            tokio::time::sleep(*d).await;
        }
        let op = operations()
            .iter()
            .find(|o| o.matches(&request.method, request.path()));
        let (response, violation) = match &fault {
            Some(Fault::Respond {
                status,
                content_type,
                body,
            }) => (
                HttpResponse {
                    status: *status,
                    headers: vec![("content-type".into(), content_type.clone())],
                    body: body.clone(),
                },
                None,
            ),
            Some(Fault::Documented(status)) => {
                let example = op
                    .and_then(|o| o.responses.get(status))
                    .and_then(|r| r.examples.first().cloned())
                    .unwrap_or_else(|| json!({}));
                (HttpResponse::json(*status, &example), None)
            }
            Some(Fault::Drop) => (HttpResponse::json(0, &Value::Null), None),
            _ => handle(&shared, op, &request, peer.ip()),
        };
        record(&shared, &request, op, response.status, violation);
        let keep_alive = request.keep_alive;
        let stream = reader.get_mut();
        let written = match fault {
            Some(Fault::Drop) => return,
            Some(Fault::Truncate) => {
                let _ =
                    write_response(stream, &response, false, Some(response.body.len() / 2)).await;
                return;
            }
            _ => write_response(stream, &response, keep_alive, None).await,
        };
        if written.is_err() || !keep_alive {
            return;
        }
    }
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
    shared
        .requests
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(RecordedRequest {
            method: request.method.clone(),
            target: request.target.clone(),
            headers,
            body: request.body.clone(),
            operation_id: op.map(|o| o.operation_id.clone()),
            status,
            violation,
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
            let code = format!("{header}_missing");
            let message = format!("{header} is missing in the request.");
            return Err((
                error(op, &code, 400, &message),
                Some(format!("header {header} missing")),
            ));
        };
        let mut sent: Vec<(String, String)> = alt
            .iter()
            .map(|(s, h)| (s.clone(), request.header(h).unwrap_or_default().to_string()))
            .collect();
        sent.sort();
        if !config.credentials.contains(&sent) {
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
            Some(v) if !crate::config::is_api_version(v) => {
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
            match serde_json::from_slice(&request.body) {
                Ok(v) => v,
                Err(e) => {
                    return Err((
                        error(
                            op,
                            "body_value_invalid",
                            400,
                            "The request body is not valid JSON.",
                        ),
                        Some(format!("body is not JSON: {e}")),
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
    // Duplicates and balance, where the operation documents them.
    let verification_id = body
        .get("verification_id")
        .and_then(Value::as_str)
        .map(String::from);
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
        &body,
        &mut fresh,
        unix,
    );
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
