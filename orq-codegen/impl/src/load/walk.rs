//! The one traversal of the raw document that finds every schema, and the one table of
//! JSON Schema keywords that hold schemas. Both the 3.1 normalization and the schema
//! shape check walk the document through here.
//!
//! Callers run after the depth check (`limits::DOCUMENT_DEPTH`), so the recursion here is
//! bounded by the document's nesting.

use serde_json::Value;

use crate::diag::Ptr;

/// Keywords whose value is one schema (`items` may also be a list, the tuple form).
const SCHEMA_CHILD: &[&str] = &[
    "items",
    "additionalItems",
    "additionalProperties",
    "not",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
];

/// Keywords whose value is a list of schemas.
const SCHEMA_LIST: &[&str] = &["allOf", "oneOf", "anyOf", "prefixItems"];

/// Keywords whose value is a map of schemas (the keys are names, not keywords).
const SCHEMA_MAP: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

/// Keys whose values are data (examples, defaults, enumerations), never schemas.
const DATA: &[&str] = &["example", "examples", "default", "enum", "const"];

/// Whether a schema keyword's value is one schema (`items`, `not`, ...).
pub fn holds_one_schema(keyword: &str) -> bool {
    SCHEMA_CHILD.contains(&keyword)
}

/// Whether a schema keyword's value is a list or map of schemas (`allOf`, `properties`, ...).
pub fn holds_schema_entries(keyword: &str) -> bool {
    SCHEMA_LIST.contains(&keyword) || SCHEMA_MAP.contains(&keyword)
}

/// When a visitor sees a schema relative to the schemas inside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// The schema, then the schemas inside it (which see the visitor's changes).
    ParentFirst,
    /// The schemas inside it, then the schema.
    ChildrenFirst,
}

/// Calls `visit` with every schema of the document and its pointer: the component
/// schemas, each `schema` of a parameter, media type or header, and every schema
/// nested in those. Data (`example`, `default`, `enum`, ...) is never entered.
pub fn schemas_mut(doc: &mut Value, order: Order, visit: &mut dyn FnMut(&mut Value, &Ptr)) {
    document(doc, &Ptr::root(), order, visit);
}

fn document(node: &mut Value, at: &Ptr, order: Order, visit: &mut dyn FnMut(&mut Value, &Ptr)) {
    match node {
        Value::Object(map) => {
            let in_components = at.tokens().eq(["components"]);
            for (key, child) in map.iter_mut() {
                let here = at.at(key);
                match key.as_str() {
                    k if DATA.contains(&k) => {}
                    "schema" => schema(child, &here, order, visit),
                    "schemas" if in_components => {
                        if let Value::Object(schemas) = child {
                            for (name, s) in schemas.iter_mut() {
                                schema(s, &here.at(name), order, visit);
                            }
                        }
                    }
                    _ => document(child, &here, order, visit),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                document(item, &at.at(i), order, visit);
            }
        }
        _ => {}
    }
}

fn schema(node: &mut Value, at: &Ptr, order: Order, visit: &mut dyn FnMut(&mut Value, &Ptr)) {
    if order == Order::ParentFirst {
        visit(node, at);
    }
    if let Value::Object(map) = node {
        for (key, child) in map.iter_mut() {
            let here = at.at(key);
            let keyword = key.as_str();
            match child {
                Value::Object(_) if SCHEMA_CHILD.contains(&keyword) => {
                    schema(child, &here, order, visit)
                }
                Value::Object(entries) if SCHEMA_MAP.contains(&keyword) => {
                    for (name, s) in entries.iter_mut() {
                        schema(s, &here.at(name), order, visit);
                    }
                }
                Value::Array(items) if SCHEMA_LIST.contains(&keyword) || keyword == "items" => {
                    for (i, item) in items.iter_mut().enumerate() {
                        schema(item, &here.at(i), order, visit);
                    }
                }
                _ => {}
            }
        }
    }
    if order == Order::ChildrenFirst {
        visit(node, at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn visited(mut doc: Value, order: Order) -> Vec<String> {
        let mut seen = Vec::new();
        schemas_mut(&mut doc, order, &mut |_, at| seen.push(at.to_string()));
        seen
    }

    #[test]
    fn finds_every_schema_and_no_data() {
        let doc = json!({
            "paths": {"/a": {"get": {
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/A"}},
                    "example": {"schema": {"type": "not a schema"}}
                }}}}
            }}},
            "components": {"schemas": {"A": {
                "type": "object",
                "properties": {"example": {"type": "string"}, "b": {"allOf": [{"type": "object"}]}},
                "default": {"properties": {}}
            }}}
        });
        assert_eq!(
            visited(doc, Order::ParentFirst),
            [
                "#/paths/~1a/get/parameters/0/schema",
                "#/paths/~1a/get/responses/200/content/application~1json/schema",
                "#/paths/~1a/get/responses/200/content/application~1json/schema/items",
                "#/components/schemas/A",
                "#/components/schemas/A/properties/example",
                "#/components/schemas/A/properties/b",
                "#/components/schemas/A/properties/b/allOf/0",
            ]
        );
    }

    #[test]
    fn children_first_visits_innermost_first() {
        let doc = json!({"components": {"schemas": {"A": {
            "not": {"items": [{"type": "string"}]},
            "$defs": {"D": {"type": "integer"}}
        }}}});
        assert_eq!(
            visited(doc, Order::ChildrenFirst),
            [
                "#/components/schemas/A/not/items/0",
                "#/components/schemas/A/not",
                "#/components/schemas/A/$defs/D",
                "#/components/schemas/A",
            ]
        );
    }

    #[test]
    fn parent_first_sees_its_own_rewrites() {
        let mut doc = json!({"components": {"schemas": {"A": {"type": "object"}}}});
        let mut seen = Vec::new();
        schemas_mut(&mut doc, Order::ParentFirst, &mut |node, at| {
            seen.push(at.to_string());
            if let Some(map) = node.as_object_mut()
                && map.get("type").is_some_and(|t| t == "object")
            {
                map.insert("not".into(), json!({"type": "string"}));
            }
        });
        assert_eq!(
            seen,
            ["#/components/schemas/A", "#/components/schemas/A/not"]
        );
    }
}
