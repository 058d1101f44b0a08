//! Checking JSON against the spec's schemas (the subset Cashfree's specs use) and building success
//! bodies from the documented examples.
//!
//! A violation names the innermost field and its kind, which map to Cashfree's code names:
//! `<field>_missing`, `<field>_value_invalid`, `<field>_length_exceeded`.

use serde_json::{Map, Value};

use cashfree_openapi::{required_names, resolve};

/// What is wrong with a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fault {
    Missing,
    Invalid,
    TooLong(u64),
}

/// The first violation found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Violation {
    /// The innermost field name (`body` for the whole body).
    pub field: String,
    /// JSON pointer of the value at fault.
    pub pointer: String,
    pub fault: Fault,
}

impl Violation {
    /// Cashfree's code for this violation.
    pub fn code(&self) -> String {
        let suffix = match self.fault {
            Fault::Missing => "missing",
            Fault::Invalid => "value_invalid",
            Fault::TooLong(_) => "length_exceeded",
        };
        format!("{}_{suffix}", self.field)
    }

    /// A message in Cashfree's style, for codes the spec documents no message for.
    pub fn default_message(&self) -> String {
        match self.fault {
            Fault::Missing => format!("{} is missing in the request.", self.field),
            Fault::Invalid => format!("{} should be valid.", self.field),
            Fault::TooLong(max) => {
                format!("{} can include a maximum of {max} characters.", self.field)
            }
        }
    }
}

/// How strictly to read strings. Cashfree's own curl examples send string fields as numbers
/// (`vkyc_request_id`, `identifier_value`), and Cashfree accepts them, so requests are lenient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// A number is accepted where the schema says string.
    Request,
    /// Exactly as the schema says.
    Response,
}

/// Checks `value` against `schema` (resolving `$ref`s in `doc`).
pub(crate) fn validate(
    doc: &Value,
    schema: &Value,
    value: &Value,
    mode: Mode,
) -> Result<(), Violation> {
    check(doc, schema, value, "body", "", mode)
}

fn invalid(field: &str, pointer: &str) -> Violation {
    Violation {
        field: field.to_string(),
        pointer: pointer.to_string(),
        fault: Fault::Invalid,
    }
}

fn check(
    doc: &Value,
    schema: &Value,
    value: &Value,
    field: &str,
    pointer: &str,
    mode: Mode,
) -> Result<(), Violation> {
    let schema = resolve(doc, schema);
    for key in ["anyOf", "oneOf"] {
        if let Some(alts) = schema.get(key).and_then(Value::as_array)
            && !alts
                .iter()
                .any(|alt| check(doc, alt, value, field, pointer, mode).is_ok())
        {
            // Report the first alternative's complaint: it is the documented shape.
            return Err(alts
                .first()
                .and_then(|alt| check(doc, alt, value, field, pointer, mode).err())
                .unwrap_or_else(|| invalid(field, pointer)));
        }
    }
    for alt in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        check(doc, alt, value, field, pointer, mode)?;
    }
    if value.is_null() {
        return if schema.get("nullable").and_then(Value::as_bool) == Some(true)
            || schema.as_object().is_some_and(Map::is_empty)
        {
            Ok(())
        } else {
            Err(invalid(field, pointer))
        };
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array)
        && !options.contains(value)
    {
        return Err(invalid(field, pointer));
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => {
            let text = match (value, mode) {
                (Value::String(s), _) => s.clone(),
                (Value::Number(n), Mode::Request) => n.to_string(),
                _ => return Err(invalid(field, pointer)),
            };
            let chars = text.chars().count() as u64;
            if let Some(max) = schema.get("maxLength").and_then(Value::as_u64)
                && chars > max
            {
                return Err(Violation {
                    field: field.into(),
                    pointer: pointer.into(),
                    fault: Fault::TooLong(max),
                });
            }
            if let Some(min) = schema.get("minLength").and_then(Value::as_u64)
                && chars < min
            {
                return Err(invalid(field, pointer));
            }
            if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
                let matches = regress::Regex::new(pattern)
                    .map(|re| re.find(&text).is_some())
                    .unwrap_or(true);
                if !matches {
                    return Err(invalid(field, pointer));
                }
            }
        }
        Some("integer") if !(value.is_i64() || value.is_u64()) => {
            return Err(invalid(field, pointer));
        }
        Some("number") if !value.is_number() => return Err(invalid(field, pointer)),
        Some("boolean") if !value.is_boolean() => return Err(invalid(field, pointer)),
        Some("array") => {
            let Some(items) = value.as_array() else {
                return Err(invalid(field, pointer));
            };
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    check(
                        doc,
                        item_schema,
                        item,
                        field,
                        &format!("{pointer}/{i}"),
                        mode,
                    )?;
                }
            }
        }
        Some("object") if !value.is_object() => return Err(invalid(field, pointer)),
        _ => {}
    }
    if let (Some(obj), Some(props)) = (
        value.as_object(),
        schema.get("properties").and_then(Value::as_object),
    ) {
        let required: Vec<&str> = required_names(schema).collect();
        for (name, prop) in props {
            let child = format!("{pointer}/{name}");
            match obj.get(name) {
                None if required.contains(&name.as_str()) => {
                    return Err(Violation {
                        field: name.clone(),
                        pointer: child,
                        fault: Fault::Missing,
                    });
                }
                None => {}
                // Null for an optional property: Cashfree sends it for values it does not have,
                // and the generated client reads it as absent (README, "Generation settings").
                Some(Value::Null) if !required.contains(&name.as_str()) => {}
                Some(v) => check(doc, prop, v, name, &child, mode)?,
            }
        }
        for name in required.iter().filter(|r| !props.contains_key(**r)) {
            if !obj.contains_key(*name) {
                return Err(Violation {
                    field: name.to_string(),
                    pointer: format!("{pointer}/{name}"),
                    fault: Fault::Missing,
                });
            }
        }
    }
    Ok(())
}

