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
    if let Some(at) = too_deep(&value) {
        diags.error(
            &at,
            format!("the document nests deeper than {MAX_NESTING} levels"),
            "move deeply nested inline schemas to `components.schemas` and `$ref` them",
        );
        return None;
    }
    deserialize(value, diags)
}

/// How deep a document may nest (maps and lists); deeper input is refused before the
/// recursive OpenAPI deserializer could overflow the stack.
const MAX_NESTING: usize = 96;

/// The pointer of the first node nested deeper than [`MAX_NESTING`], found without recursion.
fn too_deep(value: &Value) -> Option<Ptr> {
    let mut stack = vec![(value, Ptr::root(), 0usize)];
    while let Some((node, at, depth)) = stack.pop() {
        if depth > MAX_NESTING {
            return Some(at);
        }
        match node {
            Value::Object(map) => {
                stack.extend(map.iter().map(|(k, v)| (v, at.at(k), depth + 1)));
            }
            Value::Array(items) => {
                stack.extend(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (v, at.at(i), depth + 1)),
                );
            }
            _ => {}
        }
    }
    None
}

/// At most this many shape errors are reported for one document.
const MAX_SHAPE_ERRORS: usize = 50;

/// Deserialize into the OpenAPI model. A node of the wrong shape is reported, then
/// pruned (the operation, path item or component that holds it is dropped, a broken
/// component schema becomes "any value") and the rest is read again, so every shape
/// error is reported at once and everything else still generates.
fn deserialize(mut value: Value, diags: &mut Diagnostics) -> Option<openapiv3::OpenAPI> {
    require_root_fields(&mut value, diags);
    check_document_schemas(&mut value, &Ptr::root(), diags);
    let mut seen = Vec::new();
    for _ in 0..MAX_SHAPE_ERRORS {
        let mut track = serde_path_to_error::Track::new();
        let de = serde_path_to_error::Deserializer::new(&value, &mut track);
        let err = match <openapiv3::OpenAPI as serde::Deserialize>::deserialize(de) {
            Ok(api) => return Some(api),
            Err(err) => err,
        };
        let (pointer, err) = refine(&value, path_to_pointer(&track.path()), err.to_string());
        let (message, help) = explain_shape_error(&err, &pointer);
        diags.error(&pointer, message, help);
        if seen.contains(&pointer) || !prune(&mut value, &pointer) {
            return None;
        }
        seen.push(pointer);
    }
    None
}

/// Schema keywords whose values are schemas, lists of schemas, maps of schemas.
const SCHEMA_CHILD: &[&str] = &["items", "additionalProperties", "not"];
const SCHEMA_LIST: &[&str] = &["allOf", "oneOf", "anyOf"];
const SCHEMA_MAP: &[&str] = &["properties"];

