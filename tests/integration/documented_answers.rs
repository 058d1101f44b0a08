//! Cashfree's documented answers are the wire: every example of every response in the merged spec
//! (success and error), sent verbatim by a real loopback server, decodes through the typed client,
//! and what the client decoded equals what the example says.
//!
//! The examples are read from the spec the crate was built from, so a spec update tests itself.
//! They call every product's operations: compiled with `all-products` (as CI runs the tests).
#![cfg(feature = "all-products")]

use cashfree_openapi::{named_media_examples, operations_of, resolve};
use cashfree_verification::{ErrorKind, spec};
use cashfree_verification_sandbox::Fault;
use serde_json::Value;

use crate::common::calls::{SpecOp, example_args, merged, sandbox_and_client};
use crate::common::scripted::bounded;

/// Every documented example of `op`'s responses: (status, example name, body).
fn documented_answers<'a>(doc: &'a Value, op: &'a Value) -> Vec<(u16, String, &'a Value)> {
    let mut out = Vec::new();
    for (status, response) in op
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let Ok(status) = status.parse::<u16>() else {
            continue;
        };
        let Some(media) = resolve(doc, response).pointer("/content/application~1json") else {
            continue;
        };
        for (name, body) in named_media_examples(doc, media) {
            out.push((status, name, body));
        }
    }
    out
}

/// Whether `decoded` (the typed value, serialized back) says what `example` says. The differences
/// allowed are those of the wire rules (README, "What Cashfree sends"): a number kept as its text,
/// a numeric string as its number, `""` as an empty list, a lone value as a list of one, `null` as
/// an absent optional value.
fn same_answer(decoded: &Value, example: &Value, at: &str) -> Result<(), String> {
    let differ = || format!("at {at}: decoded {decoded} but the example says {example}");
    match (example, decoded) {
        (Value::Null, Value::Null) => Ok(()),
        (Value::Object(e), Value::Object(d)) => {
            for (k, ev) in e {
                let here = format!("{at}/{k}");
                match d.get(k) {
                    Some(dv) => same_answer(dv, ev, &here)?,
                    None if ev.is_null() || ev == "" || ev == &Value::Array(vec![]) => {}
                    // A field the type does not name: kept in the raw JSON, checked apart.
                    None => {}
                }
            }
            for (k, dv) in d {
                if !e.contains_key(k) && !dv.is_null() {
                    return Err(format!(
                        "at {at}/{k}: decoded {dv} that the example does not have"
                    ));
                }
            }
            Ok(())
        }
        (Value::Array(e), Value::Array(d)) if e.len() == d.len() => e
            .iter()
            .zip(d)
            .enumerate()
            .try_for_each(|(i, (ev, dv))| same_answer(dv, ev, &format!("{at}/{i}"))),
        (Value::String(s), Value::Array(d)) if s.is_empty() && d.is_empty() => Ok(()),
        (e, Value::Array(d)) if d.len() == 1 && !e.is_array() => {
            same_answer(&d[0], e, &format!("{at}/0"))
        }
        (Value::Number(n), Value::String(s)) if n.to_string() == *s => Ok(()),
        (Value::Bool(b), Value::String(s)) if b.to_string() == *s => Ok(()),
        (Value::String(s), Value::Number(n)) if s.trim().parse::<f64>().ok() == n.as_f64() => {
            Ok(())
        }
        (Value::Number(e), Value::Number(d)) if e.as_f64() == d.as_f64() => Ok(()),
        (e, d) if e == d => Ok(()),
        _ => Err(differ()),
    }
}

