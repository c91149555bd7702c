//! The intermediate representation: what the spec means, independent of both the
//! OpenAPI document's shape and the Rust tokens we emit. Every item keeps the JSON
//! pointer it came from.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::diag::Ptr;

/// A whole API, validated and ready to emit.
#[derive(Debug)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `servers`, in document order.
    pub servers: Vec<Server>,
    /// Named types, keyed by Rust name (ordered: output is deterministic).
    pub types: BTreeMap<String, TypeDef>,
    /// Operations in document order (paths, then methods in a fixed order).
    pub operations: Vec<Operation>,
    /// Client groups (one per tag), keyed by module-style name.
    pub groups: BTreeMap<String, Group>,
    /// The credential `from_env` reads `{PREFIX}_API_KEY` into.
    pub env_credential: EnvCredential,
    /// Every degradation of the document (`place: what was done`), listed in the client's
    /// docs; set once the checks have run.
    pub degradations: Vec<String>,
    /// Which cargo feature compiles which part of the SDK (setting `features_per_tag`);
    /// `None`: everything is compiled always.
    pub features: Option<Features>,
}

/// The cargo features of an SDK whose groups are features: what each one compiles.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Features {
    /// Each group's feature, by the group's `snake` name.
    pub groups: BTreeMap<String, String>,
    /// The feature of the operations without tags (methods of the client itself);
    /// `None` when every operation has a tag.
    pub untagged: Option<String>,
    /// For each named type some operation uses (through fields, union members and
    /// inheritance, aliases, arrays and maps, however deep): the features of the
    /// operations that reach it. A type no operation reaches is absent: it is compiled
    /// always.
    pub types: BTreeMap<String, BTreeSet<String>>,
}

impl Features {
    /// The feature of the group `group` (`None`: the operations without tags).
    pub fn of_group(&self, group: Option<&str>) -> Option<&str> {
        match group {
            Some(group) => self.groups.get(group).map(String::as_str),
            None => self.untagged.as_deref(),
        }
    }

    /// Every feature: the groups' in the order of their names, then the untagged one.
    pub fn all(&self) -> impl Iterator<Item = &str> {
        let mut groups: Vec<&str> = self.groups.values().map(String::as_str).collect();
        groups.sort_unstable();
        groups.into_iter().chain(self.untagged.as_deref())
    }
}

/// A `servers` entry.
#[derive(Debug)]
pub struct Server {
    /// The URL template, e.g. `https://{region}.example.com`.
    pub url: String,
    /// What the server is.
    pub description: Option<String>,
    /// Variables and their defaults, in name order.
    pub variables: BTreeMap<String, String>,
    /// Variables restricted to an `enum`, with the allowed values.
    pub allowed: BTreeMap<String, Vec<String>>,
}

/// Which credential an `_API_KEY` environment variable carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnvCredential {
    /// An HTTP bearer (or OAuth2/OpenID access) token.
    Bearer,
    /// An API key.
    ApiKey,
    /// The spec declares no credential.
    None,
}

/// Documentation gathered from a schema or operation.
#[derive(Clone, Debug, Default)]
pub struct Docs {
    /// Title or summary line.
    pub title: Option<String>,
    /// Long description (CommonMark).
    pub description: Option<String>,
    /// An example value, rendered as JSON.
    pub example: Option<String>,
    /// The spec's `default`, rendered as JSON (documented, never invented as data).
    pub default: Option<String>,
    /// The format, e.g. `email`, when the Rust type does not already say it.
    pub format: Option<String>,
    /// Whether the item is deprecated.
    pub deprecated: bool,
    /// What the generated code does not capture of the spec here, or reads leniently.
    pub notes: Vec<Note>,
}

/// Something the spec says that the generated code does not capture exactly, or
/// that was read more leniently than written. Each becomes a line in the rustdoc of the
/// affected item and a degradation diagnostic (`check`); the wording is `NoteKind`'s
/// `Display`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// Where in the spec.
    pub at: Ptr,
    /// What was done.
    pub kind: NoteKind,
}

