//! The security requirements of an SDK's operations: each distinct one written once, as
//! a constant every request builder (and the mock server's routes) names.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::Ctx;

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
