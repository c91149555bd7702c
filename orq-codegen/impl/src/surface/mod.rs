//! The generated SDK's API surface: what its users can name and call, as Rust, derived
//! from the IR after naming. Two surfaces are what `diff` compares, and one is what the
//! committed surface file records (`file` writes and reads it; `crate::record` compares it with
//! the spec's).
//!
//! A surface names every item by its Rust path in the SDK (`groups::Contacts::create`,
//! `models::CreateContactRequestBody`), states its Rust type as a user writes it
//! (`Option<String>`, `Open<models::Status>`) and keeps the place in the spec it came
//! from. Everything is in ordered maps, so the same spec gives the same surface.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diag::Ptr;
use crate::emit::Ctx;
use crate::emit::docs::{constraint_lines, status_text};
use crate::ir::{
    Api, Constraints, EnvCredential, Events, MediaKind, Operation as IrOperation, Paging,
    Param as IrParam, ParamLocation, Presence, ResponseCase, RetryPolicy, SecurityUse,
    SuccessShape, Ty, TypeDef, TypeKind,
};
use crate::naming::status_variant;
use crate::settings::Settings;

pub mod file;

/// The public API of one generated SDK.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Surface {
    /// The client type.
    pub client: Client,
    /// `Client::SERVERS`, in spec order (the first is `DEFAULT_SERVER_URL`).
    pub servers: Vec<Server>,
    /// The group accessors of the client, by accessor name (`contacts`).
    pub groups: BTreeMap<String, Group>,
    /// Operations, by the Rust path of their method (`groups::Contacts::create`, or
    /// `Client::list_pets` for an operation without tags).
    pub operations: BTreeMap<String, Operation>,
    /// Models, by Rust name (`CreateContactRequestBody`).
    pub models: BTreeMap<String, Model>,
}

/// The client type: its name, what `from_env` reads and the API it is for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Client {
    /// The type's name (`Orq`); the owner of its line in the surface file.
    #[serde(skip)]
    pub name: String,
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// The prefix of the environment variables `from_env` reads (`ORQ`).
    pub env_prefix: String,
    /// The credential `{PREFIX}_API_KEY` carries: `bearer`, `api key` or `none`.
    pub credential: String,
    /// `DEFAULT_SERVER_URL`: the first server with its variables' defaults.
    pub default_server: String,
}

/// One entry of `Client::SERVERS`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Server {
    /// The URL template.
    pub url: String,
    /// Variables and their defaults.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub variables: BTreeMap<String, String>,
    /// Variables restricted to an `enum`, with the allowed values.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub allowed: BTreeMap<String, Vec<String>>,
}

/// A group accessor of the client (`client.contacts()`) and the struct it returns.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// The group struct, `groups::Contacts`.
    #[serde(rename = "type")]
    pub type_path: String,
    /// The tag it is made from.
    pub tag: String,
}

/// One operation: its method, function and request builder, what it takes and returns.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operation {
    /// `operationId` (or the name derived from method and path).
    pub operation_id: String,
    /// The request it sends: `POST /v2/contacts`.
    pub http: String,
    /// The standalone function, `funcs::contacts_create`.
    pub function: String,
    /// The request builder, `requests::ContactsCreate`.
    pub request: String,
    /// What awaiting it gives: `models::Contact`, `()`, `requests::XResponse`,
    /// `EventStream<T>`.
    pub output: String,
    /// The enum of success responses, when the output is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_enum: Option<String>,
    /// The enum of declared error responses, when the operation declares any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_enum: Option<String>,
    /// Whether that error type is the runtime's `DeclaredStatus` (no declared error
    /// has a body) rather than an enum of its own.
    #[serde(default, skip_serializing_if = "is_false")]
    pub error_statuses: bool,
    /// How it pages (`.pages()`, `.items()`), when it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging: Option<String>,
    /// How its server-sent events are read, when it streams them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<String>,
    /// The security alternatives it sends (empty: none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security: Vec<String>,
    /// The retry policy the spec declares for it (none: the runtime's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retries: Option<String>,
    /// Whether it is `#[deprecated]`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// Where it is in the spec.
    pub at: String,
    /// The required arguments of the method and the function, in order.
    #[serde(skip)]
    pub arguments: Vec<(String, Param)>,
    /// The optional setters of the request builder, by name.
    #[serde(skip)]
    pub setters: BTreeMap<String, Param>,
    /// The variants of the success enum, by name (empty unless `response_enum`).
    #[serde(skip)]
    pub successes: BTreeMap<String, Response>,
    /// The variants of the error enum, by name.
    #[serde(skip)]
    pub errors: BTreeMap<String, Response>,
}

