//! The code this crate compiled is exactly the reviewed copy in `api/`, which covers every product:
//! so these tests are compiled with feature `all-products` (as CI runs them), and a build with fewer
//! products is a selection from that copy (`codegen/src/products.rs`, tested there).
#![cfg(feature = "all-products")]

use std::path::Path;

#[test]
fn compiled_client_is_the_reviewed_copy() {
    let compiled = include_str!(concat!(env!("OUT_DIR"), "/codegen.rs"));
    let reviewed_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("api/client.rs");
    let reviewed = std::fs::read_to_string(&reviewed_path).unwrap_or_default();
    if compiled != reviewed {
        let diff = similar::TextDiff::from_lines(reviewed.as_str(), compiled)
            .unified_diff()
            .context_radius(2)
            .header(
                "api/client.rs (checked in)",
                "client compiled into this crate",
            )
            .to_string();
        panic!(
            "api/client.rs is stale:\n{diff}\nRefresh it with:\n    cargo run -p cashfree-verification-codegen -- refresh"
        );
    }
    assert!(compiled.contains("pub fn vrs_generate_auth_token("));
    assert!(compiled.contains("pub fn vrs_user_vault_oauth_initiation("));
}

#[test]
fn compiled_summary_is_the_reviewed_copy() {
    let compiled = include_str!(concat!(env!("OUT_DIR"), "/summary.txt"));
    let reviewed =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("api/summary.txt"))
            .unwrap_or_default();
    assert!(
        compiled == reviewed,
        "api/summary.txt is stale; run: cargo run -p cashfree-verification-codegen -- refresh"
    );
}

/// The generated docs of each operation name the `ClientBuilder` method that sets its credentials:
/// the codegen's pairs of schemes (`operation_docs::APP_SETTERS`) are the client's
/// [`APPS`](cashfree_verification::config::APPS), checked here through the compiled docs, and every
/// operation says its product's feature (`doc(cfg)` on docs.rs).
#[test]
fn every_operation_documents_its_credentials_and_feature() {
    let compiled = include_str!(concat!(env!("OUT_DIR"), "/codegen.rs"));
    let mut checked = 0;
    for op in cashfree_verification::spec::operations() {
        let signature = format!("\n    pub fn {}(", op.name);
        let at = compiled
            .find(&signature)
            .unwrap_or_else(|| panic!("no method {}", op.name));
        // The docs and attributes right above the method: back to the previous item's end.
        let before = &compiled[..at];
        let start = before.rfind("\n    }\n").unwrap_or(0);
        let docs = &before[start..];
        assert!(
            docs.contains("#[cfg_attr(docsrs, doc(cfg(feature = \""),
            "{}: no doc(cfg)\n{docs}",
            op.name
        );
        assert!(
            docs.contains("**Documented statuses**"),
            "{}\n{docs}",
            op.name
        );
        for app in cashfree_verification::config::APPS {
            let uses = op
                .security
                .iter()
                .any(|alt| alt.contains(&app.id_scheme) && alt.contains(&app.secret_scheme));
            let link = format!(
                "`{}` + `{}`, set with [`ClientBuilder::{}`](crate::ClientBuilder::{})",
                app.id_scheme, app.secret_scheme, app.setter, app.setter
            );
            assert_eq!(docs.contains(&link), uses, "{}: {link}\n{docs}", op.name);
            checked += usize::from(uses);
        }
    }
    assert!(checked >= 60, "{checked}");
}
