//! The one traversal of the raw document that finds every schema, and the one table of
//! JSON Schema keywords that hold schemas. Both the 3.1 normalization and the schema
//! shape check walk the document through here.
//!
//! Callers run after the depth check (`limits::DOCUMENT_DEPTH`), so the recursion here is
//! bounded by the document's nesting.

use serde_json::{Map, Value};

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
    let mut walk = Walk {
        at: Ptr::root(),
        order,
        visit,
    };
    walk.document(doc, false);
}

/// Calls `check` with `schema` as if the schemas inside it were `{}` (any value): what
/// the schema says itself. The schemas inside are set aside meanwhile (moved, not
/// copied) and put back after. A check of every schema this way reads each node once,
/// where checking each schema whole reads a node once per enclosing schema.
pub fn shallow<R>(schema: &mut Value, check: impl FnOnce(&Value) -> R) -> R {
    let Value::Object(map) = schema else {
        return check(schema);
    };
    let mut aside = Vec::new();
    children(map, &mut |child, _, _| {
        aside.push(std::mem::replace(child, Value::Object(Map::new())));
    });
    let result = check(schema);
    if let Value::Object(map) = schema {
        let mut aside = aside.into_iter();
        children(map, &mut |child, _, _| {
            if let Some(original) = aside.next() {
                *child = original;
            }
        });
    }
    result
}

/// A token of the pointer from a schema to a schema inside it, after the keyword.
#[derive(Clone, Copy)]
enum Entry<'a> {
    Name(&'a str),
    Index(usize),
}

/// Calls `f` with each schema directly inside the schema `map`, its keyword and, for a
/// map or list of schemas, its name or index.
fn children(map: &mut Map<String, Value>, f: &mut dyn FnMut(&mut Value, &str, Option<Entry<'_>>)) {
    for (key, child) in map.iter_mut() {
        let keyword = key.as_str();
        match child {
            Value::Object(_) if SCHEMA_CHILD.contains(&keyword) => f(child, keyword, None),
            Value::Object(entries) if SCHEMA_MAP.contains(&keyword) => {
                for (name, s) in entries.iter_mut() {
                    f(s, keyword, Some(Entry::Name(name)));
                }
            }
            Value::Array(items) if SCHEMA_LIST.contains(&keyword) || keyword == "items" => {
                for (i, item) in items.iter_mut().enumerate() {
                    f(item, keyword, Some(Entry::Index(i)));
                }
            }
            _ => {}
        }
    }
}

/// One walk: a single pointer, extended and cut back as the walk goes down and up.
struct Walk<'v> {
    at: Ptr,
    order: Order,
    visit: &'v mut dyn FnMut(&mut Value, &Ptr),
}

impl Walk<'_> {
    fn document(&mut self, node: &mut Value, in_components: bool) {
        match node {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    let mark = self.at.push(key);
                    match key.as_str() {
                        k if DATA.contains(&k) => {}
                        "schema" => self.schema(child),
                        "schemas" if in_components => {
                            if let Value::Object(schemas) = child {
                                for (name, s) in schemas.iter_mut() {
                                    let inner = self.at.push(name);
                                    self.schema(s);
                                    self.at.truncate(inner);
                                }
                            }
                        }
                        // `components` at the root only.
                        "components" => self.document(child, mark == 0),
                        _ => self.document(child, false),
                    }
                    self.at.truncate(mark);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    let mark = self.at.push_index(i);
                    self.document(item, false);
                    self.at.truncate(mark);
                }
            }
            _ => {}
        }
    }

    fn schema(&mut self, node: &mut Value) {
        if self.order == Order::ParentFirst {
            (self.visit)(node, &self.at);
        }
        if let Value::Object(map) = node {
            children(map, &mut |child, keyword, entry| {
                let mark = self.at.push(keyword);
                match entry {
                    Some(Entry::Name(name)) => {
                        self.at.push(name);
                    }
                    Some(Entry::Index(i)) => {
                        self.at.push_index(i);
                    }
                    None => {}
                }
                self.schema(child);
                self.at.truncate(mark);
            });
        }
        if self.order == Order::ChildrenFirst {
            (self.visit)(node, &self.at);
        }
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
