//! Integration tests of the codegen pipeline: Cashfree's real specs (read in place from
//! `../shared/cashfree-corpus/`), the review copies in `api/`, and the command-line tool.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use cashfree_codegen::operations::spec_operations;
use cashfree_codegen::overlay::Overlay;
use cashfree_codegen::pipeline::generate_from;
use cashfree_codegen::review::{REFRESH_COMMAND, check};
use cashfree_codegen::source::spec_paths;
use cashfree_codegen::spec_dir::SpecDir;
use cashfree_codegen::summary::generated_operations;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The corpus directory, or `None` after saying plainly on the terminal that `test` skipped.
///
/// The message is written to stderr directly, not with `eprintln!`, so the test harness does not
/// swallow it. With `CASHFREE_REQUIRE_CORPUS` set (CI sets it) a missing corpus fails the test instead.
fn corpus(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("CASHFREE_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/cashfree-corpus"));
    if dir.join("openapi-VRS-full.json").is_file() {
        return Some(dir);
    }
    if std::env::var_os("CASHFREE_REQUIRE_CORPUS").is_some() {
        panic!(
            "CASHFREE_REQUIRE_CORPUS is set but the Cashfree corpus is missing at {}",
            dir.display()
        );
    }
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: the Cashfree corpus is not at {} (a fresh clone has no ../shared; CI provides it)",
        dir.display()
    );
    None
}

/// The two seed docs pages' specs in `spec/` (without Cashfree's full bundle beside them).
fn seed_specs() -> Vec<PathBuf> {
    let seeds: Vec<PathBuf> = spec_paths(&repo().join("spec"))
        .unwrap()
        .into_iter()
        .filter(|p| p.file_name().unwrap() != "openapi-VRS-full.json")
        .collect();
    assert_eq!(seeds.len(), 2, "{seeds:?}");
    seeds
}

/// The per-operation extracts, without the older edition of the seed's /oauth2/session.
fn corpus_extracts(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .filter(|p| {
            !p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("oauth2_session__")
        })
        .collect();
    v.sort();
    v
}

#[test]
fn seeds_and_corpus_extracts_are_refused_for_exactly_the_x_api_version_conflict() {
    let Some(dir) =
        corpus("seeds_and_corpus_extracts_are_refused_for_exactly_the_x_api_version_conflict")
    else {
        return;
    };
    let mut files = seed_specs();
    files.extend(corpus_extracts(&dir));
    assert_eq!(files.len(), 7);
    let problems = generate_from(&files, &[]).unwrap_err();
    assert!(!problems.0.is_empty());
    for p in &problems.0 {
        assert!(
            p.starts_with("component `components/parameters/global_x_api_version` differs structurally between "),
            "unexpected problem: {p}"
        );
        assert!(
            (p.contains("VrsUserVaultOauthInitiation.yaml and oauth2_")
                || p.contains("vrs-generate-auth-token.yaml and oauth2_")),
            "{p}"
        );
        assert!(
            p.contains("at /components/parameters/global_x_api_version/required: true in"),
            "{p}"
        );
        assert!(
            p.contains("extends: ../oauth2_")
                && p.contains("target: \"$.components.parameters.global_x_api_version\""),
            "{p}"
        );
    }
    // Both corpus extracts that use the parameter disagree with the seeds, and both are named.
    let text = problems.to_string();
    assert_eq!(problems.0.len(), 2, "{text}");
    assert!(text.contains("oauth2_generate-token__VrsUserVaultAccessTokenGeneration.yaml"));
    assert!(text.contains("oauth2_user-details__VrsUserVaultFetchDetailsFromAccessToken.yaml"));
}

