//! Named types: structs, enums, aliases, their builders and validation.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{Ctx, docs};
use crate::ir::{
    Constraints, EnumDef, Field, Presence, StructDef, Ty, TypeDef, TypeKind, UnionDef,
};
use crate::naming::ident;

/// The `models` module.
pub fn module(ctx: &Ctx<'_>) -> TokenStream {
    let mut items = Vec::new();
    let mut builders = Vec::new();
    for def in ctx.api.types.values() {
        items.push(type_def(ctx, def));
        if let TypeKind::Struct(s) = &def.kind {
            builders.push(builder(ctx, def, s));
        }
    }
    let builder_module = (!builders.is_empty()).then(|| {
        quote! {
            /// Builders for the models: set fields, then `build()` checks required fields and limits.
            pub mod builder {
                #(#builders)*
            }
        }
    });
    quote! {
        /// Request and response types of the API.
        #[allow(clippy::large_enum_variant, clippy::too_many_arguments)]
        pub mod models {
            #(#items)*
            #builder_module
        }
    }
}

/// A type expression; `models` is the path prefix of generated types.
pub fn ty(ctx: &Ctx<'_>, t: &Ty, models: &TokenStream) -> TokenStream {
    let rt = &ctx.rt;
    match t {
        Ty::String => quote!(::std::string::String),
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
        Ty::Url => quote!(#rt::__private::url::Url),
        Ty::Uuid => quote!(#rt::__private::uuid::Uuid),
        Ty::Base64 => quote!(#rt::Base64Bytes),
        Ty::Binary => quote!(#rt::Binary),
        Ty::Json => quote!(#rt::__private::serde_json::Value),
        Ty::JsonObject => {
            quote!(#rt::__private::serde_json::Map<::std::string::String, #rt::__private::serde_json::Value>)
        }
        Ty::Bytes => quote!(#rt::__private::bytes::Bytes),
        Ty::Vec(inner) => {
            let inner = ty(ctx, inner, models);
            quote!(::std::vec::Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = ty(ctx, inner, models);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        Ty::Boxed(inner) => {
            let inner = ty(ctx, inner, models);
            quote!(::std::boxed::Box<#inner>)
        }
        Ty::Nullable(inner) => {
            let inner = ty(ctx, inner, models);
            quote!(::std::option::Option<#inner>)
        }
        Ty::Named(name) => {
            let name = ident(name);
            quote!(#models #name)
        }
        Ty::External(path) => syn::parse_str::<syn::Type>(path)
            .map(|p| quote!(#p))
            .unwrap_or_else(|_| quote!(#rt::__private::serde_json::Value)),
    }
}

/// The field type including its presence wrapper.
fn field_ty(ctx: &Ctx<'_>, f: &Field) -> TokenStream {
    let rt = &ctx.rt;
    let inner = ty(ctx, &f.ty, &TokenStream::new());
    match f.presence {
        Presence::Required => inner,
        Presence::RequiredNullable | Presence::Optional => quote!(::std::option::Option<#inner>),
        Presence::OptionalNullable => quote!(#rt::OptionalNullable<#inner>),
    }
}

fn type_def(ctx: &Ctx<'_>, def: &TypeDef) -> TokenStream {
    match &def.kind {
        TypeKind::Struct(s) => structure(ctx, def, s),
        TypeKind::Enum(e) => enumeration(ctx, def, e),
        TypeKind::Union(u) => union(ctx, def, u),
        TypeKind::Alias(t, c) => {
            let doc = docs::attrs(&docs::lines(&def.docs, Some(c)));
            let name = ident(&def.name);
            let t = ty(ctx, t, &TokenStream::new());
            quote! { #doc pub type #name = #t; }
        }
    }
}

/// `Clone, Debug, PartialEq`, the shape's own derives (`extra`, whose trait names are
/// `own`) and the user's, minus those already there (a second `Eq` would not compile).
fn derives(ctx: &Ctx<'_>, own: &[&str], extra: TokenStream) -> TokenStream {
    let user = ctx
        .settings
        .derives
        .iter()
        .filter_map(|d| syn::parse_str::<syn::Path>(d).ok())
        .filter(|path| {
            let last = path.segments.last().map(|s| s.ident.to_string());
            !last.is_some_and(|name| {
                ["Clone", "Debug", "PartialEq"].contains(&name.as_str())
                    || own.contains(&name.as_str())
            })
        });
    quote!(#[derive(Clone, Debug, PartialEq #extra #(, #user)*)])
}

fn structure(ctx: &Ctx<'_>, def: &TypeDef, s: &StructDef) -> TokenStream {
    let rt = &ctx.rt;
    let serde_crate = ctx.serde_crate();
    let name = ident(&def.name);
    let doc = docs::attrs(&docs::lines(&def.docs, None));
    let derive = derives(
        ctx,
        &["Serialize", "Deserialize"],
        quote!(, #rt::__private::serde::Serialize, #rt::__private::serde::Deserialize),
    );
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.rust_name);
        let fty = field_ty(ctx, f);
        let mut lines = docs::lines(&f.docs, Some(&f.constraints));
        if let Some(note) = one_way_note(f) {
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.push(note.to_string());
        }
        let doc = docs::attrs(&lines);
        let rust = fname.to_string();
        let rename = (rust != f.json_name || rust.starts_with("r#")).then(|| {
            let json = &f.json_name;
            quote!(#[serde(rename = #json)])
        });
        let presence = match f.presence {
            Presence::Required | Presence::RequiredNullable => quote!(),
            Presence::Optional => {
                quote!(#[serde(default, skip_serializing_if = "::std::option::Option::is_none")])
            }
            Presence::OptionalNullable => {
                let skip = format!("{}::OptionalNullable::is_unset", ctx.settings.runtime);
                quote!(#[serde(default, skip_serializing_if = #skip)])
            }
        };
        quote! { #doc #rename #presence pub #fname: #fty, }
    });
    let additional = s.additional.as_ref().map(|t| {
        let fname = ident(&additional_name(s));
        let t = ty(ctx, t, &TokenStream::new());
        quote! {
            /// Properties not described by the spec, kept as sent.
            #[serde(flatten)]
            pub #fname: ::std::collections::BTreeMap<::std::string::String, #t>,
        }
    });
    let validate = validate_impl(ctx, def, s);
    quote! {
        #doc
        #derive
        #[serde(crate = #serde_crate)]
        pub struct #name {
            #(#fields)*
            #additional
        }

        impl #name {
            /// A builder for this type; `build()` checks required fields and limits.
            pub fn builder() -> builder::#name {
                ::std::default::Default::default()
            }
        }

        #validate
    }
}

fn one_way_note(f: &Field) -> Option<&'static str> {
    if f.read_only {
        Some("Read-only: set by the server. Builders do not offer it and requests leave it out.")
    } else if f.write_only {
        Some("Write-only: sent to the server, which does not return it (`None` in responses).")
    } else {
        None
    }
}

fn additional_name(s: &StructDef) -> String {
    let mut name = "additional_properties".to_string();
    while s.fields.iter().any(|f| f.rust_name == name) {
        name.push('_');
    }
    name
}

fn validate_impl(ctx: &Ctx<'_>, def: &TypeDef, s: &StructDef) -> TokenStream {
    let rt = &ctx.rt;
    let name = ident(&def.name);
    let checks: Vec<TokenStream> = s
        .fields
        .iter()
        .filter_map(|f| {
            let fname = ident(&f.rust_name);
            let json = &f.json_name;
            let body = value_checks(ctx, &f.ty, &f.constraints, &f.item_constraints, &quote!(value), &quote!(&path));
            if body.is_empty() {
                return None;
            }
            let bind = match f.presence {
                Presence::Required => quote!(let value = &self.#fname;),
                Presence::RequiredNullable | Presence::Optional => {
                    quote!(let ::std::option::Option::Some(value) = &self.#fname else { break 'field; };)
                }
                Presence::OptionalNullable => {
                    quote!(let ::std::option::Option::Some(value) = self.#fname.as_value() else { break 'field; };)
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
    let additional = s.additional.as_ref().filter(|t| needs_walk(t)).map(|_| {
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
            #[allow(unused_labels)]
            fn validate_at(&self, #at: &str, #out: &mut ::std::vec::Vec<#rt::Violation>) {
                #(#checks)*
                #additional
            }
        }
    }
}

/// Whether a decoded response of type `t` is worth checking against the spec's limits
/// (it holds generated types, and no user replacement that may lack `Validate`).
pub(super) fn checkable(t: &Ty) -> bool {
    fn external(t: &Ty) -> bool {
        match t {
            Ty::External(_) => true,
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Boxed(inner) | Ty::Nullable(inner) => {
                external(inner)
            }
            _ => false,
        }
    }
    needs_walk(t) && !external(t)
}

/// Whether values of `t` may contain generated types with their own checks.
fn needs_walk(t: &Ty) -> bool {
    match t {
        Ty::Named(_) => true,
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Boxed(inner) | Ty::Nullable(inner) => {
            needs_walk(inner)
        }
        _ => false,
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
                if let ::std::option::Option::Some(value) = #value { #checks }
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
        Some(n) => quote!(::std::option::Option::Some(#n)),
        None => quote!(::std::option::Option::None),
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
                        quote!(::std::option::Option::Some(#n))
                    }
                    None => quote!(::std::option::Option::None),
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
                        quote!(::std::option::Option::Some(#n))
                    }
                    None => quote!(::std::option::Option::None),
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
            out.extend(quote!(#check::unique(out, #path, #value);));
        }
        let item_checks = value_checks(
            ctx,
            inner,
            items,
            &Constraints::default(),
            &quote!(item),
            &quote!(&item_path),
        );
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
    if needs_walk(walk_t) {
        out.extend(quote!(#rt::__private::Validate::validate_at(#value, #path, out);));
    }
    out
}

/// The type an alias chain ends at (bounded: alias cycles are refused earlier).
fn resolve_alias<'t>(ctx: &'t Ctx<'_>, mut t: &'t Ty) -> &'t Ty {
    for _ in 0..32 {
        let Ty::Named(name) = t else { break };
        match ctx.api.types.get(name).map(|d| &d.kind) {
            Some(TypeKind::Alias(inner, _)) => t = inner,
            _ => break,
        }
    }
    t
}

fn enumeration(ctx: &Ctx<'_>, def: &TypeDef, e: &EnumDef) -> TokenStream {
    let rt = &ctx.rt;
    let name = ident(&def.name);
    let mut lines = docs::lines(&def.docs, None);
    lines.push(String::new());
    lines.push("Values this version of the client does not know are kept in `Unknown` and sent back as they are, so a server that adds a value never breaks this client.".to_string());
    let doc = docs::attrs(&lines);
    let derive = derives(
        ctx,
        &["Eq", "Hash", "PartialOrd", "Ord"],
        quote!(, Eq, Hash, PartialOrd, Ord),
    );
    let variants: Vec<_> = e
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.rust_name))
        .collect();
    let docs_v = e
        .variants
        .iter()
        .map(|v| format!(" `{}`", v.value.replace('`', "'")));
    let (unknown_ty, wire_ty) = if e.integer {
        (quote!(i64), quote!(i64))
    } else {
        (quote!(::std::string::String), quote!(::std::string::String))
    };
    let serde = quote!(#rt::__private::serde);
    let (as_fn, to_wire, ser, match_in) = if e.integer {
        let values: Vec<Literal> = e
            .variants
            .iter()
            .map(|v| Literal::i64_suffixed(v.value.parse::<i64>().unwrap_or_default()))
            .collect();
        (
            quote! {
                /// The wire value.
                pub fn as_i64(&self) -> i64 {
                    match self { #(Self::#variants => #values,)* Self::Unknown(value) => *value }
                }
            },
            quote!(self.as_i64()),
            quote!(serializer.serialize_i64(self.as_i64())),
            quote!(match value { #(#values => Self::#variants,)* other => Self::Unknown(other) }),
        )
    } else {
        let values: Vec<&String> = e.variants.iter().map(|v| &v.value).collect();
        (
            quote! {
                /// The wire value.
                pub fn as_str(&self) -> &str {
                    match self { #(Self::#variants => #values,)* Self::Unknown(value) => value.as_str() }
                }
            },
            quote!(self.as_str()),
            quote!(serializer.serialize_str(self.as_str())),
            quote!(match value.as_str() { #(#values => Self::#variants,)* _ => Self::Unknown(value) }),
        )
    };
    quote! {
        #doc
        #derive
        pub enum #name {
            #( #[doc = #docs_v] #variants, )*
            /// A value not in the spec this client was generated from.
            Unknown(#unknown_ty),
        }

        impl #name {
            #as_fn
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&#to_wire, f)
            }
        }

        impl ::std::convert::From<#wire_ty> for #name {
            fn from(value: #wire_ty) -> Self {
                #match_in
            }
        }

        impl #serde::Serialize for #name {
            fn serialize<S: #serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                #ser
            }
        }

        impl<'de> #serde::Deserialize<'de> for #name {
            fn deserialize<D: #serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <#wire_ty as #serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(::std::convert::From::from(value))
            }
        }

        // Open enum: `Unknown` holds a value newer than this spec (typically one the
        // server sent) and is sent back as it is, so a server adding a value never
        // breaks a read-modify-write round trip.
        impl #rt::__private::Validate for #name {
            fn validate_at(&self, _at: &str, _out: &mut ::std::vec::Vec<#rt::Violation>) {}
        }
    }
}

fn builder(ctx: &Ctx<'_>, def: &TypeDef, s: &StructDef) -> TokenStream {
    let rt = &ctx.rt;
    let name = ident(&def.name);
    let models = quote!(super::);
    let mut slots = Vec::new();
    let mut setters = Vec::new();
    let mut missing = Vec::new();
    let mut required_bind = Vec::new();
    let mut required_slot = Vec::new();
    let mut assign = Vec::new();
    let mut one_way_missing = Vec::new();
    for f in &s.fields {
        let fname = ident(&f.rust_name);
        if f.read_only {
            // Set by the server only: requests never carry it.
            assign.push(quote!(#fname: ::std::default::Default::default(),));
            continue;
        }
        let inner = ty(ctx, &f.ty, &models);
        let doc = docs::attrs(&docs::lines(&f.docs, Some(&f.constraints)));
        let (slot, setter) = match f.presence {
            Presence::Required => (
                quote!(::std::option::Option<#inner>),
                quote!(pub fn #fname(mut self, value: impl ::std::convert::Into<#inner>) -> Self { self.#fname = ::std::option::Option::Some(value.into()); self }),
            ),
            Presence::RequiredNullable => (
                quote!(::std::option::Option<::std::option::Option<#inner>>),
                quote!(pub fn #fname(mut self, value: ::std::option::Option<#inner>) -> Self { self.#fname = ::std::option::Option::Some(value); self }),
            ),
            Presence::Optional => (
                quote!(::std::option::Option<#inner>),
                quote!(pub fn #fname(mut self, value: impl ::std::convert::Into<#inner>) -> Self { self.#fname = ::std::option::Option::Some(value.into()); self }),
            ),
            Presence::OptionalNullable => (
                quote!(#rt::OptionalNullable<#inner>),
                quote!(pub fn #fname(mut self, value: impl ::std::convert::Into<#rt::OptionalNullable<#inner>>) -> Self { self.#fname = value.into(); self }),
            ),
        };
        slots.push(quote!(#fname: #slot,));
        setters.push(quote!(#doc #setter));
        if matches!(f.presence, Presence::Required | Presence::RequiredNullable) {
            let json = &f.json_name;
            missing.push(quote! {
                if self.#fname.is_none() {
                    violations.push(#rt::Violation::missing(#json));
                }
            });
            required_bind.push(quote!(::std::option::Option::Some(#fname)));
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
        slots.push(quote!(#fname: ::std::collections::BTreeMap<::std::string::String, #t>,));
        setters.push(quote! {
            /// Add a property the spec does not describe.
            pub fn additional_property(mut self, key: impl ::std::convert::Into<::std::string::String>, value: #t) -> Self {
                self.#fname.insert(key.into(), value);
                self
            }
        });
        assign.push(quote!(#fname: self.#fname,));
    }
    let any_required = !required_bind.is_empty() || !one_way_missing.is_empty();
    let take_required = any_required.then(|| {
        let bind = (!required_bind.is_empty()).then(|| {
            quote! {
                let (#(#required_bind,)*) = (#(#required_slot,)*) else {
                    return ::std::result::Result::Err(#rt::ValidationError::new(violations));
                };
            }
        });
        let early = (!one_way_missing.is_empty()).then(|| {
            quote! {
                if !violations.is_empty() {
                    return ::std::result::Result::Err(#rt::ValidationError::new(violations));
                }
            }
        });
        quote! {
            let mut violations = ::std::vec::Vec::new();
            #(#missing)*
            #(#one_way_missing)*
            #early
            #bind
        }
    });
    let doc = format!(" Builder for [`{0}`](super::{0}).", def.name);
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, Default)]
        pub struct #name {
            #(#slots)*
        }

        impl #name {
            #(#setters)*

            /// Check required fields and every limit of the spec, then build the value.
            pub fn build(self) -> ::std::result::Result<super::#name, #rt::ValidationError> {
                #take_required
                let value = super::#name { #(#assign)* };
                #rt::__private::Validate::validate(&value)?;
                ::std::result::Result::Ok(value)
            }
        }
    }
}

/// `oneOf`/`anyOf`: an enum with one variant per member and an `Unknown` fallback.
fn union(ctx: &Ctx<'_>, def: &TypeDef, u: &UnionDef) -> TokenStream {
    let rt = &ctx.rt;
    let serde = quote!(#rt::__private::serde);
    let json = quote!(#rt::__private::serde_json::Value);
    let helpers = quote!(#rt::__private::union);
    let name = ident(&def.name);
    let mut lines = docs::lines(&def.docs, None);
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(match (&u.discriminator, u.any_of) {
        (Some(property), _) => format!(
            "One of several schemas, chosen by the `{}` property. A value with a tag this client does not know is kept in `Unknown`.",
            property.replace('`', "'")
        ),
        (None, any_of) => format!(
            "{} Decoding tries the variants in order and takes the first that fits; a value none fits is kept in `Unknown`.",
            if any_of { "Any of several schemas (`anyOf`)." } else { "One of several schemas (`oneOf`)." }
        ),
    });
    let doc = docs::attrs(&lines);
    let derive = derives(ctx, &[], quote!());
    let variants: Vec<_> = u.variants.iter().map(|v| ident(&v.rust_name)).collect();
    let tys: Vec<_> = u
        .variants
        .iter()
        .map(|v| ty(ctx, &v.ty, &TokenStream::new()))
        .collect();
    let variant_docs = u.variants.iter().map(|v| {
        let mut lines = docs::lines(&v.docs, Some(&v.constraints));
        if !v.tags.is_empty() {
            let tags: Vec<String> = v
                .tags
                .iter()
                .map(|t| format!("`{}`", t.replace('`', "'")))
                .collect();
            lines.push(format!("Tag: {}.", tags.join(", ")));
        }
        docs::attrs(&lines)
    });
    let (serialize_arms, deserialize) = match &u.discriminator {
        Some(property) => {
            let ser = u.variants.iter().zip(&variants).map(|(v, variant)| {
                let tag = v.tags.first().cloned().unwrap_or_default();
                quote!(Self::#variant(value) => #helpers::serialize_tagged(value, #property, #tag, serializer),)
            });
            let arms = u.variants.iter().zip(&variants).map(|(v, variant)| {
                let tags = &v.tags;
                quote!(#(::std::option::Option::Some(#tags))|* => #helpers::member(value).map(Self::#variant),)
            });
            (
                quote!(#(#ser)*),
                quote! {
                    let (tag, value) = #helpers::tagged(deserializer, #property)?;
                    match tag.as_deref() {
                        #(#arms)*
                        _ => ::std::result::Result::Ok(Self::Unknown(value)),
                    }
                },
            )
        }
        None => {
            let ser = variants.iter().map(|variant| {
                quote!(Self::#variant(value) => #serde::Serialize::serialize(value, serializer),)
            });
            let tries = variants.iter().map(|variant| {
                quote! {
                    if let ::std::option::Option::Some((member, loss)) = #helpers::attempt(&value) {
                        if loss == 0 {
                            return ::std::result::Result::Ok(Self::#variant(member));
                        }
                        if best.as_ref().is_none_or(|(least, _)| loss < *least) {
                            best = ::std::option::Option::Some((loss, Self::#variant(member)));
                        }
                    }
                }
            });
            (
                quote!(#(#ser)*),
                quote! {
                    let value = #helpers::value(deserializer)?;
                    let mut best: ::std::option::Option<(usize, Self)> = ::std::option::Option::None;
                    #(#tries)*
                    ::std::result::Result::Ok(match best {
                        ::std::option::Option::Some((_, member)) => member,
                        ::std::option::Option::None => Self::Unknown(value),
                    })
                },
            )
        }
    };
    let mut any_checks = false;
    let checks: Vec<TokenStream> = u
        .variants
        .iter()
        .zip(&variants)
        .map(|(v, variant)| {
            let body = value_checks(
                ctx,
                &v.ty,
                &v.constraints,
                &v.item_constraints,
                &quote!(value),
                &quote!(at),
            );
            if body.is_empty() {
                quote!(Self::#variant(_) => {})
            } else {
                any_checks = true;
                quote!(Self::#variant(value) => { #body })
            }
        })
        .collect();
    let (at, out) = if any_checks {
        (quote!(at), quote!(out))
    } else {
        (quote!(_at), quote!(_out))
    };
    quote! {
        #doc
        #derive
        pub enum #name {
            #( #variant_docs #variants(#tys), )*
            /// A value that matches no variant this client knows, kept as sent.
            Unknown(#json),
        }

        impl #serde::Serialize for #name {
            fn serialize<S: #serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #serialize_arms
                    Self::Unknown(value) => #serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> #serde::Deserialize<'de> for #name {
            fn deserialize<D: #serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                #deserialize
            }
        }

        impl #rt::__private::Validate for #name {
            fn validate_at(&self, #at: &str, #out: &mut ::std::vec::Vec<#rt::Violation>) {
                match self {
                    #(#checks)*
                    // A value no member fits (typically one the server sent) goes back as it is.
                    Self::Unknown(_) => {}
                }
            }
        }
    }
}
