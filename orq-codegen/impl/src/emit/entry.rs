//! The entry points of an operation: a method of its group, and a standalone function
//! in `funcs`, each with a `_with` form taking `CallOptions`. One emitter serves both;
//! only the receiver differs.

use proc_macro2::TokenStream;
use quote::quote;

use super::requests::{Required, required};
use super::{Ctx, docs};
use crate::ir::Operation;
use crate::naming::ident;

/// What an entry point is called on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Receiver {
    /// A method of the operation's group struct (`orq.contacts().create(..)`).
    Group,
    /// A standalone function taking the client first (`funcs::contacts_create(&orq, ..)`).
    Client,
}

/// The `funcs` module.
pub fn funcs(ctx: &Ctx<'_>) -> TokenStream {
    let funcs = ctx
        .api
        .operations
        .iter()
        .map(|op| entry(ctx, op, Receiver::Client));
    quote! {
        /// Every operation as a standalone function taking the client first.
        pub mod funcs {
            #(#funcs)*
        }
    }
}

/// The two entry points of `op` on `receiver`: the request builder, and the `_with`
/// form that sends it at once with `CallOptions`.
pub fn entry(ctx: &Ctx<'_>, op: &Operation, receiver: Receiver) -> TokenStream {
    let rt = &ctx.rt;
    let Required {
        decls,
        names,
        output,
    } = required(ctx, op);
    let request = ident(&op.names.request);
    let client_type = ident(&ctx.settings.client_name);
    let (name, name_with, this, client, lifetime, link) = match receiver {
        Receiver::Group => (
            &op.names.method,
            &op.names.method_with,
            quote!(&self),
            quote!(self.client),
            quote!('a),
            format!("[`{0}`](Self::{0})", op.names.method),
        ),
        Receiver::Client => (
            &op.names.func,
            &op.names.func_with,
            quote!(client: &super::#client_type),
            quote!(client),
            quote!('_),
            format!("[`{}`]", op.names.func),
        ),
    };
    let (name, name_with) = (ident(name), ident(name_with));
    let doc = docs::attrs(&docs::operation(ctx.api, op));
    let with_doc =
        format!(" {link} with per-call options (retries, timeout, extra headers), sent at once.");
    let (deprecated, allow) = docs::deprecation(&op.docs);
    quote! {
        #doc
        #deprecated
        #allow
        pub fn #name(#this, #(#decls),*) -> super::requests::#request<#lifetime> {
            super::requests::#request::new(#client, #(#names),*)
        }

        #[doc = #with_doc]
        #deprecated
        #allow
        pub async fn #name_with(#this, #(#decls,)* options: #rt::CallOptions) -> ::std::result::Result<#output, #rt::Error> {
            super::requests::#request::new(#client, #(#names),*).options(options).send().await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::test_ctx_parts;

    #[test]
    fn group_methods_and_functions_take_the_same_arguments() {
        let (api, settings) = test_ctx_parts(
            r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets/{id}:
    get:
      operationId: showPet
      tags: [pets]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"204": {description: ok}}
"#,
        );
        let ctx = Ctx {
            api: &api,
            settings: &settings,
            rt: quote!(::rt),
        };
        let op = &api.operations[0];
        let method = entry(&ctx, op, Receiver::Group).to_string();
        let func = entry(&ctx, op, Receiver::Client).to_string();
        assert!(
            method.contains("pub fn show_pet (& self , id :"),
            "{method}"
        );
        assert!(
            func.contains("pub fn pets_show_pet (client : & super :: Api , id :"),
            "{func}"
        );
        // The builder each returns and how it is made, up to the end of the first body.
        let body = |text: &str| {
            let (_, rest) = text.split_once("-> super :: requests")?;
            rest.split_once('}').map(|(body, _)| body.to_string())
        };
        assert_eq!(
            body(&method).map(|b| b.replace("self . client", "client").replace("'a", "'_")),
            body(&func),
            "both build the same request"
        );
    }
}