#[test]
fn seeds_and_corpus_extracts_generate_all_operations_with_an_explicit_resolution() {
    let Some(dir) =
        corpus("seeds_and_corpus_extracts_generate_all_operations_with_an_explicit_resolution")
    else {
        return;
    };
    let mut files = seed_specs();
    files.extend(corpus_extracts(&dir));
    let tmp = tempfile::tempdir().unwrap();
    let mut overlays = Vec::new();
    for name in [
        "oauth2_generate-token__VrsUserVaultAccessTokenGeneration.yaml",
        "oauth2_user-details__VrsUserVaultFetchDetailsFromAccessToken.yaml",
    ] {
        let text = format!(
            "overlay: 1.0.0\ninfo: {{title: resolve, version: 1.0.0}}\nextends: {}\nactions:\n- target: $.components.parameters.global_x_api_version\n  description: the seeds (newer) make x-api-version required with default 2024-12-01\n  update:\n    required: true\n    schema: {{default: '2024-12-01'}}\n",
            dir.join(name).display()
        );
        let path = tmp.path().join(format!("{name}.overlay.yaml"));
        std::fs::write(&path, &text).unwrap();
        overlays.push(Overlay::load(&path).unwrap());
    }
    let generated = generate_from(&files, &overlays).unwrap_or_else(|p| panic!("{p}"));
    let file = syn::parse_file(&generated.client).unwrap();
    let spec_ops = spec_operations(&generated.merged).unwrap();
    let mut names: Vec<String> = generated_operations(&file, &spec_ops)
        .unwrap()
        .into_iter()
        .map(|o| o.method_name)
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "vrs_bav_sync",
            "vrs_generate_auth_token",
            "vrs_gstin_verification",
            "vrs_pan_verification",
            "vrs_user_vault_access_token_generation",
            "vrs_user_vault_fetch_details_from_access_token",
            "vrs_user_vault_oauth_initiation",
        ]
    );
    assert_eq!(
        generated.merged["components"]["parameters"]["global_x_api_version"]["required"],
        true
    );
    // The other shared components differ only in their documentation: warnings, not errors.
    assert!(!generated.documentation_only.is_empty());
    for w in &generated.warnings {
        assert!(w.starts_with("info."), "{w}");
    }
    assert!(
        generated
            .documentation_only
            .iter()
            .any(|d| d.component == "components/schemas/ErrorResponseSchema"),
        "{:?}",
        generated.documentation_only
    );
    assert!(
        generated.summary.contains("POST /pan\n"),
        "{}",
        generated.summary
    );
}

#[test]
fn the_older_oauth2_session_is_refused_as_a_duplicate_operation() {
    let Some(dir) = corpus("the_older_oauth2_session_is_refused_as_a_duplicate_operation") else {
        return;
    };
    let mut files = seed_specs();
    files.push(dir.join("oauth2_session__VrsUserVaultOauthInitiation.yaml"));
    let problems = generate_from(&files, &[]).unwrap_err().to_string();
    assert!(
        problems.contains("POST /oauth2/session is defined twice: in VrsUserVaultOauthInitiation.yaml and in oauth2_session__VrsUserVaultOauthInitiation.yaml"),
        "{problems}"
    );
}

#[test]
fn the_full_vrs_spec_fails_with_a_readable_message_not_a_panic() {
    let Some(dir) = corpus("the_full_vrs_spec_fails_with_a_readable_message_not_a_panic") else {
        return;
    };
    let problems = generate_from(&[dir.join("openapi-VRS-full.json")], &[])
        .unwrap_err()
        .to_string();
    for op in [
        "POST /otpless",
        "GET /verification/otpless/status",
        "GET /verification/sdk/otpless/status",
    ] {
        assert!(
            problems.contains(&format!(
                "{op} has no operationId; give it one with an overlay"
            )),
            "{problems}"
        );
    }
}

/// What the build of this repository's spec/ says: nothing (every documentation-only difference is
/// acknowledged in spec/documentation-only.txt, every operation has a feature, api/ matches spec/).
#[test]
fn the_build_of_spec_says_nothing_when_all_is_acknowledged() {
    let dir = SpecDir::new(repo().join("spec"));
    let generated = dir.generate().unwrap_or_else(|p| panic!("{p}"));
    let acknowledged = cashfree_codegen::acknowledged::load(&dir.specs);
    let lines = cashfree_codegen::build_script::warning_lines(
        &generated.warnings,
        &generated.documentation_only,
        &acknowledged,
    );
    assert!(lines.is_empty(), "{lines:#?}");
    let manifest = std::fs::read_to_string(repo().join("Cargo.toml")).unwrap();
    let declared = cashfree_codegen::products::declared_features(&manifest);
    let unfeatured =
        cashfree_codegen::products::unfeatured(&generated.merged, &declared, REFRESH_COMMAND);
    assert!(unfeatured.is_empty(), "{unfeatured:#?}");
    let hash = cashfree_codegen::fingerprint::inputs_hash(&dir).unwrap();
    let stale =
        cashfree_codegen::fingerprint::stale_warning(&repo().join("api"), &hash, REFRESH_COMMAND);
    assert_eq!(stale, None);
}

