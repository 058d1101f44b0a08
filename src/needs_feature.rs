//! What the method of an operation returns when this build leaves its product out.

/// Returned by the method of an operation whose product (Cargo feature) this build does not enable.
/// It has no `body()` or `send()`, so such a call does not compile, and the method's deprecation
/// warning beside the error names the feature to add:
///
/// ```text
/// warning: use of deprecated method `Client::vrs_gstin_verification`: vrs_gstin_verification needs
///          the Cargo feature `gstin` of cashfree-verification, which this build leaves out; add it
///          to the dependency: features = ["gstin"]
/// error[E0599]: no method named `body` found for struct `NeedsCargoFeature` in the current scope
/// ```
///
/// The crate's [`operations`](crate::operations) index lists every product's methods and features.
#[derive(Debug)]
#[must_use = "this operation's product is not enabled in this build: add its Cargo feature"]
pub struct NeedsCargoFeature(
    /// Made only by the generated stand-in methods.
    pub(crate) (),
);

/// Run by `cargo test -p cashfree-verification --lib` (default features, which leave `gstin` out).
#[cfg(all(test, not(feature = "gstin")))]
mod tests {
    #[tokio::test]
    async fn call_json_names_the_feature_of_an_operation_left_out() {
        let client = crate::Client::builder()
            .base_url("http://127.0.0.1:9")
            .credentials("id", "secret")
            .build()
            .unwrap();
        for name in ["vrs_gstin_verification", "VrsGstinVerification"] {
            let err = client
                .call_json(name, &serde_json::Map::new())
                .await
                .unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Validation);
            assert!(
                err.to_string().contains(
                    "vrs_gstin_verification needs the Cargo feature `gstin` of \
                     cashfree-verification, which this build leaves out; add it to the \
                     dependency: features = [\"gstin\"]"
                ),
                "{err}"
            );
        }
        let err = client
            .call_json("no_such_operation", &serde_json::Map::new())
            .await
            .unwrap_err();
        assert!(err.to_string().contains("no operation"), "{err}");
    }
}