/// A success body: the documented example (or a skeleton from the schema), with request values echoed
/// where the response has the same field (wrapped in an array where the example has one), fresh ids
/// and tokens, and expiries one hour ahead in the example's format.
pub(crate) fn success_body(
    doc: &Value,
    example: Option<&Value>,
    schema: Option<&Value>,
    request: &Value,
    fresh: &mut dyn FnMut() -> String,
    now: i64,
) -> Value {
    let mut body = match (example, schema) {
        (Some(e), _) => e.clone(),
        (None, Some(s)) => skeleton(doc, s, 0),
        (None, None) => Value::Object(Map::new()),
    };
    if let Some(schema) = schema {
        conform(doc, schema, &mut body, 0);
    }
    let Some(obj) = body.as_object_mut() else {
        return body;
    };
    for (key, value) in obj.iter_mut() {
        let same_kind = |a: &Value, b: &Value| {
            std::mem::discriminant(a) == std::mem::discriminant(b) || a.is_null()
        };
        if let Some(sent) = request.get(key).filter(|sent| {
            same_kind(value, sent)
                || (value.is_array() && sent.is_object())
                || (value.is_string() && sent.is_number())
        }) {
            *value = match (&*value, sent) {
                (Value::Array(_), Value::Object(_)) => Value::Array(vec![sent.clone()]),
                // An id sent as a number (as Cashfree's curl examples do) is echoed as the string
                // the schema declares.
                (Value::String(_), Value::Number(n)) => Value::String(n.to_string()),
                _ => sent.clone(),
            };
        } else if key.contains("expir") {
            *value = Value::String(expiry_like(value.as_str().unwrap_or(""), now + 3600));
        } else if key.ends_with("_id") || key.ends_with("token") {
            // The schema's type wins over the example's (Cashfree's examples give numbers for
            // string ids).
            let declared = schema
                .map(|s| resolve(doc, s))
                .and_then(|s| s.get("properties"))
                .and_then(|p| p.get(key.as_str()))
                .map(|p| resolve(doc, p))
                .and_then(|p| p.get("type"))
                .and_then(Value::as_str);
            *value = match (declared, &*value) {
                (Some("integer" | "number"), _) | (None, Value::Number(_)) => {
                    Value::from(fresh_number(fresh))
                }
                _ => Value::String(format!("sbx_{}", fresh())),
            };
        }
    }
    body
}