/// Check every schema of the document, innermost first, replacing a broken one by `{}`
/// (any value) after reporting it.
///
/// `openapiv3` reads schemas through untagged enums, which try each variant in turn: a
/// mistake deep inside nested schemas makes every level retry every variant, which is
/// exponential in the depth (20 levels took seconds). Checked innermost first, each
/// schema is read once per enclosing schema at most, and never fails deep inside.
fn check_document_schemas(node: &mut Value, at: &Ptr, diags: &mut Diagnostics) {
    match node {
        Value::Object(map) => {
            let in_components = at.tokens().eq(["components"]);
            for (key, child) in map.iter_mut() {
                let here = at.at(key);
                match key.as_str() {
                    "example" | "examples" | "default" | "enum" => {}
                    "schema" => check_schema(child, &here, diags),
                    "schemas" if in_components => {
                        if let Value::Object(schemas) = child {
                            for (name, schema) in schemas.iter_mut() {
                                check_schema(schema, &here.at(name), diags);
                            }
                        }
                    }
                    _ => check_document_schemas(child, &here, diags),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                check_document_schemas(item, &at.at(i), diags);
            }
        }
        _ => {}
    }
}

fn check_schema(node: &mut Value, at: &Ptr, diags: &mut Diagnostics) {
    if let Value::Object(map) = node {
        for (key, child) in map.iter_mut() {
            let here = at.at(key);
            if SCHEMA_CHILD.contains(&key.as_str()) && child.is_object() {
                check_schema(child, &here, diags);
            } else if SCHEMA_LIST.contains(&key.as_str())
                && let Value::Array(items) = child
            {
                for (i, item) in items.iter_mut().enumerate() {
                    check_schema(item, &here.at(i), diags);
                }
            } else if SCHEMA_MAP.contains(&key.as_str())
                && let Value::Object(props) = child
            {
                for (name, schema) in props.iter_mut() {
                    check_schema(schema, &here.at(name), diags);
                }
            }
        }
    }
    if let Err((pointer, err)) = probe::<openapiv3::ReferenceOr<openapiv3::Schema>>(node, at) {
        let (message, help) = explain_shape_error(&err, &pointer);
        diags.error(&pointer, message, help);
        *node = Value::Object(serde_json::Map::new());
    }
}

/// Deserialize `value` as `T`, giving the pointer (relative to `at`) and message of the
/// first problem.
fn probe<T: serde::de::DeserializeOwned>(value: &Value, at: &Ptr) -> Result<(), (Ptr, String)> {
    let mut track = serde_path_to_error::Track::new();
    let de = serde_path_to_error::Deserializer::new(value, &mut track);
    match T::deserialize(de) {
        Ok(_) => Ok(()),
        Err(err) => {
            let mut ptr = at.clone();
            for token in path_to_pointer(&track.path()).tokens() {
                ptr = ptr.at(token);
            }
            Err((ptr, err.to_string()))
        }
    }
}

/// `openapiv3` reads path items and operations through `#[serde(flatten)]`, which loses
/// the position of an error below `#/paths`. Probe the pieces one by one to find it.
fn refine(doc: &Value, at: Ptr, err: String) -> (Ptr, String) {
    use openapiv3::{Operation, Parameter, ReferenceOr, RequestBody, Response};
    let tokens: Vec<String> = at.tokens().collect();
    if tokens.first().map(String::as_str) != Some("paths") || tokens.len() > 3 {
        return (at, err);
    }
    let Some(Value::Object(paths)) = doc.get("paths") else {
        return (at, err);
    };
    let paths_at = Ptr::root().at("paths");
    let first_error = paths.iter().find_map(|(path, item)| {
        let item_at = paths_at.at(path);
        let Value::Object(item) = item else {
            return Some(
                probe::<openapiv3::PathItem>(item, &item_at)
                    .err()
                    .unwrap_or((item_at, err.clone())),
            );
        };
        item.iter()
            .find_map(|(key, node)| {
                let node_at = item_at.at(key);
                if key == "parameters" {
                    return probe::<Vec<ReferenceOr<Parameter>>>(node, &node_at).err();
                }
                if !is_method(key) {
                    return None;
                }
                probe::<Operation>(node, &node_at).err()?;
                let Value::Object(op) = node else {
                    return Some((
                        node_at,
                        format!("invalid type: {}, expected an operation", kind(node)),
                    ));
                };
                op.iter()
                    .find_map(|(field, child)| {
                        let field_at = node_at.at(field);
                        match field.as_str() {
                            "parameters" => {
                                probe::<Vec<ReferenceOr<Parameter>>>(child, &field_at).err()
                            }
                            "requestBody" => {
                                probe::<ReferenceOr<RequestBody>>(child, &field_at).err()
                            }
                            "responses" => match child {
                                Value::Object(responses) => {
                                    responses.iter().find_map(|(code, r)| {
                                        probe::<ReferenceOr<Response>>(r, &field_at.at(code)).err()
                                    })
                                }
                                _ => probe::<openapiv3::Responses>(child, &field_at).err(),
                            },
                            _ => None,
                        }
                    })
                    .or_else(|| probe::<Operation>(node, &node_at).err())
            })
            .or_else(|| probe::<openapiv3::PathItem>(&Value::Object(item.clone()), &item_at).err())
    });
    first_error.unwrap_or((at, err))
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "sequence",
        Value::Object(_) => "map",
    }
}

