//! A small ordered JSON tree and a writer that reproduces `JSON.stringify(x, null, 2)`
//! byte for byte.
//!
//! drizzle-kit's files are diffed by people and by git, so we write them exactly as it
//! does: keys in the order we insert them, numbers in JavaScript's formatting, no
//! trailing newline. serde_json's pretty printer differs in small ways (number text,
//! escapes), hence this module.

/// A JSON value whose objects keep insertion order and whose numbers keep their text.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number as source text; written in JavaScript's formatting.
    Number(String),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object with keys in insertion order.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// An empty object.
    pub fn object() -> Json {
        Json::Object(Vec::new())
    }

    /// A string value.
    pub fn str(s: impl Into<String>) -> Json {
        Json::String(s.into())
    }

    /// Appends `key: value` to an object; a no-op on other values.
    pub fn push(&mut self, key: impl Into<String>, value: Json) {
        if let Json::Object(entries) = self {
            entries.push((key.into(), value));
        }
    }

    /// Appends `key: value` when `value` is `Some`.
    pub fn push_opt(&mut self, key: &str, value: Option<Json>) {
        if let Some(value) = value {
            self.push(key, value);
        }
    }

    /// Converts a serde_json value, keeping its key order.
    pub fn from_value(value: &serde_json::Value) -> Json {
        match value {
            serde_json::Value::Null => Json::Null,
            serde_json::Value::Bool(b) => Json::Bool(*b),
            serde_json::Value::Number(n) => Json::Number(n.to_string()),
            serde_json::Value::String(s) => Json::String(s.clone()),
            serde_json::Value::Array(items) => {
                Json::Array(items.iter().map(Json::from_value).collect())
            }
            serde_json::Value::Object(map) => Json::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), Json::from_value(v)))
                    .collect(),
            ),
        }
    }

    /// `JSON.stringify(self, null, 2)`.
    pub fn to_pretty(&self) -> String {
        let mut out = String::new();
        write_value(&mut out, self, 0);
        out
    }
}

fn write_value(out: &mut String, value: &Json, depth: usize) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(text) => out.push_str(&js_number(text)),
        Json::String(s) => write_string(out, s),
        Json::Array(items) if items.is_empty() => out.push_str("[]"),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                write_value(out, item, depth + 1);
            }
            newline(out, depth);
            out.push(']');
        }
        Json::Object(entries) if entries.is_empty() => out.push_str("{}"),
        Json::Object(entries) => {
            out.push('{');
            for (i, (key, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                write_string(out, key);
                out.push_str(": ");
                write_value(out, item, depth + 1);
            }
            newline(out, depth);
            out.push('}');
        }
    }
}

fn newline(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("  ");
    }
}

/// Writes a string the way `JSON.stringify` quotes it (non-ASCII raw, short escapes
/// where JSON has them, `\u00xx` lowercase for other control characters).
fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Formats number text as JavaScript's `Number.prototype.toString` would print the value.
///
/// Plain integers are kept verbatim: within the range JavaScript prints without an
/// exponent they are already in its form, and beyond 2^53 keeping the digits is better
/// than reproducing JavaScript's precision loss. Text that is not a finite number is
/// returned unchanged rather than writing invalid JSON silently as `null`.
pub fn js_number(text: &str) -> String {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let plain_integer = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    if plain_integer && digits.len() <= 21 {
        return if digits == "0" {
            "0".to_owned()
        } else {
            text.to_owned()
        };
    }
    let Ok(value) = text.parse::<f64>() else {
        return text.to_owned();
    };
    if !value.is_finite() {
        return text.to_owned();
    }
    format_f64_js(value)
}

/// JavaScript's Number-to-String for a finite double (ECMA-262 Number::toString).
fn format_f64_js(value: f64) -> String {
    if value == 0.0 {
        return "0".to_owned();
    }
    // Rust's `{:e}` gives the shortest round-trip digits, the same digits JavaScript picks.
    let sci = format!("{:e}", value.abs());
    let (mantissa, exp) = sci.split_once('e').expect("`{:e}` always has an exponent");
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i32;
    let n = exp.parse::<i32>().expect("`{:e}` exponent is an integer") + 1;
    let mut out = String::new();
    if value < 0.0 {
        out.push('-');
    }
    if k <= n && n <= 21 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        out.push_str(&digits[..n as usize]);
        out.push('.');
        out.push_str(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if n > 0 { '+' } else { '-' });
        out.push_str(&(n - 1).abs().to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_javascript() {
        let cases = [
            ("0", "0"),
            ("-0", "0"),
            ("42", "42"),
            ("-7", "-7"),
            ("1.5", "1.5"),
            ("1.50", "1.5"),
            ("1e21", "1e+21"),
            ("1E3", "1000"),
            ("100000000000000000000", "100000000000000000000"),
            ("1e20", "100000000000000000000"),
            ("0.000001", "0.000001"),
            ("1e-7", "1e-7"),
            ("-2.5e-10", "-2.5e-10"),
            ("123.456e5", "12345600"),
            ("0.1", "0.1"),
            ("1.7976931348623157e308", "1.7976931348623157e+308"),
            ("007", "7"),
            ("9007199254740993", "9007199254740993"),
        ];
        for (input, expected) in cases {
            assert_eq!(js_number(input), expected, "input {input}");
        }
    }

    #[test]
    fn pretty_matches_json_stringify() {
        let mut inner = Json::object();
        inner.push("a", Json::Array(vec![Json::Number("1".into()), Json::Null]));
        inner.push("e", Json::Array(vec![]));
        let mut root = Json::object();
        root.push("s", Json::str("q\"\\\n\t\u{1}é"));
        root.push("o", inner);
        root.push("empty", Json::object());
        root.push("b", Json::Bool(false));
        let expected = "{\n  \"s\": \"q\\\"\\\\\\n\\t\\u0001é\",\n  \"o\": {\n    \"a\": [\n      1,\n      null\n    ],\n    \"e\": []\n  },\n  \"empty\": {},\n  \"b\": false\n}";
        assert_eq!(root.to_pretty(), expected);
    }

    #[test]
    fn from_value_keeps_key_order() {
        let value: serde_json::Value =
            serde_json::from_str(r#"{"z":1,"a":{"y":2.5,"b":[true]}}"#).unwrap();
        assert_eq!(
            Json::from_value(&value).to_pretty(),
            "{\n  \"z\": 1,\n  \"a\": {\n    \"y\": 2.5,\n    \"b\": [\n      true\n    ]\n  }\n}"
        );
    }
}
