//! Webhooks: every documented sample verifies and decodes; each refusal has its own kind; any
//! single-byte change of body or timestamp is refused.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cashfree_verification::webhook::{
    Event, EventTime, RefusalKind, SignatureForm, Verifier, sign, sign_legacy,
};
use http::HeaderMap;
use proptest::prelude::*;
use secrecy::SecretString;
use serde_json::Value;

const SECRET: &str = "test-client-secret";
const TIMESTAMP: &str = "1746427759733";

fn secret() -> SecretString {
    SecretString::from(SECRET)
}

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(TIMESTAMP.parse().unwrap())
}

fn signed(body: &[u8], timestamp: &str, key: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("x-webhook-timestamp", timestamp.parse().unwrap());
    let signature = sign(&SecretString::from(key), timestamp, body);
    headers.insert("x-webhook-signature", signature.parse().unwrap());
    headers.insert("x-webhook-attempt", "2".parse().unwrap());
    headers
}

/// Every `x-webhooks` event of the merged spec: (event_type, its verbatim sample, or the spec's
/// `x-no-sample` reason for having none).
#[cfg_attr(not(feature = "all-products"), allow(dead_code))]
pub(crate) fn events() -> Vec<(String, Result<Value, String>)> {
    let doc: Value = serde_json::from_str(cashfree_verification::spec::openapi_json()).unwrap();
    let mut events = Vec::new();
    for (name, item) in doc["x-webhooks"].as_object().into_iter().flatten() {
        let media = &item["post"]["requestBody"]["content"]["application/json"];
        let sample = match media.get("example") {
            Some(example) => Ok(example.clone()),
            None => Err(item["post"]["x-no-sample"]
                .as_str()
                .unwrap_or_default()
                .to_string()),
        };
        events.push((name.clone(), sample));
    }
    events
}

/// Every `x-webhooks` event of the merged spec with its documented sample: (event_type, sample).
#[cfg_attr(not(feature = "all-products"), allow(dead_code))]
pub(crate) fn documented_samples() -> Vec<(String, Value)> {
    events()
        .into_iter()
        .filter_map(|(name, sample)| Some((name, sample.ok()?)))
        .collect()
}

#[cfg(feature = "all-products")]
#[test]
fn every_event_has_its_verbatim_sample_or_says_why_and_the_count_is_reported() {
    let events = events();
    let sampled = events.iter().filter(|(_, s)| s.is_ok()).count();
    // Reported (cargo test -- --nocapture shows it; api/reconciliations.txt says it too).
    println!(
        "webhook events with a verbatim sample: {sampled} of {}",
        events.len()
    );
    for (name, sample) in &events {
        if let Err(reason) = sample {
            println!("  {name}: no sample: {reason}");
            assert!(reason.len() > 10, "{name}: a reason, not {reason:?}");
        }
    }
    assert_eq!(
        events.len(),
        cashfree_verification::webhook::EVENT_TYPES.len(),
        "every event of the spec is typed with all-products"
    );
    assert!(sampled >= 8, "{sampled} samples: one was lost");
    let review = include_str!("../../api/reconciliations.txt");
    assert!(
        review.contains(&format!("{sampled} of the {} events", events.len())),
        "api/reconciliations.txt reports another count: refresh it"
    );
}

/// Whether `decoded` (a typed value serialized back) holds what `sample` says, by the wire rules: a
/// number or boolean the type reads as text is its text, text the type reads as a number is that
/// number, `null` is absent; every key of the sample must have been read.
fn same_values(sample: &Value, decoded: &Value, at: &str, out: &mut Vec<String>) {
    match (sample, decoded) {
        (Value::Null, Value::Null) => {}
        (Value::Object(s), Value::Object(d)) => {
            for (k, v) in s {
                let here = format!("{at}/{k}");
                match d.get(k) {
                    Some(dv) => same_values(v, dv, &here, out),
                    None if v.is_null() => {}
                    None => out.push(format!("{here}: {v} was not read")),
                }
            }
        }
        (Value::Array(s), Value::Array(d)) if s.len() == d.len() => {
            for (i, (sv, dv)) in s.iter().zip(d).enumerate() {
                same_values(sv, dv, &format!("{at}/{i}"), out);
            }
        }
        (Value::Number(_) | Value::Bool(_), Value::String(d))
            if serde_json::from_str::<Value>(d).ok().as_ref() == Some(sample) => {}
        (Value::String(s), Value::Number(d)) if s.parse::<f64>().ok() == d.as_f64() => {}
        (s, d) if s == d => {}
        (s, d) => out.push(format!("{at}: the sample has {s}, the type read {d}")),
    }
}

