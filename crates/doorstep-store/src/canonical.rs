//! Canonical JSON for hashing: object keys sorted by their UTF-8 bytes, no whitespace,
//! serde_json's escaping and number formatting. Independent of serde_json's
//! `preserve_order` feature, so native and wasm builds hash alike.

use serde_json::Value;

/// Compact JSON text of one value (what `Value`'s `Display` writes, through the same
/// serializer as the stored records, so the browser build carries one JSON writer).
pub(crate) fn json_text(v: &Value) -> String {
    // Writing a `Value` to a String cannot fail.
    serde_json::to_string(v).unwrap_or_default()
}

pub fn canonical_json(v: &Value) -> String {
    let mut out = String::new();
    write(v, &mut out);
    out
}

fn write(v: &Value, out: &mut String) {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_unstable();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&json_text(&Value::String(k.clone())));
                out.push(':');
                if let Some(x) = map.get(k) {
                    write(x, out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(x, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&json_text(scalar)),
    }
}