/// `info` and `paths` are required; a missing one is reported and replaced by an
/// empty one so that the rest of the document is still checked.
fn require_root_fields(doc: &mut Value, diags: &mut Diagnostics) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    if !root.contains_key("info") {
        diags.error(
            &Ptr::root(),
            "the document has no `info`",
            "add `info: {title: My API, version: '1.0'}` at the top level",
        );
        root.insert(
            "info".into(),
            serde_json::json!({"title": "", "version": ""}),
        );
    }
    if !root.contains_key("paths") {
        diags.error(
            &Ptr::root(),
            "the document has no `paths`",
            "add `paths:` with the API's operations (`paths: {}` for none)",
        );
        root.insert("paths".into(), serde_json::json!({}));
    }
}

fn explain_shape_error(err: &str, at: &Ptr) -> (String, String) {
    let tokens: Vec<String> = at.tokens().collect();
    let expected = match tokens.as_slice() {
        [] => "an OpenAPI 3.0 document".to_string(),
        [p] if p == "paths" => "a map from path templates (`/items/{id}`) to path items".to_string(),
        [p, _] if p == "paths" => "a path item: a map of HTTP methods (`get`, `post`, ...) to operations".to_string(),
        [p, _, m] if p == "paths" && is_method(m) => "an operation: a map with `responses` and optional `operationId`, `parameters`, `requestBody`".to_string(),
        [c, s, _] if c == "components" && s == "schemas" => "a schema (a map such as `type: object`) or a `$ref`".to_string(),
        [.., p, _] if p == "properties" || SCHEMA_LIST.contains(&p.as_str()) => "a schema (a map such as `type: string`; `required` is a list of property names) or a `$ref`".to_string(),
        [.., s] if s == "schema" || SCHEMA_CHILD.contains(&s.as_str()) => "a schema (a map such as `type: string`) or a `$ref`".to_string(),
        [.., r] if r == "responses" => "a map from status codes (`200`, `4XX`, `default`) to responses".to_string(),
        [.., r, _] if r == "responses" => "a response: a map with `description` and optional `content`, or a `$ref`".to_string(),
        [.., p] if p == "parameters" => "a list of parameters".to_string(),
        [.., p, _] if p == "parameters" => "a parameter: a map with `name`, `in` and `schema`, or a `$ref`".to_string(),
        _ => "the shape the OpenAPI 3.0 specification gives this field".to_string(),
    };
    let err = err.replace(
        "data did not match any variant of untagged enum ReferenceOr",
        "neither a `$ref` nor a valid inline object",
    );
    (
        format!("this node has the wrong shape: {err}"),
        format!("write {expected} here"),
    )
}

fn is_method(token: &str) -> bool {
    matches!(
        token,
        "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
    )
}

