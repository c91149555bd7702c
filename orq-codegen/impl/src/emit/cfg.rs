//! `#[cfg(feature = ..)]` gates of an SDK whose groups are cargo features (setting
//! `features_per_tag`): which attribute an operation's or a type's items get (the IR's
//! `Features` say which features reach what), and the attribute put on every item of a
//! run of items. Without the setting every gate is empty and nothing changes.

use std::collections::BTreeSet;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;

use super::Ctx;
use crate::ir::Operation;

impl Ctx<'_> {
    /// The gate of an operation's items: its group's feature.
    pub(crate) fn cfg_operation(&self, op: &Operation) -> TokenStream {
        self.cfg_group(op.group.as_deref())
    }

    /// The feature that compiles an operation's items (`None`: compiled always).
    pub(crate) fn feature_of(&self, op: &Operation) -> Option<&str> {
        let features = self.api.features.as_ref()?;
        features.of_group(op.group.as_deref())
    }

    /// The gate of a group's items (`None`: the operations without tags).
    pub(crate) fn cfg_group(&self, group: Option<&str>) -> TokenStream {
        let feature = self.api.features.as_ref().and_then(|f| f.of_group(group));
        attr(feature)
    }

    /// The gate of a named type's items: any feature of the operations that reach it;
    /// none for a type no operation reaches.
    pub(crate) fn cfg_type(&self, name: &str) -> TokenStream {
        let features = self.api.features.as_ref().and_then(|f| f.types.get(name));
        attr(features.into_iter().flatten().map(String::as_str))
    }
}

/// `#[cfg(feature = "a")]`, `#[cfg(any(feature = "a", feature = "b"))]`, or nothing for
/// no feature.
pub(crate) fn attr<'f>(features: impl IntoIterator<Item = &'f str>) -> TokenStream {
    let features: BTreeSet<&str> = features.into_iter().collect();
    match features.len() {
        0 => TokenStream::new(),
        1 => quote!(#[cfg(feature = #(#features)*)]),
        _ => quote!(#[cfg(any(#(feature = #features),*))]),
    }
}

/// `items` with `gate` in front of each item, for a run of items emitted together (an
/// operation's builder, its impls and enums; a model and its impls). An item ends at
/// its `;` or, unless it is a `const`, `static`, `type` or `use`, at its `{..}` block;
/// only the top level is read, so this costs a pass over a few tokens per item.
pub(crate) fn gate_items(gate: &TokenStream, items: TokenStream) -> TokenStream {
    if gate.is_empty() {
        return items;
    }
    let mut out = TokenStream::new();
    let mut at_start = true;
    // The item's first keyword after its attributes and visibility.
    let mut head: Option<String> = None;
    let mut tokens = items.into_iter();
    while let Some(token) = tokens.next() {
        if at_start {
            out.extend(gate.clone());
            at_start = false;
            head = None;
        }
        let ends = match &token {
            // An attribute: `#` and its `[..]`.
            TokenTree::Punct(p) if p.as_char() == '#' && head.is_none() => {
                out.extend([token]);
                out.extend(tokens.next());
                continue;
            }
            TokenTree::Ident(word) if head.is_none() && word != "pub" => {
                head = Some(word.to_string());
                false
            }
            TokenTree::Ident(word) if head.as_deref() == Some("const") && word == "fn" => {
                head = Some("fn".into());
                false
            }
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => {
                g.delimiter() == Delimiter::Brace
                    && !matches!(
                        head.as_deref(),
                        Some("const" | "static" | "type" | "use") | None
                    )
            }
            _ => false,
        };
        out.extend([token]);
        if ends {
            at_start = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gated(items: TokenStream) -> String {
        gate_items(&attr(["a"]), items).to_string()
    }

    #[test]
    fn one_feature_or_any_of_several_or_nothing() {
        assert_eq!(attr(["a"]).to_string(), "# [cfg (feature = \"a\")]");
        assert_eq!(
            attr(["b", "a", "b"]).to_string(),
            "# [cfg (any (feature = \"a\" , feature = \"b\"))]"
        );
        assert!(attr([]).is_empty());
    }

    #[test]
    fn every_item_of_a_run_gets_the_gate_once() {
        let items = quote! {
            /// A builder.
            #[derive(Debug)]
            pub struct Op<'a> { client: &'a Client }
            impl<'a> Op<'a> { pub(super) fn new() -> Self { todo!() } }
            rt::__private::paged_request_builder!(Op => models::Pet, models::Pet);
            pub struct Unit;
            pub(crate) struct Tuple(u8);
            const SECURITY: &[u8] = &[1];
            const WITH_BLOCK: Foo = Foo { a: 1 };
            pub type Alias = Vec<u8>;
            use super::models::{A, B};
            impl<const N: usize> Trait for [u8; N] {}
            pub const fn f() {}
            mac! { anything }
        };
        let text = gated(items);
        let gate = "# [cfg (feature = \"a\")]";
        assert_eq!(text.matches(gate).count(), 12, "{text}");
        for item in [
            "# [doc = r\" A builder.\"] # [derive (Debug)] pub struct Op",
            "impl < 'a > Op",
            "rt :: __private :: paged_request_builder !",
            "pub struct Unit",
            "pub (crate) struct Tuple",
            "const SECURITY",
            "const WITH_BLOCK",
            "pub type Alias",
            "use super :: models",
            "impl < const N : usize >",
            "pub const fn f",
            "mac ! { anything }",
        ] {
            assert!(text.contains(&format!("{gate} {item}")), "{item}: {text}");
        }
    }

    #[test]
    fn without_a_gate_items_are_unchanged() {
        let items = quote!(pub struct A; impl A {});
        assert_eq!(
            gate_items(&TokenStream::new(), items.clone()).to_string(),
            items.to_string()
        );
        assert!(gated(TokenStream::new()).is_empty());
    }
}
