//! The breaking-change report: one small pair of documents per rule, the real pair from Cashfree
//! (the older `/oauth2/session` against the seed's), and the command's formats and exit status.

use std::path::{Path, PathBuf};
use std::process::Command;

use cashfree_codegen::diff::{Level, RULES, RustImpact, compare, markdown};
use serde_json::{Value, json};

/// One operation, `POST /pan`, with a parameter, a body and a success response to mutate.
fn base() -> Value {
    json!({
        "openapi": "3.0.0",
        "info": {"title": "T", "version": "1"},
        "paths": {"/pan": {"post": {
            "operationId": "VrsPan",
            "summary": "Verify PAN",
            "security": [{"XClientID": [], "XClientSecret": []}],
            "parameters": [
                {"name": "x-api-version", "in": "header", "required": false,
                 "schema": {"type": "string", "default": "2024-12-01"}},
                {"name": "mode", "in": "query", "required": true, "schema": {"type": "string", "enum": ["A", "B"], "maxLength": 10}}
            ],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Req"}}}},
            "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Resp"}}}},
                "400": {"description": "bad", "content": {"application/json": {"example": {"code": "pan_invalid"}}}}
            }
        }}},
        "components": {"schemas": {
            "Req": {"type": "object", "required": ["pan"], "properties": {
                "pan": {"type": "string", "maxLength": 10, "description": "The PAN."},
                "name": {"type": "string"},
                "kind": {"type": "string", "enum": ["P", "C"]}
            }},
            "Resp": {"type": "object", "required": ["status"], "properties": {
                "status": {"type": "string", "enum": ["VALID", "INVALID"]},
                "name": {"type": "string"}
            }}
        }}
    })
}

fn op(doc: &mut Value) -> &mut Value {
    doc.pointer_mut("/paths/~1pan/post").unwrap()
}

fn req(doc: &mut Value) -> &mut Value {
    doc.pointer_mut("/components/schemas/Req").unwrap()
}

fn resp(doc: &mut Value) -> &mut Value {
    doc.pointer_mut("/components/schemas/Resp").unwrap()
}

/// A wait of `POST /pan` on `status`, ending at `terminal`.
fn wait(status: &str, terminal: &str) -> Value {
    json!({"status": status, "ids": [{"parameter": "id", "request": "pan"}], "field": "/status",
           "pending": ["PENDING"], "terminal": [terminal], "source": "s", "reason": "r"})
}

/// A change applied to a copy of `base()`.
type Change = Box<dyn Fn(&mut Value)>;

