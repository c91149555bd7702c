//! What the items of a paged operation are: typed, when the spec's results path is the
//! body or one list field of the response model, else JSON values. The paged builders
//! (`streams`) and their docs (`docs`) both read it.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, Operation, Paging, Presence, SuccessShape, Ty, TypeKind};
use crate::naming::ident;

/// The item type and the expression taking the items out of `page`, when the results
/// path is the body itself and the body is a list, or one step to a list field of the
/// response model; `None`: the items are JSON values.
pub(crate) fn typed_items<'a>(
    api: &'a Api,
    op: &'a Operation,
    paging: &Paging,
) -> Option<(&'a Ty, TokenStream)> {
    let SuccessShape::One(output) = op.success_shape() else {
        return None;
    };
    let step = match paging.results().map(str::trim) {
        None | Some("$") => {
            return match output {
                Ty::Vec(item) => Some((item, quote!(page))),
                _ => None,
            };
        }
        Some(path) => field_step(path)?,
    };
    let Ty::Named(model) = output else {
        return None;
    };
    let TypeKind::Struct(s) = &api.types.get(model)?.kind else {
        return None;
    };
    let field = s.fields.iter().find(|f| f.json_name == step)?;
    let Ty::Vec(item) = &field.ty else {
        return None;
    };
    let name = ident(&field.rust_name);
    let access = match field.presence {
        Presence::Required => quote!(page.#name),
        Presence::RequiredNullable | Presence::Optional => quote!(page.#name.unwrap_or_default()),
        Presence::OptionalNullable => quote!(page.#name.into_value().unwrap_or_default()),
    };
    Some((item, access))
}

/// The key of a one-step path (`$.data`, `$['data']`).
fn field_step(path: &str) -> Option<&str> {
    let rest = path.strip_prefix('$')?;
    if let Some(name) = rest.strip_prefix('.') {
        return (!name.is_empty() && !name.contains(['.', '['])).then_some(name);
    }
    let inner = rest.strip_prefix('[')?.strip_suffix(']')?;
    let name = inner.strip_prefix(['\'', '"'])?.strip_suffix(['\'', '"'])?;
    (!name.contains(['\'', '"'])).then_some(name)
}
