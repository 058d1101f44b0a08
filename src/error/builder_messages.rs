//! The complaints of typify's and progenitor's builders (`no value supplied for user`, `error
//! converting supplied value for verification_id: longer than 50 characters`), which reach the
//! crate only as text: the one place their wording is read (the crate's own errors never are),
//! mapped to Cashfree's code for the same fault.

use super::{Error, ErrorCode, ErrorKind};

impl Error {
    /// Maps a builder message (`error converting supplied value for verification_id: longer than 50
    /// characters`, `no value supplied for user`) to Cashfree's code for the same fault.
    pub(super) fn validation(message: String) -> Self {
        let (field, reason) = parse_validation(&message);
        let reason = reason.to_string();
        let mut e = Error::new(ErrorKind::Validation, message.clone());
        if let Some(field) = field {
            let suffix =
                if reason.contains("no value supplied") || reason.contains("was not initialized") {
                    "missing"
                } else if reason.contains("longer than") {
                    "length_exceeded"
                } else {
                    "value_invalid"
                };
            e.0.code = Some(ErrorCode::from_code(&format!("{field}_{suffix}")));
            e.0.field = Some(field);
        }
        e
    }
}

/// (innermost field, innermost reason) of a progenitor/typify builder message.
fn parse_validation(message: &str) -> (Option<String>, &str) {
    let mut rest = message;
    let mut field = None;
    loop {
        if let Some(i) = rest.find("supplied value for ") {
            let after = &rest[i + "supplied value for ".len()..];
            if let Some((f, tail)) = after.split_once(": ") {
                field = Some(f.trim().to_string());
                rest = tail;
                continue;
            }
        }
        break;
    }
    if let Some(i) = rest.find("no value supplied for ") {
        field = Some(
            rest[i + "no value supplied for ".len()..]
                .trim()
                .to_string(),
        );
    } else if let Some(f) = rest.strip_suffix(" was not initialized") {
        field = Some(f.rsplit(' ').next().unwrap_or(f).trim().to_string());
    }
    (field, rest)
}