/// Importing a docs page that repeats an operation of the full spec changes nothing in api/ but the
/// recorded hash, whatever the page's file is called (merge order follows content).
#[test]
fn importing_a_page_that_changes_nothing_changes_nothing_in_api() {
    let Some(corpus) = corpus("importing_a_page_that_changes_nothing_changes_nothing_in_api")
    else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("spec"), &tmp.path().join("spec"));
    let dir = SpecDir::new(tmp.path().join("spec"));
    let before = dir.generate().unwrap_or_else(|p| panic!("{p}"));
    let page = corpus.join("pan__VrsPanVerification.yaml");
    // Both documents state the same info.version: the import cannot tell which is newer, so it asks.
    let refused = cashfree_codegen::import::import(&page, &dir, false, false).unwrap_err();
    assert!(
        refused.contains("cannot tell whether the page is newer or older")
            && refused.contains("--supersede"),
        "{refused}"
    );
    assert_eq!(
        dir.generate().unwrap().inputs_hash,
        before.inputs_hash,
        "spec/ untouched"
    );
    cashfree_codegen::import::import(&page, &dir, false, true).unwrap();
    let overlay =
        std::fs::read_to_string(dir.overlays.join("openapi-VRS-full.superseded.yaml")).unwrap();
    assert!(
        overlay.contains("because the import was told so (--supersede)")
            && !overlay.contains("VrsPanVerification.yaml holds POST /pan as a newer"),
        "{overlay}"
    );
    let after = dir.generate().unwrap_or_else(|p| panic!("{p}"));
    assert_eq!(after.merged_json(), before.merged_json());
    assert_eq!(after.client, before.client);
    assert_eq!(after.meta, before.meta);
    assert_eq!(after.summary, before.summary);
    assert_ne!(after.inputs_hash, before.inputs_hash);
}

#[test]
fn review_copies_in_api_are_fresh() {
    let generated = SpecDir::new(repo().join("spec"))
        .generate()
        .unwrap_or_else(|p| panic!("{p}"));
    if let Err(report) = check(&repo().join("api"), &generated) {
        panic!("{report}");
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let dest = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).unwrap();
        }
    }
}

#[test]
fn a_spec_edit_makes_the_stale_check_fail_with_a_diff_and_the_refresh_command() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("spec"), &tmp.path().join("spec"));
    // The full spec's documentation is the one kept (it merges first), so the edit is made there.
    let spec = tmp.path().join("spec/openapi-VRS-full.json");
    let text = std::fs::read_to_string(&spec).unwrap();
    let edited = text.replace(
        "A unique identifier for the session associated with the request.",
        "The session to start the SDK with.",
    );
    assert_ne!(text, edited);
    std::fs::write(&spec, edited).unwrap();

    let generated = SpecDir::new(tmp.path().join("spec")).generate().unwrap();
    let report = check(&repo().join("api"), &generated).unwrap_err();
    assert!(
        report.contains("--- api/client.rs (checked in)"),
        "{report}"
    );
    assert!(
        report.contains(
            "-        ///A unique identifier for the session associated with the request."
        ),
        "{report}"
    );
    assert!(
        report.contains("+        ///The session to start the SDK with."),
        "{report}"
    );
    assert!(report.contains("api/openapi.json"), "{report}");
    assert!(report.contains(REFRESH_COMMAND), "{report}");
}

fn cli(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cashfree-codegen"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    v.sort();
    v
}

#[test]
fn every_problem_is_reported_in_one_run_without_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = tmp.path().join("spec");
    std::fs::create_dir_all(spec.join("overlays")).unwrap();
    let op = |path: &str, id: &str, schema: &str| {
        format!(
            "openapi: 3.0.0\ninfo: {{title: T, version: '1'}}\npaths:\n  {path}:\n    post:\n      operationId: {id}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/E'}}\ncomponents:\n  schemas:\n    E: {schema}\n"
        )
    };
    std::fs::write(
        spec.join("a.yaml"),
        op("/a", "A", "{type: object, required: [code]}"),
    )
    .unwrap();
    std::fs::write(spec.join("b.yaml"), op("/b", "B", "{type: object}")).unwrap();
    std::fs::write(
        spec.join("c.yaml"),
        op("/a", "C", "{type: object, required: [code]}"),
    )
    .unwrap();
    std::fs::write(
        spec.join("overlays/fix.yaml"),
        "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n- target: $.x\n  update: {}\n",
    )
    .unwrap();

    let (code, stdout, stderr) = cli(&["--crate-dir", tmp.path().to_str().unwrap(), "merged"]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("3 problems"), "{stderr}");
    assert!(
        stderr.contains("fix.yaml, action 1: `description` is required"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "component `components/schemas/E` differs structurally between a.yaml and b.yaml"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("POST /a is defined twice: in a.yaml and in c.yaml"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn check_command_fails_on_stale_copies_and_refresh_fixes_them() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("spec"), &tmp.path().join("spec"));
    let dir = tmp.path().to_str().unwrap();
    let (code, _, stderr) = cli(&["--crate-dir", dir, "check"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("+++ api/summary.txt (generated from spec/)")
            && stderr.contains(REFRESH_COMMAND),
        "{stderr}"
    );
    let (code, stdout, _) = cli(&["--crate-dir", dir, "refresh"]);
    assert_eq!(
        (code, stdout.trim()),
        (
            0,
            "refreshed api/client.rs, api/webhooks.rs, api/reconciliations.txt, api/meta.rs, api/summary.txt, api/openapi.json, api/spec-inputs.txt"
        )
    );
    let (code, stdout, _) = cli(&["--crate-dir", dir, "check"]);
    assert_eq!((code, stdout.trim()), (0, "api/ is up to date"));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("api/summary.txt")).unwrap(),
        std::fs::read_to_string(repo().join("api/summary.txt")).unwrap()
    );
}