/// The kinds of [`Note`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoteKind {
    /// `not` is not modelled: the value is any JSON value.
    NotModelled,
    /// An `allOf` whose members are neither all objects nor all scalars of one type: the
    /// value is any JSON value.
    MixedAllOf,
    /// A declared path parameter that the path template does not use: neither an
    /// argument nor sent.
    UnusedPathParam {
        /// The parameter's name.
        name: String,
        /// The path template.
        path: String,
    },
    /// A `multipleOf` that is not a positive number (invalid JSON Schema, but
    /// seen in real specs): not checked.
    IgnoredMultipleOf {
        /// The value as the spec writes it.
        value: String,
    },
    /// An `x-speakeasy-retries` this generator cannot read: the operation keeps
    /// the runtime's default policy.
    IgnoredRetries {
        /// What is wrong with it.
        reason: String,
    },
    /// A path template variable with no parameter declared: a required string path
    /// parameter was inferred.
    InferredPathParam {
        /// The variable's name.
        name: String,
    },
    /// A name in `required` that `properties` does not declare: a required field typed
    /// by `additionalProperties`, or any JSON value.
    RequiredUndeclared {
        /// The property name.
        name: String,
    },
    /// A `pattern` no ECMA-262 engine here compiles: the client does not check it.
    PatternUnchecked {
        /// The pattern.
        pattern: String,
        /// Why it does not compile.
        reason: String,
    },
    /// A schema reference to something other than `#/components/schemas/<Name>`: any
    /// JSON value.
    UnsupportedRef {
        /// The `$ref`.
        reference: String,
    },
    /// Inline schemas nested past the generator's limit: any JSON value.
    TooDeep,
    /// A second `pattern` in an `allOf` of scalars: the client checks one per value.
    ExtraPattern {
        /// The pattern not checked.
        pattern: String,
    },
    /// A discriminator `mapping` value whose schema is not a child that is an object of
    /// its own (or is the base itself): values with that tag are the enum's `Unknown`.
    UntypedTag {
        /// The tag value.
        tag: String,
        /// The schema the mapping names.
        target: String,
    },
    /// An `operationId` an earlier operation already has: this one got a numbered id.
    DuplicateOperationId {
        /// The `operationId` as the spec gives it.
        given: String,
        /// Where the first operation with it is.
        first: String,
        /// The id this operation got.
        id: String,
    },
    /// An extension (`x-speakeasy-pagination`, `x-speakeasy-sse-sentinel`) this
    /// generator cannot read: the operation works without what it describes.
    IgnoredExtension {
        /// The extension's key.
        name: String,
        /// What is wrong with it, and what happens instead.
        reason: String,
    },
}

impl fmt::Display for NoteKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoteKind::NotModelled => {
                write!(
                    f,
                    "Any JSON value: `not` is not modelled (the server checks it)."
                )
            }
            NoteKind::MixedAllOf => write!(
                f,
                "Any JSON value: this `allOf` combines members that are neither all objects nor all scalars of one type."
            ),
            NoteKind::UnusedPathParam { name, path } => write!(
                f,
                "the spec declares the path parameter `{name}`, but the path `{path}` has no `{{{name}}}`: it is neither an argument nor sent."
            ),
            NoteKind::InferredPathParam { name } => write!(
                f,
                "the path has `{{{name}}}` but declares no parameter `{name}`: it is taken as a required string path parameter."
            ),
            NoteKind::RequiredUndeclared { name } => write!(
                f,
                "`{name}` is listed in `required` but not under `properties`: it is a required field of the `additionalProperties` type (any JSON value when there is none)."
            ),
            NoteKind::PatternUnchecked { pattern, reason } => write!(
                f,
                "the `pattern` `{pattern}` is not checked by the client: the ECMA-262 engine (`regress`) does not compile it ({reason})."
            ),
            NoteKind::UnsupportedRef { reference } => write!(
                f,
                "Any JSON value: the schema `$ref` `{reference}` does not point at `#/components/schemas/<Name>`."
            ),
            NoteKind::TooDeep => write!(
                f,
                "Any JSON value: inline schemas nest deeper than the generator follows."
            ),
            NoteKind::ExtraPattern { pattern } => write!(
                f,
                "the `pattern` `{pattern}` of another `allOf` member is not checked by the client, which checks one pattern per value."
            ),
            NoteKind::UntypedTag { tag, target } => write!(
                f,
                "values tagged `{tag}` are kept as `Unknown` (any JSON value): the discriminator maps the tag to `{target}`, which is not a child schema of its own here."
            ),
            NoteKind::DuplicateOperationId { given, first, id } => write!(
                f,
                "operationId `{given}` is used twice (first at {first}): this operation is `{id}`, numbered in document order."
            ),
            NoteKind::IgnoredMultipleOf { value } => write!(
                f,
                "`multipleOf: {value}` is not a positive number, so it is not checked."
            ),
            NoteKind::IgnoredExtension { name, reason } => {
                write!(f, "`{name}` is ignored: {reason}.")
            }
            NoteKind::IgnoredRetries { reason } => write!(
                f,
                "`x-speakeasy-retries` is ignored ({reason}): the runtime's default retry policy applies."
            ),
        }
    }
}

