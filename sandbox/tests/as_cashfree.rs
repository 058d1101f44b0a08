//! The sandbox answers as Cashfree does (issue 15, item 4), measured over raw HTTP as another
//! language's client sees it: documented examples verbatim and chosen by the request, named
//! scenarios, the `/verification` base path, validation with Cashfree's documented codes, the
//! documented 409 and 404, dates in their format, and 1-Click consent over HTTP.
//!
//! Expectations are read from the merged spec (`cashfree_verification::spec::openapi_json`), so a
//! spec update tests itself.

use std::time::Duration;

use cashfree_verification_sandbox::{
    DEFAULT_CREDENTIALS, DEFAULT_ONE_CLICK_CREDENTIALS, SCENARIO_HEADER, Sandbox,
};
use serde_json::{Map, Value, json};

fn spec() -> Value {
    serde_json::from_str(cashfree_verification::spec::openapi_json()).unwrap()
}

fn resolve<'a>(doc: &'a Value, mut v: &'a Value) -> &'a Value {
    for _ in 0..16 {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => v = doc.pointer(&r[1..]).unwrap(),
            None => break,
        }
    }
    v
}

/// The documented example `name` of `method path` for `status`.
fn documented(doc: &Value, method: &str, path: &str, status: &str, name: &str) -> Value {
    let op = &doc["paths"][path][method];
    let response = resolve(doc, &op["responses"][status]);
    let media = &response["content"]["application/json"];
    match media.get("examples") {
        Some(examples) => resolve(doc, &examples[name])["value"].clone(),
        None => media["example"].clone(),
    }
}

/// Every example of a documented response: (name, body).
fn examples_of(doc: &Value, op: &Value, status: &str) -> Vec<(String, Value)> {
    let Some(response) = op["responses"].get(status) else {
        return Vec::new();
    };
    let media = &resolve(doc, response)["content"]["application/json"];
    match media.get("examples").and_then(Value::as_object) {
        Some(examples) => examples
            .iter()
            .map(|(k, e)| (k.clone(), resolve(doc, e)["value"].clone()))
            .collect(),
        None => media
            .get("example")
            .map(|e| vec![("example".to_string(), e.clone())])
            .unwrap_or_default(),
    }
}

/// Runs `f` on a fresh sandbox, bounded in time.
async fn with_sandbox<F, Fut>(seconds: u64, f: F)
where
    F: FnOnce(Sandbox, reqwest::Client) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let sandbox = Sandbox::start().await.unwrap();
    let http = cashfree_verification::tls::client_builder()
        .build()
        .unwrap();
    tokio::time::timeout(Duration::from_secs(seconds), f(sandbox, http))
        .await
        .expect("the test finished in time");
}

/// The credentials of the app `op` is secured by (its first security alternative).
fn credentials(op: &Value) -> (&'static str, &'static str) {
    let one_click = op["security"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|alt| alt.get("UVXClientID").is_some());
    if one_click {
        DEFAULT_ONE_CLICK_CREDENTIALS
    } else {
        DEFAULT_CREDENTIALS
    }
}

/// A request of `method url` with `op`'s credentials.
fn request(http: &reqwest::Client, method: &str, url: &str, op: &Value) -> reqwest::RequestBuilder {
    let (id, secret) = credentials(op);
    http.request(method.parse().unwrap(), url)
        .header("x-client-id", id)
        .header("x-client-secret", secret)
}

async fn answer(req: reqwest::RequestBuilder) -> (u16, Value) {
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}")),
    )
}

/// `body` without the fields the sandbox issues afresh (`reference_id`-style ids, session ids,
/// tokens, expiries), for comparing an answer with its documented example.
fn without_issued(mut body: Value) -> Value {
    if let Some(obj) = body.as_object_mut() {
        obj.retain(|k, _| {
            !(k == "reference_id"
                || k == "ref_id"
                || k.ends_with("_ref_id")
                || k == "session_id"
                || k.ends_with("token")
                || k.contains("expir"))
        });
    }
    body
}

const PAN: &str = "/pan";

