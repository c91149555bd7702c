//! Text -> JSON value: the YAML and JSON parsers, with their errors located by line
//! and column.

use serde_json::Value;

use crate::diag::{Diagnostics, Location};
use crate::limits::FLOW_DEPTH;

pub fn parse_json(text: &str, diags: &mut Diagnostics) -> Option<Value> {
    match serde_json::from_str::<Value>(text) {
        Ok(value) => Some(value),
        Err(err) => {
            diags.push(
                Location::LineCol {
                    line: err.line(),
                    column: err.column(),
                },
                format!("JSON syntax error: {err}"),
                "fix the JSON syntax at this line and column",
            );
            None
        }
    }
}

/// Where the brackets of `text` first nest deeper than [`FLOW_DEPTH`]. Brackets
/// in strings count too, so this over-estimates; the limit leaves room for that.
fn flow_too_deep(text: &str) -> Option<Location> {
    // Bytes, not chars: brackets are ASCII, which no byte of a multi-byte character is,
    // and this scan of the whole text runs unoptimized inside the macro.
    let mut depth = 0usize;
    let mut at = None;
    for (i, byte) in text.bytes().enumerate() {
        match byte {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => continue,
        }
        if depth > FLOW_DEPTH {
            at = Some(i);
            break;
        }
    }
    let at = at?;
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Some(Location::LineCol {
        line: before.matches('\n').count() + 1,
        column: text[line_start..=at].chars().count(),
    })
}

pub fn parse_yaml(text: &str, diags: &mut Diagnostics) -> Option<Value> {
    if let Some(location) = flow_too_deep(text) {
        diags.push(
            location,
            format!("the document nests `[` and `{{` deeper than {FLOW_DEPTH} levels"),
            "move deeply nested inline schemas to `components.schemas` and `$ref` them",
        );
        return None;
    }
    match serde_yaml::from_str::<Node>(text) {
        Ok(Node(value)) => Some(value),
        Err(err) => {
            let location = match err.location() {
                Some(loc) => Location::LineCol {
                    line: loc.line(),
                    column: loc.column(),
                },
                None => Location::File,
            };
            diags.push(
                location,
                format!("YAML syntax error: {err}"),
                "fix the YAML syntax at this line and column",
            );
            None
        }
    }
}

/// A YAML node read straight into the JSON value the loader works on (one pass, no
/// `serde_yaml::Value` in between):
///
/// - integers beyond the 64-bit range (`-9223372036854776000`, as JavaScript tools print
///   `i64::MIN`) are read as floats instead of failing the whole document: they are valid
///   YAML, and `refine` decides what a bound that large means; NaN and infinities, which
///   JSON has no form for, are null;
/// - scalar keys are their text (`200:` is an integer key; OpenAPI keys are strings), and
///   a key that is a list or a mapping is an error at its line and column;
/// - merge keys (`<<: *base`) are applied, as `serde_yaml::Value::apply_merge` does;
/// - tags (`!Tag value`) are dropped, keeping the value.
struct Node(Value);

impl<'de> serde::Deserialize<'de> for Node {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor).map(Node)
    }
}

/// A float as JSON has it: NaN and infinities are null.
fn float(f: f64) -> Value {
    serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
}

struct NodeVisitor;

impl<'de> serde::de::Visitor<'de> for NodeVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::from(i))
    }

    fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
        Ok(Value::from(u))
    }

    fn visit_i128<E>(self, i: i128) -> Result<Value, E> {
        Ok(float(i as f64))
    }

    fn visit_u128<E>(self, u: u128) -> Result<Value, E> {
        Ok(float(u as f64))
    }

    fn visit_f64<E>(self, f: f64) -> Result<Value, E> {
        Ok(float(f))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_string()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(NodeVisitor)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Node(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        let mut merges = false;
        while let Some((Key(key), Node(value))) = map.next_entry()? {
            merges |= key == MERGE;
            out.insert(key, value);
        }
        if merges {
            merge(&mut out).map_err(serde::de::Error::custom)?;
        }
        Ok(Value::Object(out))
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        use serde::de::VariantAccess;
        // serde_yaml presents a tagged node (`!Tag value`) as an enum.
        let (_tag, variant) = data.variant::<String>()?;
        let Node(value) = variant.newtype_variant()?;
        Ok(value)
    }
}