/// A Rust type expression for a value.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ty {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i8` (`format: int8`).
    I8,
    /// `i16` (`format: int16`).
    I16,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `u8` (`format: uint8`).
    U8,
    /// `u16` (`format: uint16`).
    U16,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `chrono::DateTime<Utc>` (RFC 3339).
    DateTime,
    /// `chrono::NaiveDate` (`YYYY-MM-DD`).
    Date,
    /// `orq_runtime::Uri` (`format: uri`/`url`): the text, checked as a URL by `Validate`.
    Url,
    /// `uuid::Uuid`.
    Uuid,
    /// `format: byte`: bytes carried as base64 text (`Base64Bytes`).
    Base64,
    /// `format: binary` inside a JSON document: raw octets carried as a JSON string (`Binary`).
    Binary,
    /// Any JSON value.
    Json,
    /// A binary request body (`orq_runtime::Body`: bytes, a file or a stream), for
    /// non-JSON, non-text media types.
    Bytes,
    /// A binary response body, read as it arrives (`orq_runtime::ByteStream`).
    ByteStream,
    /// A file part of a multipart body (`orq_runtime::FilePart`): a `format: binary`
    /// property of a multipart schema.
    File,
    /// A JSON object with arbitrary values.
    JsonObject,
    /// `Vec<T>`.
    Vec(Box<Ty>),
    /// `BTreeMap<String, T>`.
    Map(Box<Ty>),
    /// `Option<T>` for items and map values that may be `null`.
    Nullable(Box<Ty>),
    /// `Box<T>`, to break recursion.
    Boxed(Box<Ty>),
    /// A generated type, by Rust name.
    Named(String),
    /// A user type that replaces a schema (`Settings::with_replacement`), by path.
    External(String),
    /// A `multipart/form-data` body built part by part (the runtime's `Multipart`).
    Multipart,
}

impl Ty {
    /// How the SDK's users write a type that holds no other (`String`, `DateTime<Utc>`,
    /// `serde_json::Value`), for docs and reports; `None` for the containers, generated and
    /// replaced types, which each writer renders its own way.
    pub fn leaf_text(&self) -> Option<&'static str> {
        Some(match self {
            Ty::String => "String",
            Ty::Bool => "bool",
            Ty::I8 => "i8",
            Ty::I16 => "i16",
            Ty::I32 => "i32",
            Ty::I64 => "i64",
            Ty::U8 => "u8",
            Ty::U16 => "u16",
            Ty::U32 => "u32",
            Ty::U64 => "u64",
            Ty::F32 => "f32",
            Ty::F64 => "f64",
            Ty::DateTime => "DateTime<Utc>",
            Ty::Date => "NaiveDate",
            Ty::Url => "Uri",
            Ty::Uuid => "Uuid",
            Ty::Base64 => "Base64Bytes",
            Ty::Binary => "Binary",
            Ty::Json => "serde_json::Value",
            Ty::JsonObject => "serde_json::Map<String, Value>",
            Ty::Bytes => "Body",
            Ty::ByteStream => "ByteStream",
            Ty::File => "FilePart",
            Ty::Multipart => "Multipart",
            Ty::Vec(_)
            | Ty::Map(_)
            | Ty::Nullable(_)
            | Ty::Boxed(_)
            | Ty::Named(_)
            | Ty::External(_) => return None,
        })
    }
}