#[tokio::test]
async fn the_documented_valid_pan_is_answered_verbatim_at_both_base_paths() {
    let doc = spec();
    let op = doc["paths"][PAN]["post"].clone();
    let valid = documented(&doc, "post", PAN, "200", "Valid PAN Individual");
    with_sandbox(10, |sandbox, http| async move {
        for base in ["", "/verification"] {
            let url = format!("{}{base}/pan", sandbox.base_url());
            // No x-api-version: the spec makes it optional (Cashfree's Python SDK never sends it).
            let (status, body) = answer(
                request(&http, "POST", &url, &op)
                    .json(&json!({"pan": "ABCPV1234D", "name": "John Doe"})),
            )
            .await;
            assert_eq!(status, 200, "{base}: {body}");
            assert_eq!(
                without_issued(body.clone()),
                without_issued(valid.clone()),
                "{base}"
            );
            // Verbatim: the number Cashfree sends where the schema says string.
            assert_eq!(body["name_match_score"], valid["name_match_score"]);
            assert!(body["reference_id"].is_number(), "{body}");
        }
    })
    .await;
}

#[tokio::test]
async fn the_example_is_chosen_by_the_request_and_a_default_is_the_fullest() {
    let doc = spec();
    let op = doc["paths"]["/bank-account/sync"]["post"].clone();
    let valid = documented(&doc, "post", "/bank-account/sync", "200", "Valid account");
    let pan_op = doc["paths"][PAN]["post"].clone();
    let business = documented(&doc, "post", PAN, "200", "Valid PAN Business");
    with_sandbox(10, |sandbox, http| async move {
        let url = format!("{}/bank-account/sync", sandbox.base_url());
        let (status, body) = answer(request(&http, "POST", &url, &op).json(
            &json!({"bank_account": "026291800001191", "ifsc": "YESB0000262", "name": "John Doe"}),
        ))
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            without_issued(body),
            without_issued(valid),
            "not ACCOUNT_BLOCKED"
        );
        // The business PAN of Cashfree's documentation gives its documented answer.
        let url = format!("{}/pan", sandbox.base_url());
        let (_, body) = answer(
            request(&http, "POST", &url, &pan_op)
                .json(&json!({"pan": "AAOCS4553K", "name": "saanchi"})),
        )
        .await;
        assert_eq!(without_issued(body), without_issued(business));
    })
    .await;
}

#[tokio::test]
async fn a_named_scenario_is_answered_verbatim_by_rust_route_and_header() {
    let doc = spec();
    let op = doc["paths"][PAN]["post"].clone();
    let invalid = documented(&doc, "post", PAN, "200", "Invalid PAN");
    let short = documented(&doc, "post", PAN, "400", "Invalid PAN Format");
    with_sandbox(10, |sandbox, http| async move {
        let url = format!("{}/pan", sandbox.base_url());
        let valid_pan = || {
            request(&http, "POST", &url, &op).json(&json!({"pan": "ABCPV1234D", "name": "John Doe"}))
        };
        sandbox.scenario("VrsPanVerification", "Invalid PAN", 1).unwrap();
        let (_, body) = answer(valid_pan()).await;
        assert_eq!(without_issued(body), without_issued(invalid.clone()));
        let (_, body) = answer(valid_pan()).await;
        assert_eq!(body["valid"], true, "the scenario was for one call");

        let err = sandbox.scenario("VrsPanVerification", "No such", 1).unwrap_err();
        assert!(err.to_string().contains("Invalid PAN"), "lists the names: {err}");

        // Over HTTP, as a Python or Node test would.
        let control = format!("{}/verification/__sandbox/scenario", sandbox.base_url());
        let (status, listed) = answer(http.get(format!("{control}?operation_id=VrsPanVerification"))).await;
        assert_eq!(status, 200);
        assert!(listed["examples"].as_array().unwrap().contains(&json!({"status": 400, "example": "Invalid PAN Format"})));
        let (status, _) = answer(http.post(&control).json(
            &json!({"operation_id": "VrsPanVerification", "example": "Invalid PAN Format", "times": 2}),
        ))
        .await;
        assert_eq!(status, 200);
        for _ in 0..2 {
            assert_eq!(answer(valid_pan()).await, (400, short.clone()));
        }
        let (status, body) = answer(http.post(&control).json(&json!({"operation_id": "VrsPanVerification", "example": "nope"}))).await;
        assert_eq!((status, body["code"].as_str()), (404, Some("scenario_not_found")));

        let (_, body) = answer(valid_pan().header(SCENARIO_HEADER, "Invalid PAN")).await;
        assert_eq!(without_issued(body), without_issued(invalid));
        let (status, body) = answer(valid_pan().header(SCENARIO_HEADER, "nope")).await;
        assert_eq!((status, body["code"].as_str()), (400, Some("scenario_not_found")));
    })
    .await;
}

