//! Text -> JSON value: the YAML and JSON parsers, with their errors located by line
//! and column.

use serde_json::Value;

use crate::diag::{Diagnostics, Location, Ptr};
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
    let mut depth = 0usize;
    for (line, content) in text.lines().enumerate() {
        for (column, c) in content.chars().enumerate() {
            match c {
                '[' | '{' => depth += 1,
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth > FLOW_DEPTH {
                return Some(Location::LineCol {
                    line: line + 1,
                    column: column + 1,
                });
            }
        }
    }
    None
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
    let mut yaml = match serde_yaml::from_str::<Node>(text) {
        Ok(Node(value)) => value,
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
            return None;
        }
    };
    if let Err(err) = yaml.apply_merge() {
        diags.push(
            Location::File,
            format!("YAML merge key (`<<`) error: {err}"),
            "check the merge keys of the document",
        );
        return None;
    }
    yaml_to_json(yaml, &Ptr::root(), diags)
}

/// A YAML node read like `serde_yaml::Value`, except that integers beyond the 64-bit
/// range (`-9223372036854776000`, as JavaScript tools print `i64::MIN`) are read as
/// floats instead of failing the whole document: they are valid YAML, and `refine`
/// decides what a bound that large means.
struct Node(serde_yaml::Value);

impl<'de> serde::Deserialize<'de> for Node {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor).map(Node)
    }
}

struct NodeVisitor;

impl<'de> serde::de::Visitor<'de> for NodeVisitor {
    type Value = serde_yaml::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Self::Value, E> {
        Ok(serde_yaml::Value::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Self::Value, E> {
        Ok(serde_yaml::Value::Number(i.into()))
    }

    fn visit_u64<E>(self, u: u64) -> Result<Self::Value, E> {
        Ok(serde_yaml::Value::Number(u.into()))
    }

    fn visit_i128<E>(self, i: i128) -> Result<Self::Value, E> {
        Ok(serde_yaml::Value::Number((i as f64).into()))
    }

    fn visit_u128<E>(self, u: u128) -> Result<Self::Value, E> {
        Ok(serde_yaml::Value::Number((u as f64).into()))
    }

    fn visit_f64<E>(self, f: f64) -> Result<Self::Value, E> {
        Ok(serde_yaml::Value::Number(f.into()))
    }

    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(serde_yaml::Value::String(s.to_string()))
    }

    fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
        Ok(serde_yaml::Value::String(s))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_yaml::Value::Null)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_yaml::Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(NodeVisitor)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Node(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(serde_yaml::Value::Sequence(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = serde_yaml::Mapping::new();
        while let Some((Node(key), Node(value))) = map.next_entry()? {
            out.insert(key, value);
        }
        Ok(serde_yaml::Value::Mapping(out))
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        use serde::de::VariantAccess;
        // serde_yaml presents a tagged node (`!Tag value`) as an enum.
        let (tag, variant) = data.variant::<String>()?;
        let Node(value) = variant.newtype_variant()?;
        Ok(serde_yaml::Value::Tagged(Box::new(
            serde_yaml::value::TaggedValue {
                tag: serde_yaml::value::Tag::new(tag),
                value,
            },
        )))
    }
}

/// YAML allows keys that JSON does not (`200:` is an integer key). OpenAPI keys are
/// strings, so scalar keys are turned into their text.
fn yaml_to_json(yaml: serde_yaml::Value, at: &Ptr, diags: &mut Diagnostics) -> Option<Value> {
    use serde_yaml::Value as Y;
    Some(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                // NaN and infinities have no JSON form.
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number)
                    .unwrap_or(Value::Null)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                out.push(yaml_to_json(item, &at.at(i), diags)?);
            }
            Value::Array(out)
        }
        Y::Mapping(map) => {
            let mut out = serde_json::Map::new();
            for (key, value) in map {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_string(),
                    _ => {
                        diags.error(
                            at,
                            "a mapping key here is not a scalar",
                            "use plain string keys",
                        );
                        return None;
                    }
                };
                let child = yaml_to_json(value, &at.at(&key), diags)?;
                out.insert(key, child);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, at, diags)?,
    })
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
        let (value, diags) = yaml(&deep);
        assert!(value.is_none() && diags[0].message.contains("deeper than"));
    }
}
