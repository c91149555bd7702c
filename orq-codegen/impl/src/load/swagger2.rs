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

const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";
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

/// A parameter of an operation, followed through its `$ref`: what it is, where it is
/// written, and where the operation lists it.
struct Param<'a> {
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
    fn location(&self) -> Option<&str> {
        self.node.get("in").and_then(Value::as_str)
    }

    fn name(&self) -> Option<&str> {
        self.node.get("name").and_then(Value::as_str)
    }
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
                "parameters" => {
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
                "parameters" => {
                    let plain = self.plain_params(&own, &at.at("parameters"));
                    out.insert(key.clone(), Value::Array(plain));
                }
                "responses" => {
                    let r_at = at.at("responses");
                    out.insert(key.clone(), self.responses(value, &r_at, &r_at, &produces));
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

    /// The parameters of a list, each followed through its `$ref`s; entries that are no
    /// parameter object (a dangling `$ref`, a wrong shape) are kept as written.
    fn params(&self, list: Option<&'a Value>, at: &Ptr) -> Vec<Param<'a>> {
        let Some(Value::Array(items)) = list else {
            return Vec::new();
        };
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
        let mut node = entry;
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
        match node {
            Value::Object(map) if !map.contains_key("$ref") => (map, node_at),
            _ => (EMPTY.get_or_init(Map::new), at.clone()),
        }
    }

    /// The non-body parameters of a list, converted (a `$ref` stays a `$ref`, retargeted
    /// later), with where each moved in the list.
    fn plain_params(&mut self, params: &[Param<'a>], list_at: &Ptr) -> Vec<Value> {
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
    fn parameter(&mut self, node: &Map<String, Value>, at: &Ptr, now: &Ptr) -> Value {
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
    fn request_body(
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
    fn body(
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

    /// A map of responses (an operation's, or the document's), each converted.
    fn responses(&mut self, responses: &Value, at: &Ptr, now: &Ptr, produces: &[String]) -> Value {
        let Value::Object(responses) = responses else {
            return responses.clone();
        };
        if at != now {
            self.moves.record(now.to_string(), at.to_string());
        }
        let converted = responses.iter().map(|(code, response)| {
            let value = match response {
                Value::Object(r) if !r.contains_key("$ref") => {
                    self.response(r, &at.at(code), &now.at(code), produces)
                }
                other => other.clone(),
            };
            (code.clone(), value)
        });
        Value::Object(converted.collect())
    }

    fn response(
        &mut self,
        r: &Map<String, Value>,
        at: &Ptr,
        now: &Ptr,
        produces: &[String],
    ) -> Value {
        let mut out = Map::new();
        for (key, value) in r {
            match key.as_str() {
                "schema" | "examples" => {}
                "headers" => {
                    out.insert(
                        key.clone(),
                        self.headers(value, &at.at("headers"), &now.at("headers")),
                    );
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        out.entry("description")
            .or_insert_with(|| Value::String(String::new()));
        let examples = r.get("examples").and_then(Value::as_object);
        let mut media: Vec<String> = produces.to_vec();
        if media.is_empty() {
            let file = r
                .get("schema")
                .and_then(|s| s.get("type"))
                .and_then(Value::as_str)
                == Some("file");
            media.push(
                if file {
                    "application/octet-stream"
                } else {
                    JSON
                }
                .into(),
            );
        }
        if let Some(schema) = r.get("schema") {
            let content = media.iter().map(|m| {
                let mut media_type = object([("schema", schema.clone())]);
                if let (Some(example), Value::Object(map)) =
                    (examples.and_then(|e| e.get(m)), &mut media_type)
                {
                    map.insert("example".into(), example.clone());
                }
                let schema_at = now.at("content").at(m).at("schema");
                self.moves
                    .record(schema_at.to_string(), at.at("schema").to_string());
                (m.clone(), media_type)
            });
            out.insert("content".into(), Value::Object(content.collect()));
        }
        Value::Object(out)
    }

    /// Response headers: their type keywords become their `schema`.
    fn headers(&mut self, headers: &Value, at: &Ptr, now: &Ptr) -> Value {
        let Value::Object(headers) = headers else {
            return headers.clone();
        };
        let converted = headers.iter().map(|(name, header)| {
            let Value::Object(fields) = header else {
                return (name.clone(), header.clone());
            };
            let (mut out, schema) = split_schema(fields);
            out.insert("schema".into(), Value::Object(schema));
            self.moves.record(
                now.at(name).at("schema").to_string(),
                at.at(name).to_string(),
            );
            (name.clone(), Value::Object(out))
        });
        Value::Object(converted.collect())
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

/// The name of a parameter of the document's `parameters` that `reference` names.
fn shared_name(reference: &str) -> Option<&str> {
    let name = reference.strip_prefix("#/parameters/")?;
    (!name.contains('/')).then_some(name)
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::Path;

    fn converted(doc: Value) -> (Value, Moves, Vec<String>) {
        let mut diags = Diagnostics::new(Path::new("t.yaml"));
        let (doc, moves) = convert(doc, &mut diags);
        let problems = diags.into_vec().iter().map(|d| d.to_string()).collect();
        (doc, moves, problems)
    }

    fn swagger(rest: Value) -> Value {
        let mut doc = json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}});
        if let (Value::Object(doc), Value::Object(rest)) = (&mut doc, rest) {
            doc.extend(rest);
        }
        doc
    }

    #[test]
    fn servers_come_from_host_base_path_and_schemes() {
        let (doc, moves, _) = converted(swagger(json!({
            "host": "api.example.com", "basePath": "/v1", "schemes": ["https", "http"], "paths": {}
        })));
        assert_eq!(doc["openapi"], "3.0.3");
        assert_eq!(
            doc["servers"],
            json!([{"url": "https://api.example.com/v1"}, {"url": "http://api.example.com/v1"}])
        );
        assert_eq!(moves.back("#/servers/1/url"), "#/host");
        let (doc, ..) = converted(swagger(json!({"host": "h.io", "paths": {}})));
        assert_eq!(doc["servers"], json!([{"url": "https://h.io"}]));
        let (doc, ..) = converted(swagger(json!({"basePath": "/api", "paths": {}})));
        assert_eq!(doc["servers"], json!([{"url": "/api"}]));
        let (doc, ..) = converted(swagger(json!({"paths": {}})));
        assert!(doc.get("servers").is_none());
    }

    #[test]
    fn parameters_get_schemas_styles_and_their_places_are_recorded() {
        let (doc, moves, problems) = converted(swagger(json!({
            "paths": {"/pets/{ids}": {
                "parameters": [{"name": "ids", "in": "path", "required": true, "type": "array", "items": {"type": "integer"}, "collectionFormat": "pipes"}],
                "get": {"parameters": [
                    {"name": "tags", "in": "query", "type": "array", "items": {"type": "string", "enum": ["a", "b"]}},
                    {"name": "kinds", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
                    {"name": "words", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "ssv"},
                    {"name": "tabs", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "tsv"},
                    {"name": "X-Trace", "in": "header", "type": "string", "maxLength": 40, "x-nullable": true},
                    {"$ref": "#/parameters/limit"}
                ], "responses": {"204": {"description": "none"}}}
            }},
            "parameters": {"limit": {"name": "limit", "in": "query", "type": "integer", "maximum": 100}}
        })));
        let item = &doc["paths"]["/pets/{ids}"];
        assert_eq!(
            item["parameters"][0],
            json!({"name": "ids", "in": "path", "required": true, "explode": false,
                   "schema": {"type": "array", "items": {"type": "integer"}}})
        );
        let params = &item["get"]["parameters"];
        assert_eq!(params[0]["style"], "form");
        assert_eq!(params[0]["explode"], false);
        assert_eq!(params[0]["schema"]["items"]["enum"], json!(["a", "b"]));
        assert_eq!(
            (&params[1]["style"], &params[1]["explode"]),
            (&json!("form"), &json!(true))
        );
        assert_eq!(params[2]["style"], "spaceDelimited");
        assert_eq!(
            (&params[3]["style"], &params[3]["explode"]),
            (&json!("form"), &json!(false))
        );
        assert_eq!(
            params[4]["schema"],
            json!({"type": "string", "maxLength": 40, "nullable": true})
        );
        assert_eq!(params[5], json!({"$ref": "#/components/parameters/limit"}));
        assert_eq!(
            doc["components"]["parameters"]["limit"]["schema"],
            json!({"type": "integer", "maximum": 100})
        );
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(problems[0].contains("~1pets~1{ids}/parameters/0/collectionFormat: `collectionFormat: pipes` has no OpenAPI 3 equivalent in a path parameter"), "{problems:#?}");
        assert!(
            problems[1].contains("get/parameters/3/collectionFormat: `collectionFormat: tsv`"),
            "{problems:#?}"
        );
        assert_eq!(
            moves.back("#/paths/~1pets~1{ids}/get/parameters/4/schema/maxLength"),
            "#/paths/~1pets~1{ids}/get/parameters/4/maxLength"
        );
        assert_eq!(
            moves.back("#/components/parameters/limit/schema/maximum"),
            "#/parameters/limit/maximum"
        );
    }

    #[test]
    fn body_and_form_parameters_become_request_bodies() {
        let (doc, moves, problems) = converted(swagger(json!({
            "consumes": ["application/json", "application/xml"],
            "paths": {
                "/pets": {"post": {
                    "parameters": [
                        {"name": "id", "in": "query", "type": "string"},
                        {"name": "pet", "in": "body", "required": true, "description": "the pet", "schema": {"$ref": "#/definitions/Pet"}}
                    ],
                    "responses": {"201": {"description": "created"}}
                }, "put": {
                    "parameters": [{"$ref": "#/parameters/petBody"}],
                    "responses": {"204": {"description": "done"}}
                }},
                "/pets/{id}/photo": {"post": {
                    "consumes": ["multipart/form-data"],
                    "parameters": [
                        {"name": "caption", "in": "formData", "type": "string", "required": true},
                        {"name": "file", "in": "formData", "type": "file", "required": true},
                        {"name": "tags", "in": "formData", "type": "array", "items": {"type": "string"}}
                    ],
                    "responses": {"204": {"description": "done"}}
                }},
                "/login": {"post": {
                    "consumes": ["application/x-www-form-urlencoded"],
                    "parameters": [{"name": "user", "in": "formData", "type": "string"}],
                    "responses": {"204": {"description": "done"}}
                }}
            },
            "parameters": {"petBody": {"name": "pet", "in": "body", "schema": {"$ref": "#/definitions/Pet"}}},
            "definitions": {"Pet": {"type": "object", "properties": {"photo": {"type": "file"}, "name": {"type": "string", "x-nullable": true}}, "discriminator": "kind"}}
        })));
        assert!(problems.is_empty(), "{problems:#?}");
        let post = &doc["paths"]["/pets"]["post"];
        assert_eq!(post["parameters"].as_array().map(Vec::len), Some(1));
        assert_eq!(
            post["requestBody"],
            json!({"description": "the pet", "required": true, "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}},
                "application/xml": {"schema": {"$ref": "#/components/schemas/Pet"}}
            }})
        );
        assert_eq!(
            doc["paths"]["/pets"]["put"]["requestBody"],
            json!({"$ref": "#/components/requestBodies/petBody"})
        );
        assert!(
            doc["components"]["requestBodies"]["petBody"]["content"]["application/json"]
                .is_object()
        );
        assert!(doc["components"].get("parameters").is_none());
        let photo = &doc["paths"]["/pets/{id}/photo"]["post"]["requestBody"];
        assert_eq!(photo["required"], true);
        let form = &photo["content"]["multipart/form-data"];
        assert_eq!(
            form["schema"],
            json!({"type": "object", "required": ["caption", "file"], "properties": {
                "caption": {"type": "string"},
                "file": {"type": "string", "format": "binary"},
                "tags": {"type": "array", "items": {"type": "string"}}
            }})
        );
        assert_eq!(
            form["encoding"]["tags"],
            json!({"style": "form", "explode": false})
        );
        let login = &doc["paths"]["/login"]["post"]["requestBody"]["content"];
        assert!(
            login["application/x-www-form-urlencoded"]["schema"]["properties"]["user"].is_object()
        );
        let pet = &doc["components"]["schemas"]["Pet"];
        assert_eq!(
            pet["properties"]["photo"],
            json!({"type": "string", "format": "binary"})
        );
        assert_eq!(
            pet["properties"]["name"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(pet["discriminator"], json!({"propertyName": "kind"}));
        assert_eq!(
            moves.back("#/paths/~1pets/post/requestBody/content/application~1xml/schema"),
            "#/paths/~1pets/post/parameters/1/schema"
        );
        assert_eq!(
            moves.back("#/paths/~1pets~1{id}~1photo/post/requestBody/content/multipart~1form-data/schema/properties/file/type"),
            "#/paths/~1pets~1{id}~1photo/post/parameters/1/type"
        );
        assert_eq!(
            moves.back("#/components/schemas/Pet/properties/name"),
            "#/definitions/Pet/properties/name"
        );
    }

    #[test]
    fn responses_get_content_per_produces_with_examples_and_header_schemas() {
        let (doc, moves, _) = converted(swagger(json!({
            "produces": ["application/json"],
            "paths": {"/pets": {"get": {
                "produces": ["application/json", "text/csv"],
                "responses": {
                    "200": {
                        "description": "the pets",
                        "schema": {"type": "array", "items": {"$ref": "#/definitions/Pet"}},
                        "headers": {"X-Next": {"type": "string", "description": "the next page"}},
                        "examples": {"application/json": [{"name": "Rex"}]}
                    },
                    "default": {"$ref": "#/responses/Error"}
                }
            }}, "/pets/{id}/photo": {"get": {
                "produces": [],
                "responses": {"200": {"description": "the photo", "schema": {"type": "file"}}}
            }}},
            "responses": {"Error": {"description": "failed", "schema": {"$ref": "#/definitions/Error"}}},
            "definitions": {"Pet": {"type": "object"}, "Error": {"type": "object"}}
        })));
        let ok = &doc["paths"]["/pets"]["get"]["responses"]["200"];
        assert_eq!(
            ok["content"]["application/json"]["example"],
            json!([{"name": "Rex"}])
        );
        assert_eq!(
            ok["content"]["text/csv"]["schema"]["items"],
            json!({"$ref": "#/components/schemas/Pet"})
        );
        assert_eq!(
            ok["headers"]["X-Next"],
            json!({"description": "the next page", "schema": {"type": "string"}})
        );
        assert_eq!(
            doc["paths"]["/pets"]["get"]["responses"]["default"],
            json!({"$ref": "#/components/responses/Error"})
        );
        assert_eq!(
            doc["components"]["responses"]["Error"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/Error"})
        );
        let photo = &doc["paths"]["/pets/{id}/photo"]["get"]["responses"]["200"]["content"];
        assert_eq!(
            photo["application/octet-stream"]["schema"],
            json!({"type": "string", "format": "binary"})
        );
        assert_eq!(
            moves.back("#/paths/~1pets/get/responses/200/content/text~1csv/schema/items"),
            "#/paths/~1pets/get/responses/200/schema/items"
        );
        assert_eq!(
            moves.back("#/components/responses/Error/content/application~1json/schema"),
            "#/responses/Error/schema"
        );
    }

    #[test]
    fn security_definitions_become_security_schemes() {
        let (doc, moves, _) = converted(swagger(json!({
            "paths": {},
            "securityDefinitions": {
                "basic": {"type": "basic", "description": "user and password"},
                "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
                "implicit": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a/auth", "scopes": {"read": "read"}},
                "password": {"type": "oauth2", "flow": "password", "tokenUrl": "https://a/token", "scopes": {}},
                "machine": {"type": "oauth2", "flow": "application", "tokenUrl": "https://a/token"},
                "code": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a/auth", "tokenUrl": "https://a/token", "scopes": {"write": "write"}}
            },
            "security": [{"key": []}]
        })));
        let schemes = &doc["components"]["securitySchemes"];
        assert_eq!(
            schemes["basic"],
            json!({"description": "user and password", "type": "http", "scheme": "basic"})
        );
        assert_eq!(
            schemes["key"],
            json!({"type": "apiKey", "name": "X-Key", "in": "header"})
        );
        assert_eq!(
            schemes["implicit"]["flows"],
            json!({"implicit": {"authorizationUrl": "https://a/auth", "scopes": {"read": "read"}}})
        );
        assert_eq!(
            schemes["password"]["flows"]["password"]["tokenUrl"],
            "https://a/token"
        );
        assert_eq!(
            schemes["machine"]["flows"],
            json!({"clientCredentials": {"tokenUrl": "https://a/token", "scopes": {}}})
        );
        assert_eq!(
            schemes["code"]["flows"]["authorizationCode"],
            json!({"authorizationUrl": "https://a/auth", "tokenUrl": "https://a/token", "scopes": {"write": "write"}})
        );
        assert_eq!(doc["security"], json!([{"key": []}]));
        assert_eq!(
            moves.back("#/components/securitySchemes/code"),
            "#/securityDefinitions/code"
        );
    }
}
