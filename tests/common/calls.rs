//! Valid calls of the two operations and a client configured for the recording server.

use cashfree_verification::{Client, Error, RetryPolicy, builder, types};

use super::scripted::Server;

pub const VKYC_ID: &str = "vkyc-id-123";
pub const VKYC_SECRET: &str = "vkyc-SECRET-do-not-leak";
pub const ONE_CLICK_ID: &str = "oneclick-id-456";
pub const ONE_CLICK_SECRET: &str = "oneclick-SECRET-do-not-leak";
pub const PUBLIC_KEY: &str = include_str!("../fixtures/test_key_public.pem");
pub const PRIVATE_KEY: &str = include_str!("../fixtures/test_key_private.pem");

pub fn client_for(server: &Server) -> cashfree_verification::ClientBuilder {
    Client::builder()
        .base_url(&server.url)
        .credentials(VKYC_ID, VKYC_SECRET)
        .one_click_credentials(ONE_CLICK_ID, ONE_CLICK_SECRET)
        .retry_policy(RetryPolicy::none())
}

pub fn token_call(client: &Client) -> builder::VrsGenerateAuthToken<'_> {
    client.vrs_generate_auth_token().body(
        types::CreateAuthRequestSchema::builder()
            .app_id("app_id_for_vkyc")
            .product("VKYC")
            .metadata(types::CreateAuthRequestSchemaMetadata::builder().vkyc_request_id("249749"))
            .authenticated_user(
                types::CreateAuthRequestSchemaAuthenticatedUser::builder()
                    .identifier_type("userId")
                    .identifier_value("123456"),
            ),
    )
}

pub fn session_call<'a>(
    client: &'a Client,
    verification_id: &str,
    mobile: &str,
) -> builder::VrsUserVaultOauthInitiation<'a> {
    client.vrs_user_vault_oauth_initiation().body(
        types::InitiateOauthRequestSchema::builder()
            .verification_id(verification_id)
            .user(
                types::InitiateOauthRequestSchemaUser::builder()
                    .identifier_type(types::InitiateOauthRequestSchemaUserIdentifierType::Mobile)
                    .identifier_value(mobile),
            ),
    )
}

/// Calls the operation at `path` with a valid request (a fixed verification id).
pub async fn call(client: &Client, path: &str) -> Result<(), Error> {
    match path {
        "/oauth/token" => token_call(client)
            .send()
            .await
            .map(drop)
            .map_err(Error::from),
        "/oauth2/session" => session_call(client, "v-3", "9988123456")
            .send()
            .await
            .map(drop)
            .map_err(Error::from),
        other => panic!("this test does not know how to call {other}; add it"),
    }
}

/// The merged document the crate was built from.
pub fn merged() -> serde_json::Value {
    serde_json::from_str(include_str!(concat!(env!("OUT_DIR"), "/openapi.json"))).unwrap()
}

/// One operation of the merged document.
#[derive(Debug, Clone)]
pub struct SpecOp {
    pub method: String,
    pub path: String,
    pub operation_id: String,
    pub op: serde_json::Value,
}

/// Every operation of `merged`, in document order.
pub fn spec_operations(merged: &serde_json::Value) -> Vec<SpecOp> {
    let mut ops = Vec::new();
    for (path, item) in merged["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if let Some(id) = op.get("operationId").and_then(|v| v.as_str()) {
                ops.push(SpecOp {
                    method: method.to_uppercase(),
                    path: path.clone(),
                    operation_id: id.to_string(),
                    op: op.clone(),
                });
            }
        }
    }
    ops
}

/// `v` with `$ref`s followed (bounded).
pub fn resolve(merged: &serde_json::Value, v: &serde_json::Value) -> serde_json::Value {
    let mut v = v.clone();
    for _ in 0..16 {
        match v.get("$ref").and_then(|r| r.as_str()) {
            Some(r) => v = merged.pointer(&r[1..]).unwrap().clone(),
            None => break,
        }
    }
    v
}

/// A setter's name for a parameter: snake case, as the generated builders name them.
fn setter_name(param: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in param.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            out.push('_');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            '_'
        });
    }
    out
}

/// `value` as the JSON type `ty` (Cashfree's examples give `"true"` for booleans, numbers for
/// strings, strings for integers).
pub fn coerce(ty: Option<&str>, value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match (ty, value) {
        (Some("string"), Value::String(s)) => Value::String(s),
        (Some("string"), v @ (Value::Number(_) | Value::Bool(_))) => Value::String(v.to_string()),
        (Some("integer" | "number" | "boolean"), Value::String(s)) => {
            serde_json::from_str(&s).unwrap_or(Value::String(s))
        }
        (_, v) => v,
    }
}

