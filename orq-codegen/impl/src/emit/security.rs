//! The security requirements of an SDK's operations: each distinct one written once, as
//! a constant every request builder (and the mock server's routes) names.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::Ctx;
use super::cfg::attr;
use crate::ir::{ParamLocation, SecurityUse};

/// The security requirements of the operations, each distinct one written once as a
/// constant (most operations of an API share one or two).
#[derive(Default)]
pub(super) struct Security {
    /// The requirement's tokens, as a key, by first use.
    index: std::collections::HashMap<String, usize>,
    values: Vec<TokenStream>,
    /// With features per group, the features of the operations naming each constant
    /// (`None`: one that is compiled always), so that no constant is left unused.
    users: Vec<Option<BTreeSet<String>>>,
    /// The feature of the operation whose constants are asked for next.
    feature: Option<String>,
}

impl Security {
    /// The constants asked for next are named by items compiled with `feature` (`None`:
    /// always).
    pub(super) fn used_by(&mut self, feature: Option<&str>) {
        self.feature = feature.map(str::to_string);
    }

    /// The constant holding `requirement` (a `&[&[SecurityScheme]]` expression).
    pub(super) fn constant(&mut self, requirement: TokenStream) -> Ident {
        let next = self.values.len();
        let index = *self.index.entry(requirement.to_string()).or_insert(next);
        if index == next {
            self.values.push(requirement);
            self.users.push(Some(BTreeSet::new()));
        }
        let users = &mut self.users[index];
        match (&self.feature, users.as_mut()) {
            (Some(feature), Some(features)) => {
                features.insert(feature.clone());
            }
            (None, _) => *users = None,
            (Some(_), None) => {}
        }
        format_ident!("SECURITY_{}", index)
    }

    pub(super) fn consts(&self, ctx: &Ctx<'_>) -> TokenStream {
        let rt = &ctx.rt;
        let consts =
            self.values
                .iter()
                .zip(&self.users)
                .enumerate()
                .map(|(index, (value, users))| {
                    let name = format_ident!("SECURITY_{}", index);
                    let gate = attr(users.iter().flatten().map(String::as_str));
                    quote!(#gate const #name: &[&[#rt::__private::SecurityScheme]] = #value;)
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
