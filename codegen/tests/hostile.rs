//! Hostile spec files (issue "Hostile input", codegen items 7 to 11): spec text is untrusted input.
//! Each test is named for the item it guards.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use cashfree_codegen::doc_text::doc_attributes;
use cashfree_codegen::import::import;
use cashfree_codegen::spec_dir::SpecDir;

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
    import(&input, dir, false, false).map(|i| i.path)
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
    let page = |version: &str| {
        serde_json::json!({
            "openapi": "3.0.0", "info": {"title": "T", "version": version},
            "paths": {"/a": {"post": {"operationId": "a", "description": "new", "responses": {"200": {"description": "ok"}}}}}
        })
    };
    // The same info.version: no evidence of which is newer, so the import asks and changes nothing.
    let same = import_json(&dir, tmp.path(), "page.json", &page("1").to_string()).unwrap_err();
    assert!(
        same.contains(
            "cannot tell whether the page is newer or older (both state info.version \"1\")"
        ) && same.contains("--supersede"),
        "{same}"
    );
    assert!(
        !dir.specs.join("a.json").exists() && !dir.overlays.join("bundle.superseded.yaml").exists()
    );
    let page = page("2");
    let written = import_json(&dir, tmp.path(), "page.json", &page.to_string()).unwrap();
    assert_eq!(written, dir.specs.join("a.json"));
    let overlay = std::fs::read_to_string(dir.overlays.join("bundle.superseded.yaml")).unwrap();
    assert!(overlay.contains("extends: ../bundle.json"), "{overlay}");
    assert!(
        overlay.contains("target: \"$.paths['/a'].post\""),
        "{overlay}"
    );
    assert!(
        overlay.contains("Superseded: spec/a.json holds POST /a as a newer single-operation docs page (info.version \\\"2\\\" in a.json, \\\"1\\\" in bundle.json)"),
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

// Second round of hostile input (issue 20, rows 11 to 14): each test runs the built command on
// documents written to a temporary folder, bounded in time.

/// Runs the built `cashfree-codegen` with `args`, killed (and the test failed) after `seconds`:
/// (exit code, stdout, stderr).
fn run_bounded(args: &[&std::ffi::OsStr], seconds: u64) -> (Option<i32>, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cashfree-codegen"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Drained while it runs, so a large output cannot block it on a full pipe.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut s).unwrap();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut s).unwrap();
        s
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            let _ = child.wait();
            panic!("cashfree-codegen {args:?} ran longer than {seconds} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
    (
        status.code(),
        text(out.join().unwrap()),
        text(err.join().unwrap()),
    )
}

/// A document with operations `POST /x` and `POST /y`, both taking and answering schema `S0`, where
/// each `S<i>` has two properties that refer to `S<i+1>` (a diamond at every level), and
/// `S<levels>` holds one property `leaf` of type `leaf_type`.
fn diamond(levels: usize, leaf_type: &str) -> serde_json::Value {
    let mut schemas = serde_json::Map::new();
    for i in 0..levels {
        let next = serde_json::json!({"$ref": format!("#/components/schemas/S{}", i + 1)});
        schemas.insert(
            format!("S{i}"),
            serde_json::json!({"type": "object", "properties": {"a": next, "b": next}}),
        );
    }
    schemas.insert(
        format!("S{levels}"),
        serde_json::json!({"type": "object", "properties": {"leaf": {"type": leaf_type}}}),
    );
    let op = |id: &str| {
        serde_json::json!({"post": {"operationId": id, "security": [{"S": []}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}}}}})
    };
    serde_json::json!({
        "openapi": "3.0.0", "info": {"title": "T", "version": "1"},
        "paths": {"/x": op("X"), "/y": op("Y")},
        "components": {"schemas": schemas,
            "securitySchemes": {"S": {"type": "apiKey", "in": "header", "name": "x-client-id"}}}
    })
}

fn write_json(path: &Path, doc: &serde_json::Value) -> PathBuf {
    std::fs::write(path, serde_json::to_string_pretty(doc).unwrap()).unwrap();
    path.to_path_buf()
}