#[cfg(feature = "all-products")]
#[test]
fn every_verbatim_sample_decodes_into_its_typed_variant_with_the_samples_values() {
    let verifier = Verifier::new([secret()]);
    let mut wrong = Vec::new();
    for (name, sample) in documented_samples() {
        let body = serde_json::to_vec(&sample).unwrap();
        let n = verifier
            .verify(&signed(&body, TIMESTAMP, SECRET), &body, now())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            !matches!(n.event(), Event::Other(_)),
            "{name}: decoded as an unknown event"
        );
        assert_eq!(n.event().documented_type(), Some(name.as_str()));
        same_values(&sample["data"], &n.event().data_json(), &name, &mut wrong);
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn the_value_comparison_can_fail() {
    let mut out = Vec::new();
    same_values(
        &serde_json::json!({"micr": 400532038, "a": [1], "b": "x", "gone": 1, "n": null}),
        &serde_json::json!({"micr": "400532038", "a": [1], "b": "y"}),
        "",
        &mut out,
    );
    assert_eq!(out.len(), 2, "{out:?}");
    assert!(out[0].contains("/b") && out[1].contains("/gone"), "{out:?}");
}

#[cfg(feature = "all-products")]
#[test]
fn every_documented_sample_verifies_and_decodes_as_its_event_in_both_forms() {
    let samples = documented_samples();
    assert!(samples.len() >= 8, "{} samples", samples.len());
    let verifier = Verifier::new([secret()]);
    for (name, sample) in samples {
        let body = serde_json::to_vec(&sample).unwrap();
        let current = verifier
            .verify(&signed(&body, TIMESTAMP, SECRET), &body, now())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            current.event().documented_type(),
            Some(name.as_str()),
            "{name}"
        );
        assert_eq!(current.signature_form(), SignatureForm::Current);
        assert_eq!(current.attempt(), Some(2));
        assert!(
            !matches!(
                current.event_time(),
                EventTime::Unparsed(_) | EventTime::Absent
            ),
            "{name}"
        );

        let mut older = sample.clone();
        older["signature"] = Value::String(sign_legacy(&secret(), &sample["data"]));
        let body = serde_json::to_vec(&older).unwrap();
        let verified = verifier.verify(&HeaderMap::new(), &body, now()).unwrap();
        assert_eq!(verified.signature_form(), SignatureForm::Older, "{name}");
        assert_eq!(verified.event().documented_type(), Some(name.as_str()));
    }
}

#[cfg(feature = "all-products")]
#[test]
fn the_typed_data_reads_what_the_sample_says() {
    let (_, sample) = documented_samples()
        .into_iter()
        .find(|(name, _)| name == "BANK_ACCOUNT_VERIFICATION_SUCCESS")
        .unwrap();
    let body = serde_json::to_vec(&sample).unwrap();
    let n = Verifier::new([secret()])
        .verify(&signed(&body, TIMESTAMP, SECRET), &body, now())
        .unwrap();
    let Event::BankAccountVerificationSuccess(data) = n.event() else {
        panic!("{:?}", n.event())
    };
    assert_eq!(data.name_at_bank.as_deref(), Some("John Doe"));
    assert_eq!(
        data.micr.as_deref(),
        Some("400532038"),
        "a number where the schema says string"
    );
    assert_eq!(data.reference_id, Some(1294785793));
    assert_eq!(n.version(), Some("v2"));
    assert!(matches!(n.event_time(), EventTime::Unzoned(_)));
}

#[test]
fn an_unknown_event_is_kept_as_raw_json_and_rotation_accepts_either_secret() {
    let body = br#"{"event_type":"SOMETHING_CASHFREE_ADDED","data":{"x":[1]}}"#;
    let verifier = Verifier::new([SecretString::from("old"), secret()]);
    let n = verifier
        .verify(&signed(body, TIMESTAMP, SECRET), body, now())
        .unwrap();
    assert!(matches!(n.event(), Event::Other(v) if v["x"][0] == 1));
    assert_eq!(n.event().documented_type(), None);
    let again = verifier
        .verify(&signed(body, TIMESTAMP, "old"), body, now())
        .unwrap();
    assert_eq!(
        n.idempotency_key(),
        again.idempotency_key(),
        "same body, same key"
    );
    assert_eq!(n.idempotency_key().len(), 64);
}

