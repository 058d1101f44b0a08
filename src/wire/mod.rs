//! Reading Cashfree's answers as Cashfree sends them.
//!
//! Cashfree's documented answers contradict their own schemas (`name_match_score: 100` where the
//! schema says string, `"1"` for a number, `""` for a list, `"KARNATAKA"` for a list of states), and
//! its servers send what the examples show. Every generated operation decodes its JSON answers with
//! [`decode`], which reads each value as the generated type wants it wherever that loses nothing
//! (the table in [`decode`]'s docs); what cannot be read that way is an error that keeps the whole
//! answer (see "Nothing billed is lost" in README).
//!
//! The same reading is public, for bodies that reach you another way (a webhook, a stored answer):
//!
//! ```
//! use cashfree_verification::wire;
//!
//! // The shape of `types::GetVerifyPanResponseSchema` (feature `pan`), in short.
//! #[derive(serde::Deserialize)]
//! struct Pan {
//!     name_match_score: Option<String>,
//!     reference_id: Option<i64>,
//!     states: Option<Vec<String>>,
//! }
//!
//! let pan: Pan = wire::decode(
//!     br#"{"name_match_score": 100, "reference_id": "17974435", "states": "KARNATAKA"}"#,
//! )?;
//! assert_eq!(pan.name_match_score.as_deref(), Some("100"));
//! assert_eq!(pan.reference_id, Some(17974435));
//! assert_eq!(pan.states.unwrap(), ["KARNATAKA"]);
//! # Ok::<(), serde_json::Error>(())
//! ```

mod decoded;
mod lenient;

use std::sync::Arc;

use bytes::Bytes;
use progenitor_client::{Error, ResponseValue};
use serde::de::DeserializeOwned;

pub use decoded::Decoded;
use lenient::Lenient;

/// Decodes `body` into `T`, reading each value as Cashfree sends it:
///
/// | `T` wants | also accepted | becomes |
/// | --- | --- | --- |
/// | a string | a number, a boolean | its JSON text (`100` → `"100"`) |
/// | a number | a string holding a number | the number (`"1"` → `1`) |
/// | an integer | a number with no fraction | the integer (`2.0` → `2`) |
/// | a boolean | `"true"`, `"false"` | the boolean |
/// | a list | `""` | an empty list |
/// | a list | a lone value | a list of that one value |
///
/// Anything else is read as `T` says.
///
/// # Errors
/// `body` is not JSON, has trailing characters, or holds a value `T` cannot take even so (`"0,"`
/// for a number). The error names the field (`entries[0].count: invalid type ...`).
pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, serde_json::Error> {
    let mut json = serde_json::Deserializer::from_slice(body);
    match T::deserialize(Lenient(&mut json)).and_then(|value| json.end().map(|()| value)) {
        Ok(value) => Ok(value),
        // Read again only to name the field (the common path pays nothing for it).
        Err(e) => Err(with_path::<T>(body).unwrap_or(e)),
    }
}

/// The error of decoding `body` with the field it happened at, as serde_json's custom error.
fn with_path<T: DeserializeOwned>(body: &[u8]) -> Option<serde_json::Error> {
    let mut json = serde_json::Deserializer::from_slice(body);
    let err = match serde_path_to_error::deserialize::<_, T>(Lenient(&mut json)) {
        Ok(_) => return None,
        Err(e) => e,
    };
    let path = err.path().to_string();
    let inner = err.into_inner();
    if path == "." || path.is_empty() {
        return Some(inner);
    }
    Some(<serde_json::Error as serde::de::Error>::custom(format!(
        "{path}: {inner}"
    )))
}

/// A 2xx (or documented error) answer whose body could not be decoded: kept on the response that
/// the generated code hands back in `Error::UnexpectedResponse`, so [`crate::Error`] keeps the
/// status, the headers and the whole body. The one typed slot progenitor leaves for it.
#[derive(Debug, Clone)]
pub(crate) struct Undecodable {
    /// The body as received (at most `max_response_bytes`).
    pub body: Bytes,
    /// Why it did not decode.
    pub error: Arc<serde_json::Error>,
}

