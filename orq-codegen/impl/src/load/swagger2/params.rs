//! Swagger 2.0 parameters: non-body ones get a `schema` and a `style`, the body
//! parameter and form parameters become the operation's `requestBody`.

use serde_json::{Map, Value};

use super::{Converter, JSON, object, split_schema};
use crate::diag::Ptr;

const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

/// A parameter of an operation, followed through its `$ref`: what it is, where it is
/// written, and where the operation lists it.
pub(super) struct Param<'a> {
    node: &'a Map<String, Value>,
    /// Where the parameter object is (its `$ref`'s target when it is one).
    at: Ptr,
    /// Where the operation (or path item) lists it.
    listed: Ptr,
    /// The `$ref` it is listed by, if any.
    reference: Option<String>,
    /// The raw entry as listed.
    entry: &'a Value,
}

impl Param<'_> {
    pub(super) fn location(&self) -> Option<&str> {
        self.node.get("in").and_then(Value::as_str)
    }

    pub(super) fn name(&self) -> Option<&str> {
        self.node.get("name").and_then(Value::as_str)
    }
}

impl<'a> Converter<'a> {
    /// The parameters of a list, each followed through its `$ref`s; entries that are no
    /// parameter object (a dangling `$ref`, a wrong shape) are kept as written.
    pub(super) fn params(&self, list: Option<&'a Value>, at: &Ptr) -> Vec<Param<'a>> {
        let Some((Value::Array(items), at)) = list.map(|list| self.resolve(list, at)) else {
            return Vec::new();
        };
        let at = &at;
        items
            .iter()
            .enumerate()
            .map(|(i, entry)| {
                let listed = at.at(i);
                let reference = entry.get("$ref").and_then(Value::as_str).map(String::from);
                let (node, target_at) = self.follow(entry, &listed);
                Param {
                    node,
                    at: target_at,
                    listed,
                    reference,
                    entry,
                }
            })
            .collect()
    }

    /// The object a parameter entry is, or its `$ref` leads to within the document (a
    /// bounded number of hops); an empty object when it leads nowhere.
    fn follow(&self, entry: &'a Value, at: &Ptr) -> (&'a Map<String, Value>, Ptr) {
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        match self.resolve(entry, at) {
            (Value::Object(map), node_at) if !map.contains_key("$ref") => (map, node_at),
            _ => (EMPTY.get_or_init(Map::new), at.clone()),
        }
    }

    /// The non-body parameters of a list, converted (a `$ref` stays a `$ref`, retargeted
    /// later), with where each moved in the list.
    pub(super) fn plain_params(&mut self, params: &[Param<'a>], list_at: &Ptr) -> Vec<Value> {
        let mut out = Vec::new();
        for p in params {
            if matches!(p.location(), Some("body" | "formData")) {
                continue;
            }
            let now = list_at.at(out.len());
            if p.reference.is_some() || p.node.is_empty() {
                self.moves.record(now.to_string(), p.listed.to_string());
                out.push(p.entry.clone());
            } else {
                out.push(self.parameter(p.node, &p.at, &now));
            }
        }
        out
    }

    /// A query, header or path parameter: its type keywords become its `schema`, its
    /// `collectionFormat` its `style` and `explode`.
    pub(super) fn parameter(&mut self, node: &Map<String, Value>, at: &Ptr, now: &Ptr) -> Value {
        let location = node.get("in").and_then(Value::as_str).unwrap_or_default();
        let (mut out, schema) = split_schema(node);
        if schema.get("type").and_then(Value::as_str) == Some("array") {
            let format = node
                .get("collectionFormat")
                .and_then(Value::as_str)
                .unwrap_or("csv");
            let (style, explode) = self.style(format, location, &at.at("collectionFormat"));
            if let Some(style) = style {
                out.insert("style".into(), Value::String(style.into()));
            }
            out.insert("explode".into(), Value::Bool(explode));
        }
        out.insert("schema".into(), Value::Object(schema));
        self.moves.record(now.to_string(), at.to_string());
        self.moves
            .record(now.at("schema").to_string(), at.to_string());
        Value::Object(out)
    }

    /// The `style` (none: the location's default) and `explode` of a `collectionFormat`
    /// in `location`; what 3.0 cannot say there is sent comma-separated, noted.
    fn style(&mut self, format: &str, location: &str, at: &Ptr) -> (Option<&'static str>, bool) {
        let query = location == "query";
        match (format, query) {
            ("csv", true) => (Some("form"), false),
            ("csv", false) => (None, false),
            ("multi", true) => (Some("form"), true),
            ("ssv", true) => (Some("spaceDelimited"), false),
            ("pipes", true) => (Some("pipeDelimited"), false),
            _ => {
                self.diags.degrade(
                    at,
                    format!("`collectionFormat: {format}` has no OpenAPI 3 equivalent in a {location} parameter: the values are sent comma-separated"),
                    "use `csv` (or, in a query, `multi`, `ssv` or `pipes`)",
                );
                (if query { Some("form") } else { None }, false)
            }
        }
    }

    /// The operation's request body: its body parameter, or its form parameters.
    pub(super) fn request_body(
        &mut self,
        params: &[&Param<'a>],
        consumes: &[String],
        at: &Ptr,
    ) -> Option<Value> {
        let now = at.at("requestBody");
        if let Some(body) = params.iter().rev().find(|p| p.location() == Some("body")) {
            let forms = params.iter().filter(|p| p.location() == Some("formData"));
            for form in forms {
                self.diags.degrade(
                    &form.listed,
                    "a `formData` parameter next to a `body` parameter is not sent (Swagger 2.0 allows only one of them)",
                    "remove one of them",
                );
            }
            // A body parameter of the document's `parameters` is its request body.
            if let Some(name) = body.reference.as_deref().and_then(shared_name)
                && *consumes == self.consumes
            {
                self.moves.record(now.to_string(), body.listed.to_string());
                let reference = Ptr::root().at("components").at("requestBodies").at(name);
                return Some(object([("$ref", Value::String(reference.to_string()))]));
            }
            return Some(self.body(body.node, &body.at, &now, consumes));
        }
        let forms: Vec<&&Param> = params
            .iter()
            .filter(|p| p.location() == Some("formData"))
            .collect();
        if forms.is_empty() {
            return None;
        }
        let files = forms
            .iter()
            .any(|p| p.node.get("type").and_then(Value::as_str) == Some("file"));
        let mut media: Vec<&str> = consumes
            .iter()
            .map(String::as_str)
            .filter(|m| {
                let m = m.split(';').next().unwrap_or_default().trim();
                m.eq_ignore_ascii_case(MULTIPART) || (!files && m.eq_ignore_ascii_case(FORM))
            })
            .collect();
        if media.is_empty() {
            media.push(if files { MULTIPART } else { FORM });
        }
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut encoding = Map::new();
        for p in &forms {
            let Some(name) = p.name() else { continue };
            let (own, mut property) = split_schema(p.node);
            for (key, value) in own {
                if key == "description" || key.starts_with("x-") {
                    property.insert(key, value);
                }
            }
            if property.get("type").and_then(Value::as_str) == Some("array") {
                let format = p
                    .node
                    .get("collectionFormat")
                    .and_then(Value::as_str)
                    .unwrap_or("csv");
                let (style, explode) = match format {
                    "multi" => ("form", true),
                    "ssv" => ("spaceDelimited", false),
                    "pipes" => ("pipeDelimited", false),
                    "csv" => ("form", false),
                    other => {
                        self.diags.degrade(
                            &p.at.at("collectionFormat"),
                            format!("`collectionFormat: {other}` has no OpenAPI 3 equivalent in a form: the values are sent comma-separated"),
                            "use `csv`, `multi`, `ssv` or `pipes`",
                        );
                        ("form", false)
                    }
                };
                encoding.insert(
                    name.to_string(),
                    object([
                        ("style", Value::String(style.into())),
                        ("explode", Value::Bool(explode)),
                    ]),
                );
            }
            if p.node.get("required").and_then(Value::as_bool) == Some(true) {
                required.push(Value::String(name.to_string()));
            }
            for m in &media {
                let property_at = now
                    .at("content")
                    .at(m)
                    .at("schema")
                    .at("properties")
                    .at(name);
                self.moves.record(property_at.to_string(), p.at.to_string());
            }
            properties.insert(name.to_string(), Value::Object(property));
        }
        let mut schema = object([
            ("type", Value::String("object".into())),
            ("properties", Value::Object(properties)),
        ]);
        if !required.is_empty()
            && let Value::Object(map) = &mut schema
        {
            map.insert("required".into(), Value::Array(required.clone()));
        }
        let content = media
            .iter()
            .map(|m| {
                let mut media_type = object([("schema", schema.clone())]);
                if !encoding.is_empty()
                    && let Value::Object(map) = &mut media_type
                {
                    map.insert("encoding".into(), Value::Object(encoding.clone()));
                }
                (m.to_string(), media_type)
            })
            .collect();
        if let Some(first) = forms.first() {
            self.moves.record(now.to_string(), first.listed.to_string());
        }
        let mut body = object([("content", Value::Object(content))]);
        if !required.is_empty()
            && let Value::Object(map) = &mut body
        {
            map.insert("required".into(), Value::Bool(true));
        }
        Some(body)
    }

    /// A body parameter as a request body, one media type per `consumes`.
    pub(super) fn body(
        &mut self,
        node: &Map<String, Value>,
        at: &Ptr,
        now: &Ptr,
        consumes: &[String],
    ) -> Value {
        let mut out = Map::new();
        for (key, value) in node {
            match key.as_str() {
                "description" | "required" => {
                    out.insert(key.clone(), value.clone());
                }
                k if k.starts_with("x-") => {
                    out.insert(key.clone(), value.clone());
                }
                _ => {}
            }
        }
        let schema = node.get("schema").cloned();
        let media: Vec<&str> = if consumes.is_empty() {
            vec![JSON]
        } else {
            consumes.iter().map(String::as_str).collect()
        };
        let content = media
            .iter()
            .map(|m| {
                let media_type = match &schema {
                    Some(schema) => {
                        let schema_at = now.at("content").at(m).at("schema");
                        self.moves
                            .record(schema_at.to_string(), at.at("schema").to_string());
                        object([("schema", schema.clone())])
                    }
                    None => Value::Object(Map::new()),
                };
                (m.to_string(), media_type)
            })
            .collect();
        out.insert("content".into(), Value::Object(content));
        self.moves.record(now.to_string(), at.to_string());
        Value::Object(out)
    }
}

/// The name of a parameter of the document's `parameters` that `reference` names.
fn shared_name(reference: &str) -> Option<&str> {
    let name = reference.strip_prefix("#/parameters/")?;
    (!name.contains('/')).then_some(name)
}
