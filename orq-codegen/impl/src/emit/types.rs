//! Rendering IR types to Rust type expressions, and the value checks of their limits.
//! Models and operations both render types through here.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::Ctx;
use crate::ir::{Constraints, Field, Presence, Ty, TypeKind};
use crate::limits::REF_CHAIN;
use crate::naming::ident;

/// A type expression; `models` is the path prefix of generated types.
pub fn ty(ctx: &Ctx<'_>, t: &Ty, models: &TokenStream) -> TokenStream {
    let rt = &ctx.rt;
    let super::Std {
        option,
        string,
        vec,
        boxed,
        ..
    } = &ctx.std;
    match t {
        Ty::String => quote!(#string),
        Ty::Bool => quote!(bool),
        Ty::I8 => quote!(i8),
        Ty::I16 => quote!(i16),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::U8 => quote!(u8),
        Ty::U16 => quote!(u16),
        Ty::U32 => quote!(u32),
        Ty::U64 => quote!(u64),
        Ty::F32 => quote!(f32),
        Ty::F64 => quote!(f64),
        Ty::DateTime => quote!(#rt::__private::chrono::DateTime<#rt::__private::chrono::Utc>),
        Ty::Date => quote!(#rt::__private::chrono::NaiveDate),
        Ty::Url => quote!(#rt::Uri),
        Ty::Uuid => quote!(#rt::__private::uuid::Uuid),
        Ty::Base64 => quote!(#rt::Base64Bytes),
        Ty::Binary => quote!(#rt::Binary),
        Ty::Json => quote!(#rt::__private::serde_json::Value),
        Ty::JsonObject => {
            quote!(#rt::__private::serde_json::Map<#string, #rt::__private::serde_json::Value>)
        }
        Ty::Bytes => quote!(#rt::Body),
        Ty::ByteStream => quote!(#rt::ByteStream),
        Ty::File => quote!(#rt::FilePart),
        Ty::Vec(inner) => {
            let inner = ty(ctx, inner, models);
            quote!(#vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = ty(ctx, inner, models);
            quote!(::std::collections::BTreeMap<#string, #inner>)
        }
        Ty::Boxed(inner) => {
            let inner = ty(ctx, inner, models);
            quote!(#boxed<#inner>)
        }
        Ty::Nullable(inner) => {
            let inner = ty(ctx, inner, models);
            quote!(#option<#inner>)
        }
        // A string enum is held open: values a newer server sends are kept.
        Ty::Named(name) if ctx.is_string_enum(name) => {
            let name = ident(name);
            quote!(#rt::Open<#models #name>)
        }
        Ty::Named(name) => {
            let name = ident(name);
            quote!(#models #name)
        }
        Ty::Multipart => quote!(#rt::Multipart),
        Ty::External(path) => syn::parse_str::<syn::Type>(path)
            .map(|p| quote!(#p))
            .unwrap_or_else(|_| quote!(#rt::__private::serde_json::Value)),
    }
}

/// The field type including its presence wrapper.
pub(super) fn field_ty(ctx: &Ctx<'_>, f: &Field) -> TokenStream {
    let rt = &ctx.rt;
    let inner = ty(ctx, &f.ty, &TokenStream::new());
    let option = &ctx.std.option;
    match f.presence {
        Presence::Required => inner,
        Presence::RequiredNullable | Presence::Optional => quote!(#option<#inner>),
        Presence::OptionalNullable => quote!(#rt::OptionalNullable<#inner>),
    }
}

/// Checks on `value` (a reference to a value of `t`) reported at `path`.
pub(super) fn value_checks(
    ctx: &Ctx<'_>,
    t: &Ty,
    c: &Constraints,
    items: &Constraints,
    value: &TokenStream,
    path: &TokenStream,
) -> TokenStream {
    let rt = &ctx.rt;
    let check = quote!(#rt::__private::check);
    let mut out = TokenStream::new();
    if let Ty::Nullable(inner) = t {
        let checks = value_checks(ctx, inner, c, items, &quote!(value), path);
        if !checks.is_empty() {
            out.extend(quote! {
                if let Some(value) = #value { #checks }
            });
        }
        return out;
    }
    // Checks on a field typed by an alias (`type Code = String`) apply to the aliased value.
    let walk_t = t;
    let t = resolve_alias(ctx, t);
    if !c.allowed.is_empty() && matches!(t, Ty::F32 | Ty::F64 | Ty::Bool) {
        let allowed = &c.allowed;
        out.extend(quote!(#check::allowed(out, #path, #value, &[#(#allowed),*]);));
    }
    if c.email && matches!(t, Ty::String) {
        out.extend(quote!(#check::email(out, #path, #value.as_str());));
    }
    let opt_u64 = |v: Option<u64>| match v {
        Some(n) => quote!(Some(#n)),
        None => quote!(None),
    };
    if c.min_length.is_some() || c.max_length.is_some() || c.pattern.is_some() {
        let as_str = match t {
            Ty::String => Some(quote!(#value.as_str())),
            Ty::Url => Some(quote!(#value.as_str())),
            _ => None,
        };
        if let Some(s) = as_str {
            if c.min_length.is_some() || c.max_length.is_some() {
                let (min, max) = (opt_u64(c.min_length), opt_u64(c.max_length));
                out.extend(quote!(#check::length(out, #path, #s, #min, #max);));
            }
            if let Some(p) = &c.pattern {
                out.extend(quote!(#check::pattern(out, #path, #s, #p);));
            }
        }
    }
    if c.minimum.is_some() || c.maximum.is_some() || c.multiple_of.is_some() {
        let (min, min_ex) = c.minimum.map_or((None, false), |(m, e)| (Some(m), e));
        let (max, max_ex) = c.maximum.map_or((None, false), |(m, e)| (Some(m), e));
        match t {
            Ty::I8 | Ty::I16 | Ty::I32 | Ty::I64 | Ty::U8 | Ty::U16 | Ty::U32 => {
                let int = |v: Option<f64>| match v {
                    Some(n) => {
                        let n = Literal::i64_suffixed(n as i64);
                        quote!(Some(#n))
                    }
                    None => quote!(None),
                };
                let (min, max, mult) = (int(min), int(max), int(c.multiple_of));
                // No `i64::from` on an `i64` (clippy's `useless_conversion`).
                let as_i64 = match t {
                    Ty::I64 => quote!(*#value),
                    _ => quote!(i64::from(*#value)),
                };
                out.extend(quote!(#check::integer(out, #path, #as_i64, #min, #min_ex, #max, #max_ex, #mult);));
            }
            Ty::U64 | Ty::F32 | Ty::F64 => {
                let float = |v: Option<f64>| match v {
                    Some(n) => {
                        let n = Literal::f64_suffixed(n);
                        quote!(Some(#n))
                    }
                    None => quote!(None),
                };
                let (min, max, mult) = (float(min), float(max), float(c.multiple_of));
                let as_f64 = match t {
                    Ty::F64 => quote!(*#value),
                    Ty::F32 => quote!(f64::from(*#value)),
                    _ => quote!(*#value as f64),
                };
                out.extend(quote!(#check::number(out, #path, #as_f64, #min, #min_ex, #max, #max_ex, #mult);));
            }
            _ => {}
        }
    }
    if let Ty::Vec(inner) = t {
        if c.min_items.is_some() || c.max_items.is_some() {
            let (min, max) = (opt_u64(c.min_items), opt_u64(c.max_items));
            out.extend(quote!(#check::items(out, #path, #value.len(), #min, #max);));
        }
        if c.unique_items {
            let max = opt_u64(c.max_items);
            out.extend(quote!(#check::unique(out, #path, #value, #max);));
        }
        // Items without limits of their own only need walking, which the runtime's
        // `Validate` for `Vec` does (with the same `path[index]`): no loop here.
        let item_checks = match items.is_empty() {
            true => TokenStream::new(),
            false => value_checks(
                ctx,
                inner,
                items,
                &Constraints::default(),
                &quote!(item),
                &quote!(&item_path),
            ),
        };
        if !item_checks.is_empty() {
            out.extend(quote! {
                for (index, item) in #value.iter().enumerate() {
                    let item_path = ::std::format!("{}[{}]", #path, index);
                    #item_checks
                }
            });
            return out;
        }
    }
    if matches!(t, Ty::Map(_) | Ty::JsonObject)
        && (c.min_properties.is_some() || c.max_properties.is_some())
    {
        let (min, max) = (opt_u64(c.min_properties), opt_u64(c.max_properties));
        out.extend(quote!(#check::properties(out, #path, #value.len(), #min, #max);));
    }
    if ctx.needs_walk(walk_t) {
        out.extend(quote!(#rt::__private::Validate::validate_at(#value, #path, out);));
    }
    out
}

/// The type an alias chain ends at (bounded: alias cycles are refused earlier).
pub(super) fn resolve_alias<'t>(ctx: &'t Ctx<'_>, mut t: &'t Ty) -> &'t Ty {
    for _ in 0..REF_CHAIN {
        let Ty::Named(name) = t else { break };
        match ctx.api.types.get(name).map(|d| &d.kind) {
            Some(TypeKind::Alias(inner, _)) => t = inner,
            _ => break,
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::test_ctx_parts;

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Code: {type: string, maxLength: 3}
    Named:
      type: object
      properties:
        code: {type: string, maxLength: 3}
    Result: {type: object}
"#;

    fn text(tokens: TokenStream) -> String {
        tokens.to_string().replace(' ', "")
    }

    #[test]
    fn nested_types_render_short_unless_a_generated_type_takes_the_name() {
        let (api, settings) = test_ctx_parts(SPEC);
        let ctx = Ctx::new(&api, &settings);
        let t = Ty::Vec(Box::new(Ty::Nullable(Box::new(Ty::Boxed(Box::new(
            Ty::Named("Code".into()),
        ))))));
        assert_eq!(
            text(ty(&ctx, &t, &quote!(super::models::))),
            "Vec<Option<Box<super::models::Code>>>"
        );
        assert_eq!(text(ctx.std.result.clone()), "::std::result::Result");
        assert_eq!(text(ty(&ctx, &Ty::Multipart, &quote!())), "rt::Multipart");
        assert_eq!(
            text(ty(&ctx, &Ty::External("not a type".into()), &quote!())),
            "rt::__private::serde_json::Value",
            "a replacement that does not parse falls back (it was reported as an option error)"
        );
    }

    #[test]
    fn checks_on_an_alias_apply_to_the_aliased_value_and_walk_checked_types() {
        let (api, settings) = test_ctx_parts(SPEC);
        let ctx = Ctx::new(&api, &settings);
        let limits = Constraints {
            max_length: Some(3),
            ..Constraints::default()
        };
        let checks = text(value_checks(
            &ctx,
            &Ty::Named("Code".into()),
            &limits,
            &Constraints::default(),
            &quote!(value),
            &quote!(path),
        ));
        assert!(
            checks.contains("check::length(out,path,value.as_str()"),
            "{checks}"
        );
        assert!(
            !checks.contains("Validate"),
            "an alias of a string has nothing to walk"
        );
        assert!(ctx.needs_walk(&Ty::Vec(Box::new(Ty::Named("Named".into())))));
        assert!(!ctx.needs_walk(&Ty::Vec(Box::new(Ty::Named("Code".into())))));
        assert!(!ctx.needs_walk(&Ty::Vec(Box::new(Ty::External("x::Y".into())))));
    }
}
