//! JSON value -> `openapiv3::OpenAPI`, with every shape error found, located and
//! explained, and the rest of the document still read.
//!
//! `openapiv3` stops at the first error and often cannot say where it is (its untagged
//! and flattened enums lose the position). So each schema is probed on its own first,
//! innermost first; then the document is deserialized, and on an error the pieces below
//! `#/paths` are probed one by one to find the node (`refine`), the error is explained,
//! the smallest enclosing unit is pruned, and the rest is read again.

use serde_json::Value;

use crate::diag::{Diagnostics, Ptr};
use crate::limits::SHAPE_ERRORS;
use crate::load::walk::{self, Order};

/// Deserialize into the OpenAPI model. A node of the wrong shape is reported, then
/// pruned (the operation, path item or component that holds it is dropped, a broken
/// component schema becomes "any value") and the rest is read again, so every shape
/// error is reported at once and everything else still generates.
pub fn deserialize(mut value: Value, diags: &mut Diagnostics) -> Option<openapiv3::OpenAPI> {
    require_root_fields(&mut value, diags);
    fit_keywords(&mut value, diags);
    check_schemas(&mut value, diags);
    // Nearly every document reads at once: try without tracking the path first, which
    // costs as much again as the read itself.
    if let Ok(api) = <openapiv3::OpenAPI as serde::Deserialize>::deserialize(&value) {
        return Some(api);
    }
    let mut seen = Vec::new();
    for _ in 0..SHAPE_ERRORS {
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

/// Check every schema of the document, innermost first, replacing a broken one by `{}`
/// (any value) after reporting it.
///
/// `openapiv3` reads schemas through untagged enums, which try each variant in turn: a
/// mistake deep inside nested schemas makes every level retry every variant, which is
/// exponential in the depth (20 levels took seconds). Checked innermost first, each
/// schema is read on its own, with the schemas inside it (already checked) set aside:
/// every node is read once, and nothing fails deep inside.
fn check_schemas(doc: &mut Value, diags: &mut Diagnostics) {
    walk::schemas_mut(doc, Order::ChildrenFirst, &mut |node, at| {
        let checked = walk::shallow(node, |schema| {
            probe::<openapiv3::ReferenceOr<openapiv3::Schema>>(schema, at)
        });
        if let Err((pointer, err)) = checked {
            let (message, help) = explain_shape_error(&err, &pointer);
            diags.error(&pointer, message, help);
            *node = Value::Object(serde_json::Map::new());
        }
    });
}

/// Fit the keywords of every schema to what the model holds (numbers, draft 3's
/// `required`), in one walk.
fn fit_keywords(doc: &mut Value, diags: &mut Diagnostics) {
    walk::schemas_mut(doc, Order::ParentFirst, &mut |node, at| {
        if let Value::Object(schema) = node {
            fit_numbers(schema, at, diags);
            fit_required(schema, at, diags);
        }
    });
}

/// Bring the numeric keywords of a schema into the range the model holds.
///
/// JSON numbers have no range, but the model reads integer bounds as `i64` and lengths
/// as `usize` (and an integer schema whose bounds are not `i64` silently loses its
/// type). A fractional bound of an integer is rounded inward, which means the same; a
/// bound beyond the 64-bit range (`-9223372036854776000`, as JavaScript prints
/// `i64::MIN`) or a length that is negative or too large is dropped, noted.
fn fit_numbers(schema: &mut serde_json::Map<String, Value>, at: &Ptr, diags: &mut Diagnostics) {
    const LENGTHS: [(&str, bool); 6] = [
        ("minLength", true),
        ("maxLength", false),
        ("minItems", true),
        ("maxItems", false),
        ("minProperties", true),
        ("maxProperties", false),
    ];
    let integer = schema.get("type").is_some_and(|t| t == "integer");
    let mut bounds = vec![("minimum", true), ("maximum", false), ("multipleOf", false)];
    if !integer {
        bounds.clear();
    }
    for (keyword, lower) in bounds {
        let Some((n, rounded)) = misfit(schema, keyword, lower, serde_json::Number::is_i64) else {
            continue;
        };
        let fits = (i64::MIN as f64..i64::MAX as f64).contains(&rounded);
        let whole = n.as_f64() == Some(rounded);
        if fits && (keyword != "multipleOf" || whole) {
            schema.insert(keyword.into(), Value::from(rounded as i64));
            continue;
        }
        let why = if keyword == "multipleOf" && fits {
            "is not a whole number, and every integer is a multiple of it"
        } else {
            "is beyond the 64-bit integer range"
        };
        diags.degrade(
            &at.at(keyword),
            format!("`{keyword}: {n}` of an integer {why}: the client does not check it"),
            "",
        );
        schema.remove(keyword);
    }
    if integer
        && let Some(Value::Array(values)) = schema.get("enum")
        && values.iter().any(|v| !v.is_i64() && !v.is_null())
    {
        diags.degrade(
            &at.at("enum"),
            "an `enum` value of an integer is not a 64-bit integer: the values are not checked",
            "",
        );
        schema.remove("enum");
    }
    for (keyword, lower) in LENGTHS {
        let Some((n, rounded)) = misfit(schema, keyword, lower, serde_json::Number::is_u64) else {
            continue;
        };
        if (0.0..u32::MAX as f64).contains(&rounded) {
            schema.insert(keyword.into(), Value::from(rounded as u64));
            continue;
        }
        diags.degrade(
            &at.at(keyword),
            format!("`{keyword}: {n}` is not a count the client can check: it is dropped"),
            "",
        );
        schema.remove(keyword);
    }
}

/// Read JSON Schema draft 3's `required: true` inside a property schema as draft 4's
/// `required: [name]` of the enclosing object, noted. A boolean `required` elsewhere
/// names no property and is dropped, noted; any other value is left for the shape check.
///
/// Called parent first: an object moves its properties' booleans into its own list before
/// they are visited, so a boolean a schema still has when visited is not a property's.
fn fit_required(schema: &mut serde_json::Map<String, Value>, at: &Ptr, diags: &mut Diagnostics) {
    if let Some(Value::Bool(flag)) = schema.get("required") {
        diags.degrade(
            &at.at("required"),
            format!("`required: {flag}` is JSON Schema draft 3, and this schema is not a property: it is dropped"),
            "list required properties by name in the object's `required`",
        );
        schema.remove("required");
    }
    let mut names = Vec::new();
    if let Some(Value::Object(properties)) = schema.get_mut("properties") {
        for (name, property) in properties.iter_mut() {
            let Some(Value::Bool(flag)) = property.get("required").cloned() else {
                continue;
            };
            let keyword_at = at.at("properties").at(name).at("required");
            let done = if flag {
                names.push(name.clone());
                format!("`{name}` is a required property of the enclosing object")
            } else {
                "it is dropped (properties are optional unless listed)".to_string()
            };
            diags.degrade(
                &keyword_at,
                format!(
                    "`required: {flag}` inside a property schema is JSON Schema draft 3: {done}"
                ),
                "list required properties by name in the object's `required`",
            );
            if let Some(property) = property.as_object_mut() {
                property.remove("required");
            }
        }
    }
    if names.is_empty() {
        return;
    }
    let list = schema
        .entry("required")
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(list) = list {
        for name in names {
            if !list.iter().any(|n| n.as_str() == Some(&name)) {
                list.push(Value::String(name));
            }
        }
    }
}

/// A numeric keyword of `schema` that the model does not hold as written: the number, and
/// its value rounded inward (up for a lower bound, down for an upper one).
fn misfit(
    schema: &serde_json::Map<String, Value>,
    keyword: &str,
    lower: bool,
    holds: fn(&serde_json::Number) -> bool,
) -> Option<(serde_json::Number, f64)> {
    let Some(Value::Number(n)) = schema.get(keyword) else {
        return None;
    };
    if holds(n) {
        return None;
    }
    let v = n.as_f64().unwrap_or(f64::NAN);
    Some((n.clone(), if lower { v.ceil() } else { v.floor() }))
}

/// Deserialize `value` as `T`, giving the pointer (relative to `at`) and message of the
/// first problem.
fn probe<T: serde::de::DeserializeOwned>(value: &Value, at: &Ptr) -> Result<(), (Ptr, String)> {
    // Tracking the path doubles the cost of a read: only a failed read is read again so.
    if T::deserialize(value).is_ok() {
        return Ok(());
    }
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
        [.., p, _] if walk::holds_schema_entries(p) => "a schema (a map such as `type: string`; `required` is a list of property names) or a `$ref`".to_string(),
        [.., s] if s == "schema" || walk::holds_one_schema(s) => "a schema (a map such as `type: string`) or a `$ref`".to_string(),
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
    // A scalar where another scalar belongs (`maxLength: "10"`) is a type mistake;
    // anything else (a number where a map belongs, a map where a list belongs) a shape one.
    let scalar = |s: &str| {
        [
            "boolean",
            "bool",
            "integer",
            "floating point",
            "string",
            "null",
            "unit",
            "usize",
            "u64",
            "i64",
            "f64",
        ]
        .iter()
        .any(|k| s.starts_with(k) || s.starts_with(&format!("a {k}")))
    };
    let wrong_type = err
        .strip_prefix("invalid type: ")
        .and_then(|rest| rest.split_once(", expected "))
        .is_some_and(|(found, wanted)| scalar(found) && scalar(wanted));
    let what = if wrong_type {
        "this value has the wrong type"
    } else {
        "this node has the wrong shape"
    };
    (format!("{what}: {err}"), format!("write {expected} here"))
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
    use serde_json::json;
    use std::path::Path;

    fn diags() -> Diagnostics {
        Diagnostics::new(Path::new("t.yaml"))
    }

    fn doc(schemas: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": schemas}
        })
    }

    #[test]
    fn integer_bounds_are_rounded_inward_or_dropped_with_a_note() {
        let mut value = doc(json!({
            "Count": {"type": "integer", "minimum": 0.5, "maximum": 9.5, "multipleOf": 2.5},
            "Wide": {"type": "integer", "minimum": -1.0e20},
            "Text": {"type": "string", "minLength": -1, "maxLength": 3.7}
        }));
        let mut d = diags();
        fit_keywords(&mut value, &mut d);
        let schemas = &value["components"]["schemas"];
        assert_eq!(schemas["Count"]["minimum"], 1);
        assert_eq!(schemas["Count"]["maximum"], 9);
        assert!(schemas["Count"].get("multipleOf").is_none());
        assert!(schemas["Wide"].get("minimum").is_none());
        assert!(schemas["Text"].get("minLength").is_none());
        assert_eq!(schemas["Text"]["maxLength"], 3);
        let d = d.into_vec();
        assert_eq!(d.len(), 3, "{d:?}");
        assert!(
            d.iter().all(|d| !d.is_error()),
            "fitting numbers only degrades"
        );
    }

    #[test]
    fn a_wrong_shape_is_reported_pruned_and_the_rest_is_read() {
        let mut value =
            doc(json!({"Good": {"type": "string"}, "Bad": {"type": "object", "properties": 7}}));
        value["paths"] = json!({"/a": {"get": {"responses": []}}, "/b": {"get": {"responses": {"204": {"description": "ok"}}}}});
        let mut d = diags();
        let api = deserialize(value, &mut d).expect("the rest still reads");
        let d = d.into_vec();
        let pointers: Vec<String> = d
            .iter()
            .map(|d| match &d.location {
                crate::Location::Pointer(p) => p.clone(),
                other => format!("{other:?}"),
            })
            .collect();
        assert!(
            pointers
                .iter()
                .any(|p| p.starts_with("#/components/schemas/Bad")),
            "{pointers:?}"
        );
        assert!(
            pointers.iter().any(|p| p.starts_with("#/paths/~1a/get")),
            "{pointers:?}"
        );
        assert!(api.paths.paths.contains_key("/b"));
        assert!(
            api.components
                .expect("components")
                .schemas
                .contains_key("Good")
        );
    }

    #[test]
    fn draft_3_required_flags_become_the_objects_list_with_a_note() {
        let mut value = doc(json!({
            "User": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string", "required": true},
                    "name": {"type": "string", "required": true},
                    "nick": {"type": "string", "required": false},
                    "address": {
                        "type": "object",
                        "properties": {"city": {"type": "string", "required": true}}
                    }
                }
            },
            "Loose": {"type": "string", "required": true},
            "Wrong": {"type": "object", "required": "yes"}
        }));
        let mut d = diags();
        fit_keywords(&mut value, &mut d);
        let user = &value["components"]["schemas"]["User"];
        assert_eq!(user["required"], json!(["id", "name"]));
        assert!(user["properties"]["name"].get("required").is_none());
        assert!(user["properties"]["nick"].get("required").is_none());
        assert_eq!(user["properties"]["address"]["required"], json!(["city"]));
        assert!(
            value["components"]["schemas"]["Loose"]
                .get("required")
                .is_none()
        );
        // Not a boolean: left for the shape check to report.
        assert_eq!(value["components"]["schemas"]["Wrong"]["required"], "yes");
        let found: Vec<String> = d.into_vec().iter().map(|d| d.to_string()).collect();
        assert_eq!(found.len(), 5, "{found:#?}");
        assert!(
            found.iter().any(|d| d.starts_with(
                "t.yaml at #/components/schemas/User/properties/name/required: `required: true` inside a property schema is JSON Schema draft 3: `name` is a required property"
            )),
            "{found:#?}"
        );
        assert!(
            found
                .iter()
                .any(|d| d.contains("Loose/required: `required: true` is JSON Schema draft 3, and this schema is not a property")),
            "{found:#?}"
        );
    }

    #[test]
    fn missing_root_fields_are_errors_at_the_root() {
        let mut d = diags();
        assert!(deserialize(json!({"openapi": "3.0.3"}), &mut d).is_none() || d.has_errors());
        assert!(d.has_errors());
        let messages: Vec<String> = d.into_vec().into_iter().map(|d| d.message).collect();
        assert!(messages.iter().any(|m| m.contains("info")), "{messages:?}");
    }
}
