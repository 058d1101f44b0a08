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
