//! Sending one event to the webhook URL: signed (current form, or the older one on request), retried
//! with backoff on a non-2xx answer or a failed connection, within a bound, each attempt with a
//! fresh timestamp and signature and its `x-webhook-attempt`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cashfree_verification::webhook::{
    ATTEMPT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign, sign_legacy,
};
use secrecy::SecretString;
use serde_json::Value;

use super::{Attempt, Delivery, DeliveryReport, Tamper, WebhookSettings};

/// Sends `delivery` as `settings` say; never fails: every attempt and its outcome is in the report.
pub(crate) async fn send(settings: &WebhookSettings, delivery: Delivery) -> DeliveryReport {
    let client = match cashfree_verification::tls::client_builder()
        .timeout(settings.timeout)
        .build()
    {
        Ok(client) => client,
        Err(e) => return DeliveryReport::failed(delivery, format!("no HTTP client: {e}")),
    };
    let mut body = delivery.body.clone();
    let secret = match &delivery.tamper {
        Tamper::WrongSecret(other) => SecretString::from(other.clone()),
        _ => settings.secret.clone(),
    };
    if delivery.older_form {
        let data = body.get("data").cloned().unwrap_or(Value::Null);
        body["signature"] = Value::String(sign_legacy(&secret, &data));
    }
    let signed = serde_json::to_vec(&body).unwrap_or_default();
    let sent = match &delivery.tamper {
        Tamper::EditedBody => edit(&signed),
        _ => signed.clone(),
    };
    let mut attempts = Vec::new();
    let mut delay = settings.first_delay;
    for attempt in 1..=settings.max_attempts.max(1) {
        let timestamp = match delivery.tamper {
            Tamper::Timestamp(ms) => ms.to_string(),
            _ => epoch_ms(SystemTime::now()).to_string(),
        };
        let mut request = client
            .post(settings.url.clone())
            .header("content-type", "application/json")
            .header(ATTEMPT_HEADER, attempt.to_string());
        let signature = (!delivery.older_form).then(|| sign(&secret, &timestamp, &signed));
        if let Some(signature) = &signature {
            request = request
                .header(TIMESTAMP_HEADER, &timestamp)
                .header(SIGNATURE_HEADER, signature);
        }
        let outcome = request.body(sent.clone()).send().await;
        let status = outcome.as_ref().ok().map(|r| r.status().as_u16());
        attempts.push(Attempt {
            status,
            error: outcome.err().map(|e| e.to_string()),
            timestamp,
            signature,
        });
        if status.is_some_and(|s| (200..300).contains(&s)) || attempt == settings.max_attempts {
            break;
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(settings.max_delay);
    }
    DeliveryReport {
        event_type: delivery.event_type,
        body: sent,
        attempts,
    }
}

/// The signed bytes with one changed: the first digit or letter inside `data` flipped in case or
/// value, so the JSON stays valid and the signature no longer holds.
fn edit(body: &[u8]) -> Vec<u8> {
    let mut out = body.to_vec();
    let start = find(&out, b"\"data\"").unwrap_or(0);
    if let Some(i) = out[start..]
        .iter()
        .position(|b| b.is_ascii_alphanumeric() && *b != b'd' && *b != b'a' && *b != b't')
    {
        let b = &mut out[start + i];
        *b = match *b {
            b'0'..=b'8' => *b + 1,
            b'9' => b'0',
            c => c ^ 0x20,
        };
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

pub(crate) fn epoch_ms(at: SystemTime) -> u128 {
    at.duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_millis()
}

/// Sends `report`'s body again, once, with its last attempt's timestamp and signature: what a
/// replay by someone who captured it looks like.
pub(crate) async fn replay(settings: &WebhookSettings, report: &DeliveryReport) -> Attempt {
    let last = report.attempts.last();
    let timestamp = last.map(|a| a.timestamp.clone()).unwrap_or_default();
    let signature = last.and_then(|a| a.signature.clone());
    let mut request = match cashfree_verification::tls::client_builder()
        .timeout(settings.timeout)
        .build()
    {
        Ok(client) => client.post(settings.url.clone()),
        Err(e) => {
            return Attempt {
                status: None,
                error: Some(e.to_string()),
                timestamp,
                signature,
            };
        }
    };
    request = request
        .header("content-type", "application/json")
        .header(ATTEMPT_HEADER, (report.attempts.len() + 1).to_string());
    if let Some(signature) = &signature {
        request = request
            .header(TIMESTAMP_HEADER, &timestamp)
            .header(SIGNATURE_HEADER, signature);
    }
    let outcome = request.body(report.body.clone()).send().await;
    Attempt {
        status: outcome.as_ref().ok().map(|r| r.status().as_u16()),
        error: outcome.err().map(|e| e.to_string()),
        timestamp,
        signature,
    }
}