/// Row 11: an operationId that becomes `Client::call_json` (a method the crate generates itself)
/// is refused by `import` and by the build, naming it.
#[test]
fn hostile2_11_an_operation_cannot_take_a_name_the_crate_defines() {
    let (tmp, dir) = spec_dir();
    for id in ["call_json", "CallJson", "from_env"] {
        let input = tmp.path().join("op.json");
        std::fs::write(&input, op_spec("/c", id, "S", "d")).unwrap();
        let (code, stdout, stderr) = run_bounded(
            &[
                "--crate-dir".as_ref(),
                tmp.path().as_os_str(),
                "import".as_ref(),
                input.as_os_str(),
            ],
            30,
        );
        assert_eq!(code, Some(1), "{id}: {stdout}{stderr}");
        let name = cashfree_codegen::operations::method_name(id).unwrap();
        assert!(
            stderr.contains(&format!(
                "would become Client::{name}, a name the client already uses"
            )),
            "{id}: {stderr}"
        );
    }
    assert!(
        !dir.specs.join("call_json.json").exists() && !dir.specs.join("CallJson.json").exists()
    );
    std::fs::write(
        dir.specs.join("z.json"),
        op_spec("/z", "call_json", "S", "d"),
    )
    .unwrap();
    let problems = dir.generate().unwrap_err().to_string();
    assert!(
        problems.contains("operationId \"call_json\" (POST /z) would become Client::call_json"),
        "{problems}"
    );
}

/// The names `impl`s for `Client` define in `file` (any module depth).
fn client_methods(items: &[syn::Item], out: &mut std::collections::BTreeSet<String>) {
    for item in items {
        match item {
            syn::Item::Impl(block) => {
                let is_client = matches!(&*block.self_ty, syn::Type::Path(p)
                    if p.path.segments.last().is_some_and(|s| s.ident == "Client"));
                if is_client {
                    for member in &block.items {
                        if let syn::ImplItem::Fn(f) = member {
                            out.insert(f.sig.ident.to_string());
                        }
                    }
                }
            }
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    client_methods(inner, out);
                }
            }
            _ => {}
        }
    }
}

/// Row 11, the one list: every method the crate's `Client` has that is not an operation (in the
/// handwritten `src/`, and in the review copies of what the build generates) is in
/// `RESERVED_METHOD_NAMES`, the list `import` and the build check.
#[test]
fn hostile2_11_every_name_the_crate_defines_is_reserved() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files: Vec<PathBuf> = vec![root.join("api/client.rs"), root.join("api/meta.rs")];
    let mut dirs = vec![root.join("src")];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut defined = std::collections::BTreeSet::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let parsed = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        client_methods(&parsed.items, &mut defined);
    }
    let merged: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("api/openapi.json")).unwrap())
            .unwrap();
    let operations: std::collections::BTreeSet<String> =
        cashfree_codegen::operations::spec_operations(&merged)
            .unwrap()
            .into_iter()
            .map(|op| op.method_name)
            .collect();
    assert!(
        defined.contains("call_json") && defined.contains("from_env"),
        "{defined:?}"
    );
    let unreserved: Vec<&String> = defined
        .iter()
        .filter(|name| {
            !operations.contains(*name)
                && !cashfree_codegen::operations::RESERVED_METHOD_NAMES.contains(&name.as_str())
                && !cashfree_codegen::operations::is_wait_method_name(name)
        })
        .collect();
    assert!(
        unreserved.is_empty(),
        "Client methods an operationId could take: {unreserved:?}"
    );
}