const BODY: &[u8] = br#"{"event_type":"X","event_time":"2025-05-22T03:51:14Z","data":{}}"#;

fn refusal(headers: &HeaderMap, body: &[u8], verifier: &Verifier) -> RefusalKind {
    let refused = verifier.verify(headers, body, now()).unwrap_err();
    let shown = refused.to_string();
    assert!(!shown.contains(SECRET), "{shown}");
    let expected = sign(&secret(), TIMESTAMP, body);
    assert!(!shown.contains(&expected), "{shown}");
    refused.kind()
}

#[test]
fn refused_missing_timestamp_header() {
    let mut headers = signed(BODY, TIMESTAMP, SECRET);
    headers.remove("x-webhook-timestamp");
    let kind = refusal(&headers, BODY, &Verifier::new([secret()]));
    assert_eq!(kind, RefusalKind::Missing("x-webhook-timestamp"));
}

#[test]
fn refused_missing_signature_header() {
    let mut headers = signed(BODY, TIMESTAMP, SECRET);
    headers.remove("x-webhook-signature");
    let kind = refusal(&headers, BODY, &Verifier::new([secret()]));
    assert_eq!(kind, RefusalKind::Missing("x-webhook-signature"));
}

#[test]
fn refused_no_signature_in_either_form() {
    let kind = refusal(&HeaderMap::new(), BODY, &Verifier::new([secret()]));
    assert!(matches!(kind, RefusalKind::Missing(_)), "{kind:?}");
}

#[test]
fn refused_malformed_timestamp() {
    let mut headers = signed(BODY, TIMESTAMP, SECRET);
    headers.insert(
        "x-webhook-timestamp",
        "2025-05-22T03:51:14Z".parse().unwrap(),
    );
    let kind = refusal(&headers, BODY, &Verifier::new([secret()]));
    assert_eq!(kind, RefusalKind::Malformed("x-webhook-timestamp"));
}

#[test]
fn refused_malformed_signature() {
    let mut headers = signed(BODY, TIMESTAMP, SECRET);
    headers.insert("x-webhook-signature", "c2hvcnQ=".parse().unwrap());
    let kind = refusal(&headers, BODY, &Verifier::new([secret()]));
    assert_eq!(kind, RefusalKind::Malformed("x-webhook-signature"));
}

#[test]
fn refused_malformed_body_even_when_signed() {
    let body = b"not json";
    let kind = refusal(
        &signed(body, TIMESTAMP, SECRET),
        body,
        &Verifier::new([secret()]),
    );
    assert_eq!(kind, RefusalKind::Malformed("body"));
}

#[test]
fn refused_edited_body() {
    let headers = signed(BODY, TIMESTAMP, SECRET);
    let edited = String::from_utf8(BODY.to_vec())
        .unwrap()
        .replace("\"X\"", "\"Y\"");
    let kind = refusal(&headers, edited.as_bytes(), &Verifier::new([secret()]));
    assert_eq!(kind, RefusalKind::BadSignature);
}

#[test]
fn refused_wrong_secret() {
    let headers = signed(BODY, TIMESTAMP, "somebody-else");
    let kind = refusal(&headers, BODY, &Verifier::new([secret()]));
    assert_eq!(kind, RefusalKind::BadSignature);
}

#[test]
fn a_wrong_secret_is_told_plainly_without_any_secret_or_signature() {
    let wrong = "somebody-elses-secret";
    let headers = signed(BODY, TIMESTAMP, wrong);
    let verifier = Verifier::new([secret(), SecretString::from("the-next-secret")]);
    let refused = verifier.verify(&headers, BODY, now()).unwrap_err();
    assert_eq!(refused.kind(), RefusalKind::BadSignature);
    let shown = refused.to_string();
    assert!(
        shown.contains("matches none of the accepted secrets")
            && shown.contains("wrong or rotated-out secret")
            && shown.contains("edited"),
        "{shown}"
    );
    let sent = headers["x-webhook-signature"].to_str().unwrap();
    for hidden in [
        SECRET,
        "the-next-secret",
        wrong,
        sent,
        &sign(&secret(), TIMESTAMP, BODY),
        &sign(&SecretString::from("the-next-secret"), TIMESTAMP, BODY),
    ] {
        assert!(!shown.contains(hidden), "{shown} shows {hidden}");
        assert!(!format!("{refused:?}").contains(hidden), "{refused:?}");
    }
    // A retired secret stays its own kind.
    let retired = verifier.retired([SecretString::from(wrong)]);
    assert_eq!(
        retired.verify(&headers, BODY, now()).unwrap_err().kind(),
        RefusalKind::RetiredSecret
    );
}

