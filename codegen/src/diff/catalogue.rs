//! The catalogue of the breaking-change report's rules: each rule's id, level, what it means for
//! Rust code, and why, in one line.

use super::{Level, RustImpact};

/// Every rule: (id, level, Rust impact, why, in one line).
pub const RULES: &[(&str, Level, RustImpact, &str)] = &[
    (
        "api-operation-added",
        Level::Info,
        RustImpact::None,
        "a new method on Client",
    ),
    (
        "api-operation-removed",
        Level::Breaking,
        RustImpact::DoesNotCompile,
        "its method is gone",
    ),
    (
        "api-operation-id-renamed",
        Level::Breaking,
        RustImpact::DoesNotCompile,
        "the Rust method is named after the operationId",
    ),
    (
        "api-security-changed",
        Level::Breaking,
        RustImpact::BehaviourChanges,
        "other credentials are sent; a client configured for the old ones fails before any I/O",
    ),
    (
        "request-parameter-added-required",
        Level::Breaking,
        RustImpact::FailsAtRunTime,
        "the builder says \"no value supplied\" until callers set it",
    ),
    (
        "request-parameter-added-optional",
        Level::Info,
        RustImpact::None,
        "a new builder method",
    ),
    (
        "request-parameter-removed",
        Level::Breaking,
        RustImpact::DoesNotCompile,
        "its builder method is gone",
    ),
    (
        "request-parameter-became-required",
        Level::Breaking,
        RustImpact::FailsAtRunTime,
        "callers that did not set it now fail (even with a default, as oasdiff counts it)",
    ),
    (
        "request-parameter-became-optional",
        Level::Info,
        RustImpact::None,
        "callers may now leave it out",
    ),
    (
        "request-parameter-type-changed",
        Level::Breaking,
        RustImpact::DoesNotCompile,
        "the setter takes another type",
    ),
    (
        "request-parameter-enum-value-removed",
        Level::Breaking,
        RustImpact::DoesNotCompile,
        "a variant of its enum is gone",
    ),
    (
        "request-parameter-max-length-decreased",
        Level::Breaking,
        RustImpact::FailsAtRunTime,
        "longer values are refused before sending",
    ),
    (
        "request-parameter-pattern-added",
        Level::Warning,
        RustImpact::FailsAtRunTime,
        "values are checked against it before sending",
    ),
    (
        "request-parameter-pattern-changed",
        Level::Warning,
        RustImpact::FailsAtRunTime,
        "values are checked against another pattern",
    ),
    (
        "request-parameter-default-changed",
        Level::Warning,
        RustImpact::BehaviourChanges,
        "calls that do not set it send another value (for x-api-version: another API version)",
    ),
    (
        "request-body-added-required",
        Level::Breaking,
        RustImpact::FailsAtRunTime,
        "the builder's body is required",
    ),
    (
        "request-body-added-optional",
        Level::Breaking,
        RustImpact::FailsAtRunTime,
        "progenitor makes every body required: the builder says \"no value supplied\" until callers set it",
    ),
    (
        "request-body-removed",
        Level::Breaking,
        RustImpact::DoesNotCompile,
        "the builder's body method is gone",
    ),
    (
        "request-body-media-type-removed",
        Level::Breaking,
        RustImpact::BehaviourChanges,
        "the body goes out in another encoding",
    ),
    (
        "request-property-added-required",
        Level::Breaking,
        RustImpact::FailsAtRunTime,
        "the body's builder says \"no value supplied\" until callers set it",
    ),
    (
        "request-property-added-optional",
        Level::Info,
        RustImpact::None,
        "a new optional field",
    ),
    (
        "request-property-removed",
        Level::Breaking,
        RustImpact::DoesNotCompile,
        "its builder method and field are gone",
    ),
    (
        "request-property-became-required",
        Level::Breaking,
        RustImpact::FailsAtRunTime,
        "callers that did not set it now fail (even with a default)",
    ),
    (
        "request-property-became-optional",
        Level::Breaking,
        RustImpact::DoesNotCompile,
        "its field becomes an Option and its setter takes Option<T>: a &str argument no longer converts",
    ),
    (
        "request-property-type-changed",
        Level::Breaking,
        RustImpact::DoesNotCompile,
        "its field has another type",
    ),
    (
        "request-property-enum-value-removed",
        Level::Breaking,
        RustImpact::DoesNotCompile,
        "a variant of its enum is gone",
    ),
    (
        "request-property-max-length-decreased",
        Level::Breaking,
        RustImpact::FailsAtRunTime,
        "longer values are refused before sending",
    ),
    (
        "request-property-pattern-added",
        Level::Warning,
        RustImpact::FailsAtRunTime,
        "values are checked against it before sending",
    ),
    (
        "request-property-pattern-changed",
        Level::Warning,
        RustImpact::FailsAtRunTime,
        "values are checked against another pattern",
    ),
    (
        "response-success-status-removed",
        Level::Breaking,
        RustImpact::FailsAtRunTime,
        "that answer is now an unexpected-status error",
    ),
    (
        "response-success-status-added",
        Level::Info,
        RustImpact::None,
        "another success status is decoded",
    ),
    (
        "response-property-removed",
        Level::Breaking,
        RustImpact::DoesNotCompile,
        "its field is gone",
    ),
    (
        "response-property-type-changed",
        Level::Breaking,
        RustImpact::DoesNotCompile,
        "its field has another type",
    ),
    (
        "response-property-became-optional",
        Level::Breaking,
        RustImpact::DoesNotCompile,
        "its field becomes an Option",
    ),
    (
        "response-property-became-required",
        Level::Warning,
        RustImpact::DoesNotCompile,
        "its field is no longer an Option",
    ),
    (
        "response-property-enum-value-added",
        Level::Breaking,
        RustImpact::DoesNotCompile,
        "a new variant breaks exhaustive matches (and old clients fail to decode it)",
    ),
    (
        "response-property-added",
        Level::Info,
        RustImpact::None,
        "a new optional field",
    ),
    (
        "response-type-widened",
        Level::Breaking,
        RustImpact::DoesNotCompile,
        "an answer's example contradicts its schema: the generated type widens for it (Option, String, an enum variant; api/reconciliations.txt), or narrows back when the example is gone",
    ),
    (
        "schema-title-changed",
        Level::Breaking,
        RustImpact::DoesNotCompile,
        "an inline schema's title names its Rust type (typify): the type is renamed",
    ),
    (
        "error-code-removed",
        Level::Breaking,
        RustImpact::DoesNotCompile,
        "no example documents the code any more: its ErrorCode variant is gone",
    ),
    (
        "error-code-added",
        Level::Info,
        RustImpact::None,
        "a new ErrorCode variant (the enum is non_exhaustive)",
    ),
    (
        "wait-added",
        Level::Info,
        RustImpact::None,
        "a create gains a status operation to wait on (spec/waits/): new `<create>_and_wait` and `<create>_wait` methods",
    ),
    (
        "wait-removed",
        Level::Breaking,
        RustImpact::DoesNotCompile,
        "a create loses a status operation to wait on: its `_and_wait` and `_wait` methods are gone",
    ),
    (
        "wait-renamed",
        Level::Breaking,
        RustImpact::DoesNotCompile,
        "a create's number of status operations crosses one: its wait methods gain or lose the `_via_<status>` suffix",
    ),
    (
        "wait-changed",
        Level::Warning,
        RustImpact::BehaviourChanges,
        "a wait's ids, status field, pending, terminal or duplicate values changed: the same method polls or ends differently",
    ),
    (
        "rate-limit-changed",
        Level::Warning,
        RustImpact::BehaviourChanges,
        "an operation's rate-limit tier or rate changed (spec/rate-limits/): the client-side limiter spaces its requests differently",
    ),
    (
        "documentation-changed",
        Level::Info,
        RustImpact::None,
        "description, summary, title or example text; never breaking",
    ),
];

/// The entry of `rule` in [`RULES`].
pub(crate) fn rule(id: &'static str) -> (Level, RustImpact) {
    RULES
        .iter()
        .find(|(r, ..)| *r == id)
        .map(|(_, level, impact, _)| (*level, *impact))
        .unwrap_or((Level::Warning, RustImpact::BehaviourChanges))
}
