//! IR -> Rust tokens. One function per shape; nothing here reads the OpenAPI document.

mod client;
pub(crate) mod docs;
mod models;
mod operations;

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
    let include = settings.include_spec.as_ref().map(|path| {
        quote! {
            // Makes the build depend on the spec: editing it regenerates the SDK.
            const _: &[u8] = include_bytes!(#path);
        }
    });
    let models = models::module(&ctx);
    let client = client::client(&ctx);
    let groups = client::groups(&ctx);
    let requests = operations::requests(&ctx);
    let funcs = operations::funcs(&ctx);
    quote! {
        #include
        #models
        #client
        #groups
        #requests
        #funcs
    }
}
