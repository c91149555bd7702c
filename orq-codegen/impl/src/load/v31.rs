//! OpenAPI 3.1 -> 3.0 normalization, so `openapiv3` (a 3.0 model) can read 3.1 documents.
//!
//! Rewritten: `type: [T, "null"]` -> `type: T, nullable: true`; `const: v` -> `enum: [v]`;
//! `examples: [..]` in a schema -> `example`; numeric `exclusiveMinimum`/`exclusiveMaximum`
//! -> `minimum`/`maximum` plus the boolean flag; `$ref` with sibling keywords -> `allOf: [$ref]`
//! plus the siblings; an operation without `responses` (optional in 3.1) gets an empty map;
//! a string with `contentEncoding: base64` -> `format: byte`, with `contentMediaType` (raw
//! content, as multipart files and binary bodies are described in 3.1) -> `format: binary`.
//! Only schema positions are rewritten; example data is left alone.

use serde_json::{Map, Value};

use crate::load::walk::{self, Order};

/// Rewrite a 3.1 document in place into the 3.0 shape.
pub fn normalize(mut doc: Value) -> Value {
    if let Some(root) = doc.as_object_mut() {
        root.insert("openapi".into(), Value::String("3.0.3".into()));
        root.entry("paths")
            .or_insert_with(|| Value::Object(Map::new()));
        root.remove("webhooks");
        root.remove("jsonSchemaDialect");
        default_responses(root);
    }
    // Parent first: a rewrite (`$ref` plus siblings becoming `allOf`) is walked into.
    walk::schemas_mut(&mut doc, Order::ParentFirst, &mut |node, _| {
        if let Value::Object(map) = node {
            normalize_schema(map);
        }
    });
    doc
}

/// 3.1 made `responses` optional; the 3.0 model needs the map (empty: no declared response).
fn default_responses(root: &mut Map<String, Value>) {
    let Some(Value::Object(paths)) = root.get_mut("paths") else {
        return;
    };
    for item in paths.values_mut() {
        let Value::Object(item) = item else { continue };
        for (key, op) in item.iter_mut() {
            let method = matches!(
                key.as_str(),
                "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
            );
            if let (true, Value::Object(op)) = (method, op) {
                op.entry("responses")
                    .or_insert_with(|| Value::Object(Map::new()));
            }
        }
    }
}

fn normalize_schema(map: &mut Map<String, Value>) {
    if let Some(Value::Array(types)) = map.get("type").cloned() {
        let nullable = types.iter().any(|t| t == "null");
        let rest: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
        match rest.len() {
            0 => {
                map.remove("type");
            }
            1 => {
                map.insert("type".into(), rest[0].clone());
            }
            // Several non-null types: an untyped schema is the honest 3.0 equivalent.
            _ => {
                map.remove("type");
            }
        }
        if nullable {
            map.insert("nullable".into(), Value::Bool(true));
        }
    } else if map.get("type").is_some_and(|t| t == "null") {
        map.remove("type");
        map.insert("nullable".into(), Value::Bool(true));
    }
    if let Some(value) = map.remove("const") {
        // `const` often comes without `type`; 3.0 enums need one to be typed.
        let inferred = match &value {
            Value::String(_) => Some("string"),
            Value::Bool(_) => Some("boolean"),
            Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
            Value::Number(_) => Some("number"),
            _ => None,
        };
        if let Some(inferred) = inferred {
            map.entry("type")
                .or_insert_with(|| Value::String(inferred.into()));
        }
        map.insert("enum".into(), Value::Array(vec![value]));
    }
    if let Some(Value::Array(mut examples)) = map.remove("examples")
        && !examples.is_empty()
    {
        map.entry("example")
            .or_insert_with(|| examples.swap_remove(0));
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Number(n)) = map.get(exclusive).cloned() {
            map.insert(bound.into(), Value::Number(n));
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }
    content_format(map);
    if map.contains_key("$ref") && map.len() > 1 {
        let reference = map.remove("$ref").unwrap_or(Value::Null);
        let mut only_ref = Map::new();
        only_ref.insert("$ref".into(), reference);
        let mut all_of = vec![Value::Object(only_ref)];
        if let Some(Value::Array(existing)) = map.remove("allOf") {
            all_of.extend(existing);
        }
        map.insert("allOf".into(), Value::Array(all_of));
    }
}

/// 3.1 describes encoded and raw string content with `contentEncoding` and
/// `contentMediaType` where 3.0 used `format: byte` and `format: binary`.
fn content_format(map: &mut Map<String, Value>) {
    if map.contains_key("format") || map.get("type").is_some_and(|t| t != "string") {
        return;
    }
    let format = match map.get("contentEncoding").and_then(Value::as_str) {
        Some(encoding) if encoding.eq_ignore_ascii_case("base64") => "byte",
        Some(_) => return,
        None if map.contains_key("contentMediaType") => "binary",
        None => return,
    };
    map.insert("type".into(), Value::String("string".into()));
    map.insert("format".into(), Value::String(format.into()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn content_keywords_become_formats() {
        let mut raw = json!({"type": "string", "contentMediaType": "image/png"});
        let mut encoded = json!({"type": "string", "contentEncoding": "base64"});
        let mut other = json!({"type": "string", "contentEncoding": "quoted-printable"});
        let mut typed =
            json!({"type": "string", "format": "uri", "contentMediaType": "text/uri-list"});
        for value in [&mut raw, &mut encoded, &mut other, &mut typed] {
            let Value::Object(map) = value else {
                unreachable!()
            };
            normalize_schema(map);
        }
        assert_eq!(raw["format"], "binary");
        assert_eq!(encoded["format"], "byte");
        assert!(other.get("format").is_none());
        assert_eq!(typed["format"], "uri");
    }

    #[test]
    fn rewrites_schema_positions_only() {
        let doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"A": {
                "type": "object",
                "properties": {
                    "name": {"type": ["string", "null"], "examples": ["x"]},
                    "kind": {"const": "a"},
                    "n": {"type": "integer", "exclusiveMinimum": 0},
                    "b": {"$ref": "#/components/schemas/B", "description": "a b"},
                    "type": {"type": "string"}
                },
                "example": {"type": ["kept"]}
            }}}
        });
        let out = normalize(doc);
        let props = &out["components"]["schemas"]["A"]["properties"];
        assert_eq!(out["openapi"], "3.0.3");
        assert_eq!(
            props["name"],
            json!({"type": "string", "nullable": true, "example": "x"})
        );
        assert_eq!(props["kind"], json!({"type": "string", "enum": ["a"]}));
        assert_eq!(
            props["n"],
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
        );
        assert_eq!(
            props["b"],
            json!({"allOf": [{"$ref": "#/components/schemas/B"}], "description": "a b"})
        );
        assert_eq!(props["type"], json!({"type": "string"}));
        assert_eq!(
            out["components"]["schemas"]["A"]["example"],
            json!({"type": ["kept"]})
        );
        assert_eq!(out["paths"], json!({}));
    }
}
