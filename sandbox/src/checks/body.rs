//! The request body: present where required, JSON (or `multipart/form-data` parts) of the schema's
//! shape, with the documented length limits, refused with Cashfree's documented code.

use serde_json::{Value, json};

use cashfree_openapi::resolve;

use super::super::http::{HttpRequest, HttpResponse};
use super::super::refusal::{Checked, Refusal, error};
use super::super::schema::{Mode, validate};
use super::super::spec::{OpSpec, document};

/// Checks the body; answers it as JSON (`null` when the operation takes none, or none was sent
/// where it is optional).
pub(crate) fn check(op: &OpSpec, request: &HttpRequest) -> Checked<Value> {
    if op.request_schema.is_none() && !op.body_required {
        return Ok(Value::Null);
    }
    if request.body.iter().all(u8::is_ascii_whitespace) {
        if op.body_required {
            return Err(Refusal::violation(
                error(op, "body_missing", 400, "The request body is missing."),
                "body missing",
            ));
        }
        return Ok(Value::Null);
    }
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
    let body = parsed.map_err(|why| {
        Refusal::violation(
            error(
                op,
                "body_value_invalid",
                400,
                "The request body is not what the operation takes.",
            ),
            why,
        )
    })?;
    if let Some(schema) = &op.request_schema
        && let Err(v) = validate(document(), schema, &body, Mode::Request, &op.limits)
    {
        let code = v.code(&|c| op.documents(c));
        let response = match op.documented_error(&code) {
            Some((status, example)) => HttpResponse::json(status, &example),
            None => HttpResponse::json(
                400,
                &json!({"type": "validation_error", "code": code, "message": v.default_message()}),
            ),
        };
        let at = if v.pointer.is_empty() {
            "/"
        } else {
            &v.pointer
        };
        return Err(Refusal::violation(response, format!("{code} at {at}")));
    }
    Ok(body)
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