/// A required argument or an optional setter: the value it takes and where it goes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Param {
    /// The value's type (`impl Into<T>` takes a `T`); none for a setter without a value
    /// (`encode_as_form()`).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
    /// Where it travels: `query limit`, `path id`, `body application/json`.
    pub wire: String,
    /// The checks the client runs on it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub limits: Vec<String>,
    /// Where it is in the spec.
    pub at: String,
}

/// A variant of an operation's success or error enum.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// The statuses it covers: `404`, `4XX`, `default`.
    pub status: String,
    /// Its payload's type, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
    /// Where it is in the spec (the file leaves it out where it is the operation's
    /// `responses/{status}`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub at: String,
}

/// A generated model.
#[derive(Clone, Debug, PartialEq)]
pub enum Model {
    /// A struct.
    Struct(Struct),
    /// A string or integer enum.
    Enum(Enum),
    /// A type alias.
    Alias(Alias),
    /// A `oneOf`/`anyOf` enum.
    Union(Union),
}

impl Model {
    /// Where it is in the spec.
    pub fn at(&self) -> &str {
        match self {
            Model::Struct(s) => &s.at,
            Model::Enum(e) => &e.at,
            Model::Alias(a) => &a.at,
            Model::Union(u) => &u.at,
        }
    }

    /// What kind of Rust item it is: `struct`, `enum`, `alias` or `union` (an enum).
    pub fn kind(&self) -> &'static str {
        match self {
            Model::Struct(_) => "struct",
            Model::Enum(_) => "enum",
            Model::Alias(_) => "alias",
            Model::Union(_) => "union",
        }
    }
}

/// A struct model.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Struct {
    /// Whether it has `builder()`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub builder: bool,
    /// Where it is in the spec.
    pub at: String,
    /// Its public fields, by Rust name (the flattened map of `additionalProperties`
    /// included).
    #[serde(skip)]
    pub fields: BTreeMap<String, Field>,
}

/// A field of a struct.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    /// Its type as declared: `String`, `Option<i64>`, `OptionalNullable<Open<models::Status>>`.
    #[serde(rename = "type")]
    pub ty: String,
    /// The JSON key (`*`: the other properties, kept in a map).
    pub json: String,
    /// `required`, `required, nullable`, `optional` or `optional, nullable`.
    pub presence: String,
    /// Whether `build()` refuses a builder without it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub build_requires: bool,
    /// `readOnly`: sent by the server only.
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
    /// `writeOnly`: sent by the client only.
    #[serde(default, skip_serializing_if = "is_false")]
    pub write_only: bool,
    /// The checks the client runs on it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub limits: Vec<String>,
    /// Where it is in the spec (the file leaves it out where it is the model's
    /// `properties/{json}`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub at: String,
}

/// A string or integer enum model.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enum {
    /// Whether the wire values are integers.
    #[serde(default, skip_serializing_if = "is_false")]
    pub integer: bool,
    /// Where it is in the spec.
    pub at: String,
    /// Wire values by variant name.
    #[serde(skip)]
    pub values: BTreeMap<String, String>,
}

