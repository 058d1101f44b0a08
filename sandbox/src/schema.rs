//! Checking JSON against the spec's schemas (the subset Cashfree's specs use), with the length
//! limits Cashfree's error examples document on top ([`Limits`]).
//!
//! A violation names the innermost field and its kind, which map to Cashfree's code names:
//! `<field>_missing`, `<field>_value_invalid`, `<field>_length_exceeded`, `<field>_length_short`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use cashfree_openapi::{required_names, resolve};

/// What is wrong with a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fault {
    Missing,
    Invalid,
    TooLong(u64),
    TooShort(u64),
}

/// Length limits by field name that Cashfree documents in error examples rather than in the schema
/// (`pan_length_short`, "phone should include a minimum of 8 characters."): (min, max) characters.
pub(crate) type Limits = BTreeMap<String, (Option<u64>, Option<u64>)>;

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
    /// Cashfree's code for this violation. A value too short is `<field>_length_short` where
    /// `documented` knows that code (Cashfree's answer for PAN, bank account, phone), else
    /// `<field>_value_invalid`.
    pub fn code(&self, documented: &dyn Fn(&str) -> bool) -> String {
        let suffix = match self.fault {
            Fault::Missing => "missing",
            Fault::Invalid => "value_invalid",
            Fault::TooLong(_) => "length_exceeded",
            Fault::TooShort(_) => {
                let short = format!("{}_length_short", self.field);
                return if documented(&short) {
                    short
                } else {
                    format!("{}_value_invalid", self.field)
                };
            }
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
            Fault::TooShort(min) => {
                format!(
                    "{} should include a minimum of {min} characters.",
                    self.field
                )
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

/// Checks `value` against `schema` (resolving `$ref`s in `doc`) and the documented `limits`.
pub(crate) fn validate(
    doc: &Value,
    schema: &Value,
    value: &Value,
    mode: Mode,
    limits: &Limits,
) -> Result<(), Violation> {
    let ctx = Ctx { doc, mode, limits };
    check(&ctx, schema, value, "body", "", 0)
}

/// What every level of the walk shares.
struct Ctx<'a> {
    doc: &'a Value,
    mode: Mode,
    limits: &'a Limits,
}

/// Deepest nesting walked; Cashfree's schemas are a few levels deep, a `$ref` cycle is not.
const MAX_DEPTH: u32 = 64;

/// The string's length against the schema's `minLength`/`maxLength` and the documented limits.
fn check_length(
    ctx: &Ctx,
    schema: &Value,
    text: &str,
    field: &str,
    pointer: &str,
) -> Result<(), Violation> {
    let chars = text.chars().count() as u64;
    let documented = ctx.limits.get(field).copied().unwrap_or((None, None));
    let max = schema
        .get("maxLength")
        .and_then(Value::as_u64)
        .or(documented.1);
    let min = schema
        .get("minLength")
        .and_then(Value::as_u64)
        .or(documented.0);
    let fault = match (min, max) {
        (_, Some(max)) if chars > max => Fault::TooLong(max),
        (Some(min), _) if chars < min => Fault::TooShort(min),
        _ => return Ok(()),
    };
    Err(Violation {
        field: field.into(),
        pointer: pointer.into(),
        fault,
    })
}

fn invalid(field: &str, pointer: &str) -> Violation {
    Violation {
        field: field.to_string(),
        pointer: pointer.to_string(),
        fault: Fault::Invalid,
    }
}

fn check(
    ctx: &Ctx,
    schema: &Value,
    value: &Value,
    field: &str,
    pointer: &str,
    depth: u32,
) -> Result<(), Violation> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    let depth = depth + 1;
    let schema = resolve(ctx.doc, schema);
    for key in ["anyOf", "oneOf"] {
        if let Some(alts) = schema.get(key).and_then(Value::as_array)
            && !alts
                .iter()
                .any(|alt| check(ctx, alt, value, field, pointer, depth).is_ok())
        {
            // Report the first alternative's complaint: it is the documented shape.
            return Err(alts
                .first()
                .and_then(|alt| check(ctx, alt, value, field, pointer, depth).err())
                .unwrap_or_else(|| invalid(field, pointer)));
        }
    }
    for alt in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        check(ctx, alt, value, field, pointer, depth)?;
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
            let text = match (value, ctx.mode) {
                (Value::String(s), _) => s.clone(),
                (Value::Number(n), Mode::Request) => n.to_string(),
                _ => return Err(invalid(field, pointer)),
            };
            check_length(ctx, schema, &text, field, pointer)?;
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
                        ctx,
                        item_schema,
                        item,
                        field,
                        &format!("{pointer}/{i}"),
                        depth,
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
                // and the generated client reads it as absent (ARCHITECTURE.md, "Generation settings").
                Some(Value::Null) if !required.contains(&name.as_str()) => {}
                Some(v) => check(ctx, prop, v, name, &child, depth)?,
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
        let none = Limits::new();
        let ok = json!({"verification_id": "a-1", "user": {"identifier_type": "MOBILE", "identifier_value": "9988776655"}});
        validate(doc, &s, &ok, Mode::Request, &none).unwrap();
        let numeric_phone = json!({"verification_id": "a-1", "user": {"identifier_type": "MOBILE", "identifier_value": 9988776655u64}});
        validate(doc, &s, &numeric_phone, Mode::Request, &none).unwrap();
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
                validate(doc, &s, &body, Mode::Request, &none)
                    .unwrap_err()
                    .code(&|_| false),
                code,
                "{body}"
            );
        }
        let too_long = validate(doc, &s, &cases_long(), Mode::Request, &none).unwrap_err();
        assert_eq!(
            too_long.default_message(),
            "verification_id can include a maximum of 50 characters."
        );
    }

    fn cases_long() -> Value {
        json!({"verification_id": "y".repeat(60), "user": {"identifier_type": "MOBILE", "identifier_value": "9988776655"}})
    }

    #[test]
    fn documented_limits_apply_beside_the_schema_and_name_cashfrees_code() {
        let doc = super::super::spec::document();
        let schema = json!({"type": "object", "properties": {"pan": {"type": "string"}}});
        let limits = Limits::from([("pan".to_string(), (Some(10), Some(10)))]);
        let short =
            validate(doc, &schema, &json!({"pan": "ABC"}), Mode::Request, &limits).unwrap_err();
        assert_eq!(short.fault, Fault::TooShort(10));
        assert_eq!(short.code(&|c| c == "pan_length_short"), "pan_length_short");
        assert_eq!(short.code(&|_| false), "pan_value_invalid");
        let long = validate(
            doc,
            &schema,
            &json!({"pan": "ABCPV1234DX"}),
            Mode::Request,
            &limits,
        )
        .unwrap_err();
        assert_eq!(long.code(&|_| false), "pan_length_exceeded");
        validate(
            doc,
            &schema,
            &json!({"pan": "ABCPV1234D"}),
            Mode::Request,
            &limits,
        )
        .unwrap();
        validate(
            doc,
            &schema,
            &json!({"pan": "ABC"}),
            Mode::Request,
            &Limits::new(),
        )
        .unwrap();
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
                    && let Err(v) = validate(doc, schema, &body, Mode::Request, &Limits::new())
                {
                    proptest::prop_assert!(!v.field.is_empty());
                    let code = v.code(&|_| true);
                    proptest::prop_assert!(["_missing", "_value_invalid", "_length_exceeded", "_length_short"].iter().any(|s| code.ends_with(s)), "{}", code);
                }
            }
        }
    }
}
