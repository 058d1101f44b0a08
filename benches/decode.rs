//! What reading Cashfree's answers as Cashfree sends them costs: [`wire::decode`] against plain
//! `serde_json::from_slice` of the same body into the same generated type, per documented answer.
//!
//! ```sh
//! cargo bench --bench decode --features pan,bav-v2
//! ```
//!
//! The bodies are the documented examples of the merged spec (so a spec update measures itself):
//! every success example of `POST /pan`, `POST /bank-account/sync` and `POST /oauth/token`, and
//! every error example of those operations. For each body: nanoseconds per decode both ways
//! (interleaved rounds, the median), and their ratio; a body plain serde cannot read at all (the
//! examples that contradict their schema) is listed as such and left out of the ratio, since plain
//! decoding has no cost to compare with there. The last line is the ratio over all the bodies both
//! read, weighted by time.

use std::hint::black_box;
use std::time::Instant;

use cashfree_openapi::resolve;
use cashfree_verification::{spec, types, wire};
use serde::de::DeserializeOwned;
use serde_json::Value;

const ROUNDS: usize = 9;

/// One body's figures.
struct Row {
    label: String,
    lenient_ns: f64,
    plain_ns: Option<f64>,
}

fn main() {
    let doc: Value = serde_json::from_str(spec::openapi_json()).expect("the build writes JSON");
    let mut rows = Vec::new();
    measure::<types::GetVerifyPanResponseSchema>(&doc, "/pan", &mut rows);
    measure::<types::Bavv2ValidationSuccessfulSchema>(&doc, "/bank-account/sync", &mut rows);
    measure::<types::AuthResponseSchema>(&doc, "/oauth/token", &mut rows);
    for path in ["/pan", "/bank-account/sync", "/oauth/token"] {
        for (label, body) in examples(&doc, path, false) {
            rows.push(time::<types::ErrorResponseSchema>(label, &body));
        }
    }
    let (mut lenient, mut plain) = (0.0, 0.0);
    println!("{:>10} {:>10} {:>7}  body", "wire ns", "serde ns", "ratio");
    for row in &rows {
        match row.plain_ns {
            Some(p) => {
                lenient += row.lenient_ns;
                plain += p;
                println!(
                    "{:>10.0} {:>10.0} {:>7.3}  {}",
                    row.lenient_ns,
                    p,
                    row.lenient_ns / p,
                    row.label
                );
            }
            None => println!(
                "{:>10.0} {:>10} {:>7}  {} (plain serde cannot read it)",
                row.lenient_ns, "-", "-", row.label
            ),
        }
    }
    let both = rows.iter().filter(|r| r.plain_ns.is_some()).count();
    println!(
        "decode cost of the wire rules over plain serde, {both} bodies both read: {:.3}x ({} bodies only the wire rules read)",
        lenient / plain,
        rows.len() - both
    );
}

fn measure<T: DeserializeOwned>(doc: &Value, path: &str, rows: &mut Vec<Row>) {
    for (label, body) in examples(doc, path, true) {
        rows.push(time::<T>(label, &body));
    }
}

/// The documented example bodies of `POST path`: its 2xx answers (`success`) or its error answers.
fn examples(doc: &Value, path: &str, success: bool) -> Vec<(String, Vec<u8>)> {
    let pointer = format!("/paths/{}/post/responses", path.replace('/', "~1"));
    let mut out = Vec::new();
    let Some(responses) = doc.pointer(&pointer).and_then(Value::as_object) else {
        panic!("POST {path} is not in the merged document: build with --features pan,bav-v2");
    };
    for (status, response) in responses {
        if status.starts_with('2') != success {
            continue;
        }
        let response = resolve(doc, response);
        let Some(media) = response.pointer("/content/application~1json") else {
            continue;
        };
        for (name, example) in media
            .get("examples")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if let Some(value) = resolve(doc, example).get("value") {
                let body = serde_json::to_vec(value).expect("a JSON value writes");
                out.push((format!("POST {path} {status} {name:?}"), body));
            }
        }
    }
    out
}

/// Nanoseconds per decode of `body` into `T`, the wire rules' way and plain serde's, interleaved.
fn time<T: DeserializeOwned>(label: String, body: &[u8]) -> Row {
    let readable_plainly = serde_json::from_slice::<T>(body).is_ok();
    assert!(
        wire::decode::<T>(body).is_ok(),
        "{label}: a documented answer does not decode"
    );
    // About 20 ms of work per side and round.
    let start = Instant::now();
    let mut calibrate = 0u32;
    while start.elapsed().as_millis() < 20 {
        black_box(wire::decode::<T>(black_box(body)).ok());
        calibrate += 1;
    }
    let n = calibrate.max(100);
    let mut lenient = Vec::with_capacity(ROUNDS);
    let mut plain = Vec::with_capacity(ROUNDS);
    for round in 0..ROUNDS {
        let one = |wire_side: bool| {
            let start = Instant::now();
            for _ in 0..n {
                if wire_side {
                    black_box(wire::decode::<T>(black_box(body)).ok());
                } else {
                    black_box(serde_json::from_slice::<T>(black_box(body)).ok());
                }
            }
            start.elapsed().as_nanos() as f64 / f64::from(n)
        };
        // Alternate which side goes first.
        if round % 2 == 0 {
            lenient.push(one(true));
            if readable_plainly {
                plain.push(one(false));
            }
        } else {
            if readable_plainly {
                plain.push(one(false));
            }
            lenient.push(one(true));
        }
    }
    Row {
        label,
        lenient_ns: median(&mut lenient),
        plain_ns: readable_plainly.then(|| median(&mut plain)),
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