/// A type alias model.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alias {
    /// The aliased type.
    #[serde(rename = "type")]
    pub ty: String,
    /// The checks the client runs on it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub limits: Vec<String>,
    /// Where it is in the spec.
    pub at: String,
}

/// A `oneOf`/`anyOf` model: an enum with a variant per member and `Unknown`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Union {
    /// `anyOf` (else `oneOf`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub any_of: bool,
    /// The property that picks the member, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discriminator: Option<String>,
    /// Where it is in the spec.
    pub at: String,
    /// Members by variant name.
    #[serde(skip)]
    pub members: BTreeMap<String, Member>,
}

/// A member of a union.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// The variant's payload type.
    #[serde(rename = "type")]
    pub ty: String,
    /// The discriminator values that pick it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl Surface {
    /// The surface of the SDK emitted for `api` with `settings`; `place` names a JSON
    /// pointer of the (bundled) document as the file and pointer it came from.
    pub(crate) fn of(api: &Api, settings: &Settings, place: &dyn Fn(&Ptr) -> String) -> Surface {
        let ctx = Ctx::new(api, settings);
        let of = Of { ctx: &ctx, place };
        Surface {
            client: of.client(),
            servers: api.servers.iter().map(Of::server).collect(),
            groups: api
                .groups
                .values()
                .map(|g| {
                    let group = Group {
                        type_path: format!("groups::{}", g.type_name),
                        tag: g.tag.clone(),
                    };
                    (g.snake.clone(), group)
                })
                .collect(),
            operations: api
                .operations
                .iter()
                .map(|op| (of.operation_path(op), of.operation(op)))
                .collect(),
            models: api
                .types
                .values()
                .map(|def| (def.name.clone(), of.model(def)))
                .collect(),
        }
    }

    /// The Rust path of the client type's own item `name` (`Orq::contacts`).
    pub fn client_item(&self, name: &str) -> String {
        format!("{}::{name}", self.client.name)
    }
}

/// IR -> surface, for one SDK.
struct Of<'a> {
    ctx: &'a Ctx<'a>,
    place: &'a dyn Fn(&Ptr) -> String,
}