/// (rule, change: old is base, new is changed).
fn cases() -> Vec<(&'static str, Change)> {
    vec![
        (
            "wait-added",
            Box::new(|d| op(d)["x-cashfree-wait"] = json!([wait("VrsPanStatus", "VALID")])),
        ),
        (
            "wait-removed",
            Box::new(|d| {
                op(d).as_object_mut().unwrap().remove("x-cashfree-wait");
            }),
        ),
        (
            "wait-renamed",
            Box::new(|d| {
                op(d)["x-cashfree-wait"] =
                    json!([wait("VrsPanStatus", "VALID"), wait("VrsPanOther", "VALID")]);
            }),
        ),
        (
            "wait-changed",
            Box::new(|d| op(d)["x-cashfree-wait"] = json!([wait("VrsPanStatus", "GONE")])),
        ),
        (
            "rate-limit-changed",
            Box::new(|d| {
                op(d)["x-cashfree-rate-limit"] =
                    json!({"tier": "restricted", "per_minute": 5, "reason": "bulk"});
            }),
        ),
        (
            "api-operation-added",
            Box::new(|d| {
                d["paths"]["/upi"] = json!({"post": {"operationId": "VrsUpi", "responses": {}}});
            }),
        ),
        (
            "api-operation-removed",
            Box::new(|d| {
                d["paths"].as_object_mut().unwrap().remove("/pan");
            }),
        ),
        (
            "api-operation-id-renamed",
            Box::new(|d| {
                op(d)["operationId"] = json!("VrsPanV2");
            }),
        ),
        (
            "api-security-changed",
            Box::new(|d| {
                op(d)["security"] = json!([{"UVXClientID": [], "UVXClientSecret": []}]);
            }),
        ),
        (
            "request-parameter-added-required",
            Box::new(|d| {
                op(d)["parameters"].as_array_mut().unwrap().push(json!({"name": "ref", "in": "query", "required": true, "schema": {"type": "string"}}));
            }),
        ),
        (
            "request-parameter-added-optional",
            Box::new(|d| {
                op(d)["parameters"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"name": "ref", "in": "query", "schema": {"type": "string"}}));
            }),
        ),
        (
            "request-parameter-removed",
            Box::new(|d| {
                op(d)["parameters"].as_array_mut().unwrap().remove(1);
            }),
        ),
        (
            "request-parameter-became-required",
            Box::new(|d| {
                op(d)["parameters"][0]["required"] = json!(true);
            }),
        ),
        (
            "request-parameter-became-optional",
            Box::new(|d| {
                op(d)["parameters"][1]["required"] = json!(false);
            }),
        ),
        (
            "request-parameter-type-changed",
            Box::new(|d| {
                op(d)["parameters"][1]["schema"]["type"] = json!("integer");
            }),
        ),
        (
            "request-parameter-enum-value-removed",
            Box::new(|d| {
                op(d)["parameters"][1]["schema"]["enum"] = json!(["A"]);
            }),
        ),
        (
            "request-parameter-max-length-decreased",
            Box::new(|d| {
                op(d)["parameters"][1]["schema"]["maxLength"] = json!(5);
            }),
        ),
        (
            "request-parameter-pattern-added",
            Box::new(|d| {
                op(d)["parameters"][1]["schema"]["pattern"] = json!("^[AB]$");
            }),
        ),
        (
            "request-parameter-pattern-changed",
            Box::new(|d| {
                op(d)["parameters"][1]["schema"]["pattern"] = json!("^A$");
            }),
        ),
        (
            "request-parameter-default-changed",
            Box::new(|d| {
                op(d)["parameters"][0]["schema"]["default"] = json!("2025-01-01");
            }),
        ),
        ("request-body-added-required", Box::new(|_| {})),
        (
            "request-body-removed",
            Box::new(|d| {
                op(d).as_object_mut().unwrap().remove("requestBody");
            }),
        ),
        (
            "request-body-media-type-removed",
            Box::new(|d| {
                let body = &mut op(d)["requestBody"]["content"];
                let media = body["application/json"].take();
                *body = json!({"multipart/form-data": media});
            }),
        ),
        (
            "request-property-added-required",
            Box::new(|d| {
                req(d)["properties"]["dob"] = json!({"type": "string"});
                req(d)["required"] = json!(["pan", "dob"]);
            }),
        ),
        (
            "request-property-added-optional",
            Box::new(|d| {
                req(d)["properties"]["dob"] = json!({"type": "string"});
            }),
        ),
        (
            "request-property-removed",
            Box::new(|d| {
                req(d)["properties"].as_object_mut().unwrap().remove("name");
            }),
        ),
        (
            "request-property-became-required",
            Box::new(|d| {
                req(d)["required"] = json!(["pan", "name"]);
                req(d)["properties"]["name"]["default"] = json!("x");
            }),
        ),
        (
            "request-property-type-changed",
            Box::new(|d| {
                req(d)["properties"]["name"]["type"] = json!("integer");
            }),
        ),
        (
            "request-property-enum-value-removed",
            Box::new(|d| {
                req(d)["properties"]["kind"]["enum"] = json!(["P"]);
            }),
        ),
        (
            "request-property-max-length-decreased",
            Box::new(|d| {
                req(d)["properties"]["pan"]["maxLength"] = json!(9);
            }),
        ),
        (
            "request-property-pattern-added",
            Box::new(|d| {
                req(d)["properties"]["pan"]["pattern"] = json!("^[A-Z]{5}");
            }),
        ),
        (
            "request-property-pattern-changed",
            Box::new(|d| {
                req(d)["properties"]["pan"]["pattern"] = json!("^[A-Z]{4}");
            }),
        ),
        (
            "response-success-status-removed",
            Box::new(|d| {
                let responses = op(d)["responses"].as_object_mut().unwrap();
                let ok = responses.remove("200").unwrap();
                responses.insert("201".into(), ok);
            }),
        ),
        (
            "response-success-status-added",
            Box::new(|d| {
                op(d)["responses"]["202"] = json!({"description": "later"});
            }),
        ),
        (
            "response-property-removed",
            Box::new(|d| {
                resp(d)["properties"]
                    .as_object_mut()
                    .unwrap()
                    .remove("name");
            }),
        ),
        (
            "response-property-type-changed",
            Box::new(|d| {
                resp(d)["properties"]["name"]["type"] = json!("array");
            }),
        ),
        (
            "response-property-became-optional",
            Box::new(|d| {
                resp(d)["required"] = json!([]);
            }),
        ),
        (
            "response-property-became-required",
            Box::new(|d| {
                resp(d)["required"] = json!(["status", "name"]);
            }),
        ),
        (
            "response-property-enum-value-added",
            Box::new(|d| {
                resp(d)["properties"]["status"]["enum"] = json!(["VALID", "INVALID", "PENDING"]);
            }),
        ),
        (
            "response-property-added",
            Box::new(|d| {
                resp(d)["properties"]["score"] = json!({"type": "number"});
            }),
        ),
        (
            "request-body-added-optional",
            Box::new(|d| {
                op(d)["requestBody"]["required"] = json!(false);
            }),
        ),
        (
            "request-property-became-optional",
            Box::new(|d| {
                req(d)["required"] = json!([]);
            }),
        ),
        (
            "schema-title-changed",
            Box::new(|d| {
                resp(d)["properties"]["status"]["title"] = json!("PanStatus");
            }),
        ),
        (
            "error-code-removed",
            Box::new(|d| {
                op(d)["responses"]["400"]["content"]["application/json"]["example"] =
                    json!({"message": "bad"});
            }),
        ),
        (
            "error-code-added",
            Box::new(|d| {
                op(d)["responses"]["422"] = json!({"description": "locked", "content": {"application/json": {"example": {"code": "pan_locked"}}}});
            }),
        ),
        (
            "response-type-widened",
            Box::new(|d| {
                op(d)["responses"]["200"]["content"]["application/json"]["example"] =
                    json!({"status": null, "name": "John"});
            }),
        ),
        (
            "documentation-changed",
            Box::new(|d| {
                op(d)["summary"] = json!("Verify a PAN");
                req(d)["properties"]["pan"]["description"] = json!("The PAN, ten characters.");
                op(d)["responses"]["400"]["content"]["application/json"]["example"] =
                    json!({"code": "pan_invalid", "message": "new text"});
            }),
        ),
    ]
}

