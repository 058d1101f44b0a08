//! Formats typify would map to types Cashfree's values do not fit: dates stay strings, decimals are
//! `f64`.

use serde_json::Value;

use crate::defaults::schema_pointers;

/// `format: date`/`date-time` would make typify use `chrono` types, which Cashfree's values
/// (`"03-11-2022"`, `"dateTime"`) do not parse as; `format: float` would make it use `f32`, which
/// cannot hold Cashfree's decimals (`0.95` reads back as `0.949999988`). Both formats are dropped.
pub(super) fn dates_and_decimals(doc: &mut Value) {
    let pointers = schema_pointers(doc, |s| {
        let format = s.get("format").and_then(Value::as_str);
        match s.get("type").and_then(Value::as_str) {
            Some("string") => matches!(format, Some("date" | "date-time")),
            Some("number") => format == Some("float"),
            _ => false,
        }
    });
    for pointer in pointers {
        if let Some(Value::Object(schema)) = doc.pointer_mut(&pointer) {
            schema.remove("format");
        }
    }
}