/// Row 12: `diff` where either side has an `allOf` cycle names the cycle by pointer, as the build's
/// check does (exit 2), instead of overflowing its stack.
#[test]
fn hostile2_12_diff_names_an_all_of_cycle() {
    let tmp = tempfile::tempdir().unwrap();
    let plain = diamond(2, "string");
    let mut cyclic = plain.clone();
    cyclic["components"]["schemas"]["Same"] =
        serde_json::json!({"allOf": [{"$ref": "#/components/schemas/Same"}]});
    cyclic["components"]["schemas"]["S1"] =
        serde_json::json!({"allOf": [{"$ref": "#/components/schemas/Same"}, {"type": "object"}]});
    let plain = write_json(&tmp.path().join("plain.json"), &plain);
    let cyclic = write_json(&tmp.path().join("cyclic.json"), &cyclic);
    for (old, new) in [(&plain, &cyclic), (&cyclic, &plain)] {
        let (code, stdout, stderr) =
            run_bounded(&["diff".as_ref(), old.as_os_str(), new.as_os_str()], 20);
        assert_eq!(code, Some(2), "{stdout}{stderr}");
        assert!(
            stderr.contains("cyclic.json cannot be compared"),
            "{stderr}"
        );
        assert!(stderr.contains("schema #/components/schemas/Same can never be satisfied: it requires itself without end through the $ref at /components/schemas/Same/allOf/0/$ref"), "{stderr}");
    }
    // The comparison itself ends on such documents too (a library caller need not check first).
    let read = |p: &Path| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
    let report = cashfree_codegen::diff::compare(&read(&plain), &read(&cyclic));
    assert!(!report.findings.is_empty());
}

/// Row 13: a diamond of references 40 levels deep (2^40 paths, a few KB of JSON) is compared in
/// linear time by `diff` and by `refresh`, and a change at the bottom is reported once per side,
/// at the schema's pointer, with both operations that reach it.
#[test]
fn hostile2_13_diff_and_refresh_walk_a_reference_diamond_once() {
    let tmp = tempfile::tempdir().unwrap();
    let old = write_json(&tmp.path().join("old.json"), &diamond(40, "string"));
    let new = write_json(&tmp.path().join("new.json"), &diamond(40, "integer"));
    assert!(std::fs::metadata(&new).unwrap().len() < 20_000);
    let started = std::time::Instant::now();
    let (code, stdout, stderr) =
        run_bounded(&["diff".as_ref(), old.as_os_str(), new.as_os_str()], 20);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(
        stdout.starts_with("API changes: 2 breaking, 0 warning, 0 info"),
        "{stdout}"
    );
    for rule in [
        "request-property-type-changed",
        "response-property-type-changed",
    ] {
        let block = format!(
            "BREAKING {rule} [does not compile]\n  operations POST /x (X)\n             POST /y (Y)\n  at         /components/schemas/S40/properties/leaf/type\n  old        \"string\"\n  new        \"integer\"\n"
        );
        assert_eq!(stdout.matches(&block).count(), 1, "{rule}: {stdout}");
    }

    // refresh: the review copy is the old document, spec/ holds the new one.
    let crate_dir = tmp.path().join("crate");
    std::fs::create_dir_all(crate_dir.join("spec/overlays")).unwrap();
    std::fs::create_dir_all(crate_dir.join("api")).unwrap();
    std::fs::write(
        crate_dir.join("Cargo.toml"),
        "[package]\nname = \"x\"\n\n[features]\n# Products: generated from the specs' tags by `cashfree-codegen refresh`; do not edit by hand.\n# End of products.\n",
    )
    .unwrap();
    std::fs::copy(&new, crate_dir.join("spec/x.json")).unwrap();
    std::fs::copy(&old, crate_dir.join("api/openapi.json")).unwrap();
    let (code, stdout, stderr) = run_bounded(
        &[
            "--crate-dir".as_ref(),
            crate_dir.as_os_str(),
            "refresh".as_ref(),
        ],
        60,
    );
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        stdout.starts_with("API changes: 2 breaking, 0 warning, 0 info"),
        "{stdout}"
    );
    assert!(stdout.contains("refreshed api/"), "{stdout}");
}

