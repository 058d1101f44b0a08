//! The rules by which the document progenitor sees differs from the merged one, one file each; each
//! is for a whole class of Cashfree's habits rather than one case (ARCHITECTURE.md, "Generation settings").

mod answers;
mod bearer;
pub(crate) use bearer::gets_authorization_parameter;
mod errors;
mod formats;
mod multipart;
mod names;
mod nullable;

use serde_json::Value;

use crate::defaults::{remove_defaults, request_defaults};

pub use multipart::MULTIPART;

/// The pointer of the object at `place` (e.g. `/paths/~1pan/post/responses/200`), or of the component
/// it names when it is a `$ref`: where a rule edits it.
fn located(value: &Value, place: impl FnOnce() -> String) -> String {
    match value.get("$ref").and_then(Value::as_str) {
        Some(target) => target.trim_start_matches('#').to_string(),
        None => place(),
    }
}
pub use names::RUST_NAME;

/// The rules by which the document progenitor sees differs from the merged one (each documented in
/// ARCHITECTURE.md, "Generation settings"):
/// - **No request default is sent on the caller's behalf.** Cashfree puts sample values in `default`
///   (`name: "John Doe"`); typify would pre-fill them. Every `default` inside a request body is dropped,
///   so an unset field is not sent and the server applies its own default.
/// - **Dates stay strings.** `format: date`/`date-time` would make typify use `chrono` types, which
///   Cashfree's values (`"03-11-2022"`, `"dateTime"`) do not parse as; the format is dropped.
/// - **Multipart bodies go through the same pipeline as JSON.** progenitor cannot generate
///   `multipart/form-data` bodies, so each one is declared to progenitor as JSON, its binary
///   properties typed as the handwritten `cashfree_verification::FilePart` (`x-rust-type`); the client's
///   hook sends the body as multipart (see [`MULTIPART`]).
/// - **One error type.** progenitor needs one error type per operation, and Cashfree's error bodies
///   are all `{type, code, message[, error]}` under several names (`x-client-id_missing`,
///   `v2ErrorResponse404SchemaIpVerification`, inline ones): an error response whose schema has that
///   shape uses `ErrorResponseSchema`.
/// - **Names are data.** A component schema with `x-rust-name` (set by an overlay, with its reason) is
///   generated under that name: how two components that map to one Rust name (`split_address_schema`,
///   `SplitAddressSchema`) are told apart.
/// - **Per-user tokens are per call.** An operation secured by an HTTP bearer scheme (1-Click's
///   user-details, with the end user's access token) gets an `authorization` header parameter, so its
///   builder takes the token on each call; the client's hook adds `Bearer ` and marks it sensitive.
/// - **Examples are the wire.** Where an answer's example contradicts its schema beyond what the
///   client's wire rules read anyway, the schema is widened so that the example decodes
///   ([`reconcile`](crate::reconcile); the list is `api/reconciliations.txt`).
/// - **Decimals are `f64`.** `format: float` would make typify use `f32`, which cannot hold
///   Cashfree's decimal values (`score: 0.95` reads back as `0.949999988`); the format is dropped.
/// - **Absent may be null.** Cashfree's responses (its own examples, e.g. Driving License's
///   `INVALID`) send `null` for values they do not have, where the schema has an array or object;
///   every optional property that is not a `$ref` is declared `nullable`, so it decodes as `None`.
///
/// # Errors
/// An inline answer's schema cannot be named: the component name progenitor would give it is taken.
pub fn apply_generation_rules(doc: &mut Value) -> Result<(), String> {
    // First, so that a property made optional for an example is also made nullable below.
    let reconciled = crate::reconcile::reconciliations(doc);
    crate::reconcile::apply(doc, &reconciled);
    nullable::optional_means_nullable(doc);
    names::rename_components(doc);
    bearer::bearer_token_per_call(doc);
    multipart::multipart_as_typed_json(doc);
    errors::one_error_type(doc);
    answers::answers_keep_their_body(doc)?;
    let defaults = request_defaults(doc);
    remove_defaults(doc, &defaults);
    formats::dates_and_decimals(doc);
    Ok(())
}
