//! Header parameters as the spec declares them: each required one present (`X-Session-Id` of the
//! OTPless SDK status), and `x-api-version`, where sent, a real `YYYY-MM-DD` date. The version is
//! required only where the operation's spec requires it: Cashfree's merged spec declares it
//! optional everywhere, and Cashfree's Python SDK never sends it.

use super::super::http::HttpRequest;
use super::super::refusal::{Checked, Refusal, error, missing};
use super::super::spec::OpSpec;

const VERSION: &str = "x-api-version";

pub(crate) fn check(op: &OpSpec, request: &HttpRequest) -> Checked {
    for header in &op.headers {
        let value = request
            .header(&header.name)
            .filter(|v| !v.trim().is_empty());
        match value {
            None if header.required => {
                let name = &header.name;
                return Err(missing(op, name, format!("header {name} missing")));
            }
            Some(v)
                if header.name == VERSION && !cashfree_verification::config::is_api_version(v) =>
            {
                return Err(Refusal::violation(
                    error(
                        op,
                        "x-api-version_value_invalid",
                        400,
                        "x-api-version should be valid (YYYY-MM-DD).",
                    ),
                    format!("x-api-version {v:?} is not YYYY-MM-DD"),
                ));
            }
            _ => {}
        }
    }
    Ok(())
}
