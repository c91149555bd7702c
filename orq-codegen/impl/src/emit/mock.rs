//! The `mock` module (setting `mock`): a typed mock server of the API for the tests of
//! apps. Per operation it renders only what is typed: the request struct the handler
//! gets (with how to decode it), how the success value is written, and one
//! registration method on its group's handle. Routing, decoding, validation,
//! credential checks and recording are `orq_runtime::mock`'s.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::cfg::gate_items;
use super::requests::success_ty;
use super::security::Security;
use super::send::security_requirement;
use super::types::ty;
use super::{Ctx, docs};
use crate::ir::{
    Form, MediaKind, Operation, ParamLocation, SecurityUse, StatusMatch, SuccessShape,
};
use crate::naming::{ident, mock_server_method, variant_of};
use crate::settings::Mock;

/// The `mock` module, or nothing when the setting is off.
pub fn module(ctx: &Ctx<'_>) -> TokenStream {
    let Some(setting) = &ctx.settings.mock else {
        return TokenStream::new();
    };
    let gate = match setting {
        Mock::Always => TokenStream::new(),
        Mock::Feature(feature) => quote!(#[cfg(feature = #feature)]),
    };
    let rt = &ctx.rt;
    let prelude = ctx.prelude_ops();
    let client = ident(&ctx.settings.client_name);
    // Each distinct security requirement once, as the `requests` module has them.
    let mut security = Security::default();
    let routes: Vec<TokenStream> = ctx
        .api
        .operations
        .iter()
        .map(|op| {
            let id = &op.operation_id;
            let method = op.method.as_str();
            let template = &op.path.raw;
            security.used_by(ctx.feature_of(op));
            let requirement = security.constant(security_requirement(ctx, op));
            let form = stream_form(op).then(|| quote!(.event_stream()));
            let gate = ctx.cfg_operation(op);
            quote!(#gate #rt::mock::Route::new(#id, #method, #template, #requirement) #form)
        })
        .collect();
    let security = security.consts(ctx);
    let requests = ctx
        .api
        .operations
        .iter()
        .map(|op| gate_items(&ctx.cfg_operation(op), request(ctx, op)));
    let mut by_group: std::collections::BTreeMap<&str, Vec<TokenStream>> = Default::default();
    // Untagged operations are methods of the client, so their handlers are methods of
    // the server; one that would shadow the server's own gets a suffix.
    let mut untagged = Vec::new();
    for op in &ctx.api.operations {
        match &op.group {
            Some(group) => by_group
                .entry(group.as_str())
                .or_default()
                .push(registration(ctx, op, ident(&op.names.method))),
            None => {
                let method = ident(&mock_server_method(&op.names.method));
                untagged.push(registration(ctx, op, method));
            }
        }
    }
    let mut accessors = Vec::new();
    let groups: Vec<TokenStream> = ctx
        .api
        .groups
        .values()
        .map(|g| {
            let handle = format_ident!("{}Mock", g.type_name);
            // The server's own methods keep their names; such a group's gets a suffix.
            let method = ident(&mock_server_method(&g.snake));
            let doc = format!(" The handlers of the operations tagged `{}`.", g.snake);
            let gate = ctx.cfg_group(Some(&g.snake));
            accessors.push(quote! {
                #[doc = #doc]
                #gate
                pub fn #method(&self) -> #handle<'_> {
                    #handle { server: &self.server }
                }
            });
            let methods = by_group.remove(g.snake.as_str()).unwrap_or_default();
            let doc = format!(
                " Registers handlers for the operations tagged `{}`; get one from [`MockServer::{}`].",
                g.snake, g.snake
            );
            let group = quote! {
                #[doc = #doc]
                #[derive(Clone, Copy, Debug)]
                pub struct #handle<'a> {
                    server: &'a #rt::mock::MockServer,
                }

                impl #handle<'_> {
                    #(#methods)*
                }
            };
            gate_items(&gate, group)
        })
        .collect();
    let credentials = credentials(ctx);
    let client_doc = format!(
        " A [`{client}`](super::{client}) pointed at this server, with test credentials for \
         every scheme the spec uses{}, and without retries (a handler's 5XX answer comes \
         back at once).",
        if credentials.is_empty() {
            ""
        } else {
            " (`mock-token`, `mock-api-key`, `mock-user`/`mock-password`)"
        }
    );
    quote! {
        /// A typed mock server of the API, for the tests of code that uses this SDK.
        ///
        /// [`MockServer::start`] listens on 127.0.0.1; register a handler per operation
        /// through the group handles (`server.pets().get_pet(|request| async { .. })`), call
        /// your code with [`MockServer::client`], and assert on what it sent with
        /// `server.calls()` or `server.requests::<..Request>()`. Requests are decoded and
        /// checked against the spec first: one that does not decode or breaks a limit gets
        /// a 400 listing the violations, one without the credentials its operation needs a
        /// 401, an operation without a handler a 501.
        #gate
        pub mod mock {
            #prelude
            // For users; unused inside an SDK that is not public.
            #[allow(unused_imports)]
            pub use #rt::mock::{Call, Reply};

            #security
            const ROUTES: &[#rt::mock::Route] = &[#(#routes),*];

            /// The mock server; it stops when dropped. It dereferences to the runtime's
            /// server: `url()`, `calls()`, `requests::<T>()`, `clear_calls()`.
            #[derive(Debug)]
            pub struct MockServer {
                server: #rt::mock::MockServer,
            }

            impl MockServer {
                /// Starts the server on an ephemeral port of 127.0.0.1.
                ///
                /// # Panics
                ///
                /// When no port can be bound; [`try_start`](Self::try_start) returns the error.
                #[inline]
                pub async fn start() -> Self {
                    match Self::try_start().await {
                        Ok(server) => server,
                        Err(error) => panic!("the mock server cannot listen on 127.0.0.1: {error}"),
                    }
                }

                /// Starts the server on an ephemeral port of 127.0.0.1.
                #[inline]
                pub async fn try_start() -> ::std::io::Result<Self> {
                    Ok(Self { server: #rt::mock::MockServer::try_start(ROUTES).await? })
                }

                #[doc = #client_doc]
                #[inline]
                pub fn client(&self) -> super::#client {
                    match self.client_builder().retry(#rt::RetryConfig::none()).build() {
                        Ok(client) => client,
                        Err(error) => panic!("the mock client does not build: {error}"),
                    }
                }

                /// The builder of [`client`](Self::client), to change more (retries, hooks).
                #[inline]
                pub fn client_builder(&self) -> #rt::ClientBuilder<super::#client> {
                    super::#client::builder().server_url(self.server.url()) #(#credentials)*
                }

                #(#accessors)*
                #(#untagged)*
            }

            impl ::std::ops::Deref for MockServer {
                type Target = #rt::mock::MockServer;

                #[inline]
                fn deref(&self) -> &Self::Target {
                    &self.server
                }
            }

            #(#requests)*
            #(#groups)*
        }
    }
}