/// The merge key of YAML 1.1.
const MERGE: &str = "<<";

/// Apply the merge key of `map`: the entries of the mapping (or of each mapping of the
/// list) it names that `map` does not have are added, in order. The merge key's place
/// is taken by the last entry, as `serde_yaml::Value::apply_merge` does.
fn merge(map: &mut serde_json::Map<String, Value>) -> Result<(), &'static str> {
    let sources = match map.swap_remove(MERGE) {
        Some(Value::Object(source)) => vec![source],
        Some(Value::Array(list)) => list
            .into_iter()
            .map(|item| match item {
                Value::Object(source) => Ok(source),
                Value::Array(_) => Err("expected a mapping for merging, but found sequence"),
                _ => Err("expected a mapping for merging, but found scalar"),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => {
            return Err("expected a mapping or list of mappings for merging, but found scalar");
        }
        None => return Ok(()),
    };
    for source in sources {
        for (key, value) in source {
            map.entry(key).or_insert(value);
        }
    }
    Ok(())
}

/// A mapping key: its text when it is a scalar.
struct Key(String);

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(KeyVisitor).map(Key)
    }
}

struct KeyVisitor;

impl KeyVisitor {
    /// A number key as `serde_yaml` prints it (`1.5`, `.inf`).
    fn float(f: f64) -> String {
        serde_yaml::Number::from(f).to_string()
    }
}

