//! Named types: structs, enums, aliases and unions.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::builders::{builder, debug_fields, redacted_debug, validate_impl};
use super::cfg::gate_items;
use super::types::{field_ty, ty, value_checks};
use super::{Ctx, docs};
use crate::ir::{EnumDef, Field, Presence, StructDef, Ty, TypeDef, TypeKind, UnionDef};
use crate::naming::{additional_name, ident};

/// The `models` module.
pub fn module(ctx: &Ctx<'_>) -> TokenStream {
    let prelude = ctx.prelude();
    let mut items = Vec::new();
    let mut builders = Vec::new();
    for def in ctx.api.types.values() {
        let gate = ctx.cfg_type(&def.name);
        items.push(gate_items(&gate, type_def(ctx, def)));
        if let TypeKind::Struct(s) = &def.kind
            && ctx.has_builder(&def.name)
        {
            builders.push(gate_items(&gate, builder(ctx, def, s)));
        }
    }
    let builder_module = (!builders.is_empty()).then(|| {
        quote! {
            /// Builders for the models (not those only responses carry, unless asked for):
            /// set fields, then `build()` checks required fields and limits.
            pub mod builder {
                #prelude
                #(#builders)*
            }
        }
    });
    quote! {
        /// Request and response types of the API.
        #[allow(clippy::large_enum_variant, clippy::too_many_arguments)]
        pub mod models {
            #prelude
            #(#items)*
            #builder_module
        }
    }
}