impl Of<'_> {
    fn client(&self) -> Client {
        let api = self.ctx.api;
        Client {
            name: self.ctx.settings.client_name.clone(),
            title: api.title.clone(),
            version: api.version.clone(),
            env_prefix: self.ctx.settings.env_prefix(),
            credential: match api.env_credential {
                EnvCredential::Bearer => "bearer",
                EnvCredential::ApiKey => "api key",
                EnvCredential::None => "none",
            }
            .to_owned(),
            default_server: api
                .servers
                .first()
                .map(crate::emit::client::default_url)
                .unwrap_or_default(),
        }
    }

    fn server(server: &crate::ir::Server) -> Server {
        Server {
            url: server.url.clone(),
            variables: server.variables.clone(),
            allowed: server.allowed.clone(),
        }
    }

    fn operation_path(&self, op: &IrOperation) -> String {
        let owner = match op.group.as_ref().and_then(|g| self.ctx.api.groups.get(g)) {
            Some(group) => format!("groups::{}", group.type_name),
            None => self.ctx.settings.client_name.clone(),
        };
        format!("{owner}::{}", op.names.method)
    }

    fn operation(&self, op: &IrOperation) -> Operation {
        let at = |ptr: &Ptr| (self.place)(ptr);
        let mut arguments = Vec::new();
        let mut setters = BTreeMap::new();
        for p in &op.params {
            let param = Param {
                ty: Some(self.ty(&p.ty)),
                wire: wire(p),
                limits: limits(&p.constraints, &Constraints::default()),
                at: at(&p.origin),
            };
            if p.required {
                arguments.push((p.rust_name.clone(), param));
            } else {
                setters.insert(p.rust_name.clone(), param);
            }
        }
        if let Some(body) = &op.body {
            let body_at = at(&op.origin.at("requestBody"));
            let param = Param {
                ty: Some(self.ty(&body.ty)),
                wire: format!("body {}", body.media_type),
                limits: Vec::new(),
                at: body_at.clone(),
            };
            if body.required {
                arguments.push(("body".to_owned(), param));
            } else {
                setters.insert("body".to_owned(), param);
            }
            for (media, kind) in &body.alternatives {
                let setter = Param {
                    ty: None,
                    wire: format!("body {media}"),
                    limits: Vec::new(),
                    at: body_at.clone(),
                };
                setters.insert(format!("encode_as_{}", kind.as_str()), setter);
            }
        }
        let responses = |cases: &[ResponseCase], payload: fn(&Self, &ResponseCase) -> _| {
            cases
                .iter()
                .map(|case| {
                    let response = Response {
                        status: status_text(case.status),
                        payload: payload(self, case),
                        at: at(&op.origin.at("responses").at(status_text(case.status))),
                    };
                    (status_variant(case.status), response)
                })
                .collect::<BTreeMap<_, _>>()
        };
        let mixed = matches!(op.success_shape(), SuccessShape::Mixed) && op.events.is_none();
        Operation {
            operation_id: op.operation_id.clone(),
            http: format!("{} {}", op.method.as_str(), op.path.raw),
            function: format!("funcs::{}", op.names.func),
            request: format!("requests::{}", op.names.request),
            output: self.output(op),
            response_enum: mixed.then(|| format!("requests::{}", op.names.response)),
            error_enum: (!op.errors.is_empty()).then(|| format!("requests::{}", op.names.error)),
            error_statuses: op.errors_are_statuses(),
            paging: op.paging.as_ref().map(paging),
            events: op.events.as_ref().map(Self::events),
            security: op.security.iter().map(|all| security(all)).collect(),
            retries: op.retries.as_ref().map(retries),
            deprecated: op.docs.deprecated,
            at: at(&op.origin),
            arguments,
            setters,
            successes: if mixed {
                responses(&op.success, Self::success_payload)
            } else {
                BTreeMap::new()
            },
            errors: responses(&op.errors, Self::error_payload),
        }
    }

    fn output(&self, op: &IrOperation) -> String {
        if let Some(events) = &op.events {
            return format!("EventStream<{}>", self.ty(&events.data));
        }
        match op.success_shape() {
            SuccessShape::Empty => "()".to_owned(),
            SuccessShape::One(t) => self.ty(t),
            SuccessShape::Mixed => format!("requests::{}", op.names.response),
        }
    }

    /// A success variant's payload (emit's `response_enum`).
    fn success_payload(&self, case: &ResponseCase) -> Option<String> {
        let t = case.ty.as_ref()?;
        Some(match media(&case.kind) {
            Decoded::Json => self.ty(t),
            Decoded::Text => "String".to_owned(),
            Decoded::Raw => "Bytes".to_owned(),
        })
    }

    /// An error variant's payload (emit's `errors::payload`): other bodies stay raw in
    /// the `Error`.
    fn error_payload(&self, case: &ResponseCase) -> Option<String> {
        let t = case.ty.as_ref()?;
        match media(&case.kind) {
            Decoded::Json => Some(self.ty(t)),
            Decoded::Text => Some("String".to_owned()),
            Decoded::Raw => None,
        }
    }

    fn events(events: &Events) -> String {
        // The data's type is the output's (`EventStream<T>`).
        let mut text = if events.json {
            "JSON data"
        } else {
            "text data"
        }
        .to_owned();
        if let Some(sentinel) = &events.sentinel {
            text.push_str(&format!(", ends at `{sentinel}`"));
        }
        text
    }

    fn model(&self, def: &TypeDef) -> Model {
        let at = (self.place)(&def.origin);
        match &def.kind {
            TypeKind::Struct(s) => {
                let mut fields: BTreeMap<String, Field> = s
                    .fields
                    .iter()
                    .map(|f| {
                        let field = Field {
                            ty: self.field_ty(f.presence, &f.ty),
                            json: f.json_name.clone(),
                            presence: presence(f.presence).to_owned(),
                            build_requires: f.required_in_request,
                            read_only: f.read_only,
                            write_only: f.write_only,
                            limits: limits(&f.constraints, &f.item_constraints),
                            at: (self.place)(&f.origin),
                        };
                        (f.rust_name.clone(), field)
                    })
                    .collect();
                if let Some(additional) = &s.additional {
                    let map = Field {
                        ty: format!("BTreeMap<String, {}>", self.ty(additional)),
                        json: "*".to_owned(),
                        presence: "optional".to_owned(),
                        at: format!("{at}/additionalProperties"),
                        ..Field::default()
                    };
                    fields.insert(crate::naming::additional_name(s), map);
                }
                Model::Struct(Struct {
                    builder: self.ctx.has_builder(&def.name),
                    at,
                    fields,
                })
            }
            TypeKind::Enum(e) => Model::Enum(Enum {
                integer: e.integer,
                at,
                values: e
                    .variants
                    .iter()
                    .map(|v| (v.rust_name.clone(), v.value.clone()))
                    .collect(),
            }),
            TypeKind::Alias(t, constraints) => Model::Alias(Alias {
                ty: self.ty(t),
                limits: limits(constraints, &Constraints::default()),
                at,
            }),
            TypeKind::Union(u) => Model::Union(Union {
                any_of: u.any_of,
                discriminator: u.discriminator.clone(),
                at,
                members: u
                    .variants
                    .iter()
                    .map(|v| {
                        let member = Member {
                            ty: self.ty(&v.ty),
                            tags: v.tags.clone(),
                        };
                        (v.rust_name.clone(), member)
                    })
                    .collect(),
            }),
        }
    }

    fn field_ty(&self, presence: Presence, t: &Ty) -> String {
        let inner = self.ty(t);
        match presence {
            Presence::Required => inner,
            Presence::RequiredNullable | Presence::Optional => format!("Option<{inner}>"),
            Presence::OptionalNullable => format!("OptionalNullable<{inner}>"),
        }
    }

    /// A type as the SDK's users write it: generated types under `models::`, string
    /// enums held in `Open`, runtime types by their short names.
    fn ty(&self, t: &Ty) -> String {
        match t {
            Ty::Vec(inner) => format!("Vec<{}>", self.ty(inner)),
            Ty::Map(inner) => format!("BTreeMap<String, {}>", self.ty(inner)),
            Ty::Nullable(inner) => format!("Option<{}>", self.ty(inner)),
            Ty::Boxed(inner) => format!("Box<{}>", self.ty(inner)),
            Ty::Named(name) if self.ctx.is_string_enum(name) => format!("Open<models::{name}>"),
            Ty::Named(name) => format!("models::{name}"),
            Ty::External(path) => path.clone(),
            leaf => leaf.leaf_text().unwrap_or("serde_json::Value").to_owned(),
        }
    }
}