#[tokio::test]
async fn every_documented_answer_decodes_verbatim_through_the_typed_client() {
    bounded(120, async {
        let (sandbox, client) = sandbox_and_client().await;
        let doc = merged();
        let (mut successes, mut errors) = (0, 0);
        let mut failures = Vec::new();
        for (path, method, op_doc) in operations_of(&doc) {
            let op = spec::operations()
                .iter()
                .find(|o| o.path == path && o.method.eq_ignore_ascii_case(method))
                .unwrap_or_else(|| panic!("{method} {path} is not in the client"));
            let spec_op = SpecOp {
                method: op.method.to_string(),
                path: path.clone(),
                operation_id: op.operation_id.to_string(),
                op: op_doc.clone(),
            };
            let mut args = example_args(&doc, &spec_op);
            if args.contains_key("authorization") {
                args.insert("authorization".into(), Value::from("end-user-token"));
            }
            for (status, name, body) in documented_answers(&doc, op_doc) {
                let what = format!("{method} {path} {status} {name:?}");
                sandbox.inject(
                    Fault::Respond {
                        status,
                        content_type: "application/json".into(),
                        headers: vec![("x-request-id".into(), "req-documented".into())],
                        body: serde_json::to_vec(body).unwrap(),
                    },
                    1,
                );
                let result = client.call_json(op.name, &args).await;
                if (200..300).contains(&status) {
                    successes += 1;
                    match result {
                        Ok(decoded) => {
                            if let Err(why) = same_answer(&decoded, body, "") {
                                failures.push(format!("{what}: {why}"));
                            }
                        }
                        Err(e) => failures.push(format!(
                            "{what}: {e} ({:?})",
                            std::error::Error::source(&e).map(|s| s.to_string())
                        )),
                    }
                } else {
                    errors += 1;
                    match result {
                        Ok(v) => failures.push(format!("{what}: decoded as a success: {v}")),
                        Err(e) if e.kind() == ErrorKind::Api => {
                            let code = body.get("code").and_then(Value::as_str);
                            if e.code().map(|c| c.as_str()) != code
                                || e.status().map(|s| s.as_u16()) != Some(status)
                                || e.api_message() != body.get("message").and_then(Value::as_str)
                            {
                                failures.push(format!("{what}: decoded as {e}"));
                            }
                        }
                        Err(e) => failures.push(format!("{what}: {e}")),
                    }
                }
            }
        }
        println!("{successes} documented success answers, {errors} documented error answers");
        assert!(
            failures.is_empty(),
            "{} of {} documented answers do not decode as documented:\n{}",
            failures.len(),
            successes + errors,
            failures.join("\n")
        );
    })
    .await;
}

/// Nothing billed is lost: a 2xx whose body no rule can read (a verification Cashfree performed)
/// ends as a `Decode` error that keeps the status, the request id and the whole body, far beyond the
/// `Display` snippet.
#[tokio::test]
async fn an_undecodable_success_keeps_its_status_request_id_and_whole_body() {
    bounded(30, async {
        let (sandbox, client) = sandbox_and_client().await;
        let filler = "x".repeat(20_000);
        let body = serde_json::json!({
            "reference_id": 17974435, "pan": "ABCPV1234D", "valid": "perhaps", "note": filler
        })
        .to_string();
        sandbox.inject(
            Fault::Respond {
                status: 200,
                content_type: "application/json".into(),
                headers: vec![("x-request-id".into(), "req-billed".into())],
                body: body.clone().into_bytes(),
            },
            1,
        );
        let args = serde_json::json!({"body": {"pan": "ABCPV1234D", "name": "John Doe"}});
        let err = client
            .call_json("vrs_pan_verification", args.as_object().unwrap())
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
        assert_eq!(err.request_id(), Some("req-billed"));
        assert_eq!(err.body(), Some(body.as_bytes()), "the whole body is kept");
        let shown = err.to_string();
        assert!(
            shown.contains("HTTP 200") && shown.contains("valid: invalid type"),
            "{shown}"
        );
        assert!(shown.len() < 1200, "Display stays one bounded line");
        // What was kept reads back with the same rules, into another type.
        let kept: Value = cashfree_verification::wire::decode(err.body().unwrap()).unwrap();
        assert_eq!(kept["reference_id"], 17974435);
    })
    .await;
}

/// A typed success keeps the raw JSON: the field Cashfree's Business PAN answer sends before any
/// schema names it (`registered_nam`) is read from the answer, as documented.
#[tokio::test]
async fn a_typed_success_keeps_the_fields_no_schema_names() {
    bounded(30, async {
        let doc = merged();
        let example = resolve(&doc, &doc["paths"]["/pan"]["post"]["responses"]["200"])
            .pointer("/content/application~1json/examples/Valid PAN Business/value")
            .expect("the spec documents the Business PAN answer")
            .clone();
        let (sandbox, client) = sandbox_and_client().await;
        let body = serde_json::to_vec(&example).unwrap();
        sandbox.inject(
            Fault::Respond {
                status: 200,
                content_type: "application/json".into(),
                headers: vec![],
                body: body.clone(),
            },
            1,
        );
        let pan = client
            .vrs_pan_verification()
            .body(
                cashfree_verification::types::PanRequestSchema::builder()
                    .pan("ABCPV1234D")
                    .name(Some("John Doe".to_string())),
            )
            .send()
            .await
            .unwrap();
        // Typed fields read through the answer, with the wire rules applied.
        assert_eq!(pan.pan.as_deref(), example["pan"].as_str());
        assert_eq!(
            pan.name_match_score.as_deref(),
            Some(example["name_match_score"].to_string().as_str())
        );
        // What no schema names is in the raw answer, byte for byte as sent.
        assert_eq!(
            pan.field("registered_nam"),
            Some(example["registered_nam"].clone())
        );
        assert_eq!(pan.raw_json().as_bytes(), body.as_slice());
        let (typed, raw) = pan.into_inner().into_parts();
        assert_eq!(typed.pan.as_deref(), example["pan"].as_str());
        assert_eq!(raw.as_ref(), body.as_slice());
    })
    .await;
}
