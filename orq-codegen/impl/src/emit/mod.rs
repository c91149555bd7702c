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
//! - `send`: what a request builder does when awaited;
//! - `models`, `builders`: structs, enums, aliases, unions; builders and `Validate`;
//! - `types`: IR types -> Rust types, and limits -> value checks;
//! - `docs`: spec text -> rustdoc.

mod builders;
mod client;
pub(crate) mod docs;
mod entry;
mod models;
mod requests;
mod send;
mod types;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Api;
use crate::settings::Settings;

/// What every emit function needs.
pub struct Ctx<'a> {
    pub(crate) api: &'a Api,
    pub(crate) settings: &'a Settings,
    /// The runtime crate path, e.g. `::orq_runtime`.
    pub(crate) rt: TokenStream,
}

impl Ctx<'_> {
    /// The value of `#[serde(crate = "...")]`.
    pub(crate) fn serde_crate(&self) -> String {
        format!("{}::__private::serde", self.settings.runtime)
    }
}

/// The whole generated SDK.
pub fn emit(api: &Api, settings: &Settings) -> TokenStream {
    let rt = syn::parse_str::<syn::Path>(&settings.runtime)
        .map(|p| quote!(#p))
        .unwrap_or_else(|_| quote!(::orq_runtime));
    let ctx = Ctx { api, settings, rt };
    let models = models::module(&ctx);
    let client = client::client(&ctx);
    let groups = client::groups(&ctx);
    let requests = requests::requests(&ctx);
    let funcs = entry::funcs(&ctx);
    quote! {
        #models
        #client
        #groups
        #requests
        #funcs
    }
}

/// The IR of a YAML document and the settings, for the unit tests of emit's files.
#[cfg(test)]
pub(crate) fn test_ctx_parts(yaml: &str) -> (Api, Settings) {
    let settings = Settings::new().with_client_name("Api");
    let (api, problems) = crate::test_api(yaml, &settings);
    assert!(problems.is_empty(), "{problems:?}");
    (api, settings)
}