/// `value` with its leaves in the JSON types `schema` declares: Cashfree's examples give numbers
/// for string fields (`"pincode": 581115`) and strings for numbers; the sandbox answers what the
/// schema says, as its conformance check demands. Bounded in depth.
fn conform(doc: &Value, schema: &Value, value: &mut Value, depth: u32) {
    if depth > 32 {
        return;
    }
    let schema = resolve(doc, schema);
    match (schema.get("type").and_then(Value::as_str), &mut *value) {
        (Some("string"), v @ (Value::Number(_) | Value::Bool(_))) => {
            *v = Value::String(v.to_string())
        }
        (Some(ty @ ("integer" | "number" | "boolean")), Value::String(text)) => {
            // A typo such as `"0,"` still becomes a value of the declared type.
            let parsed = serde_json::from_str::<Value>(text.trim())
                .ok()
                .filter(|p| !p.is_string());
            *value = match (ty, parsed) {
                (_, Some(parsed)) => parsed,
                ("boolean", None) => Value::Bool(false),
                (_, None) => {
                    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
                    Value::from(digits.parse::<u64>().unwrap_or(0))
                }
            };
        }
        // An example's `""` or scalar where the schema has an array or object.
        (Some("array"), v) if !v.is_array() && !v.is_null() => *v = Value::Array(Vec::new()),
        (Some("object"), v) if !v.is_object() && !v.is_null() => *v = Value::Object(Map::new()),
        (_, Value::Object(map)) => {
            if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                for (key, child) in map.iter_mut() {
                    if let Some(p) = properties.get(key) {
                        conform(doc, p, child, depth + 1);
                    }
                }
            }
        }
        (_, Value::Array(items)) => {
            if let Some(item_schema) = schema.get("items") {
                for item in items {
                    conform(doc, item_schema, item, depth + 1);
                }
            }
        }
        _ => {}
    }
}

fn fresh_number(fresh: &mut dyn FnMut() -> String) -> u64 {
    u64::from_str_radix(&fresh()[..12], 16).unwrap_or(1) % 9_000_000_000 + 1_000_000_000
}

/// A minimal value of `schema`'s shape.
fn skeleton(doc: &Value, schema: &Value, depth: u32) -> Value {
    let schema = resolve(doc, schema);
    if depth > 8 {
        return Value::Null;
    }
    if let Some(first) = schema
        .get("anyOf")
        .or_else(|| schema.get("oneOf"))
        .and_then(Value::as_array)
        .and_then(|a| a.first())
    {
        return skeleton(doc, first, depth + 1);
    }
    if let Some(e) = schema.get("example").or_else(|| schema.get("default")) {
        return e.clone();
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
    {
        return first.clone();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => Value::String(String::new()),
        Some("integer") | Some("number") => Value::from(0),
        Some("boolean") => Value::Bool(false),
        Some("array") => Value::Array(
            schema
                .get("items")
                .map(|i| vec![skeleton(doc, i, depth + 1)])
                .unwrap_or_default(),
        ),
        _ => Value::Object(
            schema
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.clone(), skeleton(doc, v, depth + 1)))
                .collect(),
        ),
    }
}

/// `unix` formatted like `example`: `YYYY-MM-DD HH:MM:SS IST`, RFC 3339 with `Z`, or with `+05:30`.
pub(crate) fn expiry_like(example: &str, unix: i64) -> String {
    let ist = 5 * 3600 + 1800;
    if example.ends_with(" IST") {
        let (date, time) = civil(unix + ist);
        return format!("{date} {time} IST");
    }
    if example.ends_with('Z') || example.is_empty() {
        let (date, time) = civil(unix);
        return format!("{date}T{time}Z");
    }
    let (date, time) = civil(unix + ist);
    format!("{date}T{time}+05:30")
}

