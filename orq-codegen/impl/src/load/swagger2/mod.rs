//! Swagger 2.0 -> OpenAPI 3.0, in the load step: after bundling (so a 2.0 document split
//! over files is one document), before anything else reads it.
//!
//! - `definitions` -> `components.schemas`; `parameters` -> `components.parameters`, or
//!   `components.requestBodies` for `in: body`; `responses` -> `components.responses`;
//!   `securityDefinitions` -> `components.securitySchemes` (`basic` -> HTTP basic,
//!   `apiKey`, `oauth2` with its flow: `implicit`, `password`, `application` ->
//!   `clientCredentials`, `accessCode` -> `authorizationCode`);
//! - `host`, `basePath` and `schemes` -> `servers` (one per scheme; `https` when none is
//!   given; a relative server when there is no `host`);
//! - a non-body parameter's type keywords -> its `schema`; `collectionFormat` -> `style`
//!   and `explode` (`csv` -> `form`/`simple` unexploded, `multi` -> exploded `form`, `ssv`
//!   -> `spaceDelimited`, `pipes` -> `pipeDelimited`; `tsv`, and what a path or header
//!   cannot say, are sent comma-separated, noted);
//! - the `body` parameter -> `requestBody` with a media type per `consumes` (operation's,
//!   else the document's, else `application/json`); `formData` parameters -> an object
//!   schema of one property per parameter, `multipart/form-data` when `consumes` says so or
//!   a parameter is `type: file`, else `application/x-www-form-urlencoded`; path-level
//!   body and form parameters apply to every operation of the path;
//! - a response's `schema` -> `content` with a media type per `produces`, its `examples`
//!   -> each media type's `example`, its headers' type keywords -> their `schema`;
//! - in every schema: `type: file` -> `type: string, format: binary`, `x-nullable` ->
//!   `nullable`, `discriminator: name` -> `discriminator: {propertyName: name}`;
//! - every `$ref` -> where its target now is (`#/definitions/Pet` ->
//!   `#/components/schemas/Pet`).
//!
//! Everything else is copied as it is, so that a shape mistake is still found (and
//! reported) by the 3.0 reading. Every place something moved to is recorded, so that
//! every diagnostic points at the place in the 2.0 file.

use serde_json::{Map, Value};

use crate::diag::{Diagnostics, Ptr};
use crate::load::bundle;
use crate::load::moves::Moves;
use crate::load::walk::{self, Order};
use params::Param;

mod params;
mod responses;
#[cfg(test)]
mod tests;

/// The keywords of a Swagger 2.0 non-body parameter, header or items object that make
/// its schema.
const SCHEMA_KEYWORDS: &[&str] = &[
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
];

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

const JSON: &str = "application/json";