/// Progenitor's `ResponseValue::from_response` for a success, with Cashfree's wire rules: the
/// generated operations call this one instead (the build replaces the call; see ARCHITECTURE.md,
/// "Generation settings"), and the answer keeps its body ([`Decoded`]).
///
/// # Errors
/// The body could not be read ([`Error::ResponseBodyError`]), or could not be decoded: then
/// [`Error::UnexpectedResponse`] with the status, headers and whole body, which [`crate::Error`]
/// reports as [`ErrorKind::Decode`](crate::ErrorKind::Decode) with [`crate::Error::body`].
#[doc(hidden)]
pub async fn from_response<T: DeserializeOwned, E>(
    response: reqwest::Response,
) -> Result<ResponseValue<Decoded<T>>, Error<E>> {
    answer(response, |body| Decoded::from_body(body.clone())).await
}

/// [`from_response`] for a documented error answer, read as its plain type.
///
/// # Errors
/// As [`from_response`].
#[doc(hidden)]
pub async fn error_from_response<T: DeserializeOwned, E>(
    response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    answer(response, |body| decode(body)).await
}

/// The body of `response` read by `read_body`, or the answer kept whole when it cannot be: marked
/// unreadable by the body bound, or not decodable.
async fn answer<T, E>(
    response: reqwest::Response,
    read_body: impl FnOnce(&Bytes) -> Result<T, serde_json::Error>,
) -> Result<ResponseValue<T>, Error<E>> {
    if is_unreadable(&response) {
        return Err(Error::UnexpectedResponse(response));
    }
    let (status, version, headers, body) = read(response).await?;
    match read_body(&body) {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(error) => Err(undecodable(status, version, headers, body, error)),
    }
}

/// Whether the body bound marked the body unreadable (cut at the bound, or not Cashfree's error
/// object): it is then reported undecodable, whole as read, never decoded in part or into an empty
/// error.
fn is_unreadable(response: &reqwest::Response) -> bool {
    response
        .extensions()
        .get::<crate::call::boundary::UnreadableBody>()
        .is_some()
}

type Parts = (
    reqwest::StatusCode,
    reqwest::Version,
    reqwest::header::HeaderMap,
    Bytes,
);

async fn read<E>(mut response: reqwest::Response) -> Result<Parts, Error<E>> {
    let status = response.status();
    let version = response.version();
    // Moved out, not copied: reading the body needs none of them.
    let headers = std::mem::take(response.headers_mut());
    let body = response.bytes().await.map_err(Error::ResponseBodyError)?;
    Ok((status, version, headers, body))
}