#[test]
fn import_rejects_bad_input_and_leaves_spec_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("spec"), &tmp.path().join("spec"));
    let spec_dir = tmp.path().join("spec");
    let before = snapshot(&spec_dir);
    let dir = tmp.path().to_str().unwrap();
    let input = tmp.path().join("inputs");
    std::fs::create_dir_all(&input).unwrap();
    let cases = [
        (
            "none.md",
            "# A page\n\nno yaml here\n```json\n{}\n```\n",
            "no ```yaml fence found",
        ),
        (
            "two.md",
            "```yaml\nopenapi: 3.0.0\n```\n\n```yaml\nopenapi: 3.0.0\n```\n",
            "2 ```yaml fences found (lines 1, 5)",
        ),
        (
            "v31.yaml",
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
            "only OpenAPI 3.0.x is supported",
        ),
        ("swagger.json", "{\"swagger\": \"2.0\"}", "Swagger 2.0"),
        (
            "broken.md",
            "````yaml\nopenapi: [3.0.0\n````\n",
            "invalid YAML",
        ),
        (
            "noop.yaml",
            "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
            "defines no operation",
        ),
    ];
    for (name, content, expected) in cases {
        let path = input.join(name);
        std::fs::write(&path, content).unwrap();
        let (code, _, stderr) = cli(&["--crate-dir", dir, "import", path.to_str().unwrap()]);
        assert_eq!(code, 1, "{name}: {stderr}");
        assert!(
            stderr.contains(expected),
            "{name}: expected {expected:?} in {stderr}"
        );
        assert_eq!(snapshot(&spec_dir), before, "{name} changed spec/");
    }
}

#[test]
fn import_of_a_conflicting_spec_is_refused_unless_allowed() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("spec"), &tmp.path().join("spec"));
    let spec_dir = tmp.path().join("spec");
    let before = snapshot(&spec_dir);
    let dir = tmp.path().to_str().unwrap();
    // A new operation whose ErrorResponseSchema disagrees structurally with the seeds'.
    let new = tmp.path().join("new.yaml");
    std::fs::write(
        &new,
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      operationId: NewOp\n      responses:\n        '200': {description: ok}\ncomponents:\n  schemas:\n    ErrorResponseSchema: {type: string}\n",
    )
    .unwrap();
    let (code, _, stderr) = cli(&["--crate-dir", dir, "import", new.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("the build would fail with it, so spec/ was not changed"),
        "{stderr}"
    );
    assert!(
        stderr.contains("components/schemas/ErrorResponseSchema"),
        "{stderr}"
    );
    assert_eq!(snapshot(&spec_dir), before);

    let (code, stdout, _) = cli(&[
        "--crate-dir",
        dir,
        "import",
        "--allow-conflicts",
        new.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("GET /x ->") && stdout.contains("NewOp.yaml (added)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("the build will fail until these are resolved"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read(spec_dir.join("NewOp.yaml")).unwrap(),
        std::fs::read(&new).unwrap()
    );
}

#[test]
fn importing_the_seed_pages_reproduces_spec_byte_for_byte() {
    let seeds = repo().join("../shared/seeds");
    if !seeds.is_dir() {
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED importing_the_seed_pages_reproduces_spec_byte_for_byte: no {}",
            seeds.display()
        );
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("spec")).unwrap();
    let dir = tmp.path().to_str().unwrap();
    let pages = [
        seeds.join("000_c263f2dd7fe74ec1.txt"),
        seeds.join("001_1f08049f838c64e9.txt"),
    ];
    let (code, stdout, stderr) = cli(&[
        "--crate-dir",
        dir,
        "import",
        pages[0].to_str().unwrap(),
        pages[1].to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("POST /oauth/token -> ") && stdout.contains("(added)"),
        "{stdout}"
    );
    assert_eq!(snapshot(&tmp.path().join("spec")).len(), 2);
    for name in [
        "vrs-generate-auth-token.yaml",
        "VrsUserVaultOauthInitiation.yaml",
    ] {
        assert_eq!(
            std::fs::read(tmp.path().join("spec").join(name)).unwrap(),
            std::fs::read(repo().join("spec").join(name)).unwrap(),
            "{name}"
        );
    }
    // Importing again changes nothing.
    let (_, stdout, _) = cli(&["--crate-dir", dir, "import", pages[0].to_str().unwrap()]);
    assert!(stdout.contains("(unchanged)"), "{stdout}");
}
