//! Builders of structs, and their `Validate` impls: `build()` checks required fields
//! and every limit of the spec.

use proc_macro2::TokenStream;
use quote::quote;

use super::Ctx;
use super::docs;
use super::types::{resolve_alias, ty, value_checks};
use crate::ir::{Field, Presence, StructDef, Ty, TypeDef};
use crate::naming::{additional_name, ident, setter_name};

pub(super) fn builder(ctx: &Ctx<'_>, def: &TypeDef, s: &StructDef) -> TokenStream {
    let rt = &ctx.rt;
    let super::Std {
        option,
        result,
        string,
        vec,
        into,
        default,
        ..
    } = &ctx.std;
    let name = ident(&def.name);
    let models = quote!(super::);
    let mut slots = Vec::new();
    let mut setters = Vec::new();
    let mut missing = Vec::new();
    let mut required_bind = Vec::new();
    let mut required_slot = Vec::new();
    let mut assign = Vec::new();
    let mut one_way_missing = Vec::new();
    // `set_x(Option<T>)` of each optional field (written by the runtime), and how a
    // value of the model fills each slot (`From<Model>`).
    let mut options = Vec::new();
    let (mut from_required, mut from_other) = (Vec::new(), Vec::new());
    // What setters refuse (a text that is no date, a JSON value that is no object),
    // reported by `build()`; a field of that name only where some setter can refuse.
    let refused = refused_name(s);
    let mut refusing = false;
    for f in &s.fields {
        let fname = ident(&f.rust_name);
        if f.read_only {
            // Set by the server only: requests never carry it.
            assign.push(quote!(#fname: #default::default(),));
            continue;
        }
        let inner = ty(ctx, &f.ty, &models);
        let doc = docs::attrs(&docs::or_else(
            docs::lines(&f.docs, Some(&f.constraints)),
            || docs::undescribed_field(f),
        ));
        match f.presence {
            Presence::Required | Presence::RequiredNullable => from_required.push(fname.clone()),
            Presence::Optional | Presence::OptionalNullable => from_other.push(fname.clone()),
        }
        let (slot, setter) = match f.presence {
            Presence::Required | Presence::Optional => {
                let (param, set, refuses) = setter_input(ctx, f, &inner, &refused);
                // A setter taking a concrete type is inlined where it is called, not
                // compiled with the SDK whether or not anything calls it (a generic one is
                // compiled only where it is called anyway).
                let inline = (!is_generic(&param)).then(|| quote!(#[inline]));
                refusing |= refuses;
                if f.presence == Presence::Optional {
                    let setter = ident(&setter_name(&f.rust_name));
                    let json = &f.json_name;
                    let forget = refuses.then(|| quote!(=> #refused #json));
                    options.push(quote!(#fname #setter: #inner #forget));
                }
                (
                    quote!(#option<#inner>),
                    quote!(#inline pub fn #fname(mut self, value: #param) -> Self { self.#fname = #set; self }),
                )
            }
            Presence::RequiredNullable => (
                quote!(#option<#option<#inner>>),
                quote!(#[inline] pub fn #fname(mut self, value: #option<#inner>) -> Self { self.#fname = Some(value); self }),
            ),
            Presence::OptionalNullable => {
                let setter = ident(&setter_name(&f.rust_name));
                options.push(quote!(#fname #setter: #inner));
                (
                    quote!(#rt::OptionalNullable<#inner>),
                    quote!(pub fn #fname(mut self, value: impl #into<#rt::OptionalNullable<#inner>>) -> Self { self.#fname = value.into(); self }),
                )
            }
        };
        slots.push(quote!(#fname: #slot,));
        setters.push(quote!(#doc #setter));
        if let Some(tag) = &f.tag {
            // The discriminator: this type's own value unless the caller sets another.
            let value = match &f.ty {
                Ty::Named(name) if ctx.is_string_enum(name) => quote!(#rt::Open::from_wire(#tag)),
                _ => quote!(#string::from(#tag)),
            };
            assign.push(match f.presence {
                Presence::Required => quote!(#fname: self.#fname.unwrap_or_else(|| #value),),
                _ => quote!(#fname: self.#fname.or_else(|| Some(#value)),),
            });
            continue;
        }
        if matches!(f.presence, Presence::Required | Presence::RequiredNullable) {
            let json = &f.json_name;
            // A value its setter refused is reported as that, not also as missing.
            let push = if f.presence == Presence::Required && refuses(ctx, &f.ty) {
                quote!(#rt::__private::set::missing(&mut violations, #json);)
            } else {
                quote!(violations.push(#rt::Violation::missing(#json));)
            };
            missing.push(quote! {
                if self.#fname.is_none() {
                    #push
                }
            });
            required_bind.push(quote!(Some(#fname)));
            required_slot.push(quote!(self.#fname));
        } else if f.required_in_request {
            // `writeOnly` and required: optional in responses, required in requests.
            let json = &f.json_name;
            let unset = match f.presence {
                Presence::OptionalNullable => quote!(self.#fname.is_unset()),
                _ => quote!(self.#fname.is_none()),
            };
            one_way_missing.push(quote! {
                if #unset {
                    violations.push(#rt::Violation::missing(#json));
                }
            });
        }
        assign.push(
            if matches!(f.presence, Presence::Required | Presence::RequiredNullable) {
                quote!(#fname,)
            } else {
                quote!(#fname: self.#fname,)
            },
        );
    }
    if let Some(t) = &s.additional {
        let fname = ident(&additional_name(s));
        let t = ty(ctx, t, &models);
        slots.push(quote!(#fname: ::std::collections::BTreeMap<#string, #t>,));
        setters.push(quote! {
            /// Add a property the spec does not describe.
            pub fn additional_property(mut self, key: impl #into<#string>, value: #t) -> Self {
                self.#fname.insert(key.into(), value);
                self
            }
        });
        assign.push(quote!(#fname: self.#fname,));
        from_other.push(fname);
    }
    let refused_slot = refusing.then(|| quote!(#refused: #vec<#rt::Violation>,));
    let any_required = !required_bind.is_empty() || !one_way_missing.is_empty() || refusing;
    let take_required = any_required.then(|| {
        let bind = (!required_bind.is_empty()).then(|| {
            quote! {
                let (#(#required_bind,)*) = (#(#required_slot,)*) else {
                    return Err(#rt::ValidationError::new(violations));
                };
            }
        });
        let early = (!one_way_missing.is_empty() || refusing).then(|| {
            quote! {
                if !violations.is_empty() {
                    return Err(#rt::ValidationError::new(violations));
                }
            }
        });
        let start = if refusing {
            quote!(self.#refused)
        } else {
            quote!(#vec::new())
        };
        let mutable = (!missing.is_empty() || !one_way_missing.is_empty()).then(|| quote!(mut));
        quote! {
            let #mutable violations = #start;
            #(#missing)*
            #(#one_way_missing)*
            #early
            #bind
        }
    });
    let doc = format!(" Builder for [`{0}`](super::{0}).", def.name);
    let options =
        (!options.is_empty()).then(|| quote!(#rt::__private::set_options!(#(#options),*);));
    let check = ctx
        .usage
        .checked
        .contains(&def.name)
        .then(|| quote!(#rt::__private::Validate::validate(&value)?;));
    // A `format: password` field never shows in `Debug`.
    let (derive, debug) = if s.fields.iter().any(docs::is_secret) {
        let mut fields = debug_fields(s, false);
        if refusing {
            fields.push((refused.to_string(), refused.clone(), false));
        }
        (
            quote!(#[derive(Clone, Default)]),
            Some(redacted_debug(ctx, &name, &fields)),
        )
    } else {
        (quote!(#[derive(Clone, Debug, Default)]), None)
    };
    quote! {
        #[doc = #doc]
        #derive
        pub struct #name {
            #(#slots)*
            #refused_slot
        }

        impl #name {
            #(#setters)*

            #options

            /// Check required fields and every limit of the spec, then build the value.
            #[inline]
            pub fn build(self) -> #result<super::#name, #rt::ValidationError> {
                #take_required
                let value = super::#name { #(#assign)* };
                #check
                Ok(value)
            }
        }

        #debug

        #rt::__private::builder_conversions!(#name => super::#name; #(#from_required)*; #(#from_other)*);
    }
}

/// `Debug` of a struct with `format: password` fields, which show as `<redacted>`:
/// `fields` are the struct's fields (label, field, whether it is secret), in order.
/// Builders use it too, with their slots.
pub(super) fn redacted_debug(
    ctx: &Ctx<'_>,
    name: &proc_macro2::Ident,
    fields: &[(String, proc_macro2::Ident, bool)],
) -> TokenStream {
    let rt = &ctx.rt;
    let label = name.to_string();
    let fields = fields.iter().map(|(label, fname, secret)| {
        if *secret {
            quote!(.field(#label, &#rt::__private::Redacted(&self.#fname)))
        } else {
            quote!(.field(#label, &self.#fname))
        }
    });
    quote! {
        impl ::std::fmt::Debug for #name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#label) #(#fields)* .finish()
            }
        }
    }
}

/// The fields of `s` for [`redacted_debug`]: each field (read-only ones only with
/// `read_only`), then the additional properties.
pub(super) fn debug_fields(
    s: &StructDef,
    read_only: bool,
) -> Vec<(String, proc_macro2::Ident, bool)> {
    let mut out: Vec<_> = s
        .fields
        .iter()
        .filter(|f| read_only || !f.read_only)
        .map(|f| {
            let label = f.rust_name.trim_start_matches("r#").to_owned();
            (label, ident(&f.rust_name), docs::is_secret(f))
        })
        .collect();
    if s.additional.is_some() {
        let name = additional_name(s);
        out.push((name.clone(), ident(&name), false));
    }
    out
}

/// A field name for what setters refused, unlike every field of `s`.
fn refused_name(s: &StructDef) -> proc_macro2::Ident {
    let mut name = "refused".to_string();
    while s.fields.iter().any(|f| f.rust_name == name) || additional_name(s) == name {
        name.push('_');
    }
    ident(&name)
}

/// The formats a setter takes as a value or its text.
fn parsed(t: &Ty) -> bool {
    matches!(t, Ty::DateTime | Ty::Date | Ty::Uuid)
}

/// Whether the setter of a field of `t` can refuse what it is given.
fn refuses(ctx: &Ctx<'_>, t: &Ty) -> bool {
    match resolve_alias(ctx, t) {
        Ty::Vec(item) => parsed(item),
        t => parsed(t) || matches!(t, Ty::Map(_) | Ty::JsonObject),
    }
}

/// The parameter type of the setter of `f` (required or optional, not nullable), the
/// expression of the slot's new value, and whether it can refuse `value`: arrays take
/// any iterator of convertible items, maps pairs or a JSON object, dates and UUIDs a
/// value or its text.
fn setter_input(
    ctx: &Ctx<'_>,
    f: &Field,
    inner: &TokenStream,
    refused: &proc_macro2::Ident,
) -> (TokenStream, TokenStream, bool) {
    let rt = &ctx.rt;
    let into = &ctx.std.into;
    let json = &f.json_name;
    let set = quote!(#rt::__private::set);
    let item_ty = |t: &Ty| ty(ctx, t, &quote!(super::));
    match resolve_alias(ctx, &f.ty) {
        Ty::Vec(item) if parsed(item) => {
            let item = item_ty(item);
            (
                quote!(impl ::std::iter::IntoIterator<Item = impl #into<#rt::Parsed<#item>>>),
                quote!(#set::parsed_all(value, #json, &mut self.#refused)),
                true,
            )
        }
        Ty::Vec(item) => {
            let item = item_ty(item);
            (
                quote!(impl ::std::iter::IntoIterator<Item = impl #into<#item>>),
                quote!(Some(value.into_iter().map(#into::into).collect())),
                false,
            )
        }
        Ty::Map(_) | Ty::JsonObject => (
            quote!(impl #rt::IntoMap<#inner>),
            quote!(#set::map(value, #json, &mut self.#refused)),
            true,
        ),
        t if parsed(t) => (
            quote!(impl #into<#rt::Parsed<#inner>>),
            quote!(#set::parsed(value, #json, &mut self.#refused)),
            true,
        ),
        _ => (
            quote!(impl #into<#inner>),
            quote!(Some(value.into())),
            false,
        ),
    }
}

pub(super) fn validate_impl(ctx: &Ctx<'_>, def: &TypeDef, s: &StructDef) -> TokenStream {
    let rt = &ctx.rt;
    let vec = &ctx.std.vec;
    let name = ident(&def.name);
    let checks: Vec<TokenStream> = s
        .fields
        .iter()
        .filter_map(|f| {
            let fname = ident(&f.rust_name);
            let json = &f.json_name;
            let body = value_checks(
                ctx,
                &f.ty,
                &f.constraints,
                &f.item_constraints,
                &quote!(value),
                &quote!(&path),
            );
            if body.is_empty() {
                return None;
            }
            let bind = match f.presence {
                Presence::Required => quote!(let value = &self.#fname;),
                Presence::RequiredNullable | Presence::Optional => {
                    quote!(let Some(value) = &self.#fname else { break 'field; };)
                }
                Presence::OptionalNullable => {
                    quote!(let Some(value) = self.#fname.as_value() else { break 'field; };)
                }
            };
            Some(quote! {
                'field: {
                    let path = #rt::__private::check::join(at, #json);
                    #bind
                    #body
                }
            })
        })
        .collect();
    let additional = s
        .additional
        .as_ref()
        .filter(|t| ctx.needs_walk(t))
        .map(|_| {
            let fname = ident(&additional_name(s));
            quote!(#rt::__private::Validate::validate_at(&self.#fname, at, out);)
        });
    let (at, out) = if checks.is_empty() && additional.is_none() {
        (quote!(_at), quote!(_out))
    } else {
        (quote!(at), quote!(out))
    };
    quote! {
        impl #rt::__private::Validate for #name {
            #[inline]
            #[allow(unused_labels)]
            fn validate_at(&self, #at: &str, #out: &mut #vec<#rt::Violation>) {
                #(#checks)*
                #additional
            }
        }
    }
}

/// Whether an argument type is `impl Trait`: a function taking it is generic.
pub(super) fn is_generic(arg: &TokenStream) -> bool {
    matches!(arg.clone().into_iter().next(), Some(proc_macro2::TokenTree::Ident(i)) if i == "impl")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::{TEST_SPEC, test_ctx_parts};
    use crate::ir::TypeKind;

    #[test]
    fn a_builder_has_a_setter_per_field_and_build_checks_required_fields_and_limits() {
        let (api, settings) = test_ctx_parts(TEST_SPEC);
        let ctx = Ctx::new(&api, &settings);
        let def = &api.types["Pet"];
        let TypeKind::Struct(s) = &def.kind else {
            panic!("Pet is a struct")
        };
        let builder = builder(&ctx, def, s).to_string();
        assert!(builder.contains("pub fn name (mut self"), "{builder}");
        assert!(builder.contains("pub fn tag (mut self"), "{builder}");
        assert!(builder.contains("pub fn build (self)"), "{builder}");
        assert!(
            builder.contains("Violation :: missing (\"name\")"),
            "{builder}"
        );
        assert!(
            builder.contains("builder_conversions ! (Pet => super :: Pet ; name ;"),
            "{builder}"
        );
        let validate = validate_impl(&ctx, def, s).to_string();
        assert!(validate.contains("check :: length"), "{validate}");
        assert!(validate.contains("\"name\""), "{validate}");
    }

    #[test]
    fn setters_take_iterators_pairs_and_text_and_build_reports_what_they_refused() {
        let (api, settings) = test_ctx_parts(
            r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Event:
      type: object
      required: [at]
      properties:
        at: {type: string, format: date-time}
        tags: {type: array, items: {type: string}}
        metadata: {type: object, additionalProperties: true}
        name: {type: string}
"#,
        );
        let ctx = Ctx::new(&api, &settings);
        let def = &api.types["Event"];
        let TypeKind::Struct(s) = &def.kind else {
            panic!("Event is a struct")
        };
        let text = builder(&ctx, def, s).to_string().replace(' ', "");
        for expected in [
            "pubfntags(mutself,value:impl::std::iter::IntoIterator<Item=implInto<String>>)",
            "value:implrt::IntoMap<",
            "value:implInto<rt::Parsed<rt::__private::chrono::DateTime",
            "rt::__private::set::parsed(value,\"at\",&mutself.refused)",
            "rt::__private::set::missing(&mutviolations,\"at\")",
            "letmutviolations=self.refused;",
            "refused:Vec<rt::Violation>,",
            "pubfnname(mutself,value:implInto<String>)",
        ] {
            assert!(text.contains(expected), "{expected}: {text}");
        }
    }
}
