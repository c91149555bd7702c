//! IR -> Rust tokens. One function per shape; nothing here reads the OpenAPI document
//! or decides a name: every name comes from the IR, where lowering claimed it.
//!
//! The flow is one way: `client` and `requests` render operations, `models` and
//! `builders` render named types, and all of them render types and value checks
//! through `types` and rustdoc through `docs`.
//!
//! - `client`: the client type, its group accessors and the `groups` module;
//! - `entry`: an operation's group method and standalone function (one emitter);
//! - `requests`: the request builder of each operation and its response enum;
//! - `errors`: the enum of an operation's declared error responses;
//! - `send`: what a request builder does when awaited;
//! - `models`, `builders`: structs, enums, aliases, unions; builders and `Validate`;
//! - `types`: IR types -> Rust types, and limits -> value checks;
//! - `docs`: spec text -> rustdoc;
//! - `mock`: the typed mock server (setting `mock`);
//! - `cfg`: the `#[cfg(feature = ..)]` gates of groups and the types they reach
//!   (setting `features_per_tag`).

mod builders;
mod cfg;
pub(crate) mod client;
pub(crate) mod docs;
mod entry;
mod errors;
mod mock;
pub(crate) mod models;
mod multipart;
mod paging;
mod requests;
mod security;
mod send;
mod streams;
mod types;
mod usage;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Api;
use crate::settings::Settings;

/// What every emit function needs.
pub struct Ctx<'a> {
    pub(crate) api: &'a Api,
    pub(crate) settings: &'a Settings,
    /// The runtime crate as generated modules name it: `rt`, which each of them
    /// imports (`use ::orq_runtime as rt;`). Type names are `UpperCamelCase` and
    /// functions have an `_`, so nothing generated can take it.
    pub(crate) rt: TokenStream,
    /// The runtime crate path, e.g. `::orq_runtime`, for the items generated in the
    /// caller's module.
    pub(crate) rt_root: TokenStream,
    /// Which types are checked and which get builders.
    pub(crate) usage: usage::Usage,
    /// Prelude names as generated modules write them.
    pub(crate) std: Std,
}

/// The prelude types generated modules use: the bare name, or the full path in an
/// SDK where a generated type takes that name (a schema called `Result`).
pub(crate) struct Std {
    pub(crate) option: TokenStream,
    pub(crate) result: TokenStream,
    pub(crate) string: TokenStream,
    pub(crate) vec: TokenStream,
    pub(crate) boxed: TokenStream,
    pub(crate) into: TokenStream,
    pub(crate) default: TokenStream,
}

