//! A request the sandbox refuses: Cashfree's documented error body, and why (for the request log).

use serde_json::json;

use super::http::HttpResponse;
use super::spec::OpSpec;

/// An answer other than success, with the spec violation that caused it (if the request broke
/// the spec, as opposed to, say, a rate limit).
#[derive(Debug)]
pub(crate) struct Refusal {
    pub response: HttpResponse,
    pub violation: Option<String>,
}

impl Refusal {
    /// A refusal for a request that broke the spec.
    pub fn violation(response: HttpResponse, why: impl Into<String>) -> Self {
        Refusal {
            response,
            violation: Some(why.into()),
        }
    }

    /// A refusal of a request the spec allows (credentials, limits, state).
    pub fn answer(response: HttpResponse) -> Self {
        Refusal {
            response,
            violation: None,
        }
    }
}

/// The outcome of one check.
pub(crate) type Checked<T = ()> = Result<T, Refusal>;

/// An error answer for `code`: the documented example with that code (from this operation, else
/// any other, since Cashfree shares codes across its API), else a body in Cashfree's shape with
/// `status` and `message`.
/// The refusal of a request that lacks `name` (a header, a parameter, a credential): Cashfree's
/// `<name>_missing`, its documented body where there is one; `what` is the violation recorded.
pub(crate) fn missing(op: &OpSpec, name: &str, what: String) -> Refusal {
    Refusal::violation(
        error(
            op,
            &format!("{name}_missing"),
            400,
            &format!("{name} is missing in the request."),
        ),
        what,
    )
}

pub(crate) fn error(op: &OpSpec, code: &str, status: u16, message: &str) -> HttpResponse {
    if let Some((documented_status, body)) = op.documented_error(code) {
        return HttpResponse::json(documented_status, &body);
    }
    let kind = match status {
        401 | 403 => "authentication_error",
        404 => "not_found_error",
        429 => "rate_limit_error",
        500.. => "internal_error",
        _ => "validation_error",
    };
    HttpResponse::json(
        status,
        &json!({"type": kind, "code": code, "message": message}),
    )
}
