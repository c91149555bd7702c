//! Loading: file -> YAML/JSON value -> version check -> `openapiv3::OpenAPI`.

use std::path::Path;

use serde_json::Value;

use crate::diag::{Diagnostics, Location, Ptr};

/// Read and parse the spec at `path`. On failure the reasons are in `diags`.
pub fn load(path: &Path, diags: &mut Diagnostics) -> Option<openapiv3::OpenAPI> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) => {
            diags.push(
                Location::File,
                format!("cannot read the spec file: {err}"),
                "the path is relative to the calling crate's CARGO_MANIFEST_DIR; check that the file exists",
            );
            return None;
        }
    };
    parse_str(&text, is_json(path), diags)
}

fn is_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"))
}

/// Stack for parsing. `openapiv3`'s untagged and flattened enums make serde recurse many
/// frames per level of nesting, so a deeply nested (but valid) document overflows a
/// 2 MiB thread in debug builds; the YAML and JSON parsers themselves stop at 128 levels,
/// which this stack holds with room to spare. Only touched pages are committed.
const PARSE_STACK: usize = 256 * 1024 * 1024;

/// Parse spec text; `json` selects the JSON parser (YAML otherwise).
pub fn parse_str(text: &str, json: bool, diags: &mut Diagnostics) -> Option<openapiv3::OpenAPI> {
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("orq-codegen-parse".into())
            .stack_size(PARSE_STACK)
            .spawn_scoped(scope, || parse_here(text, json, diags));
        match worker {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => None,
        }
    })
    .or_else(|| {
        if diags.is_empty() {
            diags.push(
                Location::File,
                "could not start the thread that parses the spec",
                "retry the build; if it persists, the machine is out of threads or memory",
            );
        }
        None
    })
}

fn parse_here(text: &str, json: bool, diags: &mut Diagnostics) -> Option<openapiv3::OpenAPI> {
    if text.trim().is_empty() {
        diags.push(
            Location::File,
            "the spec file is empty",
            "write an OpenAPI 3.0 document (`openapi: 3.0.3`, `info`, `paths`)",
        );
        return None;
    }
    let value = if json {
        parse_json(text, diags)?
    } else {
        parse_yaml(text, diags)?
    };
    let value = check_version(value, diags)?;
    let mut track = serde_path_to_error::Track::new();
    let de = serde_path_to_error::Deserializer::new(&value, &mut track);
    match <openapiv3::OpenAPI as serde::Deserialize>::deserialize(de) {
        Ok(api) => Some(api),
        Err(err) => {
            let pointer = path_to_pointer(&track.path());
            diags.error(
                &pointer,
                format!("this is not a valid OpenAPI 3.0 document here: {err}"),
                "fix the shape of this node to match the OpenAPI 3.0 specification",
            );
            None
        }
    }
}

fn parse_json(text: &str, diags: &mut Diagnostics) -> Option<Value> {
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

fn parse_yaml(text: &str, diags: &mut Diagnostics) -> Option<Value> {
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

fn check_version(value: Value, diags: &mut Diagnostics) -> Option<Value> {
    let Some(root) = value.as_object() else {
        diags.error(
            &Ptr::root(),
            "the document is not a mapping",
            "an OpenAPI document starts with `openapi: 3.0.3`, `info:` and `paths:`",
        );
        return None;
    };
    if let Some(swagger) = root.get("swagger") {
        diags.error(
            &Ptr::root().at("swagger"),
            format!("Swagger {} documents are not supported", swagger_version(swagger)),
            "convert the document to OpenAPI 3.0 (for example with swagger2openapi) and point `spec` at the result",
        );
        return None;
    }
    let at = Ptr::root().at("openapi");
    let version = match root.get("openapi") {
        Some(Value::String(v)) => v.clone(),
        Some(other) => {
            diags.error(
                &at,
                format!("`openapi` must be a string such as \"3.0.3\", found {other}"),
                "quote the version: `openapi: \"3.0.3\"`",
            );
            return None;
        }
        None => {
            diags.error(
                &Ptr::root(),
                "the document has no `openapi` version field",
                "add `openapi: 3.0.3` at the top of the document",
            );
            return None;
        }
    };
    if version.starts_with("3.0.") || version == "3.0" {
        Some(value)
    } else if version.starts_with("3.1.") || version == "3.1" {
        crate::v31::normalize(value, diags)
    } else {
        diags.error(
            &at,
            format!("OpenAPI version {version} is not supported"),
            "orq-codegen reads OpenAPI 3.0.x and 3.1.x documents",
        );
        None
    }
}

fn swagger_version(value: &Value) -> String {
    value
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| value.to_string())
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> Ptr {
    use serde_path_to_error::Segment;
    let mut ptr = Ptr::root();
    for segment in path.iter() {
        ptr = match segment {
            Segment::Seq { index } => ptr.at(index),
            Segment::Map { key } => ptr.at(key),
            Segment::Enum { variant } => ptr.at(variant),
            Segment::Unknown => ptr,
        };
    }
    ptr
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str, json: bool) -> Vec<String> {
        let mut d = Diagnostics::new(Path::new("x.yaml"));
        assert!(parse_str(text, json, &mut d).is_none());
        d.into_vec().into_iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn integer_response_keys_are_accepted() {
        let mut d = Diagnostics::new(Path::new("x.yaml"));
        let api = parse_str(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n",
            false,
            &mut d,
        );
        assert!(d.is_empty(), "{d:?}");
        assert!(api.is_some());
    }

    #[test]
    fn syntax_and_shape_errors_are_located() {
        assert_eq!(
            errors("", false),
            [
                "x.yaml: the spec file is empty\n  help: write an OpenAPI 3.0 document (`openapi: 3.0.3`, `info`, `paths`)"
            ]
        );
        let yaml = &errors("a: b: c", false)[0];
        assert!(
            yaml.starts_with("x.yaml:1:") && yaml.contains("YAML syntax error"),
            "{yaml}"
        );
        assert!(errors("{\"a\": }", true)[0].starts_with("x.yaml:1:7: JSON syntax error"));
        assert!(
            errors("swagger: '2.0'", false)[0].contains("Swagger 2.0 documents are not supported")
        );
        assert!(errors("openapi: 4.0.0", false)[0].contains("version 4.0.0 is not supported"));
        let shape = &errors(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: []\n",
            false,
        )[0];
        assert!(shape.starts_with("x.yaml at #/paths: "), "{shape}");
    }
}
