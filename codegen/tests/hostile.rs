//! Hostile spec files (issue "Hostile input", codegen items 7 to 11): spec text is untrusted input.
//! Each test is named for the item it guards.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use cashfree_codegen::doc_text::doc_attributes;
use cashfree_codegen::import::import;
use cashfree_codegen::pipeline::SpecDir;

/// A spec directory in a fresh temporary folder.
fn spec_dir() -> (tempfile::TempDir, SpecDir) {
    let tmp = tempfile::tempdir().unwrap();
    let specs = tmp.path().join("spec");
    std::fs::create_dir_all(specs.join("overlays")).unwrap();
    (tmp, SpecDir::new(specs))
}

/// A one-operation spec: `POST path` named `id`, secured by `scheme`, with `description`.
fn op_spec(path: &str, id: &str, scheme: &str, description: &str) -> String {
    let description = serde_json::to_string(description).unwrap();
    format!(
        r##"{{"openapi": "3.0.0", "info": {{"title": "T", "version": "1"}},
  "paths": {{"{path}": {{"post": {{"operationId": {id}, "description": {description},
    "security": [{{"{scheme}": []}}],
    "responses": {{"200": {{"description": "ok", "content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/Ok"}}}}}}}}}}}}}}}},
  "components": {{"schemas": {{"Ok": {{"type": "object", "properties": {{"id": {{"type": "string"}}}}}}}},
    "securitySchemes": {{"{scheme}": {{"type": "apiKey", "in": "header", "name": "x-client-id"}}}}}}}}"##,
        id = serde_json::to_string(id).unwrap(),
    )
}

