//! Step 2 of a call: `x-api-version`, the call's own (checked), else the client's, else the one the
//! spec pins for the operation. The header value of each operation is made once by `build()`.

use reqwest::header::{Entry, HeaderMap, HeaderName, HeaderValue};

use super::boundary::{StepError, StepKind};
use crate::spec::{self, Operation};

/// The `x-api-version` sent when neither the call, the client nor the spec names one.
pub const DEFAULT_API_VERSION: &str = "2024-12-01";

const X_API_VERSION: HeaderName = HeaderName::from_static("x-api-version");

/// What the step needs, made once by `build()`.
#[derive(Debug, Default)]
pub(crate) struct Prepared {
    /// The client's version, if one was set.
    pub client: Option<String>,
    /// The value each operation sends when the call gives none ([`api_version_for`]), by its index
    /// in [`spec::operations`]; `None` where the spec's value is not a header value (the call then
    /// fails, naming it).
    pub headers: Vec<Option<HeaderValue>>,
}

impl Prepared {
    /// The values every operation sends under the client's `version`.
    pub fn new(client: Option<String>) -> Prepared {
        let headers = spec::operations()
            .iter()
            .map(|op| HeaderValue::from_str(api_version_for(client.as_deref(), op)).ok())
            .collect();
        Prepared { client, headers }
    }
}

/// Checks a version given on the call, or sets the operation's.
///
/// # Errors
/// The call's value is not a real `YYYY-MM-DD` date ([`StepKind::Validation`], Cashfree's code
/// `x-api-version_value_invalid`), or the operation's is not a header value. Nothing was sent.
pub(crate) fn apply(
    prepared: &Prepared,
    index: usize,
    op: &Operation,
    headers: &mut HeaderMap,
) -> Result<(), StepError> {
    let value = |prepared: &Prepared| match prepared.headers.get(index) {
        Some(Some(value)) => Ok(value.clone()),
        _ => {
            let version = api_version_for(prepared.client.as_deref(), op);
            HeaderValue::from_str(version).map_err(|_| {
                StepError::new(
                    StepKind::Config,
                    format!("API version {version:?} is not a header value"),
                )
            })
        }
    };
    // A call can give its own only where the spec declares the parameter: elsewhere the value is
    // set without looking; here one lookup finds the call's or the slot for the operation's.
    if !op.header_params.contains(&X_API_VERSION.as_str()) {
        headers.insert(X_API_VERSION, value(prepared)?);
        return Ok(());
    }
    match headers.entry(X_API_VERSION) {
        Entry::Occupied(given) if !given.get().to_str().is_ok_and(is_api_version) => {
            Err(StepError::invalid(
                "x-api-version",
                "x-api-version_value_invalid",
                format!(
                    "x-api-version {:?} is not a real date of the form YYYY-MM-DD",
                    String::from_utf8_lossy(given.get().as_bytes())
                ),
            ))
        }
        Entry::Occupied(_) => Ok(()),
        Entry::Vacant(slot) => {
            slot.insert(value(prepared)?);
            Ok(())
        }
    }
}

/// The `x-api-version` an operation sends when the call gives none: the client's, else the one the
/// spec pins for the operation, else [`DEFAULT_API_VERSION`].
pub(crate) fn api_version_for<'a>(client: Option<&'a str>, op: &crate::spec::Operation) -> &'a str {
    client.or(op.api_version).unwrap_or(DEFAULT_API_VERSION)
}

/// `true` for `YYYY-MM-DD` naming a real calendar date (the form of `x-api-version`).
///
/// ```
/// use cashfree_verification::config::is_api_version;
/// assert!(is_api_version("2024-02-29") && !is_api_version("2024-02-31"));
/// ```
pub fn is_api_version(v: &str) -> bool {
    let b = v.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r.clone()]
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| v[r].parse::<u16>().ok())
            .flatten()
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let Ok(month) = time::Month::try_from(month as u8) else {
        return false;
    };
    time::Date::from_calendar_date(i32::from(year), month, day as u8).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The per-operation values `build()` makes are the ones the precedence (client, then spec,
    /// then default) gives, for every operation.
    #[test]
    fn prepared_values_follow_the_precedence_for_every_operation() {
        for client_version in [None, Some("2025-01-01")] {
            let prepared = Prepared::new(client_version.map(String::from));
            assert_eq!(prepared.headers.len(), spec::operations().len());
            for (op, header) in spec::operations().iter().zip(&prepared.headers) {
                let expected = client_version.or(op.api_version).unwrap_or("2024-12-01");
                assert_eq!(header.as_ref().map(|h| h.to_str().unwrap()), Some(expected));
            }
        }
    }

    #[test]
    fn api_versions_are_checked() {
        assert!(is_api_version("2024-12-01"));
        assert!(is_api_version("2024-02-29"), "2024 is a leap year");
        for bad in [
            "2024-02-31",
            "2023-02-29",
            "2024-04-31",
            "2024-00-10",
            "2024-13-01",
            "2024-12-32",
            "24-12-01",
            "2024/12/01",
            "2024-12-1",
            "2024-1a-01",
            "+024-12-01",
            "",
        ] {
            assert!(!is_api_version(bad), "{bad}");
        }
    }
}