#[tokio::test]
async fn requests_are_validated_with_cashfrees_documented_codes() {
    let doc = spec();
    let op = doc["paths"][PAN]["post"].clone();
    let short = documented(&doc, "post", PAN, "400", "Invalid PAN Format");
    let sync = doc["paths"]["/bank-account/sync"]["post"].clone();
    let phone_short = documented(&doc, "post", "/bank-account/sync", "400", "Phone short");
    let sdk_status = doc["paths"]["/verification/sdk/otpless/status"]["get"].clone();
    with_sandbox(10, |sandbox, http| async move {
        let pan = |body: Value| {
            request(&http, "POST", &format!("{}/pan", sandbox.base_url()), &op).json(&body)
        };
        assert_eq!(
            answer(pan(json!({"pan": "ABC"}))).await,
            (400, short),
            "not 200 VALID"
        );
        let (status, body) =
            answer(pan(json!({"pan": "ABCPV1234D"})).header("x-api-version", "2024-02-31")).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (400, Some("x-api-version_value_invalid"))
        );
        let (status, _) =
            answer(pan(json!({"pan": "ABCPV1234D"})).header("x-api-version", "2022-10-26")).await;
        assert_eq!(status, 200);
        let (status, body) = answer(pan(json!({"name": "John"}))).await;
        assert_eq!((status, body["code"].as_str()), (400, Some("pan_missing")));

        let url = format!("{}/bank-account/sync", sandbox.base_url());
        let (status, body) = answer(request(&http, "POST", &url, &sync).json(
            &json!({"bank_account": "026291800001191", "ifsc": "YESB0000262", "phone": "12345"}),
        ))
        .await;
        assert_eq!(
            (status, body),
            (400, phone_short),
            "the documented minimum of 8"
        );

        // A required header (X-Session-Id) missing is refused; sent, the call goes on.
        let url = format!(
            "{}/verification/verification/sdk/otpless/status?verificationId=v-1",
            sandbox.base_url()
        );
        let (status, body) = answer(request(&http, "GET", &url, &sdk_status)).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (400, Some("x-session-id_missing")),
            "{body}"
        );
        let (status, _) =
            answer(request(&http, "GET", &url, &sdk_status).header("x-session-id", "s-1")).await;
        assert_eq!(
            status, 404,
            "a session id sent, the unknown verification id is next"
        );
    })
    .await;
}

/// A value for `schema` from its documentation (example, default, first enum value, else by type).
fn sample(doc: &Value, schema: &Value, depth: usize) -> Value {
    let schema = resolve(doc, schema);
    let ty = schema.get("type").and_then(Value::as_str);
    if depth > 6 {
        return Value::Null;
    }
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        let out: Map<String, Value> = props
            .iter()
            .map(|(k, p)| (k.clone(), sample(doc, p, depth + 1)))
            .filter(|(_, v)| !v.is_null())
            .collect();
        return Value::Object(out);
    }
    if ty == Some("array") {
        return json!([sample(doc, &schema["items"], depth + 1)]);
    }
    for key in ["example", "default"] {
        if let Some(v) = schema
            .get(key)
            .filter(|v| !(v.is_string() && v.as_str() == Some("")))
        {
            return match (ty, v) {
                (Some("string"), Value::Number(n)) => Value::String(n.to_string()),
                _ => v.clone(),
            };
        }
    }
    if let Some(v) = schema.get("enum").and_then(|e| e.get(0)) {
        return v.clone();
    }
    if let Some(first) = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(|v| v.get(0))
    {
        return sample(doc, first, depth + 1);
    }
    match ty {
        Some("integer" | "number") => json!(1),
        Some("boolean") => json!(true),
        Some("string") => json!("sample1"),
        _ => Value::Null,
    }
}