/// Row 14: spec strings in `diff` output cannot forge a line or reach the terminal: a newline, ESC,
/// a C1 control (CSI) and a bidirectional override in an operationId come out escaped in text and
/// Markdown, and Markdown markup in it stays inside a code span.
#[test]
fn hostile2_14_diff_output_escapes_every_spec_string() {
    let tmp = tempfile::tempdir().unwrap();
    let old = diamond(1, "string");
    let mut new = old.clone();
    let forged = "X\nBREAKING nothing-to-see [none]\n\u{1b}[2J\u{9b}31m\u{202e}<img src=x>|`";
    new["paths"]["/x"]["post"]["operationId"] = serde_json::json!(forged);
    new["paths"]["/x"]["post"]["security"] = serde_json::json!([{"S\u{1b}[1m": []}]);
    let old = write_json(&tmp.path().join("old.json"), &old);
    let new = write_json(&tmp.path().join("new.json"), &new);
    let (code, text, stderr) =
        run_bounded(&["diff".as_ref(), old.as_os_str(), new.as_os_str()], 20);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, md, stderr) = run_bounded(
        &[
            "diff".as_ref(),
            "--format".as_ref(),
            "markdown".as_ref(),
            old.as_os_str(),
            new.as_os_str(),
        ],
        20,
    );
    assert_eq!(code, Some(0), "{stderr}");
    for out in [&text, &md] {
        for bad in ['\u{1b}', '\u{9b}', '\u{202e}'] {
            assert!(!out.contains(bad), "{bad:?} in {out:?}");
        }
        assert!(!out.contains("\nBREAKING nothing-to-see"), "{out}");
    }
    assert!(
        text.contains("  operation  POST /x (X\\u{a}BREAKING nothing-to-see [none]\\u{a}\\u{1b}[2J\\u{9b}31m\\u{202e}<img src=x>|`)"),
        "{text}"
    );
    // Every line of the text report is one the renderer wrote.
    for line in text.lines() {
        let known = ["API changes: ", "BREAKING ", "WARNING ", "INFO ", "  ", ""]
            .iter()
            .any(|p| line.starts_with(p))
            || line.ends_with("(info; --verbose lists them)");
        assert!(known, "forged line {line:?}");
    }
    // Markdown: each row is one line of cells; the operation is a code span.
    let rows: Vec<&str> = md.lines().filter(|l| l.starts_with('|')).collect();
    assert!(rows.len() > 2, "{md}");
    for row in &rows[2..] {
        assert!(row.ends_with(" |"), "{row}");
    }
    assert!(
        md.contains("`` POST /x (X\\u{a}BREAKING nothing-to-see [none]\\u{a}\\u{1b}[2J\\u{9b}31m\\u{202e}<img src=x>\\|`) ``"),
        "{md}"
    );
}