#[test]
fn refused_retired_secret() {
    let headers = signed(BODY, TIMESTAMP, "rotated-out");
    let verifier = Verifier::new([secret()]).retired([SecretString::from("rotated-out")]);
    assert_eq!(
        refusal(&headers, BODY, &verifier),
        RefusalKind::RetiredSecret
    );
}

#[test]
fn refused_stale_either_way_and_the_window_is_configurable() {
    let verifier = Verifier::new([secret()]);
    for ts in ["1746427459732", "1746428059734"] {
        // 300.001 s before and after `now()`.
        let kind = refusal(&signed(BODY, ts, SECRET), BODY, &verifier);
        assert!(
            matches!(kind, RefusalKind::Stale { off_by } if off_by > Duration::from_secs(300)),
            "{kind:?}"
        );
        assert!(
            Verifier::new([secret()])
                .window(Duration::from_secs(301))
                .verify(&signed(BODY, ts, SECRET), BODY, now())
                .is_ok()
        );
    }
    let edge = signed(BODY, "1746427459733", SECRET);
    assert!(
        verifier.verify(&edge, BODY, now()).is_ok(),
        "exactly 5 minutes is inside"
    );
}

#[test]
fn refused_older_form_when_not_accepted() {
    let mut body: Value = serde_json::from_slice(BODY).unwrap();
    body["signature"] = Value::String(sign_legacy(&secret(), &body["data"]));
    let body = serde_json::to_vec(&body).unwrap();
    let verifier = Verifier::new([secret()]).accept_older_form(false);
    assert_eq!(
        refusal(&HeaderMap::new(), &body, &verifier),
        RefusalKind::OlderFormRefused
    );
}

#[test]
fn refused_older_form_with_a_tampered_data_value() {
    let mut body: Value = serde_json::from_slice(BODY).unwrap();
    body["data"] = serde_json::json!({"status": "FAILURE"});
    body["signature"] = Value::String(sign_legacy(&secret(), &body["data"]));
    body["data"]["status"] = Value::String("SUCCESS".into());
    let body = serde_json::to_vec(&body).unwrap();
    let kind = refusal(&HeaderMap::new(), &body, &Verifier::new([secret()]));
    assert_eq!(kind, RefusalKind::BadSignature);
}

#[test]
fn refused_without_any_secret() {
    let verifier = Verifier::new(Vec::<SecretString>::new());
    assert_eq!(
        refusal(&signed(BODY, TIMESTAMP, SECRET), BODY, &verifier),
        RefusalKind::NoSecret
    );
}

#[cfg(feature = "bav-v2")]
#[test]
fn an_authentic_event_that_does_not_decode_keeps_its_body() {
    let body = br#"{"event_type":"BANK_ACCOUNT_VERIFICATION_SUCCESS","data":{"reference_id":"not a number"}}"#;
    let refused = Verifier::new([secret()])
        .verify(&signed(body, TIMESTAMP, SECRET), body, now())
        .unwrap_err();
    assert_eq!(refused.kind(), RefusalKind::Undecodable);
    assert_eq!(refused.body().map(|b| b.as_ref()), Some(&body[..]));
    assert!(refused.to_string().contains("reference_id"), "{refused}");
}

#[test]
fn the_verifier_debug_shows_no_secret() {
    let shown = format!("{:?}", Verifier::new([secret()]));
    assert!(
        !shown.contains(SECRET) && shown.contains("1 secret"),
        "{shown}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_single_byte_change_of_body_or_timestamp_is_refused(
        in_body in any::<bool>(), at in any::<usize>(), xor in 1u8..=255,
    ) {
        let headers = signed(BODY, TIMESTAMP, SECRET);
        let verifier = Verifier::new([secret()]);
        let (mut body, mut ts) = (BODY.to_vec(), TIMESTAMP.as_bytes().to_vec());
        let target = if in_body { &mut body } else { &mut ts };
        let i = at % target.len();
        target[i] ^= xor;
        let mut headers = headers;
        if let Ok(value) = http::HeaderValue::from_bytes(&ts) {
            headers.insert("x-webhook-timestamp", value);
        } else {
            // Not a header value at all: an HTTP stack would not deliver it.
            return Ok(());
        }
        let refused = verifier.verify(&headers, &body, now());
        prop_assert!(refused.is_err(), "accepted with byte {i} changed");
    }
}