/// `op`'s request with `body`: JSON, or multipart parts (binary fields as small files).
fn with_body(
    doc: &Value,
    req: reqwest::RequestBuilder,
    op: &Value,
    body: &Value,
) -> reqwest::RequestBuilder {
    let content = &resolve(doc, &op["requestBody"])["content"];
    let Some(media) = content.get("multipart/form-data") else {
        return req.json(body);
    };
    let schema = resolve(doc, &media["schema"]);
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in body.as_object().unwrap() {
        let binary = resolve(doc, &schema["properties"][k])["format"] == "binary";
        form = if binary {
            form.part(
                k.clone(),
                reqwest::multipart::Part::bytes(b"\xff\xd8\xffsample".to_vec())
                    .file_name("a.jpg")
                    .mime_str("image/jpeg")
                    .unwrap(),
            )
        } else {
            form.text(
                k.clone(),
                v.as_str().map_or_else(|| v.to_string(), String::from),
            )
        };
    }
    req.multipart(form)
}

/// Every operation that documents a 409 for an id that "already exists" answers that 409, verbatim,
/// to a second create with the same id (issue 15: 7 of 33 accepted a reused id).
#[tokio::test]
async fn every_documented_duplicate_id_gets_its_documented_409() {
    let doc = spec();
    with_sandbox(30, |sandbox, http| async move {
        let mut checked = Vec::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            let Some(op) = item.get("post") else { continue };
            let conflicts = examples_of(&doc, op, "409");
            let Some((_, conflict)) = conflicts
                .iter()
                .find(|(_, e)| e.to_string().contains("already exists"))
            else {
                continue;
            };
            let content = &resolve(&doc, &op["requestBody"])["content"];
            let media = content.as_object().unwrap().values().next().unwrap();
            let body = sample(&doc, &media["schema"], 0);
            let url = format!("{}{path}", sandbox.base_url());
            let send = || with_body(&doc, request(&http, "POST", &url, op), op, &body);
            let (status, first) = answer(send()).await;
            assert_eq!(status, 200, "POST {path} {body}: {first}");
            assert_eq!(answer(send()).await, (409, conflict.clone()), "POST {path}");
            checked.push(path.clone());
        }
        for path in [
            "/pan/advance",
            "/esignature",
            "/aa/consent",
            "/aa/fi",
            "/bank-account/bulk",
            "/digilocker",
            "/digilocker/verify-account",
        ] {
            assert!(
                checked.iter().any(|p| p == path),
                "{path} not checked: {checked:?}"
            );
        }
        // 33 operations document a 409: 31 for an id that already exists, and POST
        // /offline-aadhaar/otp and /verify for a request still in progress (`verification_pending`,
        // not an id's reuse).
        assert!(checked.len() >= 31, "{}: {checked:?}", checked.len());
    })
    .await;
}