/// Value constraints, checked client-side before sending.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `pattern` (ECMA-262 subset understood by the `regex` crate).
    pub pattern: Option<String>,
    /// `minimum` and whether it is exclusive.
    pub minimum: Option<(f64, bool)>,
    /// `maximum` and whether it is exclusive.
    pub maximum: Option<(f64, bool)>,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `uniqueItems`.
    pub unique_items: bool,
    /// `minProperties`.
    pub min_properties: Option<u64>,
    /// `maxProperties`.
    pub max_properties: Option<u64>,
    /// `format: email`: a light syntax check (one `@`, no spaces).
    pub email: bool,
    /// `enum` of numbers or booleans (string and integer enums are Rust enums), as JSON.
    pub allowed: Vec<String>,
}

impl Constraints {
    /// Whether there is nothing to check.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// A generated named type.
#[derive(Debug)]
pub struct TypeDef {
    /// Rust name.
    pub name: String,
    /// Where it came from.
    pub origin: Ptr,
    /// Its documentation.
    pub docs: Docs,
    /// What it is.
    pub kind: TypeKind,
}

/// The shapes of generated types.
#[derive(Debug)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(StructDef),
    /// A string or integer enum, with an `Unknown` fallback variant.
    Enum(EnumDef),
    /// A named alias for another type (`type Tags = Vec<String>;`).
    Alias(Ty, Constraints),
    /// `oneOf`/`anyOf`: one variant per member, plus an `Unknown` fallback.
    Union(UnionDef),
}

/// A `oneOf` or `anyOf`.
#[derive(Debug)]
pub struct UnionDef {
    /// Members in document order (`null` members excluded: they make the use site nullable).
    pub variants: Vec<UnionVariant>,
    /// The discriminator property, when every member has a tag value: values are
    /// dispatched on it instead of trying members in order.
    pub discriminator: Option<String>,
    /// `anyOf` (else `oneOf`), for the docs.
    pub any_of: bool,
}

/// One member of a union.
#[derive(Debug)]
pub struct UnionVariant {
    /// Rust variant name (unique, never `Unknown`).
    pub rust_name: String,
    /// The member's type.
    pub ty: Ty,
    /// Checks on the member's value.
    pub constraints: Constraints,
    /// Checks on each item, for arrays.
    pub item_constraints: Constraints,
    /// Discriminator values that select this member (empty without a discriminator).
    pub tags: Vec<String>,
    /// The member's documentation.
    pub docs: Docs,
}

/// An object type.
#[derive(Debug)]
pub struct StructDef {
    /// Properties in document order.
    pub fields: Vec<Field>,
    /// `additionalProperties` kept in a flattened map, when allowed and typed.
    pub additional: Option<Ty>,
}

/// Required/optional x nullable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// Always present, never null: `T`.
    Required,
    /// Always present, may be null: `Option<T>` serialized as `null`.
    RequiredNullable,
    /// May be absent, never null: `Option<T>`, omitted when `None`.
    Optional,
    /// May be absent or null: `OptionalNullable<T>`.
    OptionalNullable,
}

/// One property of an object.
#[derive(Debug)]
pub struct Field {
    /// Rust field name (unique in the struct).
    pub rust_name: String,
    /// The JSON key.
    pub json_name: String,
    /// The value type (without the presence wrapper).
    pub ty: Ty,
    /// Required/optional x nullable.
    pub presence: Presence,
    /// Documentation.
    pub docs: Docs,
    /// Checks on the value.
    pub constraints: Constraints,
    /// Checks on each item, for arrays.
    pub item_constraints: Constraints,
    /// `readOnly`: sent by the server only; never set by builders, never serialized when unset.
    pub read_only: bool,
    /// `writeOnly`: sent by the client only; responses may leave it out.
    pub write_only: bool,
    /// Whether builders insist on it (the spec requires it and it is not `readOnly`).
    pub required_in_request: bool,
    /// The discriminator value this struct stands for in a tagged union, when this is
    /// the discriminator property: builders fill it in when the caller sets none.
    pub tag: Option<String>,
    /// Where it came from.
    pub origin: Ptr,
}

/// A string or integer enum.
#[derive(Debug)]
pub struct EnumDef {
    /// Variants in document order.
    pub variants: Vec<Variant>,
    /// Whether the wire values are integers.
    pub integer: bool,
}

/// One enum value.
#[derive(Debug)]
pub struct Variant {
    /// Rust variant name (unique in the enum, never `Unknown`).
    pub rust_name: String,
    /// The wire value: a string, or an integer's decimal text.
    pub value: String,
}