fn type_def(ctx: &Ctx<'_>, def: &TypeDef) -> TokenStream {
    match &def.kind {
        TypeKind::Struct(s) => structure(ctx, def, s),
        TypeKind::Enum(e) => enumeration(ctx, def, e),
        TypeKind::Union(u) => union(ctx, def, u),
        TypeKind::Alias(t, c) => {
            let doc = docs::attrs(&docs::or_else(docs::lines(&def.docs, Some(c)), || {
                docs::undescribed_schema(def)
            }));
            let name = ident(&def.name);
            let t = ty(ctx, t, &TokenStream::new());
            quote! { #doc pub type #name = #t; }
        }
    }
}

/// `Clone, Debug, PartialEq`, the shape's own derives (`extra`, whose trait names are
/// `own`) and the user's, minus those already there (a second `Eq` would not compile).
fn derives(ctx: &Ctx<'_>, own: &[&str], extra: TokenStream) -> TokenStream {
    derives_with(ctx, quote!(Clone, Debug, PartialEq), own, extra)
}

/// [`derives`] with another base than `Clone, Debug, PartialEq` (`base`, which names
/// those three traits at most).
fn derives_with(ctx: &Ctx<'_>, base: TokenStream, own: &[&str], extra: TokenStream) -> TokenStream {
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
    quote!(#[derive(#base #extra #(, #user)*)])
}

fn structure(ctx: &Ctx<'_>, def: &TypeDef, s: &StructDef) -> TokenStream {
    let rt = &ctx.rt;
    let name = ident(&def.name);
    let doc = docs::attrs(&docs::or_else(docs::lines(&def.docs, None), || {
        docs::undescribed_schema(def)
    }));
    // A model whose fields may all be left out has a `Default`: no field at all.
    let default = s
        .fields
        .iter()
        .all(|f| matches!(f.presence, Presence::Optional | Presence::OptionalNullable))
        .then(|| quote!(, Default));
    // A `format: password` field never shows in `Debug`: the model writes its own.
    let secret = s.fields.iter().any(docs::is_secret);
    let base = if secret {
        quote!(Clone, PartialEq)
    } else {
        quote!(Clone, Debug, PartialEq)
    };
    let derived = derives_serde(ctx, s);
    let serde_derives = derived
        .then(|| quote!(, #rt::__private::serde::Serialize, #rt::__private::serde::Deserialize));
    let derive = derives_with(
        ctx,
        base,
        &["Serialize", "Deserialize", "Default"],
        quote!(#default #serde_derives),
    );
    let debug = secret.then(|| redacted_debug(ctx, &name, &debug_fields(s, true)));
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.rust_name);
        let fty = field_ty(ctx, f);
        let mut lines = docs::or_else(docs::lines(&f.docs, Some(&f.constraints)), || {
            docs::undescribed_field(f)
        });
        if let Some(note) = field_note(f) {
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.push(note);
        }
        let doc = docs::attrs(&lines);
        let serde = derived.then(|| serde_attr(ctx, f)).flatten();
        quote! { #doc #serde pub #fname: #fty, }
    });
    let additional = s.additional.as_ref().map(|t| {
        let string = &ctx.std.string;
        let fname = ident(&additional_name(s));
        let t = ty(ctx, t, &TokenStream::new());
        quote! {
            /// Properties not described by the spec, kept as sent.
            #[serde(flatten)]
            pub #fname: ::std::collections::BTreeMap<#string, #t>,
        }
    });
    let (serde_crate, wire) = if derived {
        let serde_crate = ctx.serde_crate();
        (Some(quote!(#[serde(crate = #serde_crate)])), None)
    } else {
        (None, Some(wire_struct(ctx, &name, s)))
    };
    let validate = (ctx.usage.checked.contains(&def.name) && !ctx.settings.models_only)
        .then(|| validate_impl(ctx, def, s));
    let builder = ctx.has_builder(&def.name).then(|| {
        let default = &ctx.std.default;
        quote! {
            impl #name {
                /// A builder for this type; `build()` checks required fields and limits.
                #[inline]
                pub fn builder() -> builder::#name {
                    #default::default()
                }
            }
        }
    });
    let form = (ctx.usage.multipart_forms.contains(&def.name) && !ctx.settings.models_only)
        .then(|| super::multipart::form_impl(ctx, def, s));
    quote! {
        #doc
        #derive
        #serde_crate
        pub struct #name {
            #(#fields)*
            #additional
        }

        #wire
        #debug
        #form
        #builder
        #validate
    }
}

/// Traits a user may derive on every model (setting `derive`) that are known not to read
/// `#[serde(..)]` attributes; the ones this module derives or writes itself are dropped
/// from the user's list anyway.
const PLAIN_DERIVES: &[&str] = &[
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Deserialize",
    "Eq",
    "Hash",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Serialize",
];

/// Whether a struct's serde impls are serde's derive (with `#[serde(..)]` attributes)
/// rather than the runtime's `wire_struct!`, which writes the same impls with far less
/// code for rustc to check: kept for properties the spec does not describe (`flatten`,
/// which the derive buffers and replays), and when the user derives on every model a
/// trait that may read the attributes (`schemars::JsonSchema` does).
fn derives_serde(ctx: &Ctx<'_>, s: &StructDef) -> bool {
    s.additional.is_some()
        || ctx.settings.derives.iter().any(|path| {
            let last = path.rsplit("::").next().unwrap_or(path).trim();
            !PLAIN_DERIVES.contains(&last)
        })
}

/// What a field is when the JSON leaves it out, and when the struct leaves it out of
/// the JSON.
#[derive(Clone, Copy)]
enum Wire {
    /// Required: a missing one is serde's (`None` for a nullable one, else an error).
    Required,
    /// Required any JSON value: a response without the key reads as `null` rather than
    /// losing the whole response (specs misspell `required` names: Box's `accessed`).
    Default,
    /// An `Option`: `None` when missing, left out when `None`.
    Optional,
    /// An `OptionalNullable`: `Unset` when missing, left out when `Unset`.
    Unset,
    /// `readOnly`: never in a request, however the value was made (the runtime says
    /// when it writes one); a response (the mock server's) keeps it.
    ReadOnlyOptional,
    /// [`Wire::ReadOnlyOptional`] of an `OptionalNullable`.
    ReadOnlyUnset,
}

impl Wire {
    fn of(f: &Field) -> Self {
        match f.presence {
            Presence::Required if f.ty == Ty::Json => Self::Default,
            Presence::Required | Presence::RequiredNullable => Self::Required,
            Presence::Optional if f.read_only => Self::ReadOnlyOptional,
            Presence::OptionalNullable if f.read_only => Self::ReadOnlyUnset,
            Presence::Optional => Self::Optional,
            Presence::OptionalNullable => Self::Unset,
        }
    }

    /// Its word in `wire_struct!` (none for a required field).
    fn keyword(self) -> Option<&'static str> {
        match self {
            Self::Required => None,
            Self::Default => Some("default"),
            Self::Optional => Some("opt"),
            Self::Unset => Some("unset"),
            Self::ReadOnlyOptional => Some("ro_opt"),
            Self::ReadOnlyUnset => Some("ro_unset"),
        }
    }
}

/// `rt::__private::wire_struct!(Name; 0 "json" field kind, ..)`: the struct's serde
/// impls, from each field's index, JSON name, Rust name and [`Wire`] word.
fn wire_struct(ctx: &Ctx<'_>, name: &proc_macro2::Ident, s: &StructDef) -> TokenStream {
    let rt = &ctx.rt;
    let fields = s.fields.iter().enumerate().map(|(index, f)| {
        let index = Literal::usize_unsuffixed(index);
        let json = &f.json_name;
        let fname = ident(&f.rust_name);
        let kind = Wire::of(f).keyword().map(|kind| format_ident!("{kind}"));
        quote!(#index #json #fname #kind)
    });
    quote!(#rt::__private::wire_struct!(#name; #(#fields),*);)
}

/// A field's `#[serde(..)]` under serde's derive: its JSON name and its [`Wire`].
fn serde_attr(ctx: &Ctx<'_>, f: &Field) -> Option<TokenStream> {
    let mut serde = Vec::new();
    let rust = ident(&f.rust_name).to_string();
    if rust != f.json_name || rust.starts_with("r#") {
        let json = &f.json_name;
        serde.push(quote!(rename = #json));
    }
    let skip = match Wire::of(f) {
        Wire::Required => None,
        Wire::Default => {
            serde.push(quote!(default));
            None
        }
        Wire::Optional => Some(format!("{}::is_none", ctx.std.option).replace(' ', "")),
        Wire::Unset => Some("rt::OptionalNullable::is_unset".to_owned()),
        Wire::ReadOnlyOptional => Some("rt::__private::read_only::none".to_owned()),
        Wire::ReadOnlyUnset => Some("rt::__private::read_only::unset".to_owned()),
    };
    if let Some(skip) = skip {
        serde.push(quote!(default, skip_serializing_if = #skip));
    }
    (!serde.is_empty()).then(|| quote!(#[serde(#(#serde),*)]))
}

fn field_note(f: &Field) -> Option<String> {
    if let Some(tag) = &f.tag {
        Some(format!(
            "The discriminator: `{tag}` for this type, which the builder sets when it is not given."
        ))
    } else if f.read_only {
        Some(
            "Read-only: set by the server. Builders do not offer it and requests leave it out."
                .into(),
        )
    } else if f.write_only {
        Some(
            "Write-only: sent to the server, which does not return it (`None` in responses)."
                .into(),
        )
    } else {
        None
    }
}

fn enumeration(ctx: &Ctx<'_>, def: &TypeDef, e: &EnumDef) -> TokenStream {
    if !e.integer {
        return string_enum(ctx, def, e);
    }
    let rt = &ctx.rt;
    let name = ident(&def.name);
    let (doc, variants, docs_v) = enum_parts(
        def,
        e,
        "Values this version of the client does not know are kept in `Unknown` and sent back as they are, so a server that adds a value never breaks this client.".to_string(),
    );
    let derive = derives(
        ctx,
        &["Eq", "Hash", "PartialOrd", "Ord"],
        quote!(, Eq, Hash, PartialOrd, Ord),
    );
    let values: Vec<Literal> = e
        .variants
        .iter()
        .map(|v| Literal::i64_suffixed(v.value.parse::<i64>().unwrap_or_default()))
        .collect();
    // `as_i64`, `Display`, `From<i64>` and serde come from the runtime.
    quote! {
        #doc
        #derive
        pub enum #name {
            #( #[doc = #docs_v] #variants, )*
            /// A value not in the spec this client was generated from.
            Unknown(i64),
        }

        #rt::__private::int_enum!(#name; #(#variants = #values),*);
    }
}

/// The docs of an enum (its own, then `note`), its variants and their docs.
fn enum_parts(
    def: &TypeDef,
    e: &EnumDef,
    note: String,
) -> (TokenStream, Vec<proc_macro2::Ident>, Vec<String>) {
    let mut lines = docs::lines(&def.docs, None);
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(note);
    let variants = e
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.rust_name))
        .collect();
    let docs_v = e
        .variants
        .iter()
        .map(|v| format!(" `{}`", v.value.replace('`', "'")))
        .collect();
    (docs::attrs(&lines), variants, docs_v)
}

/// A string enum: closed and `Copy`, like a hand-written Rust enum. Fields and
/// parameters hold it in `Open<E>`, which keeps values a newer server sends; the
/// conversions to and from text live in the runtime's `WireEnum`.
fn string_enum(ctx: &Ctx<'_>, def: &TypeDef, e: &EnumDef) -> TokenStream {
    let rt = &ctx.rt;
    let name = ident(&def.name);
    let (doc, variants, docs_v) = enum_parts(
        def,
        e,
        format!(
            "Fields and parameters hold it as [`Open<{}>`](rt::Open), which also keeps values a newer server sends; `FromStr` refuses text that names no variant.",
            def.name
        ),
    );
    let derive = derives(
        ctx,
        &["Copy", "Eq", "Hash", "PartialOrd", "Ord"],
        quote!(, Copy, Eq, Hash, PartialOrd, Ord),
    );
    let values = e.variants.iter().map(|v| &v.value);
    // `ALL`, `as_str`, `WireEnum`, `FromStr`, `Display`, `AsRef<str>` and serde come
    // from the runtime.
    quote! {
        #doc
        #derive
        pub enum #name {
            #( #[doc = #docs_v] #variants, )*
        }

        #rt::__private::wire_enum!(#name; #(#variants = #values),*);
    }
}

/// `oneOf`/`anyOf`: an enum with one variant per member and an `Unknown` fallback.
fn union(ctx: &Ctx<'_>, def: &TypeDef, u: &UnionDef) -> TokenStream {
    let rt = &ctx.rt;
    let serde = quote!(#rt::__private::serde);
    let json = quote!(#rt::__private::serde_json::Value);
    let helpers = quote!(#rt::__private::union);
    let name = ident(&def.name);
    let super::Std { result, vec, .. } = &ctx.std;
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
        let mut lines = docs::or_else(docs::lines(&v.docs, Some(&v.constraints)), || {
            format!("The member `{}`.", v.rust_name)
        });
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
                quote!(#(Some(#tags))|* => #helpers::member(value).map(Self::#variant),)
            });
            (
                quote!(#(#ser)*),
                quote! {
                    let (tag, value) = #helpers::tagged(deserializer, #property)?;
                    match tag.as_deref() {
                        #(#arms)*
                        _ => Ok(Self::Unknown(value)),
                    }
                },
            )
        }
        None => {
            let ser = variants.iter().map(|variant| {
                quote!(Self::#variant(value) => #serde::Serialize::serialize(value, serializer),)
            });
            (
                quote!(#(#ser)*),
                quote! {
                    let value = #helpers::value(deserializer)?;
                    Ok(#helpers::Pick::new(value)#(.or(Self::#variants))*.or_else(Self::Unknown))
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
    let validate =
        (ctx.usage.checked.contains(&def.name) && !ctx.settings.models_only).then(|| {
            quote! {
                impl #rt::__private::Validate for #name {
                    #[inline]
                    fn validate_at(&self, #at: &str, #out: &mut #vec<#rt::Violation>) {
                        match self {
                            #(#checks)*
                            // A value no member fits (typically one the server sent) goes back as it is.
                            Self::Unknown(_) => {}
                        }
                    }
                }
            }
        });
    // `From` each member's type, where no other member has the same type (a boxed one,
    // kept in a box to break a cycle, from its value).
    let sources: Vec<(TokenStream, bool)> = u
        .variants
        .iter()
        .map(|v| match &v.ty {
            Ty::Boxed(inner) => (ty(ctx, inner, &TokenStream::new()), true),
            t => (ty(ctx, t, &TokenStream::new()), false),
        })
        .collect();
    let froms = sources
        .iter()
        .zip(&variants)
        .filter(|_| !ctx.settings.models_only)
        .filter(|((source, _), _)| {
            let text = source.to_string();
            sources
                .iter()
                .filter(|(s, _)| s.to_string() == text)
                .count()
                == 1
        })
        .map(|((source, boxed), variant)| {
            let value = if *boxed {
                let boxed = &ctx.std.boxed;
                quote!(#boxed::new(value))
            } else {
                quote!(value)
            };
            quote! {
                impl ::std::convert::From<#source> for #name {
                    #[inline]
                    fn from(value: #source) -> Self {
                        Self::#variant(#value)
                    }
                }
            }
        });
    quote! {
        #doc
        #derive
        pub enum #name {
            #( #variant_docs #variants(#tys), )*
            /// A value that matches no variant this client knows, kept as sent.
            Unknown(#json),
        }

        impl #serde::Serialize for #name {
            fn serialize<S: #serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                match self {
                    #serialize_arms
                    Self::Unknown(value) => #serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> #serde::Deserialize<'de> for #name {
            fn deserialize<D: #serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                #deserialize
            }
        }

        #(#froms)*
        #validate
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::{TEST_SPEC, test_ctx_parts};
    use crate::settings::Settings;

    #[test]
    fn every_shape_is_rendered_and_only_what_needs_one_gets_a_builder_or_checks() {
        let (api, settings) = test_ctx_parts(TEST_SPEC);
        let ctx = Ctx::new(&api, &settings);
        let models = module(&ctx).to_string();
        for item in [
            "pub struct Pet",
            "pub enum Color",
            "pub enum Shape",
            "pub struct Listing",
        ] {
            assert!(models.contains(item), "{item}: {models}");
        }
        // Open enums and unions keep what they do not know.
        assert!(models.matches("Unknown").count() >= 2, "{models}");
        // Pet is sent (a body) and has a limit; Listing only comes back and has none.
        assert!(
            models.contains("fn builder () -> builder :: Pet"),
            "{models}"
        );
        assert!(
            !models.contains("fn builder () -> builder :: Listing"),
            "{models}"
        );
        assert!(models.contains("Validate for Pet"), "{models}");
        assert!(!models.contains("Validate for Listing"), "{models}");
    }

    const SERDE_SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Thing:
      type: object
      required: [type, note, payload]
      properties:
        type: {type: string}
        note: {type: string, nullable: true}
        payload: {}
        petName: {type: string}
        label: {type: string, nullable: true}
        id: {type: integer, readOnly: true}
        seen: {type: boolean, nullable: true, readOnly: true}
    Open:
      type: object
      properties: {known: {type: string}}
      additionalProperties: {type: integer}
"#;

    /// The serde impls of each struct, by its name (`wire_struct!` or the derive).
    fn serde_of(settings: Settings) -> (String, String) {
        let (api, _) = test_ctx_parts(SERDE_SPEC);
        let ctx = Ctx::new(&api, &settings);
        let models = module(&ctx).to_string();
        // From the struct's `#[derive(..)]` to the next struct.
        let of = |name: &str| {
            let start = format!("pub struct {name}");
            let mut parts = models.split(start.as_str());
            let head = parts
                .next()
                .and_then(|before| before.rsplit("# [derive").next())
                .unwrap_or_default();
            let body = parts
                .next()
                .and_then(|rest| rest.split("pub struct").next())
                .unwrap_or_default();
            format!("{head}{body}")
        };
        (of("Thing"), of("Open"))
    }

    #[test]
    fn structs_get_wire_struct_and_keep_the_derive_only_where_it_does_more() {
        let (thing, open) = serde_of(Settings::new().with_client_name("Api"));
        // Every field shape, by its word; a keyword field by its raw name.
        assert!(
            thing.contains(
                "rt :: __private :: wire_struct ! (Thing ; 0 \"type\" r#type , 1 \"note\" note , \
                 2 \"payload\" payload default , 3 \"petName\" pet_name opt , \
                 4 \"label\" label unset , 5 \"id\" id ro_opt , 6 \"seen\" seen ro_unset) ;"
            ),
            "{thing}"
        );
        assert!(
            !thing.contains("# [serde") && !thing.contains("serde :: Serialize"),
            "{thing}"
        );
        // `additionalProperties` next to properties: serde's derive, `flatten`.
        assert!(open.contains("serde :: Deserialize"), "{open}");
        assert!(open.contains("# [serde (flatten)]"), "{open}");
        assert!(!open.contains("wire_struct"), "{open}");

        // A plain derive of the user's keeps `wire_struct!`; one that may read
        // `#[serde]` attributes brings the derive and its attributes back.
        let (thing, _) = serde_of(Settings::new().with_client_name("Api").with_derive("Eq"));
        assert!(thing.contains("wire_struct"), "{thing}");
        let settings = Settings::new()
            .with_client_name("Api")
            .with_derive("schemars::JsonSchema");
        let (thing, _) = serde_of(settings);
        assert!(!thing.contains("wire_struct"), "{thing}");
        for attr in [
            "rename = \"type\"",
            "default , skip_serializing_if = \"Option::is_none\"",
            "skip_serializing_if = \"rt::__private::read_only::unset\"",
            "schemars :: JsonSchema",
        ] {
            assert!(thing.contains(attr), "{attr}: {thing}");
        }
    }
}