/// Ids never issued get the documented 404 (or the documented "provide an id" 400), never an
/// invented record; ids issued are found.
#[tokio::test]
async fn unknown_ids_get_the_documented_404_and_issued_ones_are_found() {
    let doc = spec();
    with_sandbox(15, |sandbox, http| async move {
        let op_of = |method: &str, path: &str| doc["paths"][path][method].clone();
        let base = sandbox.base_url().to_string();
        let get = |path: &str, query: &str| {
            let op = op_of("get", path.split('?').next().unwrap());
            request(&http, "GET", &format!("{base}{path}{query}"), &op)
        };
        let pan_404 = examples_of(&doc, &doc["paths"]["/pan/{reference_id}"]["get"], "404")[0]
            .1
            .clone();
        assert_eq!(pan_404["code"], "referenceId_not_found");
        assert_eq!(answer(get("/pan/424242", "")).await, (404, pan_404));
        let form_404 = examples_of(&doc, &doc["paths"]["/form"]["get"], "404")[0]
            .1
            .clone();
        assert_eq!(
            answer(get("/form", "?verificationID=never")).await,
            (404, form_404)
        );
        let otpless_404 = examples_of(
            &doc,
            &doc["paths"]["/verification/otpless/status"]["get"],
            "404",
        )[0]
        .1
        .clone();
        assert_eq!(
            answer(get("/verification/otpless/status", "?verificationId=never")).await,
            (404, otpless_404)
        );
        for (path, query) in [
            ("/aa/consent", "?consent_verification_id=never"),
            ("/aa/fi", "?fi_ref_id=1358"),
        ] {
            let (status, body) = answer(get(path, query)).await;
            assert_eq!(
                (status, body["type"].as_str()),
                (404, Some("not_found_error")),
                "{path}: {body}"
            );
        }
        // No id at all: the documented "provide verificationID or referenceID".
        let provide = documented(
            &doc,
            "get",
            "/form",
            "400",
            "Reference ID or Verification ID Missing",
        );
        assert_eq!(answer(get("/form", "")).await, (400, provide));

        // Issued by a create, found by the status call, with the create's ids.
        let create = op_of("post", "/aa/consent");
        let content = &resolve(&doc, &create["requestBody"])["content"]["application/json"];
        let mut body = sample(&doc, &content["schema"], 0);
        body["consent_verification_id"] = json!("consent-1");
        let (status, made) =
            answer(request(&http, "POST", &format!("{base}/aa/consent"), &create).json(&body))
                .await;
        assert_eq!(status, 200, "{made}");
        assert_eq!(made["consent_verification_id"], "consent-1");
        let reference = made["consent_ref_id"].to_string();
        let (status, found) =
            answer(get("/aa/consent", &format!("?consent_ref_id={reference}"))).await;
        assert_eq!(status, 200, "{found}");
        assert_eq!(
            (
                found["consent_verification_id"].as_str(),
                found["consent_ref_id"].to_string()
            ),
            (Some("consent-1"), reference)
        );
    })
    .await;
}

/// 1-Click over HTTP: initiate, consent by the sandbox-only route, exchange the code once; a
/// number for the code is refused with the documented validation error.
#[tokio::test]
async fn one_click_consent_is_reachable_over_http_and_a_wrong_typed_code_is_refused() {
    let doc = spec();
    let session = doc["paths"]["/oauth2/session"]["post"].clone();
    let token = doc["paths"]["/oauth2/generate-token"]["post"].clone();
    let invalid = documented(
        &doc,
        "post",
        "/oauth2/generate-token",
        "400",
        "Invalid Auth Code",
    );
    with_sandbox(10, |sandbox, http| async move {
        let base = format!("{}/verification", sandbox.base_url());
        let (status, _) = answer(request(&http, "POST", &format!("{base}/oauth2/session"), &session).json(
            &json!({"verification_id": "py-1", "user": {"identifier_type": "MOBILE", "identifier_value": "9000000001"}}),
        ))
        .await;
        assert_eq!(status, 200);
        let consent = format!("{base}/__sandbox/consent");
        let (status, body) = answer(http.post(&consent).json(&json!({"verification_id": "never"}))).await;
        assert_eq!((status, body["code"].as_str()), (404, Some("session_not_found")));
        let (status, body) = answer(http.post(&consent).json(&json!({"verification_id": "py-1"}))).await;
        assert_eq!(status, 200);
        let code = body["auth_code"].clone();
        let exchange = |body: Value| request(&http, "POST", &format!("{base}/oauth2/generate-token"), &token).json(&body);
        assert_eq!(answer(exchange(json!({"auth_code": 0}))).await, (400, invalid.clone()));
        let (status, body) = answer(exchange(json!({"auth_code": code}))).await;
        assert_eq!(status, 200, "{body}");
        assert!(body["access_token"].as_str().unwrap().starts_with("sbx_"));
        assert_eq!(answer(exchange(json!({"auth_code": code}))).await, (400, invalid), "once");
    })
    .await;
}