/// How a response body reaches its variant.
enum Decoded {
    Json,
    Text,
    Raw,
}

fn media(kind: &MediaKind) -> Decoded {
    match kind {
        MediaKind::Json => Decoded::Json,
        MediaKind::Text => Decoded::Text,
        MediaKind::Form
        | MediaKind::Multipart
        | MediaKind::Bytes
        | MediaKind::Empty
        | MediaKind::EventStream => Decoded::Raw,
    }
}

fn presence(presence: Presence) -> &'static str {
    match presence {
        Presence::Required => "required",
        Presence::RequiredNullable => "required, nullable",
        Presence::Optional => "optional",
        Presence::OptionalNullable => "optional, nullable",
    }
}

/// Where a parameter travels, with how it is written when that is not the default.
fn wire(p: &IrParam) -> String {
    let mut text = format!("{} {}", p.location.as_str(), p.wire_name);
    if p.deep_object {
        text.push_str(" (deepObject)");
    } else if let Some(delimiter) = p.delimiter {
        text.push_str(&format!(" (joined by `{delimiter}`)"));
    } else if !p.explode && p.location == ParamLocation::Query {
        text.push_str(" (not exploded)");
    }
    text
}

fn limits(value: &Constraints, items: &Constraints) -> Vec<String> {
    let mut lines = constraint_lines(value);
    if value.email {
        lines.push("Email address.".to_owned());
    }
    lines.extend(
        constraint_lines(items)
            .into_iter()
            .map(|line| format!("Each item: {line}")),
    );
    lines
}

