//! The entry points of an operation: a method of its group (of the client itself, for
//! an untagged operation), and a standalone function in `funcs`. One emitter serves
//! both; only the receiver differs. Per-call options are set on the request builder
//! either returns.

use proc_macro2::TokenStream;
use quote::quote;

use super::requests::{Required, required};
use super::{Ctx, docs};
use crate::ir::Operation;
use crate::naming::ident;

/// What an entry point is called on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Receiver {
    /// A method of the operation's group struct (`orq.contacts().create(..)`), or of
    /// the client itself for an untagged operation (`client.list_pets(..)`).
    Group,
    /// A standalone function taking the client first (`funcs::contacts_create(&orq, ..)`).
    Client,
}

/// The `funcs` module.
pub fn funcs(ctx: &Ctx<'_>) -> TokenStream {
    let prelude = ctx.prelude_ops();
    let funcs = ctx
        .api
        .operations
        .iter()
        .map(|op| entry(ctx, op, Receiver::Client));
    quote! {
        /// Every operation as a standalone function taking the client first.
        pub mod funcs {
            #prelude
            #(#funcs)*
        }
    }
}

/// The entry point of `op` on `receiver`: it returns the operation's request builder.
pub fn entry(ctx: &Ctx<'_>, op: &Operation, receiver: Receiver) -> TokenStream {
    let Required { decls, names } = required(ctx, op);
    let request = ident(&op.names.request);
    let client_type = ident(&ctx.settings.client_name);
    let (name, this, client) = match receiver {
        Receiver::Group if op.group.is_none() => (&op.names.method, quote!(&self), quote!(self)),
        Receiver::Group => (&op.names.method, quote!(&self), quote!(self.client)),
        Receiver::Client => (
            &op.names.func,
            quote!(client: &super::#client_type),
            quote!(client),
        ),
    };
    let name = ident(name);
    let mut lines = docs::operation(ctx.api, op, false);
    if receiver == Receiver::Group {
        lines.push(String::new());
        lines.extend(crate::usage::rustdoc_example(ctx.api, ctx.settings, op));
    }
    let doc = docs::attrs(&lines);
    let (deprecated, allow) = docs::deprecation(&op.docs);
    let gate = ctx.cfg_operation(op);
    quote! {
        #doc
        #gate
        #deprecated
        #allow
        #[inline]
        pub fn #name(#this, #(#decls),*) -> super::requests::#request {
            super::requests::#request::new(#client, #(#names),*)
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
        let ctx = Ctx::new(&api, &settings);
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
        // An untagged operation is a method of the client itself.
        let (api, settings) = test_ctx_parts(
            r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /health:
    get:
      operationId: getHealth
      responses: {"204": {description: ok}}
"#,
        );
        let ctx2 = Ctx::new(&api, &settings);
        let health = entry(&ctx2, &api.operations[0], Receiver::Group).to_string();
        assert!(
            health.contains("pub fn get_health (& self ,) -> super :: requests :: GetHealth {")
                || health
                    .contains("pub fn get_health (& self) -> super :: requests :: GetHealth {"),
            "{health}"
        );
        assert!(
            health.contains("GetHealth :: new (self ,)")
                || health.contains("GetHealth :: new (self)"),
            "{health}"
        );
        // The builder each returns and how it is made, up to the end of the first body.
        let body = |text: &str| {
            let (_, rest) = text.split_once("-> super :: requests")?;
            rest.split_once('}').map(|(body, _)| body.to_string())
        };
        assert_eq!(
            body(&method).map(|b| b.replace("self . client", "client")),
            body(&func),
            "both build the same request"
        );
    }
}