/// Runs `rustdoc --test` on a crate made of nothing but `docs`, each on an item of its own, and
/// returns (doctests compiled and run, passed or failed, rustdoc's output); `ignore` blocks do not count.
fn rustdoc_tests(dir: &Path, docs: &[String]) -> (usize, String) {
    let mut lib = String::from("#![allow(missing_docs)]\n");
    for (i, doc) in docs.iter().enumerate() {
        lib.push_str(&format!("#[doc = {doc:?}]\npub mod item{i} {{}}\n"));
    }
    let lib_path = dir.join("probe.rs");
    std::fs::write(&lib_path, lib).unwrap();
    let rustdoc = std::env::var("RUSTDOC").unwrap_or_else(|_| "rustdoc".into());
    let out = Command::new(rustdoc)
        .args(["--test", "--edition", "2021", "--crate-name", "probe"])
        .arg(&lib_path)
        .current_dir(dir)
        .output()
        .expect("rustdoc runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let result = text
        .lines()
        .find(|l| l.starts_with("test result: "))
        .unwrap_or_else(|| panic!("no 'test result' line in {text}"));
    let count = |what: &str| -> usize {
        result
            .split([';', '.'])
            .find_map(|part| part.trim().strip_suffix(what)?.trim().parse().ok())
            .unwrap_or_else(|| panic!("no '{what}' in {result}"))
    };
    (count(" passed") + count(" failed"), text)
}

/// Item 7: a description whose fenced (or indented, or listed) block would write a file becomes no
/// doctest of the generated client. The same text placed raw in a doc comment does run, which shows
/// the probe can fail.
#[test]
fn hostile_7_spec_text_never_becomes_a_doctest() {
    let (tmp, dir) = spec_dir();
    let marker = tmp.path().join("pwned");
    let write = format!(
        "std::fs::write({:?}, \"x\").unwrap();",
        marker.display().to_string()
    );
    let description = format!(
        "Looks harmless.\n```\n{write}\n```\n\n    {write}\n\n- ~~~rust\n  {write}\n  ~~~\n> ```\n> {write}\n> ```"
    );
    std::fs::write(
        dir.specs.join("a.json"),
        op_spec("/a", "a", "XClientID", &description),
    )
    .unwrap();
    let generated = dir.generate().unwrap_or_else(|p| panic!("{p}"));
    let file: proc_macro2::TokenStream = generated.client.parse().unwrap();
    let docs = doc_attributes(file);
    assert!(
        docs.iter().any(|d| d.contains("Looks harmless.")),
        "the description is still shown"
    );

    let (ran, output) = rustdoc_tests(tmp.path(), &docs);
    assert!(!marker.exists(), "a doctest from spec text ran:\n{output}");
    assert_eq!(ran, 0, "{output}");

    let (ran, output) = rustdoc_tests(tmp.path(), &[description]);
    assert!(
        ran >= 1 && marker.exists(),
        "the probe must be able to fail:\n{output}"
    );
}

/// Item 7, second road: a path is not documentation and may not carry text into the docs either.
#[test]
fn hostile_7_a_path_cannot_carry_a_code_block() {
    let (_tmp, dir) = spec_dir();
    let path = "/a\\n```\\nstd::process::exit(3)\\n```";
    std::fs::write(
        dir.specs.join("a.json"),
        op_spec(path, "a", "XClientID", "d"),
    )
    .unwrap();
    let problems = dir.generate().unwrap_err().to_string();
    assert!(
        problems.contains("contains '\\n'; a path template holds visible ASCII"),
        "{problems}"
    );
}

/// Item 8: an operation whose description plants another operation's "Sends a `POST` request to" line
/// keeps its own method, path and security.
#[test]
fn hostile_8_operation_metadata_comes_from_the_document() {
    let (_tmp, dir) = spec_dir();
    let planted = "Sends a `POST` request to `/oauth/token`\n\nReally.";
    std::fs::write(
        dir.specs.join("a.json"),
        op_spec("/oauth2/session", "session", "UVXClientID", planted),
    )
    .unwrap();
    std::fs::write(
        dir.specs.join("b.json"),
        op_spec("/oauth/token", "token", "XClientID", "d"),
    )
    .unwrap();
    let generated = dir.generate().unwrap_or_else(|p| panic!("{p}"));
    let meta: String = generated.meta.split_whitespace().collect();
    assert!(
        meta.contains(r#"name:"session",operation_id:"session",method:"POST",path:"/oauth2/session",security:&[&["UVXClientID"]]"#),
        "{}",
        generated.meta
    );
    assert!(
        meta.contains(r#"name:"token",operation_id:"token",method:"POST",path:"/oauth/token",security:&[&["XClientID"]]"#),
        "{}",
        generated.meta
    );
    assert!(
        generated.summary.contains(
            "POST /oauth2/session\n  operationId  session\n  call         client.session()"
        ),
        "{}",
        generated.summary
    );
}

fn import_json(dir: &SpecDir, tmp: &Path, file: &str, text: &str) -> Result<PathBuf, String> {
    let input = tmp.join(file);
    std::fs::write(&input, text).unwrap();
    import(&input, dir, false).map(|i| i.path)
}

/// Item 9: operationIds that clean up to one file name, to no name, or to a name the client already
/// has are refused at import (naming the id and why) and at build, and nothing is lost.
#[test]
fn hostile_9_import_and_build_refuse_ids_that_lose_or_break_specs() {
    let (tmp, dir) = spec_dir();
    let first = import_json(&dir, tmp.path(), "1.json", &op_spec("/a", "a::b", "S", "d")).unwrap();
    let err =
        import_json(&dir, tmp.path(), "2.json", &op_spec("/b", "a\"b", "S", "d")).unwrap_err();
    assert!(err.contains("operationId \"a\\\"b\" (POST /b) would be stored as a-b.json, which already holds operationId \"a::b\" (POST /a)"), "{err}");
    assert!(
        std::fs::read_to_string(&first).unwrap().contains("a::b"),
        "the first import is kept"
    );
    for (id, why) in [
        ("..", "leaves no letter or digit for a file name"),
        ("!!!", "leaves no letter or digit for a file name"),
        (
            "new",
            "would become Client::new, a name the client already uses",
        ),
        (
            "inner",
            "would become Client::inner, a name the client already uses",
        ),
    ] {
        let err =
            import_json(&dir, tmp.path(), "3.json", &op_spec("/c", id, "S", "d")).unwrap_err();
        assert!(
            err.contains(&format!("{id:?}")) && err.contains(why),
            "{id}: {err}"
        );
    }
    let names: Vec<_> = std::fs::read_dir(&dir.specs)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "only a-b.json and overlays/: {names:?}");

    // At build: the same ids, put in spec/ by hand.
    std::fs::write(dir.specs.join("z.json"), op_spec("/z", "inner", "S", "d")).unwrap();
    let problems = dir.generate().unwrap_err().to_string();
    assert!(
        problems.contains("operationId \"inner\" (POST /z) would become Client::inner"),
        "{problems}"
    );
    std::fs::remove_file(dir.specs.join("z.json")).unwrap();
    std::fs::write(dir.specs.join(".yaml"), op_spec("/z", "z", "S", "d")).unwrap();
    let problems = dir.generate().unwrap_err().to_string();
    assert!(
        problems.contains(".yaml is a hidden file, which the build would ignore"),
        "{problems}"
    );
}

/// Item 10: reference cycles that no finite value satisfies fail the build with their pointers.
#[test]
fn hostile_10_unsatisfiable_reference_cycles_fail_the_build() {
    let (_tmp, dir) = spec_dir();
    let spec = op_spec("/a", "a", "S", "d").replace(
        r#""Ok": {"type": "object", "properties": {"id": {"type": "string"}}}"#,
        r##""Ok": {"type": "object", "required": ["me"], "properties": {"me": {"$ref": "#/components/schemas/Ok"}}},
            "Same": {"allOf": [{"$ref": "#/components/schemas/Same"}]}"##,
    );
    std::fs::write(dir.specs.join("a.json"), spec).unwrap();
    let problems = dir.generate().unwrap_err().to_string();
    assert!(problems.contains("schema #/components/schemas/Ok can never be satisfied: it requires itself without end through the $ref at /components/schemas/Ok/properties/me/$ref"), "{problems}");
    assert!(problems.contains("schema #/components/schemas/Same can never be satisfied: it requires itself without end through the $ref at /components/schemas/Same/allOf/0/$ref"), "{problems}");
}

/// Item 11: `cashfree-codegen merged | head -1` ends quietly when the reader goes away.
#[test]
fn hostile_11_a_closed_stdout_ends_the_command_quietly() {
    // Output far larger than a pipe's buffer, so the writer meets the closed pipe.
    let (tmp, dir) = spec_dir();
    let long = "x".repeat(4 * 1024 * 1024);
    std::fs::write(dir.specs.join("a.json"), op_spec("/a", "a", "S", &long)).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cashfree-codegen"))
        .arg("--crate-dir")
        .arg(tmp.path())
        .arg("merged")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 1];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(first[0], b'{');
    assert!(out.status.success(), "{:?}: {stderr}", out.status);
    assert!(stderr.is_empty(), "{stderr}");
}

/// Whole-API issue: importing a single-operation page for an operation a multi-operation spec also
/// holds is one command, and records which copy wins as an overlay action.
#[test]
fn importing_a_page_over_a_bundle_records_which_copy_wins() {
    let (tmp, dir) = spec_dir();
    let bundle = serde_json::json!({
        "openapi": "3.0.0", "info": {"title": "T", "version": "1"},
        "paths": {
            "/a": {"post": {"operationId": "a", "description": "old", "responses": {"200": {"description": "ok"}}}},
            "/b": {"post": {"operationId": "b", "responses": {"200": {"description": "ok"}}}}
        }
    });
    std::fs::write(dir.specs.join("bundle.json"), bundle.to_string()).unwrap();
    let page = serde_json::json!({
        "openapi": "3.0.0", "info": {"title": "T", "version": "1"},
        "paths": {"/a": {"post": {"operationId": "a", "description": "new", "responses": {"200": {"description": "ok"}}}}}
    });
    let written = import_json(&dir, tmp.path(), "page.json", &page.to_string()).unwrap();
    assert_eq!(written, dir.specs.join("a.json"));
    let overlay = std::fs::read_to_string(dir.overlays.join("bundle.superseded.yaml")).unwrap();
    assert!(overlay.contains("extends: ../bundle.json"), "{overlay}");
    assert!(
        overlay.contains("target: \"$.paths['/a'].post\""),
        "{overlay}"
    );
    assert!(
        overlay.contains("Superseded: spec/a.json holds POST /a"),
        "{overlay}"
    );
    let generated = dir.generate().unwrap_or_else(|p| panic!("{p}"));
    assert_eq!(
        generated.merged["paths"]["/a"]["post"]["description"],
        "new"
    );
    assert!(
        generated.merged["paths"]["/b"]["post"].is_object(),
        "the rest of the bundle stays"
    );
    // Again: nothing changes, and the action is not written twice.
    import_json(&dir, tmp.path(), "page.json", &page.to_string()).unwrap();
    let again = std::fs::read_to_string(dir.overlays.join("bundle.superseded.yaml")).unwrap();
    assert_eq!(again, overlay);
}