/// A client group (one per tag).
#[derive(Debug)]
pub struct Group {
    /// The tag, as the spec writes it.
    pub tag: String,
    /// Accessor and module-style name, e.g. `contacts`.
    pub snake: String,
    /// Struct name, e.g. `Contacts`.
    pub type_name: String,
    /// The tag's description.
    pub description: Option<String>,
}

/// Where a parameter travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// As a request header.
    Header,
    /// As a cookie.
    Cookie,
}

impl ParamLocation {
    /// The spec's name for the location (`in: query`).
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

/// One operation parameter.
#[derive(Clone, Debug)]
pub struct Param {
    /// Rust argument name (unique in the operation).
    pub rust_name: String,
    /// The wire name.
    pub wire_name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Whether the caller must give it.
    pub required: bool,
    /// Its value type.
    pub ty: Ty,
    /// Documentation.
    pub docs: Docs,
    /// Checks on the value.
    pub constraints: Constraints,
    /// Arrays: one `name=value` pair per item (`explode: true`, the default) or one comma-joined value.
    pub explode: bool,
    /// `style: deepObject`: objects travel as `name[key]=value`.
    pub deep_object: bool,
    /// `style: spaceDelimited` or `pipeDelimited` query arrays (not exploded): the separator.
    pub delimiter: Option<char>,
    /// Where it came from.
    pub origin: Ptr,
}

/// How a body travels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MediaKind {
    /// `application/json` or any `+json` type.
    Json,
    /// `text/*`.
    Text,
    /// `application/x-www-form-urlencoded`: the body model, flattened into `key=value` pairs.
    Form,
    /// `multipart/form-data`: parts built with `orq_runtime::Multipart`.
    Multipart,
    /// Anything else, as raw bytes.
    Bytes,
    /// No content.
    Empty,
    /// `text/event-stream`: server-sent events, read as they arrive.
    EventStream,
}

impl MediaKind {
    /// A short name of the encoding (`json`, `form`, ...), as used in generated names
    /// such as `encode_as_form`.
    pub fn as_str(&self) -> &'static str {
        match self {
            MediaKind::Json => "json",
            MediaKind::Text => "text",
            MediaKind::Form => "form",
            MediaKind::Multipart => "multipart",
            MediaKind::Bytes => "bytes",
            MediaKind::Empty => "empty",
            MediaKind::EventStream => "event_stream",
        }
    }
}

/// A request body.
#[derive(Clone, Debug)]
pub struct Body {
    /// The Rust type of the body.
    pub ty: Ty,
    /// The media type sent.
    pub media_type: String,
    /// How it is encoded.
    pub kind: MediaKind,
    /// Whether the body is required.
    pub required: bool,
    /// Documentation.
    pub docs: Docs,
    /// For multipart bodies, the `encoding` map's content types: (property, type).
    pub encoding: Vec<(String, String)>,
    /// Other media types the caller may pick for the same body value (same
    /// schema, JSON or form encoding), in document order.
    pub alternatives: Vec<(String, MediaKind)>,
}

/// Which statuses a response entry covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    /// One status code.
    Exact(u16),
    /// `1XX`..`5XX`: the first digit.
    Range(u16),
    /// `default`.
    Default,
}

impl StatusMatch {
    /// Whether it covers redirects (`3XX`): the answer of an operation that declares no
    /// 2XX, returned as it is instead of followed.
    pub fn is_redirect(&self) -> bool {
        matches!(self, StatusMatch::Exact(300..=399) | StatusMatch::Range(3))
    }

    /// Whether it covers successes (`2XX`).
    pub fn is_success(&self) -> bool {
        matches!(self, StatusMatch::Exact(200..=299) | StatusMatch::Range(2))
    }
}

/// One entry of `responses`.
#[derive(Clone, Debug)]
pub struct ResponseCase {
    /// The statuses it covers.
    pub status: StatusMatch,
    /// Its content, if any.
    pub ty: Option<Ty>,
    /// How its content is decoded.
    pub kind: MediaKind,
    /// Its description.
    pub description: String,
}