/// Drop (or neutralize) the smallest enclosing unit of `at` that can be left out
/// without making the rest invalid. Returns false when nothing sensible can be dropped.
fn prune(doc: &mut Value, at: &Ptr) -> bool {
    let tokens: Vec<String> = at.tokens().collect();
    let Some(root) = doc.as_object_mut() else {
        return false;
    };
    let empty = || Value::Object(serde_json::Map::new());
    match tokens.as_slice() {
        [p] if p == "paths" => {
            root.insert(p.clone(), empty());
            true
        }
        [p, path, rest @ ..] if p == "paths" => {
            let Some(Value::Object(paths)) = root.get_mut(p) else {
                return false;
            };
            match (rest, paths.get_mut(path)) {
                ([method, ..], Some(Value::Object(item))) if is_method(method) => {
                    item.remove(method.as_str()).is_some()
                }
                _ => paths.remove(path.as_str()).is_some(),
            }
        }
        [c, kind, name, ..] if c == "components" => {
            let Some(Value::Object(group)) = root
                .get_mut(c)
                .and_then(Value::as_object_mut)
                .and_then(|c| c.get_mut(kind))
            else {
                return false;
            };
            if kind == "schemas" {
                // Keeps `$ref`s to it valid: the schema becomes "any JSON value".
                group.insert(name.clone(), empty()) != Some(empty())
            } else {
                group.remove(name.as_str()).is_some()
            }
        }
        [c, ..] if c == "components" => root.remove(c.as_str()).is_some(),
        [i, ..] if i == "info" => {
            let title = root
                .get("info")
                .and_then(|i| i.get("title"))
                .filter(|t| t.is_string())
                .cloned()
                .unwrap_or_else(|| Value::String(String::new()));
            let info = serde_json::json!({ "title": title, "version": "" });
            root.insert(i.clone(), info.clone()) != Some(info)
        }
        [key, ..] if key != "openapi" => root.remove(key.as_str()).is_some(),
        _ => false,
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

/// Flow collections (`[`, `{`) nested deeper than this are refused before parsing:
/// the YAML scanner slows down quadratically on them (100 000 `[` take minutes).
const MAX_FLOW_NESTING: usize = 1000;

/// Where the brackets of `text` first nest deeper than [`MAX_FLOW_NESTING`]. Brackets
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
            if depth > MAX_FLOW_NESTING {
                return Some(Location::LineCol {
                    line: line + 1,
                    column: column + 1,
                });
            }
        }
    }
    None
}

fn parse_yaml(text: &str, diags: &mut Diagnostics) -> Option<Value> {
    if let Some(location) = flow_too_deep(text) {
        diags.push(
            location,
            format!("the document nests `[` and `{{` deeper than {MAX_FLOW_NESTING} levels"),
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
        let mut d = Diagnostics::new(Path::new("x.yaml"));
        let pruned = parse_str(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: []\n",
            false,
            &mut d,
        );
        assert!(pruned.is_some(), "the rest of the document is still read");
        let shape = &d.into_vec()[0].to_string();
        assert!(shape.starts_with("x.yaml at #/paths: "), "{shape}");
    }

    #[test]
    fn every_shape_error_is_reported_and_the_rest_is_kept() {
        let mut d = Diagnostics::new(Path::new("x.yaml"));
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: []\n  /b:\n    get:\n      parameters: 3\n      responses: {}\n  /c:\n    get:\n      responses: {'200': {description: ok}}\ncomponents:\n  schemas:\n    Bad: 7\n";
        let api = parse_str(text, false, &mut d).expect("pruned document");
        let found: Vec<String> = d.into_vec().into_iter().map(|d| d.to_string()).collect();
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(
            found[1].starts_with("x.yaml at #/paths/~1a/get/responses: "),
            "{found:#?}"
        );
        assert!(
            found[2].starts_with("x.yaml at #/paths/~1b/get/parameters: "),
            "{found:#?}"
        );
        assert!(
            found[0].starts_with("x.yaml at #/components/schemas/Bad: "),
            "{found:#?}"
        );
        assert!(api.paths.paths.contains_key("/c"));
    }

    #[test]
    fn a_mistake_deep_in_nested_schemas_is_found_fast() {
        let mut schema = serde_json::json!({"type": "object", "required": true});
        for _ in 0..30 {
            schema = serde_json::json!({"type": "object", "properties": {"p": schema}});
        }
        let doc = serde_json::json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"Deep": schema}}
        });
        let started = std::time::Instant::now();
        let mut d = Diagnostics::new(Path::new("x.json"));
        assert!(parse_str(&doc.to_string(), true, &mut d).is_some());
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        let found = d.into_vec();
        assert_eq!(found.len(), 1);
        let Location::Pointer(at) = &found[0].location else {
            panic!("{found:?}")
        };
        assert_eq!(at.matches("/properties/p").count(), 30, "{at}");
    }

    #[test]
    fn deep_nesting_is_refused_without_recursion() {
        let mut text =
            String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-deep: ");
        text.push_str(&"[".repeat(120));
        text.push_str(&"]".repeat(120));
        let found = errors(&text, false);
        assert!(found[0].contains("nests deeper"), "{found:?}");
    }
}