fn security(all: &[SecurityUse]) -> String {
    let one = |scheme: &SecurityUse| match scheme {
        SecurityUse::Bearer => "bearer".to_owned(),
        SecurityUse::Basic => "basic".to_owned(),
        SecurityUse::ApiKey {
            scheme,
            name,
            location,
        } => format!("api key `{scheme}` ({} {name})", location.as_str()),
        SecurityUse::OAuth2 {
            scheme,
            token_url,
            scopes,
        } => {
            let mut text = format!("oauth2 `{scheme}`");
            if let Some(url) = token_url {
                text.push_str(&format!(" from {url}"));
            }
            if !scopes.is_empty() {
                text.push_str(&format!(" (scopes {})", scopes.join(", ")));
            }
            text
        }
    };
    if all.is_empty() {
        return "none".to_owned();
    }
    all.iter().map(one).collect::<Vec<_>>().join(" and ")
}

fn retries(policy: &RetryPolicy) -> String {
    match policy {
        RetryPolicy::Never => "never".to_owned(),
        RetryPolicy::Backoff(b) => {
            let mut parts = Vec::new();
            let ms = |name: &str, value: Option<u64>| value.map(|v| format!("{name} {v} ms"));
            parts.extend(ms("initial", b.initial_interval_ms));
            parts.extend(ms("max interval", b.max_interval_ms));
            parts.extend(ms("max elapsed", b.max_elapsed_time_ms));
            parts.extend(b.exponent.map(|e| format!("exponent {e}")));
            if let Some(codes) = &b.status_codes {
                let codes: Vec<String> = codes
                    .iter()
                    .map(|(low, high)| match low == high {
                        true => low.to_string(),
                        false => format!("{low}-{high}"),
                    })
                    .collect();
                parts.push(format!("statuses {}", codes.join(", ")));
            }
            parts.extend(
                b.retry_connection_errors
                    .map(|on| format!("connection errors {}", if on { "yes" } else { "no" })),
            );
            match parts.is_empty() {
                true => "backoff".to_owned(),
                false => format!("backoff ({})", parts.join(", ")),
            }
        }
    }
}

fn paging(paging: &Paging) -> String {
    let items = |results: Option<&str>| match results {
        Some(path) => format!("items at `{path}`"),
        None => "the body is the list".to_owned(),
    };
    let limit = |limit: &Option<String>| match limit {
        Some(name) => format!(", size `{name}`"),
        None => String::new(),
    };
    match paging {
        Paging::Offset {
            param,
            limit: size,
            results,
        } => format!("offset `{param}`{}, {}", limit(size), items(Some(results))),
        Paging::Page {
            param,
            limit: size,
            results,
            num_pages,
        } => {
            let mut text = format!("page `{param}`{}, {}", limit(size), items(Some(results)));
            if let Some(pages) = num_pages {
                text.push_str(&format!(", pages at `{pages}`"));
            }
            text
        }
        Paging::Cursor {
            param,
            next,
            results,
        } => format!(
            "cursor `{param}` from `{next}`, {}",
            items(results.as_deref())
        ),
        Paging::Url { next, results } => {
            format!("next URL at `{next}`, {}", items(results.as_deref()))
        }
        Paging::LinkHeader => "`Link` header, the body is the list".to_owned(),
    }
}

#[cfg(test)]
pub(crate) mod tests;