#[test]
fn every_rule_has_a_pair_that_reports_it_and_only_then() {
    let cases = cases();
    for (rule, ..) in RULES {
        assert!(
            cases.iter().any(|(r, _)| r == rule),
            "no test pair for rule {rule}"
        );
    }
    for (rule, change) in &cases {
        let old = base();
        let mut new = base();
        // `request-parameter-pattern-changed` needs a pattern to change from.
        let old = if ["wait-removed", "wait-renamed", "wait-changed"].contains(rule) {
            // The old operation had one wait (its source and reason alone changing is no finding).
            let mut o = old;
            let mut documented = wait("VrsPanStatus", "VALID");
            documented["reason"] = json!("said otherwise");
            op(&mut o)["x-cashfree-wait"] = json!([documented]);
            op(&mut new)["x-cashfree-wait"] = json!([wait("VrsPanStatus", "VALID")]);
            assert!(
                compare(&o, &new).findings.is_empty(),
                "{rule}: a reason is documentation"
            );
            o
        } else if *rule == "rate-limit-changed" {
            let mut o = old;
            op(&mut o)["x-cashfree-rate-limit"] =
                json!({"tier": "standard", "per_minute": 100, "reason": "default"});
            o
        } else if *rule == "request-parameter-pattern-changed" {
            let mut o = old;
            op(&mut o)["parameters"][1]["schema"]["pattern"] = json!("^[AB]$");
            op(&mut new)["parameters"][1]["schema"]["pattern"] = json!("^[AB]$");
            o
        } else if ["request-body-added-required", "request-body-added-optional"].contains(rule) {
            // The old operation had no body.
            let mut o = old;
            op(&mut o).as_object_mut().unwrap().remove("requestBody");
            o
        } else if *rule == "request-property-pattern-changed" {
            let mut o = old;
            req(&mut o)["properties"]["pan"]["pattern"] = json!("^[A-Z]{5}");
            o
        } else {
            old
        };
        change(&mut new);
        let report = compare(&old, &new);
        let found: Vec<&str> = report.findings.iter().map(|f| f.rule).collect();
        assert!(found.contains(rule), "{rule}: found {found:?}");
        let finding = report.findings.iter().find(|f| f.rule == *rule).unwrap();
        let (_, level, impact, _) = RULES.iter().find(|(r, ..)| r == rule).unwrap();
        assert_eq!((finding.level, finding.impact), (*level, *impact), "{rule}");
        let on = match *rule {
            "api-operation-added" => "POST /upi (VrsUpi)",
            _ => "POST /pan (VrsPan",
        };
        assert!(
            finding.operations.len() == 1 && finding.operations[0].starts_with(on),
            "{rule}: {finding:?}"
        );
        // Under the operation, or under the component schema the change is in (a widened type is
        // a schema, wherever it is: here a component).
        let under_component = finding.pointer.starts_with("/components/schemas/");
        match *rule {
            "response-type-widened" => assert!(
                finding.pointer.starts_with("/components/schemas/Resp"),
                "{rule}: {finding:?}"
            ),
            _ => assert!(
                finding.pointer.starts_with("/paths/") || under_component,
                "{rule}: {finding:?}"
            ),
        }
    }
    assert!(
        compare(&base(), &base()).findings.is_empty(),
        "a document equals itself"
    );
}

