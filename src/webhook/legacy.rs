//! Cashfree's older webhook signature, still shown on the BAV V2 and reverse penny drop pages: the
//! body's own `signature` field, base64 HMAC-SHA256 (keyed with the client secret) over the values
//! of `data` sorted by key and concatenated.
//!
//! The pages show `data` as a flat map (`{bank_account=026291800001191, ifsc=..., upi=, ...}`), so a
//! value is signed as its text: a string as itself, `null` as nothing, a number or boolean as its
//! JSON text, and (not shown by Cashfree; our reading) an object or array as its compact JSON.
//! This form carries no timestamp, so it cannot be checked for replay.
//!
//! ```
//! use cashfree_verification::webhook::legacy_signed_text;
//! let data = serde_json::json!({"utr": "332", "upi": null, "ref_id": 332, "bank_account": "0262"});
//! assert_eq!(legacy_signed_text(&data), "0262332332");
//! ```

use secrecy::SecretString;
use serde_json::Value;

/// The text the older form signs: `data`'s values in key order, concatenated.
pub fn legacy_signed_text(data: &Value) -> String {
    let Some(map) = data.as_object() else {
        return text(data);
    };
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    keys.into_iter().map(|k| text(&map[k])).collect()
}

/// The body `signature` the older form carries for `data`, signed with `secret`.
pub fn sign_legacy(secret: &SecretString, data: &Value) -> String {
    super::signature::sign_text(secret, legacy_signed_text(data).as_bytes())
}

fn text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_sorted_by_key_and_nested_ones_are_their_json() {
        let data = serde_json::json!({"b": [1, "x"], "a": {"k": true}, "c": false});
        assert_eq!(legacy_signed_text(&data), r#"{"k":true}[1,"x"]false"#);
        let secret = SecretString::from("k");
        assert_eq!(sign_legacy(&secret, &data).len(), 44);
    }
}
