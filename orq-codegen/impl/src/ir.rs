//! The intermediate representation: what the spec means, independent of both the
//! OpenAPI document's shape and the Rust tokens we emit. Every item keeps the JSON
//! pointer it came from.

use std::collections::BTreeMap;

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
    /// What the generated type does not capture of the schema, when anything.
    pub note: Option<String>,
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
    /// `url::Url`.
    Url,
    /// `uuid::Uuid`.
    Uuid,
    /// `format: byte`: bytes carried as base64 text (`Base64Bytes`).
    Base64,
    /// `format: binary` inside a JSON document: raw octets carried as a JSON string (`Binary`).
    Binary,
    /// Any JSON value.
    Json,
    /// Raw bytes (`bytes::Bytes`), for non-JSON, non-text bodies.
    Bytes,
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
    /// Whether instances are sent to the server (builders and validation are emitted).
    pub used_in_request: bool,
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
    /// Accessor and module-style name, e.g. `contacts`.
    pub snake: String,
    /// Struct name, e.g. `Contacts`.
    pub type_name: String,
    /// The tag's description.
    pub description: Option<String>,
}

/// Where a parameter travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

/// One operation parameter.
#[derive(Debug)]
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
}

/// A request body.
#[derive(Debug)]
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
    /// Multipart bodies: the parts the spec describes, one line each.
    pub parts: Vec<String>,
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

/// One entry of `responses`.
#[derive(Debug)]
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

/// One operation.
#[derive(Debug)]
pub struct Operation {
    /// Where it came from.
    pub origin: Ptr,
    /// `operationId`, or the stable name derived from method and path.
    pub operation_id: String,
    /// The group's `snake` name.
    pub group: String,
    /// Method name within the group.
    pub method_name: String,
    /// Standalone function name, `{group}_{method}`.
    pub func_name: String,
    /// HTTP method, upper case.
    pub http_method: String,
    /// The path template, e.g. `/v2/people/{userid}`.
    pub path: String,
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
    /// Whether a spec extension allows retrying this operation although it is not idempotent.
    pub retry_non_idempotent: bool,
    /// Spec inconsistencies tolerated here, documented on the generated method.
    pub notes: Vec<String>,
}
