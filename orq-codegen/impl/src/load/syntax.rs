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
    let mut yaml: serde_yaml::Value = match serde_yaml::from_str(text) {
        Ok(value) => value,
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