impl ResponseCase {
    /// Whether an error response of this case is parsed into a value (a JSON or
    /// `text/*` body); other bodies stay raw in `Error::Api`.
    pub fn parsed_error_body(&self) -> bool {
        self.ty.is_some() && matches!(self.kind, MediaKind::Json | MediaKind::Text)
    }
}

/// One security scheme of an operation requirement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecurityUse {
    /// HTTP bearer or OpenID Connect access token.
    Bearer,
    /// OAuth2: a token from the client-credentials flow, or a bearer token.
    OAuth2 {
        /// The scheme's name in `components.securitySchemes`.
        scheme: String,
        /// The `tokenUrl` of the scheme's `clientCredentials` flow, if any.
        token_url: Option<String>,
        /// The scopes the requirement lists.
        scopes: Vec<String>,
    },
    /// HTTP basic.
    Basic,
    /// An API key.
    ApiKey {
        /// The scheme's name in `components.securitySchemes`.
        scheme: String,
        /// The header, query or cookie name.
        name: String,
        /// `header`, `query` or `cookie`.
        location: ParamLocation,
    },
}

/// An HTTP method of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum HttpMethod {
    /// `GET`.
    Get,
    /// `PUT`.
    Put,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
    /// `OPTIONS`.
    Options,
    /// `HEAD`.
    Head,
    /// `PATCH`.
    Patch,
    /// `TRACE`.
    Trace,
}

impl HttpMethod {
    /// The method of a path item key (`get`, `post`, ...), case-insensitively.
    pub fn parse(key: &str) -> Option<Self> {
        Some(match key.to_ascii_lowercase().as_str() {
            "get" => HttpMethod::Get,
            "put" => HttpMethod::Put,
            "post" => HttpMethod::Post,
            "delete" => HttpMethod::Delete,
            "options" => HttpMethod::Options,
            "head" => HttpMethod::Head,
            "patch" => HttpMethod::Patch,
            "trace" => HttpMethod::Trace,
            _ => return None,
        })
    }

    /// The method as sent, upper case (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }
}

/// A retry policy declared by `x-speakeasy-retries`.
#[derive(Clone, Debug, PartialEq)]
pub enum RetryPolicy {
    /// `false`, or `strategy: none`: never retried.
    Never,
    /// `strategy: backoff`: retried, also for POST and PATCH (the spec says the
    /// operation is safe to repeat).
    Backoff(BackoffPolicy),
}

/// The settings of a backoff [`RetryPolicy`]; `None` takes the runtime's default.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BackoffPolicy {
    /// `backoff.initialInterval`, in milliseconds.
    pub initial_interval_ms: Option<u64>,
    /// `backoff.maxInterval`, in milliseconds.
    pub max_interval_ms: Option<u64>,
    /// `backoff.maxElapsedTime`, in milliseconds.
    pub max_elapsed_time_ms: Option<u64>,
    /// `backoff.exponent`.
    pub exponent: Option<f64>,
    /// `statusCodes` as inclusive ranges (`5XX` is `(500, 599)`).
    pub status_codes: Option<Vec<(u16, u16)>>,
    /// `retryConnectionErrors`.
    pub retry_connection_errors: Option<bool>,
}

/// A path template (`/people/{userid}/photo`), parsed once into its pieces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathTemplate {
    /// The template as the spec writes it.
    pub raw: String,
    /// Its pieces, in order.
    pub segments: Vec<PathSegment>,
}

impl PathTemplate {
    /// The names of the template's variables, in order.
    pub fn variables(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|s| match s {
            PathSegment::Variable(name) => Some(name.as_str()),
            PathSegment::Literal(_) => None,
        })
    }
}

/// One piece of a [`PathTemplate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSegment {
    /// Text sent as it is.
    Literal(String),
    /// `{name}`: the value of the path parameter `name`.
    Variable(String),
}

/// The Rust names of one operation, claimed by lowering so that no two generated items
/// collide (see `naming::NameTable`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperationNames {
    /// The group method, e.g. `create`.
    pub method: String,
    /// The standalone function, e.g. `contacts_create`.
    pub func: String,
    /// The request builder type in `requests`, e.g. `ContactsCreate`.
    pub request: String,
    /// The enum of success responses in `requests`, used when they differ, e.g.
    /// `ContactsCreateResponse`.
    pub response: String,
    /// The enum of declared error responses in `requests`, used when the operation
    /// declares any, e.g. `ContactsCreateError`.
    pub error: String,
    /// The struct of the operation's arguments in `requests` (hidden), of which the
    /// builder type is `Request<ContactsCreateArgs>`, e.g. `ContactsCreateArgs`.
    pub args: String,
}

