//! The spec this client was built from, read-only: its operations (what each needs: security,
//! `x-api-version` pin, multipart body), its security schemes and the merged OpenAPI document. The
//! sandbox crate and tools read the API from here rather than indexing it again.
//!
//! ```
//! use cashfree_verification::spec;
//! let token = spec::operations().iter().find(|o| o.path == "/oauth/token").unwrap();
//! assert_eq!((token.method, token.operation_id), ("POST", "vrs-generate-auth-token"));
//! assert_eq!(spec::scheme("XClientSecret").unwrap().header, "x-client-secret");
//! assert!(spec::openapi_json().starts_with('{'));
//! ```

/// One operation of the generated client (of the products this build enabled).
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Operation {
    /// The generated method's name, also progenitor's `OperationInfo::operation_id`.
    pub name: &'static str,
    /// The `operationId` in Cashfree's spec.
    pub operation_id: &'static str,
    /// HTTP method, upper case.
    pub method: &'static str,
    /// Path template.
    pub path: &'static str,
    /// Alternatives of security requirements; each lists the schemes that must all be sent.
    pub security: &'static [&'static [&'static str]],
    /// The `x-api-version` the spec pins for this operation (its parameter's default).
    pub api_version: Option<&'static str>,
    /// The request body is `multipart/form-data` (generated as JSON; sent as multipart).
    pub multipart: bool,
    /// The header parameters the spec declares, lower case, sorted: the only headers a call can set
    /// through its builder (so the steps look for a caller's value only there).
    pub header_params: &'static [&'static str],
    /// The success statuses the spec documents.
    pub success: &'static [u16],
    /// Cashfree's documented rate-limit tier and its transactions per minute
    /// (`spec/rate-limits/`), which the client-side `rate_limit::RateLimiter` (feature `rate-limit`) keeps to.
    pub rate_limit: Option<crate::rate_limit::TierRate>,
}

/// A security scheme: a credential sent in a header (an API key, or a bearer token).
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct SecurityScheme {
    /// The scheme's name in the spec, e.g. `UVXClientID`.
    pub name: &'static str,
    /// The header that carries it, lower case.
    pub header: &'static str,
    /// Text before the credential in the header value (`"Bearer "` for HTTP bearer schemes).
    pub prefix: &'static str,
    /// `false` for schemes the layer cannot send (e.g. an API key in a query string).
    pub supported: bool,
}

/// Every operation of this build (the enabled products').
pub fn operations() -> &'static [Operation] {
    &crate::generated::meta::ALL_OPERATIONS[..crate::generated::meta::BUILT]
}

/// Every operation of the merged document, whatever this build enabled: [`operations`] first, then
/// those the build's features leave out (their methods are not generated). One table, generated
/// once, for the client, the sandbox (which serves every product) and tools.
///
/// ```
/// use cashfree_verification::spec;
///
/// let all = spec::every_operation();
/// assert!(all.len() >= spec::operations().len());
/// assert!(all.iter().any(|op| op.path == "/pan" && op.method == "POST"));
/// ```
pub fn every_operation() -> &'static [Operation] {
    crate::generated::meta::ALL_OPERATIONS
}

/// Every security scheme the specs declare, with the header that carries it.
pub fn security_schemes() -> &'static [SecurityScheme] {
    crate::generated::meta::SECURITY_SCHEMES
}

/// The merged OpenAPI document (overlays applied; every product, whatever this build enabled), as
/// JSON text: the review copy `api/openapi.json`.
pub fn openapi_json() -> &'static str {
    include_str!(concat!(env!("OUT_DIR"), "/openapi.json"))
}

/// The operation whose generated method is `name`.
pub fn find(name: &str) -> Option<&'static Operation> {
    find_indexed(name).map(|(_, op)| op)
}

/// The operation whose generated method is `name`, with its index in [`operations`].
pub(crate) fn find_indexed(name: &str) -> Option<(usize, &'static Operation)> {
    let index = crate::generated::meta::operation_index(name)?;
    operations().get(index).map(|op| (index, op))
}

/// The scheme called `name`.
pub fn scheme(name: &str) -> Option<&'static SecurityScheme> {
    crate::generated::meta::SECURITY_SCHEMES
        .iter()
        .find(|s| s.name == name)
}

/// Names of every scheme the specs declare, for messages.
pub fn scheme_names() -> Vec<&'static str> {
    crate::generated::meta::SECURITY_SCHEMES
        .iter()
        .map(|s| s.name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_build_emits_security_per_operation() {
        let token = find("vrs_generate_auth_token").unwrap();
        assert_eq!((token.method, token.path), ("POST", "/oauth/token"));
        assert_eq!(token.security, &[&["XClientID", "XClientSecret"][..]]);
        assert_eq!(token.api_version, Some("2024-12-01"));
        let session = find("vrs_user_vault_oauth_initiation").unwrap();
        assert_eq!(session.operation_id, "VrsUserVaultOauthInitiation");
        assert_eq!(session.security, &[&["UVXClientID", "UVXClientSecret"][..]]);
        assert_eq!(scheme("UVXClientSecret").unwrap().header, "x-client-secret");
        assert!(find("nope").is_none());
    }

    #[test]
    fn every_operation_is_found_at_its_index() {
        for (i, op) in operations().iter().enumerate() {
            let (index, found) = find_indexed(op.name).unwrap();
            assert_eq!((index, found.path, found.method), (i, op.path, op.method));
        }
        assert!(find_indexed("").is_none() && find_indexed("VrsPanVerification").is_none());
    }

    /// The one table holds every operation of the merged document once, this build's first; the
    /// ones left out are not found by their method (no method of theirs is generated).
    #[test]
    fn every_operation_of_the_document_is_in_the_table_once() {
        let doc: serde_json::Value = serde_json::from_str(openapi_json()).unwrap();
        let all = every_operation();
        let mut in_document = 0;
        for (path, method, _) in cashfree_openapi::operations_of(&doc) {
            let entries: Vec<_> = all
                .iter()
                .filter(|op| op.path == path && op.method.eq_ignore_ascii_case(method))
                .collect();
            assert_eq!(entries.len(), 1, "{method} {path}");
            in_document += 1;
        }
        assert_eq!(all.len(), in_document);
        assert!(in_document >= 60, "{in_document}");
        let names = |ops: &[Operation]| ops.iter().map(|op| op.name).collect::<Vec<_>>();
        assert_eq!(
            names(&all[..operations().len()]),
            names(operations()),
            "this build's first"
        );
        for op in &all[operations().len()..] {
            assert!(find(op.name).is_none(), "{} is not generated", op.name);
        }
    }
}