impl<'de> serde::de::Visitor<'de> for KeyVisitor {
    type Value = String;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a scalar mapping key (use plain string keys)")
    }

    fn visit_bool<E>(self, b: bool) -> Result<String, E> {
        Ok(b.to_string())
    }

    fn visit_i64<E>(self, i: i64) -> Result<String, E> {
        Ok(i.to_string())
    }

    fn visit_u64<E>(self, u: u64) -> Result<String, E> {
        Ok(u.to_string())
    }

    fn visit_i128<E>(self, i: i128) -> Result<String, E> {
        Ok(Self::float(i as f64))
    }

    fn visit_u128<E>(self, u: u128) -> Result<String, E> {
        Ok(Self::float(u as f64))
    }

    fn visit_f64<E>(self, f: f64) -> Result<String, E> {
        Ok(Self::float(f))
    }

    fn visit_str<E>(self, s: &str) -> Result<String, E> {
        Ok(s.to_string())
    }

    fn visit_string<E>(self, s: String) -> Result<String, E> {
        Ok(s)
    }

    fn visit_unit<E>(self) -> Result<String, E> {
        Ok("null".to_string())
    }

    fn visit_none<E>(self) -> Result<String, E> {
        Ok("null".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn yaml(text: &str) -> (Option<Value>, Vec<crate::Diagnostic>) {
        let mut diags = Diagnostics::new(Path::new("t.yaml"));
        let value = parse_yaml(text, &mut diags);
        (value, diags.into_vec())
    }

    #[test]
    fn yaml_scalar_keys_become_strings() {
        let (value, diags) = yaml("responses:\n  200: {description: ok}\n  true: 1\n  ~: 2\n");
        assert!(diags.is_empty(), "{diags:?}");
        let responses = &value.expect("parses")["responses"];
        assert_eq!(responses["200"]["description"], "ok");
        assert_eq!(responses["true"], 1);
        assert_eq!(responses["null"], 2);
    }

    #[test]
    fn merge_keys_are_applied() {
        let (value, diags) = yaml("base: &b {type: string}\nname:\n  <<: *b\n  minLength: 1\n");
        assert!(diags.is_empty(), "{diags:?}");
        let name = &value.expect("parses")["name"];
        assert_eq!(
            (name["type"].as_str(), name["minLength"].as_i64()),
            (Some("string"), Some(1))
        );
    }

    #[test]
    fn merge_keys_take_lists_keep_what_is_set_and_nest() {
        let text = "a: &a {x: 1, y: 1}\nb: &b {<<: *a, y: 2, z: 2}\nc:\n  <<: [*b, {w: 3, x: 3}]\n  v: 4\n";
        let (value, diags) = yaml(text);
        assert!(diags.is_empty(), "{diags:?}");
        let value = value.expect("parses");
        assert_eq!(value["b"], serde_json::json!({"z": 2, "y": 2, "x": 1}));
        let c = value["c"].as_object().expect("a mapping");
        // The merge key's place is taken by the last entry, then the merged ones follow.
        assert_eq!(c.keys().collect::<Vec<_>>(), ["v", "z", "y", "x", "w"]);
        assert_eq!(
            (&c["x"], &c["y"], &c["w"]),
            (&1.into(), &2.into(), &3.into())
        );
        let (value, diags) = yaml("a:\n  <<: 1\n");
        assert!(value.is_none());
        assert_eq!(
            (diags[0].location.clone(), diags.len()),
            (Location::LineCol { line: 2, column: 3 }, 1),
            "{diags:?}"
        );
        assert!(diags[0].message.contains("for merging"), "{diags:?}");
    }

    #[test]
    fn a_key_that_is_no_scalar_is_an_error_at_its_place() {
        let (value, diags) = yaml("paths:\n  ? [a, b]\n  : 1\n");
        assert!(value.is_none());
        assert!(
            matches!(diags[0].location, Location::LineCol { line: 2, .. }),
            "{diags:?}"
        );
        assert!(diags[0].message.contains("scalar mapping key"), "{diags:?}");
    }

    #[test]
    fn tags_are_dropped_and_odd_numbers_fit_json() {
        let (value, diags) =
            yaml("a: !Thing {b: 1}\nbig: 99999999999999999999\nnan: .nan\n1.5: x\n");
        assert!(diags.is_empty(), "{diags:?}");
        let value = value.expect("parses");
        assert_eq!(value["a"], serde_json::json!({"b": 1}));
        assert_eq!(value["big"].as_f64(), Some(1e20));
        assert!(value["nan"].is_null());
        assert_eq!(value["1.5"], "x");
    }

    #[test]
    fn syntax_errors_are_located_by_line_and_column() {
        let (value, diags) = yaml("a: [1, 2\nb: 3\n");
        assert!(value.is_none());
        assert!(
            matches!(diags[0].location, Location::LineCol { .. }),
            "{diags:?}"
        );
        assert!(
            diags[0].message.starts_with("YAML syntax error"),
            "{}",
            diags[0].message
        );

        let mut json_diags = Diagnostics::new(Path::new("t.json"));
        assert!(parse_json("{\"a\": 1,}", &mut json_diags).is_none());
        let d = &json_diags.into_vec()[0];
        assert_eq!(d.location, Location::LineCol { line: 1, column: 9 });
        assert!(d.message.starts_with("JSON syntax error"));
    }

    #[test]
    fn flow_nesting_is_bounded_before_parsing() {
        let deep = "[".repeat(FLOW_DEPTH + 1);
        assert_eq!(
            flow_too_deep(&format!("a: 1\n{deep}")),
            Some(Location::LineCol {
                line: 2,
                column: FLOW_DEPTH + 1
            })
        );
        assert_eq!(flow_too_deep(&"[]".repeat(FLOW_DEPTH * 2)), None);
        // Columns count characters; CRLF line ends count once.
        assert_eq!(
            flow_too_deep(&format!("a: é\r\nb: {deep}")),
            Some(Location::LineCol {
                line: 2,
                column: FLOW_DEPTH + 4
            })
        );
        let (value, diags) = yaml(&deep);
        assert!(value.is_none() && diags[0].message.contains("deeper than"));
    }
}
