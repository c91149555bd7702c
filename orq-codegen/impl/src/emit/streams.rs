//! The send side of operations read as streams: server-sent events, and the pages of
//! paged operations.

use proc_macro2::TokenStream;
use quote::quote;

use super::Ctx;
use super::paging::typed_items;
use super::send::error_body;
use super::types::ty;
use crate::ir::{Events, Operation, Paging};
use crate::naming::ident;

/// The builder field holding the stream settings, with the spec's sentinel.
pub(super) fn settings_init(ctx: &Ctx<'_>, events: &Events) -> TokenStream {
    let rt = &ctx.rt;
    let sentinel = option_str(events.sentinel.as_deref());
    quote!(events: #rt::__private::stream_settings(#sentinel),)
}

/// An `Option<&'static str>` expression.
fn option_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(text) => quote!(::std::option::Option::Some(#text)),
        None => quote!(::std::option::Option::None),
    }
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

/// The builder's `.pages()` and `.items()` and its `PagedOperation` impl: the rule as a
/// constant, and how a decoded page gives its items.
pub(super) fn paged_impls(
    ctx: &Ctx<'_>,
    op: &Operation,
    paging: &Paging,
    output: &TokenStream,
    allow: &TokenStream,
) -> TokenStream {
    let rt = &ctx.rt;
    let name = ident(&op.names.request);
    let vec = &ctx.std.vec;
    // The typed items come from the decoded page, the others from its JSON.
    let (item, items, page, body) = match typed_items(ctx.api, op, paging) {
        Some((item, access)) => (
            ty(ctx, item, &quote!(models::)),
            access,
            quote!(page),
            quote!(_),
        ),
        None => {
            let path = option_str(paging.results());
            (
                quote!(#rt::serde_json::Value),
                quote!(#rt::__private::items_at(body, #path)),
                quote!(_),
                quote!(body),
            )
        }
    };
    let rule = paging_rule(ctx, paging);
    quote! {
        // `.pages()` and `.items()`.
        #rt::__private::paged_request_builder!(#allow #name => #output, #item);

        #allow
        impl<'a> #rt::__private::PagedOperation<'a> for #name<'a> {
            type Item = #item;

            const PAGING: #rt::__private::pagination::Paging = #rule;

            #[inline]
            fn items(#page: #output, #body: &[u8]) -> #vec<#item> {
                #items
            }
        }
    }
}

/// The runtime's `Paging` value of the rule.
fn paging_rule(ctx: &Ctx<'_>, paging: &Paging) -> TokenStream {
    let rt = &ctx.rt;
    let p = quote!(#rt::__private::pagination::Paging);
    let some = |value: &Option<String>| option_str(value.as_deref());
    match paging {
        Paging::Offset {
            param,
            limit,
            results,
        } => {
            let limit = some(limit);
            quote!(#p::Offset { param: #param, limit: #limit, results: #results })
        }
        Paging::Page {
            param,
            limit,
            results,
            num_pages,
        } => {
            let (limit, num_pages) = (some(limit), some(num_pages));
            quote!(#p::Page { param: #param, limit: #limit, results: #results, num_pages: #num_pages })
        }
        Paging::Cursor {
            param,
            next,
            results,
        } => {
            let results = some(results);
            quote!(#p::Cursor { param: #param, next: #next, results: #results })
        }
        Paging::Url { next, results } => {
            let results = some(results);
            quote!(#p::Url { next: #next, results: #results })
        }
        Paging::LinkHeader => {
            let results = option_str(None);
            quote!(#p::LinkHeader { results: #results })
        }
    }
}