/// What an operation's successes decode to, which decides its output type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SuccessShape<'a> {
    /// No success has content: `()`.
    Empty,
    /// Every success has content of this one type.
    One(&'a Ty),
    /// Successes differ (in type, or some have no content): an enum per status.
    Mixed,
}

/// One operation.
#[derive(Debug)]
pub struct Operation {
    /// Where it came from.
    pub origin: Ptr,
    /// `operationId`, or the stable name derived from method and path.
    pub operation_id: String,
    /// The group's `snake` name; `None` for an operation without tags, which is a
    /// method of the client itself.
    pub group: Option<String>,
    /// The Rust names of the operation's items.
    pub names: OperationNames,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The path template, e.g. `/v2/people/{userid}`.
    pub path: PathTemplate,
    /// Summary and description.
    pub docs: Docs,
    /// Parameters, required ones first, each group in document order.
    pub params: Vec<Param>,
    /// The request body.
    pub body: Option<Body>,
    /// Success responses (2XX), in status order.
    pub success: Vec<ResponseCase>,
    /// Error responses (everything else that is declared).
    pub errors: Vec<ResponseCase>,
    /// Security alternatives (OR of ANDs); empty: no auth.
    pub security: Vec<Vec<SecurityUse>>,
    /// The retry policy the spec declares (`x-speakeasy-retries` on the operation or
    /// the document, or `x-orq-retry-non-idempotent: true`); `None`: the runtime's.
    pub retries: Option<RetryPolicy>,
    /// Spec inconsistencies tolerated here, documented on the generated method.
    pub notes: Vec<Note>,
    /// How its success is read when it is a stream of server-sent events.
    pub events: Option<Events>,
    /// How it pages (`x-speakeasy-pagination`, or a declared `Link` header).
    pub paging: Option<Paging>,
    /// Which form this is of an operation whose success offers JSON and an event stream
    /// on one status (`None`: the operation has one form).
    pub form: Option<Form>,
}

/// The two forms of an operation whose success offers `application/json` and
/// `text/event-stream` on one status, chosen by a flag in the body (as OpenAI's
/// `/chat/completions` does): each is an [`Operation`] of its own, with the same
/// `operationId`, request and errors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Form {
    /// The JSON form (asks for `application/json`); `stream_method` is the other.
    Json {
        /// The event-stream form's method.
        stream_method: String,
    },
    /// The event-stream form of `json_method` (asks for `text/event-stream`).
    Stream {
        /// The JSON form's method.
        json_method: String,
        /// The body's boolean `stream` property, set to `true` before sending: its Rust
        /// field name and presence. `None` when the body model has none.
        flag: Option<(String, Presence)>,
    },
}

/// How an operation pages: the runtime's `pagination::Paging` rule. Parameters are wire
/// names of the operation's query parameters; paths are the spec's JSONPath.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Paging {
    /// `offsetLimit` with an `offset` input.
    Offset {
        /// The offset parameter.
        param: String,
        /// The page size parameter.
        limit: Option<String>,
        /// Where the items are.
        results: String,
    },
    /// `offsetLimit` with a `page` input.
    Page {
        /// The page number parameter.
        param: String,
        /// The page size parameter.
        limit: Option<String>,
        /// Where the items are.
        results: String,
        /// Where the number of pages is.
        num_pages: Option<String>,
    },
    /// `cursor`.
    Cursor {
        /// The cursor parameter.
        param: String,
        /// Where the next cursor is.
        next: String,
        /// Where the items are.
        results: Option<String>,
    },
    /// `url`.
    Url {
        /// Where the next page's URL is.
        next: String,
        /// Where the items are.
        results: Option<String>,
    },
    /// A `Link: <..>; rel="next"` header the spec declares; the body is the list.
    LinkHeader,
}

impl Paging {
    /// Where a page's items are (`None`: the body is the list).
    pub fn results(&self) -> Option<&str> {
        match self {
            Paging::Offset { results, .. } | Paging::Page { results, .. } => Some(results),
            Paging::Cursor { results, .. } | Paging::Url { results, .. } => results.as_deref(),
            Paging::LinkHeader => None,
        }
    }
}