#[test]
fn documentation_alone_is_never_breaking_and_making_a_property_required_always_is() {
    let mut new = base();
    (cases()
        .into_iter()
        .find(|(r, _)| *r == "documentation-changed")
        .unwrap()
        .1)(&mut new);
    let report = compare(&base(), &new);
    assert_eq!(report.worst(), Some(Level::Info));
    assert_eq!(report.semver_bump(), "patch");
    assert!(report.findings.iter().all(|f| f.impact == RustImpact::None));
    // Required with a default is still breaking (oasdiff's definition).
    let mut new = base();
    req(&mut new)["required"] = json!(["pan", "name"]);
    req(&mut new)["properties"]["name"]["default"] = json!("John");
    assert_eq!(compare(&base(), &new).worst(), Some(Level::Breaking));
}

#[test]
fn markdown_is_a_table_without_breaking_cells() {
    let mut new = base();
    op(&mut new)["operationId"] = json!("a|b");
    let md = markdown(&compare(&base(), &new));
    assert!(
        md.starts_with(
            "### API changes\n\n1 breaking, 0 warning, 0 info; semver bump: minor (0.x: breaking)"
        ),
        "{md}"
    );
    assert!(
        md.contains(
            "| breaking | `api-operation-id-renamed` | does not compile | `POST /pan (a\\|b)` |"
        ),
        "{md}"
    );
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn corpus() -> Option<PathBuf> {
    let dir = repo().join("../shared/cashfree-corpus");
    if dir.join("openapi-VRS-full.json").is_file() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CASHFREE_REQUIRE_CORPUS").is_none(),
        "CASHFREE_REQUIRE_CORPUS is set but the Cashfree corpus is missing at {}",
        dir.display()
    );
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED the real-pair diff test: no Cashfree corpus at {}",
        dir.display()
    );
    None
}

/// The real pair: the corpus's older `/oauth2/session` against the seed's.
#[test]
fn the_older_oauth2_session_against_the_seed_reports_the_version_header_as_breaking() {
    let Some(dir) = corpus() else { return };
    let old = dir.join("oauth2_session__VrsUserVaultOauthInitiation.yaml");
    let new = repo().join("spec/VrsUserVaultOauthInitiation.yaml");
    let out = Command::new(env!("CARGO_BIN_EXE_cashfree-codegen"))
        .args(["diff", "--fail-on", "breaking", "--verbose"])
        .arg(&old)
        .arg(&new)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.starts_with("API changes: 1 breaking, 1 warning,"),
        "{text}"
    );
    assert!(text.contains("BREAKING request-parameter-became-required [compiles, fails at run time]\n  operation  POST /oauth2/session (VrsUserVaultOauthInitiation)\n  at         /paths/~1oauth2~1session/post/parameters/x-api-version/required"), "{text}");
    assert!(
        text.contains("WARNING request-parameter-default-changed [behaviour changes]"),
        "{text}"
    );
    assert!(text.contains("INFO documentation-changed [none]\n  operation  POST /oauth2/session (VrsUserVaultOauthInitiation)\n  at         /paths/~1oauth2~1session/post/responses/409/content/application~1json/examples"), "{text}");
    assert!(
        text.contains("at         /paths/~1oauth2~1session/post/description"),
        "{text}"
    );
    // Without --fail-on the exit status is 0 whatever is found.
    let out = Command::new(env!("CARGO_BIN_EXE_cashfree-codegen"))
        .args(["diff", "--format", "markdown"])
        .arg(&old)
        .arg(&new)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("| breaking | `request-parameter-became-required` |")
    );
}

#[test]
fn without_files_diff_compares_the_review_copy_with_spec_now() {
    let out = Command::new(env!("CARGO_BIN_EXE_cashfree-codegen"))
        .args(["diff", "--fail-on", "info"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        (out.status.code(), text.trim()),
        (
            Some(0),
            "API changes: 0 breaking, 0 warning, 0 info; semver bump: none"
        )
    );
}