/// (`YYYY-MM-DD`, `HH:MM:SS`) of a Unix time (days-from-civil inverse, proleptic Gregorian).
fn civil(unix: i64) -> (String, String) {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        format!("{year:04}-{month:02}-{day:02}"),
        format!(
            "{:02}:{:02}:{:02}",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn session_schema() -> Value {
        let doc = super::super::spec::document();
        doc.pointer("/components/schemas/InitiateOauthRequestSchema")
            .unwrap()
            .clone()
    }

    #[test]
    fn request_violations_map_to_cashfree_codes() {
        let doc = super::super::spec::document();
        let s = session_schema();
        let ok = json!({"verification_id": "a-1", "user": {"identifier_type": "MOBILE", "identifier_value": "9988776655"}});
        validate(doc, &s, &ok, Mode::Request).unwrap();
        let numeric_phone = json!({"verification_id": "a-1", "user": {"identifier_type": "MOBILE", "identifier_value": 9988776655u64}});
        validate(doc, &s, &numeric_phone, Mode::Request).unwrap();
        let cases = [
            (json!({"user": ok["user"]}), "verification_id_missing"),
            (
                json!({"verification_id": "x".repeat(51), "user": ok["user"]}),
                "verification_id_length_exceeded",
            ),
            (
                json!({"verification_id": "a b", "user": ok["user"]}),
                "verification_id_value_invalid",
            ),
            (
                json!({"verification_id": "a", "user": {"identifier_type": "MOBILE"}}),
                "identifier_value_missing",
            ),
            (
                json!({"verification_id": "a", "user": {"identifier_type": "EMAIL", "identifier_value": "9988776655"}}),
                "identifier_type_value_invalid",
            ),
            (
                json!({"verification_id": "a", "user": {"identifier_type": "MOBILE", "identifier_value": "123"}}),
                "identifier_value_value_invalid",
            ),
            (
                json!({"verification_id": "a", "user": []}),
                "user_value_invalid",
            ),
            (json!([1, 2]), "body_value_invalid"),
        ];
        for (body, code) in cases {
            assert_eq!(
                validate(doc, &s, &body, Mode::Request).unwrap_err().code(),
                code,
                "{body}"
            );
        }
        let too_long = validate(doc, &s, &cases_long(), Mode::Request).unwrap_err();
        assert_eq!(
            too_long.default_message(),
            "verification_id can include a maximum of 50 characters."
        );
    }

    fn cases_long() -> Value {
        json!({"verification_id": "y".repeat(60), "user": {"identifier_type": "MOBILE", "identifier_value": "9988776655"}})
    }

    #[test]
    fn success_bodies_echo_requests_and_refresh_ids_and_expiry() {
        let doc = super::super::spec::document();
        let example = json!({"reference_id": 3123123, "verification_id": "123456", "user": [{"identifier_type": "MOBILE", "identifier_value": "9988123456"}], "expiry": "2024-12-31T23:59:59Z", "session_id": "session_id_value"});
        let request = json!({"verification_id": "mine", "user": {"identifier_type": "MOBILE", "identifier_value": "9000000001"}});
        let mut n = 0u32;
        let mut fresh = || {
            n += 1;
            format!("{n:032x}")
        };
        let body = success_body(
            doc,
            Some(&example),
            None,
            &request,
            &mut fresh,
            1_700_000_000,
        );
        assert_eq!(body["verification_id"], "mine");
        assert_eq!(
            body["user"],
            json!([{"identifier_type": "MOBILE", "identifier_value": "9000000001"}])
        );
        assert_eq!(body["expiry"], "2023-11-14T23:13:20Z");
        assert_eq!(body["session_id"], "sbx_00000000000000000000000000000002");
        assert!(body["reference_id"].as_u64().unwrap() >= 1_000_000_000);
    }

    #[test]
    fn expiries_keep_the_examples_format() {
        assert_eq!(
            expiry_like("2024-02-02 17:30:00 IST", 1_706_875_200),
            "2024-02-02 17:30:00 IST"
        );
        assert_eq!(
            expiry_like("2024-12-31T23:59:59Z", 1_735_689_599),
            "2024-12-31T23:59:59Z"
        );
        assert_eq!(
            expiry_like("2025-05-05T18:01:05+05:30", 1_746_448_265),
            "2025-05-05T18:01:05+05:30"
        );
        assert_eq!(civil(0), ("1970-01-01".into(), "00:00:00".into()));
        assert_eq!(civil(951_782_400).0, "2000-02-29");
    }

    fn json_value() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<f64>()
                .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(5, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map(any::<String>(), inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 512, ..Default::default() })]

        #[test]
        fn validation_of_arbitrary_json_never_panics_and_names_a_field(body in json_value()) {
            let doc = super::super::spec::document();
            for op in super::super::spec::operations() {
                if let Some(schema) = &op.request_schema
                    && let Err(v) = validate(doc, schema, &body, Mode::Request)
                {
                    proptest::prop_assert!(!v.field.is_empty());
                    proptest::prop_assert!(v.code().ends_with("_missing") || v.code().ends_with("_value_invalid") || v.code().ends_with("_length_exceeded"));
                }
                let mut n = 0u32;
                let mut fresh = || { n += 1; format!("{n:032x}") };
                let schema = op.responses.get(&200).and_then(|r| r.schema.as_ref());
                let out = success_body(doc, None, schema, &body, &mut fresh, 0);
                // Built from the schema's skeleton: always an object, echoing what the request shares with it.
                proptest::prop_assert!(out.is_object());
                if let (Some(sent), Some(_)) = (body.get("verification_id"), schema.and_then(|s| s.pointer("/properties/verification_id"))) {
                    proptest::prop_assert_eq!(&out["verification_id"], sent);
                }
            }
        }
    }
}