/// Renders `docs` (each on an item of its own) to HTML with rustdoc, the renderer docs.rs uses, and
/// returns the crate's pages joined.
fn rustdoc_html(dir: &Path, docs: &[String]) -> String {
    let mut lib = String::from("#![allow(missing_docs)]\n");
    for (i, doc) in docs.iter().enumerate() {
        lib.push_str(&format!("#[doc = {doc:?}]\npub mod item{i} {{}}\n"));
    }
    let lib_path = dir.join("render.rs");
    std::fs::write(&lib_path, lib).unwrap();
    let out_dir = dir.join("html");
    let rustdoc = std::env::var("RUSTDOC").unwrap_or_else(|_| "rustdoc".into());
    let out = Command::new(rustdoc)
        .args(["--edition", "2021", "--crate-name", "render", "-o"])
        .arg(&out_dir)
        .arg(&lib_path)
        .current_dir(dir)
        .output()
        .expect("rustdoc runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut html = String::new();
    let mut stack = vec![out_dir.join("render")];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                html.push_str(&std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    html
}

/// The `href` of every tag of `html` (text `<` is written `&lt;`, so a real tag starts with `<`).
fn link_targets(html: &str) -> Vec<&str> {
    html.split('<')
        .skip(1)
        .filter_map(|tag| tag.split('>').next())
        .filter_map(|tag| tag.split(" href=\"").nth(1)?.split('"').next())
        .collect()
}

/// Issue 19: the per-operation docs (product, credentials, statuses and error codes, docs page) put
/// spec strings into the generated docs; hostile ones (a tag, a scheme name, an error code, a
/// description and `externalDocs` URLs with fences, Markdown and HTML links, an image) become no
/// doctest, no link, no image and no HTML: rendered by rustdoc, no `href` leads anywhere the crate
/// did not write, and an https page on cashfree.com is the one outside link. The same description
/// rendered raw does link, which shows the probe can fail.
#[test]
fn hostile_19_operation_docs_keep_spec_strings_inert() {
    let (tmp, dir) = spec_dir();
    let marker = tmp.path().join("pwned19");
    let write = format!(
        "std::fs::write({:?}, \"x\").unwrap();",
        marker.display().to_string()
    );
    let link = |n: u8| format!("[x{n}](javascript:alert({n}))");
    let description = format!(
        "Looks harmless. {} <a href=\"javascript:alert(2)\">y</a> ![i](https://t.example/p.png) [`Client`] <https://t.example/auto>\n```\n{write}\n```",
        link(1)
    );
    let code = format!("c`{}`\n```\n{write}\n```", link(3));
    let tag = format!("P`{}`<a href=\"javascript:alert(5)\">", link(4));
    let scheme = format!("S`{}`", link(6));
    let doc = serde_json::json!({
        "openapi": "3.0.0", "info": {"title": "T", "version": "1"},
        "paths": {
            "/a": {"post": {
                "operationId": "a", "tags": [tag], "description": description,
                "security": [{scheme.clone(): []}],
                "externalDocs": {"url": "javascript:alert(7)"},
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Ok"}}}},
                    "400": {"description": "bad", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Err"},
                        "example": {"type": "validation_error", "code": code, "message": link(8)}
                    }}}
                }
            }},
            "/b": {"post": {
                "operationId": "b", "tags": ["Good"],
                "externalDocs": {"url": format!("https://www.cashfree.com/docs/b){}", link(9))},
                "responses": {"200": {"description": "ok"}}
            }},
            "/c": {"post": {
                "operationId": "c", "tags": ["Good"],
                "externalDocs": {"url": "https://www.cashfree.com/docs/api-reference/c"},
                "responses": {"200": {"description": "ok"}}
            }}
        },
        "components": {
            "schemas": {
                "Ok": {"type": "object", "properties": {"id": {"type": "string"}}},
                "Err": {"type": "object", "properties": {
                    "type": {"type": "string"}, "code": {"type": "string"}, "message": {"type": "string"}
                }}
            },
            "securitySchemes": {scheme: {"type": "apiKey", "in": "header", "name": "x-client-id"}}
        }
    });
    std::fs::write(dir.specs.join("a.json"), doc.to_string()).unwrap();
    let generated = dir.generate().unwrap_or_else(|p| panic!("{p}"));
    let mut docs = doc_attributes(generated.client.parse().unwrap());
    docs.extend(doc_attributes(generated.meta.parse().unwrap()));
    let all = docs.join("\n");
    assert!(
        all.contains("Looks harmless."),
        "the description is still shown"
    );
    assert!(all.contains("**Product**: P"), "{all}");
    assert!(all.contains("**Documented statuses**"), "{all}");

    let (ran, output) = rustdoc_tests(tmp.path(), &docs);
    assert!(!marker.exists(), "a doctest from spec text ran:\n{output}");
    assert_eq!(ran, 0, "{output}");

    let html = rustdoc_html(tmp.path(), &docs);
    let hrefs = link_targets(&html);
    for href in &hrefs {
        let ours = !href.contains("://")
            || href.starts_with("https://www.cashfree.com/docs/api-reference/c");
        assert!(ours, "a link from spec text: {href}");
        assert!(!href.contains("javascript:"), "{href}");
    }
    assert!(
        hrefs.contains(&"https://www.cashfree.com/docs/api-reference/c"),
        "the https page on cashfree.com is linked"
    );
    assert!(
        !html.contains("<img src=\"https://t.example"),
        "an image from spec text"
    );
    assert!(
        !html.contains("<a href=\"javascript"),
        "raw HTML from spec text"
    );

    // The probe can fail: the same description raw in a doc comment links and embeds.
    let raw = rustdoc_html(tmp.path(), &[description]);
    let raw_targets = link_targets(&raw);
    assert!(
        raw_targets.contains(&"javascript:alert(1)"),
        "{raw_targets:?}"
    );
    assert!(
        raw_targets.contains(&"javascript:alert(2)"),
        "{raw_targets:?}"
    );
    assert!(raw.contains("<img src=\"https://t.example/p.png"), "{raw}");
}