/// The builder calls that give the mock client a test value for every credential kind the
/// operations use.
fn credentials(ctx: &Ctx<'_>) -> Vec<TokenStream> {
    let uses = || {
        ctx.api
            .operations
            .iter()
            .flat_map(|op| op.security.iter().flatten())
    };
    let mut calls = Vec::new();
    if uses().any(|u| matches!(u, SecurityUse::Bearer | SecurityUse::OAuth2 { .. })) {
        calls.push(quote!(.bearer("mock-token")));
    }
    if uses().any(|u| matches!(u, SecurityUse::Basic)) {
        calls.push(quote!(.basic("mock-user", "mock-password")));
    }
    if uses().any(|u| matches!(u, SecurityUse::ApiKey { .. })) {
        calls.push(quote!(.api_key("mock-api-key")));
    }
    calls
}

/// The typed request of `op`, how it is decoded, and how its success value is written.
fn request(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let rt = &ctx.rt;
    let models = quote!(models::);
    let name = format_ident!("{}Request", op.names.request);
    let mut fields = Vec::new();
    let mut reads = Vec::new();
    let mut checks = Vec::new();
    let mut inits = Vec::new();
    for p in &op.params {
        let field = ident(&p.rust_name);
        let t = ty(ctx, &p.ty, &models);
        let (location, place) = match p.location {
            ParamLocation::Path => (quote!(Path), "path"),
            ParamLocation::Query => (quote!(Query), "query"),
            ParamLocation::Header => (quote!(Header), "header"),
            ParamLocation::Cookie => (quote!(Cookie), "cookie"),
        };
        // The parameter's description is on the request builder's setter already.
        let doc = format!(" The {place} parameter `{}`.", p.wire_name);
        let doc = quote!(#[doc = #doc]);
        let wire = &p.wire_name;
        let required = p.required;
        reads.push(quote!(incoming.param::<#t>(#rt::mock::In::#location, #wire, #required)));
        if required {
            fields.push(quote!(#doc pub #field: #t,));
        } else {
            fields.push(quote!(#doc pub #field: Option<#t>,));
        }
        inits.push((field, required));
    }
    if let Some(body) = &op.body {
        let (t, read) = match body.kind {
            MediaKind::Json => {
                let t = ty(ctx, &body.ty, &models);
                (t.clone(), quote!(json_body::<#t>))
            }
            MediaKind::Text => (quote!(String), quote!(text_body)),
            _ => (quote!(#rt::__private::bytes::Bytes), quote!(raw_body)),
        };
        let required = body.required;
        let index = syn::Index::from(reads.len());
        if body.kind == MediaKind::Json && ctx.needs_walk(&body.ty) {
            checks.push(quote!(if let Some(value) = &values.#index { incoming.validate(value); }));
        }
        reads.push(quote!(incoming.#read(#required)));
        let doc = match body.kind {
            MediaKind::Json | MediaKind::Text => " The request body.".to_string(),
            _ => format!(" The request body (`{}`), as sent.", body.media_type),
        };
        if required {
            fields.push(quote!(#[doc = #doc] pub body: #t,));
        } else {
            fields.push(quote!(#[doc = #doc] pub body: Option<#t>,));
        }
        inits.push((format_ident!("body"), required));
    }
    let inits = inits.iter().enumerate().map(|(index, (field, required))| {
        let index = syn::Index::from(index);
        if *required {
            quote!(#field: values.#index?,)
        } else {
            quote!(#field: values.#index,)
        }
    });
    let output = output_ty(ctx, op);
    let success = success_reply(ctx, op);
    let value = if matches!(op.success_shape(), SuccessShape::Empty) {
        quote!(_)
    } else {
        quote!(value)
    };
    let doc = format!(
        " The request of `{}` (`{} {}`) as the mock server decoded it.",
        op.operation_id,
        op.method.as_str(),
        op.path.raw
    );
    let decode = if reads.is_empty() {
        quote!(#[inline] fn decode(_: &mut #rt::mock::Incoming) -> Option<Self> { Some(Self {}) })
    } else {
        quote! {
            #[inline]
            fn decode(incoming: &mut #rt::mock::Incoming) -> Option<Self> {
                let values = (#(#reads,)*);
                #(#checks)*
                Some(Self { #(#inits)* })
            }
        }
    };
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #decode

            // Inline: compiled only in the crates whose tests register the operation.
            #[inline]
            fn success(#value: #output) -> #rt::mock::Reply {
                #success
            }
        }
    }
}

/// The success type, named from the `mock` module.
fn output_ty(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    if let Some(events) = &op.events {
        // The events the answer streams, in order.
        let data = ty(ctx, &events.data, &quote!(models::));
        return quote!(Vec<#data>);
    }
    match op.success_shape() {
        SuccessShape::Mixed => {
            let name = ident(&op.names.response);
            quote!(super::requests::#name)
        }
        // A download's handler answers with its bytes.
        SuccessShape::One(crate::ir::Ty::ByteStream) => {
            let rt = &ctx.rt;
            quote!(#rt::bytes::Bytes)
        }
        _ => success_ty(ctx, op, &quote!(models::)),
    }
}

/// How the success value becomes the answer: the status of its case and its content.
fn success_reply(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let rt = &ctx.rt;
    let status = |case: StatusMatch| {
        proc_macro2::Literal::u16_unsuffixed(match case {
            StatusMatch::Exact(n) => n,
            StatusMatch::Range(n) => n * 100,
            StatusMatch::Default => 200,
        })
    };
    let content = |kind: &MediaKind, value: TokenStream| match kind {
        MediaKind::Json => quote!(.json(&#value)),
        MediaKind::Text => quote!(.text(#value)),
        _ => quote!(.bytes(#value, "application/octet-stream")),
    };
    if let Some(events) = &op.events {
        let code = status(
            op.success
                .iter()
                .find(|c| c.kind == MediaKind::EventStream)
                .map_or(StatusMatch::Exact(200), |c| c.status),
        );
        let sentinel = match &events.sentinel {
            Some(s) => quote!(Some(#s)),
            None => quote!(None),
        };
        let write = if events.json {
            quote!(json_events)
        } else {
            quote!(text_events)
        };
        return quote!(#rt::mock::Reply::status(#code).#write(&value, #sentinel));
    }
    match op.success_shape() {
        SuccessShape::Empty => {
            let code = status(
                op.success
                    .first()
                    .map_or(StatusMatch::Exact(204), |c| c.status),
            );
            quote!(#rt::mock::Reply::status(#code))
        }
        SuccessShape::One(_) => {
            let case = op.success.iter().find(|c| c.ty.is_some());
            let code = status(case.map_or(StatusMatch::Exact(200), |c| c.status));
            let kind = case.map_or(MediaKind::Json, |c| c.kind.clone());
            let content = content(&kind, quote!(value));
            quote!(#rt::mock::Reply::status(#code) #content)
        }
        SuccessShape::Mixed => {
            let name = ident(&op.names.response);
            let arms = op.success.iter().map(|case| {
                let variant = variant_of(case.status);
                let code = status(case.status);
                match case.ty {
                    None => quote!(super::requests::#name::#variant => #rt::mock::Reply::status(#code),),
                    Some(_) => {
                        let content = content(&case.kind, quote!(value));
                        quote!(super::requests::#name::#variant(value) => #rt::mock::Reply::status(#code) #content,)
                    }
                }
            });
            quote!(match value { #(#arms)* })
        }
    }
}

/// Whether `op` is the event-stream form of an operation that also answers JSON, which
/// the mock server routes by `Accept`.
fn stream_form(op: &Operation) -> bool {
    matches!(op.form, Some(Form::Stream { .. }))
}

/// The group handle's method that registers a handler for `op`.
fn registration(ctx: &Ctx<'_>, op: &Operation, method: proc_macro2::Ident) -> TokenStream {
    let request = format_ident!("{}Request", op.names.request);
    let output = output_ty(ctx, op);
    let id = &op.operation_id;
    let (register, form) = if stream_form(op) {
        (format_ident!("register_route"), Some(quote!(true,)))
    } else {
        (format_ident!("register"), None)
    };
    let doc = docs::attrs(&[
        format!(
            "Answers `{id}` (`{} {}`) with `handler` from now on (replacing an earlier one).",
            op.method.as_str(),
            op.path.raw
        ),
        String::new(),
        format!(
            "The handler gets the decoded, validated [`{request}`] and returns the success \
             value, or `Err(Reply)` for any other answer (a declared error: \
             `Err(Reply::status(404).json(&body))`)."
        ),
    ]);
    let gate = ctx.cfg_operation(op);
    quote! {
        #doc
        #gate
        pub fn #method<F, Fut>(&self, handler: F) -> &Self
        where
            F: Fn(#request) -> Fut + Send + Sync + 'static,
            Fut: ::std::future::Future<Output = Result<#output, Reply>> + Send + 'static,
        {
            self.server.#register(#id, #form #request::decode, #request::success, handler);
            self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::{TEST_SPEC, test_ctx_parts};

    #[test]
    fn nothing_without_the_setting_and_a_cfg_gate_with_a_feature() {
        let (api, settings) = test_ctx_parts(TEST_SPEC);
        assert!(module(&Ctx::new(&api, &settings)).is_empty());

        let settings = settings.with_mock_feature("testing");
        let module = module(&Ctx::new(&api, &settings)).to_string();
        assert!(
            module.contains("# [cfg (feature = \"testing\")]"),
            "{module}"
        );
        // One request struct and one handler method per operation, on its group's handle.
        assert!(module.contains("pub struct PetsGetPetRequest"), "{module}");
        assert!(module.contains("pub struct PetsMock"), "{module}");
        assert!(module.contains("pub fn get_pet < F , Fut >"), "{module}");
        // The path variable and the query parameter, decoded by the runtime.
        assert!(module.contains("In :: Path , \"id\" , true"), "{module}");
        assert!(
            module.contains("In :: Query , \"color\" , false"),
            "{module}"
        );
        // The body's limits are checked; the API key gets a test value.
        assert!(module.contains("incoming . validate (value)"), "{module}");
        assert!(module.contains(". api_key (\"mock-api-key\")"), "{module}");
    }

    #[test]
    fn a_group_named_like_a_server_method_gets_a_suffix() {
        let spec = TEST_SPEC.replace("tags: [pets]", "tags: [client]");
        let (api, settings) = test_ctx_parts(&spec);
        let settings = settings.with_mock(true);
        let module = module(&Ctx::new(&api, &settings)).to_string();
        assert!(
            module.contains("pub fn client_handlers (& self)"),
            "{module}"
        );
        assert!(module.contains("pub fn client (& self)"), "{module}");
    }
}