/// A value for `schema` from its documentation: example, default, first enum value, or by type.
pub fn sample(
    merged: &serde_json::Value,
    schema: &serde_json::Value,
    depth: usize,
) -> serde_json::Value {
    use serde_json::{Value, json};
    let schema = resolve(merged, schema);
    if schema.get("format").and_then(Value::as_str) == Some("binary") {
        // The whole file, as a caller of `call_json` writes it (a serialized `FilePart` names a
        // part in memory, valid while it lives).
        return json!({"$cashfree_file_part": {
            "file_name": "sample.jpg",
            "content_type": "image/jpeg",
            "base64": "/9j/c2FtcGxl"
        }});
    }
    let ty = schema.get("type").and_then(Value::as_str);
    let composite = matches!(ty, Some("object" | "array")) || schema.get("properties").is_some();
    for key in ["example", "default"] {
        if let Some(v) = schema.get(key).filter(|_| !composite) {
            return coerce(ty, v.clone());
        }
    }
    if let Some(v) = schema.get("enum").and_then(|e| e.get(0)) {
        return v.clone();
    }
    if depth > 6 {
        return Value::Null;
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(first) = schema.get(key).and_then(|v| v.get(0)) {
            return sample(merged, first, depth + 1);
        }
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("object") | None if schema.get("properties").is_some() => {
            let mut out = serde_json::Map::new();
            for (name, prop) in schema["properties"].as_object().unwrap() {
                let v = sample(merged, prop, depth + 1);
                if !v.is_null() {
                    out.insert(name.clone(), v);
                }
            }
            Value::Object(out)
        }
        Some("array") => json!([sample(merged, &schema["items"], depth + 1)]),
        Some("integer" | "number") => json!(1),
        Some("boolean") => json!(true),
        Some("string") => json!("sample"),
        _ => Value::Null,
    }
}

/// `Client::call_json` arguments for `op` from its documented examples: every parameter but the
/// headers the client sets itself, the end user's token for a bearer operation, and the request body
/// (documented example, or a sample of its schema; file parts as small `FilePart`s).
pub fn example_args(
    merged: &serde_json::Value,
    op: &SpecOp,
) -> serde_json::Map<String, serde_json::Value> {
    use serde_json::Value;
    let mut args = serde_json::Map::new();
    let mut params: Vec<Value> = op.op["parameters"].as_array().cloned().unwrap_or_default();
    params.extend(
        merged["paths"][&op.path]["parameters"]
            .as_array()
            .cloned()
            .unwrap_or_default(),
    );
    for p in params {
        let p = resolve(merged, &p);
        let name = p["name"].as_str().unwrap();
        if ["x-api-version", "x-cf-signature"].contains(&name.to_ascii_lowercase().as_str()) {
            continue;
        }
        let value = p
            .get("example")
            .cloned()
            .unwrap_or_else(|| sample(merged, &p["schema"], 0));
        let value = coerce(resolve(merged, &p["schema"])["type"].as_str(), value);
        args.insert(setter_name(name), value);
    }
    let bearer = op.op["security"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|alt| alt.get("bearerAuth").is_some());
    if bearer {
        args.insert(
            "authorization".into(),
            Value::String("end-user-token".into()),
        );
    }
    if let Some(body) = op.op.get("requestBody") {
        let body = resolve(merged, body);
        let (_, media) = body["content"].as_object().unwrap().iter().next().unwrap();
        let schema = resolve(merged, &media["schema"]);
        let multipart = body["content"].get("multipart/form-data").is_some();
        // Built from the schema, each leaf from its documented example: Cashfree's whole-body
        // examples do not always match their schemas (a string where an array goes).
        let _ = multipart;
        args.insert("body".into(), sample(merged, &schema, 0));
    }
    args
}

/// A port of 127.0.0.1 nothing listens on (bound, then released): a call to it fails to connect.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A sandbox, and a client for it with its default credentials that sends each request once.
pub async fn sandbox_and_client() -> (
    cashfree_verification_sandbox::Sandbox,
    cashfree_verification::Client,
) {
    let sandbox = cashfree_verification_sandbox::Sandbox::start()
        .await
        .unwrap();
    let client = sandbox
        .client_builder()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    (sandbox, client)
}