/// Values the sandbox writes itself are in their schema's format: a `format: date` expiry is a date.
#[tokio::test]
async fn generated_dates_keep_the_schemas_format() {
    let doc = spec();
    with_sandbox(20, |sandbox, http| async move {
        // The operations whose success example has the `format: date` expiry.
        let mut found = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            let Some(op) = item.get("post") else { continue };
            let Some((_, example)) = examples_of(&doc, op, "200")
                .into_iter()
                .find(|(_, e)| e.get("data_life_expiry").is_some())
            else {
                continue;
            };
            assert!(example["data_life_expiry"].is_string());
            let content = &resolve(&doc, &op["requestBody"])["content"];
            let media = content.as_object().unwrap().values().next().unwrap();
            let body = sample(&doc, &media["schema"], 0);
            let url = format!("{}{path}", sandbox.base_url());
            let (status, answered) =
                answer(with_body(&doc, request(&http, "POST", &url, op), op, &body)).await;
            assert_eq!(status, 200, "{path}: {answered}");
            let date = answered["data_life_expiry"].as_str().unwrap_or_default();
            let bytes = date.as_bytes();
            assert!(
                date.len() == 10 && bytes[4] == b'-' && bytes[7] == b'-',
                "{path}: {date:?}"
            );
            found += 1;
        }
        assert!(found > 0, "no operation documents data_life_expiry");
    })
    .await;
}

/// Cashfree's test values are its documented ones (`invalid@upi`, `DEFPV0126D`, name_2 `TOM`): for
/// every operation whose success examples are told apart by the request fields they carry, sending
/// an example's own values gets that example back.
#[tokio::test]
async fn each_documented_test_value_gets_its_documented_outcome() {
    let doc = spec();
    let mut checked = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(op) = item.get("post") else { continue };
        let examples = examples_of(&doc, op, "200");
        let content = &resolve(&doc, &op["requestBody"])["content"];
        let Some(media) = content.as_object().and_then(|c| c.values().next()) else {
            continue;
        };
        let schema = resolve(&doc, &media["schema"]);
        let Some(props) = schema["properties"].as_object() else {
            continue;
        };
        // Each example's values for the request's own fields.
        let identity = |e: &Value| -> Map<String, Value> {
            props
                .keys()
                .filter_map(|k| Some((k.clone(), e.get(k).filter(|v| v.is_string())?.clone())))
                .collect()
        };
        let identities: Vec<Map<String, Value>> =
            examples.iter().map(|(_, e)| identity(e)).collect();
        // Told apart by the same fields (an example lacking one is reached by scenario only).
        let same_fields = identities.iter().all(|a| a.keys().eq(identities[0].keys()));
        let distinct = same_fields
            && identities.iter().enumerate().all(|(i, a)| {
                !a.is_empty() && identities.iter().enumerate().all(|(j, b)| i == j || a != b)
            });
        if examples.len() < 2 || !distinct {
            continue;
        }
        for ((name, example), identity) in examples.iter().zip(&identities) {
            let mut body = sample(&doc, schema, 0);
            body.as_object_mut().unwrap().extend(identity.clone());
            let op = op.clone();
            let url_path = path.clone();
            let (example, name) = (example.clone(), name.clone());
            let doc = doc.clone();
            with_sandbox(10, |sandbox, http| async move {
                let url = format!("{}{url_path}", sandbox.base_url());
                let (status, answered) = answer(with_body(
                    &doc,
                    request(&http, "POST", &url, &op),
                    &op,
                    &body,
                ))
                .await;
                assert_eq!(status, 200, "{url_path} {name:?}: {answered}");
                assert_eq!(
                    without_issued(answered),
                    without_issued(example),
                    "{url_path} {name:?} for {body}"
                );
            })
            .await;
        }
        checked.push(path.clone());
    }
    // POST /pan is told apart by name as well (the valid-PAN test above).
    for path in [
        "/upi",
        "/pan-lite",
        "/name-match",
        "/upi/advance",
        "/gstin",
        "/cin",
    ] {
        assert!(
            checked.iter().any(|p| p == path),
            "{path} not checked: {checked:?}"
        );
    }
}