/// The answer that did not decode, whole, as [`Error::UnexpectedResponse`] carrying [`Undecodable`].
fn undecodable<E>(
    status: reqwest::StatusCode,
    version: reqwest::Version,
    mut headers: reqwest::header::HeaderMap,
    body: Bytes,
    error: serde_json::Error,
) -> Error<E> {
    // The body is complete now: its length and framing headers would describe another body.
    headers.remove(reqwest::header::CONTENT_LENGTH);
    headers.remove(reqwest::header::TRANSFER_ENCODING);
    // No URL (the error never shows one, and cloning it would cost every call).
    let mut kept = http::Response::builder()
        .status(status)
        .version(version)
        .body(body.clone())
        .expect("status and version come from a valid response");
    *kept.headers_mut() = headers;
    kept.extensions_mut().insert(Undecodable {
        body,
        error: Arc::new(error),
    });
    Error::UnexpectedResponse(reqwest::Response::from(kept))
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::decode;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Answer {
        text: Option<String>,
        count: Option<i64>,
        score: Option<f64>,
        flag: Option<bool>,
        states: Option<Vec<String>>,
        items: Option<Vec<Item>>,
        #[serde(default)]
        required_list: Vec<i64>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        id: String,
    }

    fn answer(json: &str) -> Result<Answer, serde_json::Error> {
        decode(json.as_bytes())
    }

    #[test]
    fn numbers_and_booleans_arrive_as_text() {
        let a = answer(r#"{"text": 100}"#).unwrap();
        assert_eq!(a.text.as_deref(), Some("100"));
        assert_eq!(
            answer(r#"{"text": -7}"#).unwrap().text.as_deref(),
            Some("-7")
        );
        assert_eq!(
            answer(r#"{"text": 0.95}"#).unwrap().text.as_deref(),
            Some("0.95")
        );
        assert_eq!(
            answer(r#"{"text": 919008066009}"#).unwrap().text.as_deref(),
            Some("919008066009")
        );
        assert_eq!(
            answer(r#"{"text": true}"#).unwrap().text.as_deref(),
            Some("true")
        );
    }

    #[test]
    fn numeric_strings_arrive_as_numbers() {
        let a = answer(r#"{"count": "21637861", "score": "1", "flag": "false"}"#).unwrap();
        assert_eq!(
            (a.count, a.score, a.flag),
            (Some(21637861), Some(1.0), Some(false))
        );
        assert_eq!(answer(r#"{"score": "0.5"}"#).unwrap().score, Some(0.5));
        assert_eq!(answer(r#"{"count": 2.0}"#).unwrap().count, Some(2));
        assert_eq!(answer(r#"{"count": "-3"}"#).unwrap().count, Some(-3));
    }

    #[test]
    fn what_would_lose_something_is_still_refused() {
        for bad in [
            r#"{"count": "0,"}"#,
            r#"{"count": 2.5}"#,
            r#"{"count": ""}"#,
            r#"{"score": "inf"}"#,
            r#"{"score": " 1"}"#,
            r#"{"flag": "yes"}"#,
            r#"{"text": [1]}"#,
            r#"{"text": {"a": 1}}"#,
        ] {
            assert!(answer(bad).is_err(), "{bad} decoded");
        }
    }

    #[test]
    fn lists_arrive_empty_as_text_and_alone() {
        let a = answer(r#"{"states": "", "required_list": ""}"#).unwrap();
        assert_eq!(a.states, Some(vec![]));
        assert!(a.required_list.is_empty());
        let a = answer(r#"{"states": "KARNATAKA", "required_list": 5}"#).unwrap();
        assert_eq!(a.states, Some(vec!["KARNATAKA".to_string()]));
        assert_eq!(a.required_list, [5]);
        let a = answer(r#"{"items": {"id": 7}}"#).unwrap();
        assert_eq!(
            a.items,
            Some(vec![Item {
                id: "7".to_string()
            }])
        );
        // Inside lists and nested objects the same rules hold.
        let a =
            answer(r#"{"items": [{"id": 1}, {"id": "x"}], "required_list": ["1", 2]}"#).unwrap();
        assert_eq!(a.items.unwrap()[0].id, "1");
        assert_eq!(a.required_list, [1, 2]);
    }

    #[test]
    fn null_is_none_and_nothing_else_changes() {
        let a = answer(r#"{"text": null, "states": null, "count": null}"#).unwrap();
        assert_eq!((a.text, a.states, a.count), (None, None, None));
        let a = answer(r#"{"text": "as is", "states": ["A", "B"], "score": 1.5}"#).unwrap();
        assert_eq!(a.text.as_deref(), Some("as is"));
        assert_eq!(a.states.unwrap(), ["A", "B"]);
        assert_eq!(a.score, Some(1.5));
    }

    #[test]
    fn an_error_names_the_field_and_trailing_text_is_refused() {
        let e = answer(r#"{"items": [{"id": "1"}, {"id": []}]}"#).unwrap_err();
        assert!(
            e.to_string().starts_with("items[1].id: invalid type"),
            "{e}"
        );
        assert!(answer(r#"{"text": "a"} x"#).is_err());
        assert!(answer("not json").is_err());
    }

    #[test]
    fn values_the_type_leaves_untyped_stay_as_sent() {
        let v: serde_json::Value = decode(br#"{"a": [1, "2", ""], "b": null}"#).unwrap();
        assert_eq!(v, serde_json::json!({"a": [1, "2", ""], "b": null}));
    }
}
