//! The security requirements of an SDK's operations: each distinct one written once, as
//! a constant every request builder (and the mock server's routes) names.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::Ctx;
use crate::ir::{ParamLocation, SecurityUse};

/// The security requirements of the operations, each distinct one written once as a
/// constant (most operations of an API share one or two).
#[derive(Default)]
pub(super) struct Security {
    /// The requirement's tokens, as a key, by first use.
    index: std::collections::HashMap<String, usize>,
    values: Vec<TokenStream>,
}

impl Security {
    /// The constant holding `requirement` (a `&[&[SecurityScheme]]` expression).
    pub(super) fn constant(&mut self, requirement: TokenStream) -> Ident {
        let next = self.values.len();
        let index = *self.index.entry(requirement.to_string()).or_insert(next);
        if index == next {
            self.values.push(requirement);
        }
        format_ident!("SECURITY_{}", index)
    }

    pub(super) fn consts(&self, ctx: &Ctx<'_>) -> TokenStream {
        let rt = &ctx.rt;
        let consts = self.values.iter().enumerate().map(|(index, value)| {
            let name = format_ident!("SECURITY_{}", index);
            quote!(const #name: &[&[#rt::__private::SecurityScheme]] = #value;)
        });
        quote!(#(#consts)*)
    }
}

/// Security alternatives as a `&[&[SecurityScheme]]` expression, naming the runtime
/// as `rt`.
pub(super) fn requirement(rt: &TokenStream, security: &[Vec<SecurityUse>]) -> TokenStream {
    let p = quote!(#rt::__private);
    let alternatives = security.iter().map(|alt| {
        let schemes = alt.iter().map(|u| match u {
            SecurityUse::Bearer => quote!(#p::SecurityScheme::Bearer),
            SecurityUse::Basic => quote!(#p::SecurityScheme::Basic),
            SecurityUse::OAuth2 { scheme, token_url, scopes } => {
                let token_url = match token_url {
                    Some(url) => quote!(Some(#url)),
                    None => quote!(None),
                };
                quote!(#p::SecurityScheme::OAuth2 { scheme: #scheme, token_url: #token_url, scopes: &[#(#scopes),*] })
            }
            SecurityUse::ApiKey { scheme, name, location } => {
                let location = match location {
                    ParamLocation::Query => quote!(Query),
                    ParamLocation::Cookie => quote!(Cookie),
                    _ => quote!(Header),
                };
                quote!(#p::SecurityScheme::ApiKey { scheme: #scheme, name: #name, location: #p::ApiKeyLocation::#location })
            }
        });
        quote!(&[#(#schemes),*])
    });
    quote!(&[#(#alternatives),*])
}

/// The security requirement most operations declare (the first of those tied): what a
/// request to an endpoint the spec does not describe sends.
pub(super) fn most_used(operations: &[crate::ir::Operation]) -> &[Vec<SecurityUse>] {
    let mut counts: Vec<(&[Vec<SecurityUse>], usize)> = Vec::new();
    for op in operations {
        match counts
            .iter_mut()
            .find(|(security, _)| *security == op.security)
        {
            Some((_, count)) => *count += 1,
            None => counts.push((&op.security, 1)),
        }
    }
    let mut best: &[Vec<SecurityUse>] = &[];
    let mut best_count = 0;
    for (security, count) in counts {
        if count > best_count {
            (best, best_count) = (security, count);
        }
    }
    best
}