impl Std {
    fn new(api: &Api) -> Self {
        let taken = |name: &str| {
            api.types.contains_key(name)
                || api.groups.values().any(|g| g.type_name == name)
                || api.operations.iter().any(|op| {
                    op.names.request == name || op.names.response == name || op.names.error == name
                })
        };
        let pick = |name: &str, full: TokenStream| {
            if taken(name) {
                full
            } else {
                let name = proc_macro2::Ident::new(name, proc_macro2::Span::call_site());
                quote!(#name)
            }
        };
        Std {
            option: pick("Option", quote!(::std::option::Option)),
            result: pick("Result", quote!(::std::result::Result)),
            string: pick("String", quote!(::std::string::String)),
            vec: pick("Vec", quote!(::std::vec::Vec)),
            boxed: pick("Box", quote!(::std::boxed::Box)),
            into: pick("Into", quote!(::std::convert::Into)),
            default: pick("Default", quote!(::std::default::Default)),
        }
    }
}

impl<'a> Ctx<'a> {
    /// The context of one SDK.
    pub(crate) fn new(api: &'a Api, settings: &'a Settings) -> Self {
        let rt_root = syn::parse_str::<syn::Path>(&settings.runtime)
            .map(|p| quote!(#p))
            .unwrap_or_else(|_| quote!(::orq_runtime));
        Ctx {
            api,
            settings,
            rt: quote!(rt),
            rt_root,
            usage: usage::Usage::of(api),
            std: Std::new(api),
        }
    }

    /// The value of `#[serde(crate = "...")]`.
    pub(crate) fn serde_crate(&self) -> &'static str {
        "rt::__private::serde"
    }

    /// The `use` every generated module starts with.
    pub(crate) fn prelude(&self) -> TokenStream {
        let root = &self.rt_root;
        quote!(#[allow(unused_imports)] use #root as rt;)
    }

    /// The `use`s of the modules of operations (`requests`, `groups`, `funcs`), which
    /// also name the models: the runtime, and `models`.
    pub(crate) fn prelude_ops(&self) -> TokenStream {
        let rt = self.prelude();
        quote!(#rt #[allow(unused_imports)] use super::models;)
    }

    /// Whether values of `t` hold generated types with checks to run.
    pub(crate) fn needs_walk(&self, t: &crate::ir::Ty) -> bool {
        use crate::ir::Ty;
        match t {
            Ty::Named(name) => self.usage.checked.contains(name),
            // Whether a `Uri` parses as a URL is its own check (strict in requests).
            Ty::Url => true,
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Boxed(inner) | Ty::Nullable(inner) => {
                self.needs_walk(inner)
            }
            _ => false,
        }
    }

    /// Whether `name` is a string enum (held in `rt::Open` wherever it is used).
    pub(crate) fn is_string_enum(&self, name: &str) -> bool {
        matches!(
            self.api.types.get(name).map(|d| &d.kind),
            Some(crate::ir::TypeKind::Enum(e)) if !e.integer
        )
    }

    /// Whether a body of type `t` is a model with a builder, so operations also take the
    /// builder (`rt::IntoBody`), built when the call starts.
    pub(crate) fn body_takes_builder(&self, t: &crate::ir::Ty) -> bool {
        match t {
            crate::ir::Ty::Named(name) => {
                matches!(
                    self.api.types.get(name).map(|d| &d.kind),
                    Some(crate::ir::TypeKind::Struct(_))
                ) && self.has_builder(name)
            }
            _ => false,
        }
    }

    /// Whether `name` gets a builder: every struct but those only responses carry,
    /// unless `response_builders` asks for those too.
    pub(crate) fn has_builder(&self, name: &str) -> bool {
        !self.settings.models_only
            && (self.settings.response_builders || !self.usage.only_responses.contains(name))
    }
}

/// The whole generated SDK.
pub fn emit(api: &Api, settings: &Settings) -> TokenStream {
    let ctx = Ctx::new(api, settings);
    let models = models::module(&ctx);
    if settings.models_only {
        return models;
    }
    let client = client::client(&ctx);
    let groups = client::groups(&ctx);
    let requests = requests::requests(&ctx);
    let funcs = entry::funcs(&ctx);
    let mock = mock::module(&ctx);
    quote! {
        #models
        #client
        #groups
        #requests
        #funcs
        #mock
    }
}

/// A small API with one of each shape emit renders (a struct with a limit, a response-only
/// struct, an enum, a union, a path and a query parameter, a body, mixed successes,
/// an API key), for the unit tests of emit's files.
#[cfg(test)]
pub(crate) const TEST_SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
servers: [{url: "https://api.example.com/v1"}]
security: [{key: []}]
components:
  securitySchemes: {key: {type: apiKey, in: header, name: X-Key}}
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string, minLength: 1}
        tag: {type: string}
    Color: {type: string, enum: [red, green]}
    Shape: {oneOf: [{$ref: '#/components/schemas/Pet'}, {type: string}]}
    Listing: {type: object, properties: {total: {type: integer}}}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      tags: [pets]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: color, in: query, schema: {$ref: '#/components/schemas/Color'}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Listing'}}}}
        "404": {description: missing}
  /pets:
    post:
      operationId: addPet
      tags: [pets]
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
      responses:
        "201": {description: made, content: {application/json: {schema: {$ref: '#/components/schemas/Shape'}}}}
        "202": {description: later}
"#;

/// The operation `id` of a test API.
#[cfg(test)]
pub(crate) fn test_operation<'a>(api: &'a Api, id: &str) -> &'a crate::ir::Operation {
    let found = api.operations.iter().find(|op| op.operation_id == id);
    found.unwrap_or_else(|| panic!("the test spec has the operation {id}"))
}

/// The IR of a YAML document and the settings, for the unit tests of emit's files.
#[cfg(test)]
pub(crate) fn test_ctx_parts(yaml: &str) -> (Api, Settings) {
    let settings = Settings::new().with_client_name("Api");
    let (api, problems) = crate::test_api(yaml, &settings);
    assert!(problems.is_empty(), "{problems:?}");
    (api, settings)
}
