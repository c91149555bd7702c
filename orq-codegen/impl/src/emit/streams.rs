//! The send side of operations read as streams: server-sent events.

use proc_macro2::TokenStream;
use quote::quote;

use super::Ctx;
use super::send::error_body;
use super::types::ty;
use crate::ir::{Events, Operation};
use crate::naming::ident;

/// The builder field holding the stream settings, with the spec's sentinel.
pub(super) fn settings_init(ctx: &Ctx<'_>, events: &Events) -> TokenStream {
    let rt = &ctx.rt;
    let sentinel = match &events.sentinel {
        Some(text) => quote!(::std::option::Option::Some(#text)),
        None => quote!(::std::option::Option::None),
    };
    quote!(events: #rt::__private::stream_settings(#sentinel),)
}

/// The builder's send methods and its `EventOperation` impl: the request as for any
/// operation, the events decoded as JSON or kept as text, other statuses as errors.
pub(super) fn event_impls(
    ctx: &Ctx<'_>,
    op: &Operation,
    events: &Events,
    request: &TokenStream,
    allow: &TokenStream,
) -> TokenStream {
    let rt = &ctx.rt;
    let name = ident(&op.names.request);
    let data = ty(ctx, &events.data, &quote!(models::));
    let read = if events.json {
        quote!(json)
    } else {
        quote!(text)
    };
    let error = error_body(ctx, op);
    quote! {
        // Per-call options, stream settings, `send` and `IntoFuture` (to the stream).
        #rt::__private::event_request_builder!(#allow #name => #data);

        #allow
        impl<'a> #rt::__private::EventOperation<'a> for #name<'a> {
            type Data = #data;

            #[inline]
            fn settings(&self) -> #rt::StreamSettings {
                self.events.clone()
            }

            #[inline]
            fn request(self) -> #rt::__private::Prepared<'a> {
                #request
            }

            #[inline]
            fn events(
                operation: &'static str,
                response: #rt::reqwest::Response,
                settings: #rt::StreamSettings,
            ) -> #rt::EventStream<#data> {
                #rt::EventStream::#read(operation, response, settings)
            }

            #[inline]
            fn error(response: #rt::Response) -> #rt::Error {
                #error
            }
        }
    }
}