/// Convert a (bundled) Swagger 2.0 document to OpenAPI 3.0; returns where each part moved.
pub fn convert(doc: Value, diags: &mut Diagnostics) -> (Value, Moves) {
    let Value::Object(root) = &doc else {
        return (doc, Moves::default());
    };
    let mut converter = Converter {
        root: &doc,
        consumes: media_types(root.get("consumes")),
        produces: media_types(root.get("produces")),
        moves: Moves::default(),
        diags,
    };
    let mut out = Map::new();
    let mut components = None;
    for (key, value) in root {
        match key.as_str() {
            "swagger" => {
                out.insert("openapi".into(), Value::String("3.0.3".into()));
            }
            "host" | "basePath" | "schemes" => {
                if !out.contains_key("servers")
                    && let Some(servers) = converter.servers(root)
                {
                    out.insert("servers".into(), servers);
                }
            }
            "consumes" | "produces" => {}
            "definitions" | "parameters" | "responses" | "securityDefinitions" => {
                // In the place of the first of them, so the document keeps its order.
                if components.is_none() {
                    components = Some(out.len());
                    out.insert("components".into(), Value::Null);
                }
            }
            "paths" => {
                out.insert(key.clone(), converter.paths(value));
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    if components.is_some() {
        out.insert("components".into(), converter.components(root));
    }
    let moves = converter.moves;
    let mut doc = Value::Object(out);
    bundle::retarget_refs(&mut doc, &|reference| {
        moves.forward(&Ptr::from_ref(reference)?.to_string())
    });
    walk::schemas_mut(&mut doc, Order::ParentFirst, &mut |node, _| {
        if let Value::Object(schema) = node {
            schema_keywords(schema);
        }
    });
    (doc, moves)
}

struct Converter<'a> {
    /// The 2.0 document, for following parameter `$ref`s.
    root: &'a Value,
    /// The document's `consumes` and `produces`.
    consumes: Vec<String>,
    produces: Vec<String>,
    moves: Moves,
    diags: &'a mut Diagnostics,
}

impl<'a> Converter<'a> {
    fn servers(&mut self, root: &Map<String, Value>) -> Option<Value> {
        let host = root.get("host").and_then(Value::as_str);
        let base = root
            .get("basePath")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let urls: Vec<String> = match host {
            Some(host) => {
                let mut schemes = media_types(root.get("schemes"));
                if schemes.is_empty() {
                    schemes.push("https".into());
                }
                schemes
                    .iter()
                    .map(|scheme| format!("{scheme}://{host}{base}"))
                    .collect()
            }
            None if !base.is_empty() => vec![base.to_string()],
            None => return None,
        };
        let from = if host.is_some() {
            "#/host"
        } else {
            "#/basePath"
        };
        self.moves.record("#/servers", from);
        for i in 0..urls.len() {
            self.moves.record(format!("#/servers/{i}/url"), from);
        }
        Some(Value::Array(
            urls.into_iter()
                .map(|url| object([("url", Value::String(url))]))
                .collect(),
        ))
    }

    fn components(&mut self, root: &Map<String, Value>) -> Value {
        let mut components = Map::new();
        if let Some(definitions) = root.get("definitions") {
            components.insert("schemas".into(), definitions.clone());
            self.moves.record("#/components/schemas", "#/definitions");
        }
        if let Some(Value::Object(parameters)) = root.get("parameters") {
            let (mut plain, mut bodies) = (Map::new(), Map::new());
            for (name, param) in parameters {
                let at = Ptr::root().at("parameters").at(name);
                let Value::Object(node) = param else {
                    plain.insert(name.clone(), param.clone());
                    continue;
                };
                match node.get("in").and_then(Value::as_str) {
                    Some("body") => {
                        let now = Ptr::root().at("components").at("requestBodies").at(name);
                        let consumes = self.consumes.clone();
                        bodies.insert(name.clone(), self.body(node, &at, &now, &consumes));
                    }
                    // A form parameter has no place of its own in 3.0: it is copied into
                    // the form body of each operation that lists it.
                    Some("formData") => {}
                    _ => {
                        let now = Ptr::root().at("components").at("parameters").at(name);
                        plain.insert(name.clone(), self.parameter(node, &at, &now));
                    }
                }
            }
            if !plain.is_empty() {
                components.insert("parameters".into(), Value::Object(plain));
            }
            if !bodies.is_empty() {
                components.insert("requestBodies".into(), Value::Object(bodies));
            }
        } else if let Some(other) = root.get("parameters") {
            components.insert("parameters".into(), other.clone());
        }
        if let Some(responses) = root.get("responses") {
            let at = Ptr::root().at("responses");
            let now = Ptr::root().at("components").at("responses");
            let produces = self.produces.clone();
            components.insert(
                "responses".into(),
                self.responses(responses, &at, &now, &produces),
            );
        }
        if let Some(schemes) = root.get("securityDefinitions") {
            let converted = match schemes {
                Value::Object(schemes) => Value::Object(
                    schemes
                        .iter()
                        .map(|(name, scheme)| (name.clone(), security_scheme(scheme)))
                        .collect(),
                ),
                other => other.clone(),
            };
            components.insert("securitySchemes".into(), converted);
            self.moves
                .record("#/components/securitySchemes", "#/securityDefinitions");
        }
        Value::Object(components)
    }

    /// The node a `$ref` (a chain of them, a bounded number of hops) leads to within the
    /// document, and where it is; the node itself when it is none or leads nowhere.
    fn resolve(&self, node: &'a Value, at: &Ptr) -> (&'a Value, Ptr) {
        let mut node = node;
        let mut node_at = at.clone();
        for _ in 0..crate::limits::REF_CHAIN {
            let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
                break;
            };
            let target = Ptr::from_ref(reference)
                .and_then(|ptr| self.root.pointer(&ptr.to_string()[1..]).map(|n| (n, ptr)));
            let Some((next, next_at)) = target else {
                break;
            };
            node = next;
            node_at = next_at;
        }
        (node, node_at)
    }

    fn paths(&mut self, paths: &'a Value) -> Value {
        let Value::Object(paths) = paths else {
            return paths.clone();
        };
        let converted = paths.iter().map(|(path, item)| {
            let at = Ptr::root().at("paths").at(path);
            (path.clone(), self.path_item(item, &at))
        });
        Value::Object(converted.collect())
    }

    fn path_item(&mut self, item: &'a Value, at: &Ptr) -> Value {
        let Value::Object(fields) = item else {
            return item.clone();
        };
        if fields.contains_key("$ref") {
            return item.clone();
        }
        let shared = self.params(fields.get("parameters"), &at.at("parameters"));
        let mut out = Map::new();
        for (key, value) in fields {
            match key.as_str() {
                "parameters" if self.resolve(value, at).0.is_array() => {
                    let plain = self.plain_params(&shared, &at.at("parameters"));
                    out.insert(key.clone(), Value::Array(plain));
                }
                method if METHODS.contains(&method) => {
                    let op = self.operation(value, &at.at(method), &shared);
                    out.insert(key.clone(), op);
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        Value::Object(out)
    }

    fn operation(&mut self, op: &'a Value, at: &Ptr, shared: &[Param<'a>]) -> Value {
        let Value::Object(fields) = op else {
            return op.clone();
        };
        let consumes = match fields.get("consumes") {
            Some(listed) => media_types(Some(listed)),
            None => self.consumes.clone(),
        };
        let produces = match fields.get("produces") {
            Some(listed) => media_types(Some(listed)),
            None => self.produces.clone(),
        };
        let own = self.params(fields.get("parameters"), &at.at("parameters"));
        // Body and form parameters of the path item apply unless the operation has its own.
        let overridden = |p: &Param| {
            own.iter()
                .any(|o| o.name() == p.name() && o.location() == p.location())
        };
        let inherited: Vec<&Param> = shared.iter().filter(|p| !overridden(p)).collect();
        let carried = |p: &&Param| matches!(p.location(), Some("body" | "formData"));
        let body_params: Vec<&Param> = inherited
            .into_iter()
            .filter(carried)
            .chain(own.iter().filter(carried))
            .collect();
        let mut out = Map::new();
        for (key, value) in fields {
            match key.as_str() {
                "consumes" | "produces" | "schemes" => {}
                "parameters" if self.resolve(value, at).0.is_array() => {
                    let plain = self.plain_params(&own, &at.at("parameters"));
                    out.insert(key.clone(), Value::Array(plain));
                }
                "responses" => {
                    let now = at.at("responses");
                    let (responses, r_at) = self.resolve(value, &now);
                    out.insert(
                        key.clone(),
                        self.responses(responses, &r_at, &now, &produces),
                    );
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        if let Some(body) = self.request_body(&body_params, &consumes, at) {
            out.insert("requestBody".into(), body);
        }
        Value::Object(out)
    }
}

/// A non-body parameter's (or a header's) fields, split into its own and those of the
/// schema its type keywords make (`items` as a schema; `collectionFormat`, which the
/// caller reads, in neither).
fn split_schema(fields: &Map<String, Value>) -> (Map<String, Value>, Map<String, Value>) {
    let (mut own, mut schema) = (Map::new(), Map::new());
    for (key, value) in fields {
        match key.as_str() {
            "collectionFormat" => {}
            "items" => {
                schema.insert(key.clone(), items_schema(value));
            }
            k if SCHEMA_KEYWORDS.contains(&k) => {
                schema.insert(key.clone(), value.clone());
            }
            _ => {
                own.insert(key.clone(), value.clone());
            }
        }
    }
    (own, schema)
}

/// An items object of a non-body parameter or header as a schema (its own
/// `collectionFormat` has no 3.0 place: nested arrays are sent as the outer one says).
fn items_schema(items: &Value) -> Value {
    let Value::Object(fields) = items else {
        return items.clone();
    };
    Value::Object(
        fields
            .iter()
            .filter(|(key, _)| key.as_str() != "collectionFormat")
            .map(|(key, value)| {
                let value = if key == "items" {
                    items_schema(value)
                } else {
                    value.clone()
                };
                (key.clone(), value)
            })
            .collect(),
    )
}

/// A 2.0 security definition as a 3.0 security scheme.
fn security_scheme(scheme: &Value) -> Value {
    let Value::Object(fields) = scheme else {
        return scheme.clone();
    };
    let kind = fields.get("type").and_then(Value::as_str);
    let mut out: Map<String, Value> = fields
        .iter()
        .filter(|(key, _)| *key == "description" || key.starts_with("x-"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let copy = |out: &mut Map<String, Value>, keys: &[&str]| {
        for key in keys {
            if let Some(value) = fields.get(*key) {
                out.insert(key.to_string(), value.clone());
            }
        }
    };
    match kind {
        Some("basic") => {
            out.insert("type".into(), Value::String("http".into()));
            out.insert("scheme".into(), Value::String("basic".into()));
        }
        Some("apiKey") => copy(&mut out, &["type", "name", "in"]),
        Some("oauth2") => {
            let flow = match fields.get("flow").and_then(Value::as_str) {
                Some("implicit") => "implicit",
                Some("password") => "password",
                Some("application") => "clientCredentials",
                Some("accessCode") => "authorizationCode",
                // Not a 2.0 flow: left as written, for the 3.0 reading to report.
                _ => return scheme.clone(),
            };
            let mut flow_object = Map::new();
            for key in ["authorizationUrl", "tokenUrl"] {
                if let Some(url) = fields.get(key) {
                    flow_object.insert(key.into(), url.clone());
                }
            }
            let scopes = fields
                .get("scopes")
                .cloned()
                .unwrap_or_else(|| Value::Object(Map::new()));
            flow_object.insert("scopes".into(), scopes);
            out.insert("type".into(), Value::String("oauth2".into()));
            out.insert("flows".into(), object([(flow, Value::Object(flow_object))]));
        }
        _ => return scheme.clone(),
    }
    Value::Object(out)
}

/// The 2.0 schema keywords 3.0 spells otherwise.
fn schema_keywords(schema: &mut Map<String, Value>) {
    // Next to a `$ref`, 3.0 reads nothing: a nullable reference is `allOf` of it, nullable.
    if schema.contains_key("$ref") && schema.get("x-nullable") == Some(&Value::Bool(true)) {
        schema.remove("x-nullable");
        if let Some(reference) = schema.remove("$ref") {
            schema.insert(
                "allOf".into(),
                Value::Array(vec![object([("$ref", reference)])]),
            );
        }
        schema.insert("nullable".into(), Value::Bool(true));
    }
    if schema.get("type").and_then(Value::as_str) == Some("file") {
        schema.insert("type".into(), Value::String("string".into()));
        schema.insert("format".into(), Value::String("binary".into()));
    }
    if let Some(Value::Bool(nullable)) = schema.remove("x-nullable") {
        schema.insert("nullable".into(), Value::Bool(nullable));
    }
    if let Some(Value::String(property)) = schema.get("discriminator").cloned() {
        schema.insert(
            "discriminator".into(),
            object([("propertyName", Value::String(property))]),
        );
    }
}

/// The media types (or schemes) of a `consumes`, `produces` or `schemes` list.
fn media_types(list: Option<&Value>) -> Vec<String> {
    match list {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(String::from)
            .collect(),
        _ => Vec::new(),
    }
}

fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}