/// How an operation's server-sent events are read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Events {
    /// The type of each event's data (`String` for text data).
    pub data: Ty,
    /// Whether the data is JSON, decoded into `data`, or text kept as it is.
    pub json: bool,
    /// The data that ends the stream (`x-speakeasy-sse-sentinel`; `[DONE]` for JSON).
    pub sentinel: Option<String>,
}

impl Operation {
    /// What the operation's successes decode to.
    pub fn success_shape(&self) -> SuccessShape<'_> {
        let typed: Vec<&Ty> = self.success.iter().filter_map(|c| c.ty.as_ref()).collect();
        match typed.first() {
            None => SuccessShape::Empty,
            Some(first)
                if typed.iter().all(|t| t == first)
                    && self.success.iter().all(|c| c.ty.is_some()) =>
            {
                SuccessShape::One(first)
            }
            Some(_) => SuccessShape::Mixed,
        }
    }

    /// Whether the operation declares error responses and none of them has a body
    /// that is parsed: its error type is then the runtime's generic `DeclaredStatus`
    /// (the status) instead of an enum of its own.
    pub fn errors_are_statuses(&self) -> bool {
        !self.errors.is_empty() && !self.errors.iter().any(ResponseCase::parsed_error_body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_parse_case_insensitively_and_print_upper_case() {
        for key in [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ] {
            let method = HttpMethod::parse(key).expect("a method");
            assert_eq!(method.as_str(), key.to_ascii_uppercase());
            assert_eq!(HttpMethod::parse(&key.to_ascii_uppercase()), Some(method));
        }
        // Path item keys that are not methods.
        for key in ["parameters", "summary", "servers", "x-extension", "query"] {
            assert_eq!(HttpMethod::parse(key), None, "{key}");
        }
    }

    #[test]
    fn a_path_template_lists_its_variables_in_order() {
        let template = PathTemplate {
            raw: "/people/{userid}/photo/{size}".into(),
            segments: vec![
                PathSegment::Literal("/people/".into()),
                PathSegment::Variable("userid".into()),
                PathSegment::Literal("/photo/".into()),
                PathSegment::Variable("size".into()),
            ],
        };
        assert_eq!(template.variables().collect::<Vec<_>>(), ["userid", "size"]);
    }

    #[test]
    fn locations_and_media_kinds_have_one_text_each() {
        let locations = [
            ParamLocation::Path,
            ParamLocation::Query,
            ParamLocation::Header,
            ParamLocation::Cookie,
        ];
        let texts: Vec<&str> = locations.iter().map(|l| l.as_str()).collect();
        assert_eq!(texts, ["path", "query", "header", "cookie"]);
        let kinds = [
            MediaKind::Json,
            MediaKind::Text,
            MediaKind::Form,
            MediaKind::Multipart,
            MediaKind::Bytes,
            MediaKind::Empty,
            MediaKind::EventStream,
        ];
        let texts: Vec<&str> = kinds.iter().map(MediaKind::as_str).collect();
        assert_eq!(
            texts,
            [
                "json",
                "text",
                "form",
                "multipart",
                "bytes",
                "empty",
                "event_stream"
            ]
        );
    }

    #[test]
    fn constraints_are_empty_only_without_any_limit() {
        assert!(Constraints::default().is_empty());
        let unique = Constraints {
            unique_items: true,
            ..Constraints::default()
        };
        assert!(!unique.is_empty());
    }

    #[test]
    fn notes_say_what_was_done_instead() {
        let inferred = NoteKind::InferredPathParam { name: "id".into() };
        assert_eq!(
            inferred.to_string(),
            "the path has `{id}` but declares no parameter `id`: it is taken as a required string path parameter."
        );
        let multiple = NoteKind::IgnoredMultipleOf { value: "-1".into() };
        assert!(
            multiple
                .to_string()
                .starts_with("`multipleOf: -1` is not a positive number")
        );
        let pattern = NoteKind::PatternUnchecked {
            pattern: "(?<".into(),
            reason: "bad group".into(),
        };
        assert!(pattern.to_string().contains("`(?<`") && pattern.to_string().contains("bad group"));
    }
}
