//! The `requests` module: one builder per operation, awaited directly, and the enum of
//! its success responses when they differ.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::cfg::gate_items;
use super::security::Security;
use super::send::{decode_body, request_body};
use super::types::{resolve_alias, ty};
use super::{Ctx, docs};
use crate::ir::{MediaKind, Operation, Param, SuccessShape, Ty};
use crate::naming::{ident, setter_name, variant_of};

/// The `requests` module: one builder per operation, awaited directly.
pub fn requests(ctx: &Ctx<'_>) -> TokenStream {
    let prelude = ctx.prelude_ops();
    let mut security = Security::default();
    let builders: Vec<TokenStream> = ctx
        .api
        .operations
        .iter()
        .map(|op| {
            let gate = ctx.cfg_operation(op);
            security.used_by(ctx.feature_of(op));
            let builder = request_builder(ctx, op, &mut security);
            let response = response_enum(ctx, op);
            let errors = super::errors::error_enum(ctx, op);
            gate_items(&gate, quote!(#builder #response #errors))
        })
        .collect();
    let consts = security.consts(ctx);
    let rt = &ctx.rt;
    quote! {
        /// One request builder per operation: set optional parameters and per-call options
        /// (retries, timeout, headers), then `.await` it (or call `send`/`send_with_response`).
        pub mod requests {
            #prelude
            #consts
            // `Request<A>`: every operation's builder, with an operation's arguments `A`.
            #rt::__private::request_type!();
            #(#builders)*
        }
    }
}

/// The arguments every form of an operation takes: required parameters, then the body.
pub(super) struct Required {
    /// `name: impl Into<T>` for each.
    pub(super) decls: Vec<TokenStream>,
    /// Their names, to pass them on.
    pub(super) names: Vec<Ident>,
}

pub(super) fn required(ctx: &Ctx<'_>, op: &Operation) -> Required {
    let models = quote!(models::);
    let mut decls = Vec::new();
    let mut names = Vec::new();
    for p in op.params.iter().filter(|p| p.required) {
        let name = ident(&p.rust_name);
        let t = param_input(ctx, p, &models).arg;
        decls.push(quote!(#name: #t));
        names.push(name);
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let t = body_arg_ty(ctx, &body.ty, &models);
        decls.push(quote!(body: #t));
        names.push(format_ident!("body"));
    }
    Required { decls, names }
}

/// A body argument: anything convertible, and a model's builder too.
fn body_arg_ty(ctx: &Ctx<'_>, t: &Ty, models: &TokenStream) -> TokenStream {
    let t_tokens = ty(ctx, t, models);
    if ctx.body_takes_builder(t) {
        let rt = &ctx.rt;
        quote!(impl #rt::IntoBody<#t_tokens>)
    } else {
        let into = &ctx.std.into;
        quote!(impl #into<#t_tokens>)
    }
}

/// What a parameter's argument or setter takes and how it becomes the builder's value,
/// as model setters do: an array any iterator of convertible items, a map pairs, a map
/// or a JSON object (what it refuses is reported when the call starts), anything else a
/// value convertible to its type.
struct ParamInput {
    /// The argument's type.
    arg: TokenStream,
    /// Whether the value may be refused, into the builder's `refused` list.
    refuses: bool,
}

fn param_input(ctx: &Ctx<'_>, p: &Param, models: &TokenStream) -> ParamInput {
    let rt = &ctx.rt;
    let into = &ctx.std.into;
    match resolve_alias(ctx, &p.ty) {
        Ty::Vec(item) => {
            let item = ty(ctx, item, models);
            ParamInput {
                arg: quote!(impl ::std::iter::IntoIterator<Item = impl #into<#item>>),
                refuses: false,
            }
        }
        Ty::Map(_) | Ty::JsonObject => {
            let t = ty(ctx, &p.ty, models);
            ParamInput {
                arg: quote!(impl #rt::IntoMap<#t>),
                refuses: true,
            }
        }
        _ => {
            let t = ty(ctx, &p.ty, models);
            ParamInput {
                arg: quote!(impl #into<#t>),
                refuses: false,
            }
        }
    }
}

/// The value a parameter's builder field stores from the argument `value`; `refused`
/// is where a map that is no map goes.
fn param_store(
    ctx: &Ctx<'_>,
    p: &Param,
    value: &TokenStream,
    refused: &TokenStream,
) -> TokenStream {
    let rt = &ctx.rt;
    let into = &ctx.std.into;
    match resolve_alias(ctx, &p.ty) {
        Ty::Vec(_) => quote!(#value.into_iter().map(#into::into).collect()),
        Ty::Map(_) | Ty::JsonObject => {
            let wire = &p.wire_name;
            quote!(#rt::__private::set::map(#value, #wire, #refused).unwrap_or_default())
        }
        _ => quote!(#value.into()),
    }
}

/// Whether a builder holding `t` as its body must not be `Clone`: a body that may be a
/// stream (raw bytes, a multipart form) can be sent once, and a clone would share it.
fn streamed_body(ctx: &Ctx<'_>, t: &Ty) -> bool {
    match t {
        Ty::Bytes | Ty::Multipart => true,
        Ty::Named(name) => ctx.usage.multipart_forms.contains(name),
        _ => false,
    }
}

fn request_builder(ctx: &Ctx<'_>, op: &Operation, security: &mut Security) -> TokenStream {
    let rt = &ctx.rt;
    let super::Std {
        option,
        default,
        result,
        vec,
        ..
    } = &ctx.std;
    let models = quote!(models::);
    let client = ident(&ctx.settings.client_name);
    let name = ident(&op.names.request);
    // An event-stream operation's builder is a struct of its own, with its stream
    // settings; every other is `Request<Args>`, whose setters reach the arguments.
    let own = op.events.is_some();
    let args = if own {
        name.clone()
    } else {
        ident(&op.names.args)
    };
    let at = if own { quote!(self) } else { quote!(self.args) };
    let Required { decls, names: _ } = required(ctx, op);
    let output = success_ty(ctx, op, &models);
    let mut fields = Vec::new();
    let mut init = Vec::new();
    let mut setters = Vec::new();
    // `set_x(Option<T>)` of each optional parameter and body, written by the runtime.
    let mut options = Vec::new();
    let mut refusing = false;
    for p in &op.params {
        let field = ident(&p.rust_name);
        let t = ty(ctx, &p.ty, &models);
        let ParamInput { arg, refuses } = param_input(ctx, p, &models);
        refusing |= refuses;
        if p.required {
            let store = param_store(ctx, p, &quote!(#field), &quote!(&mut refused));
            fields.push(quote!(#field: #t,));
            init.push(quote!(#field: #store,));
        } else {
            let store = param_store(ctx, p, &quote!(value), &quote!(&mut #at.refused));
            fields.push(quote!(#field: #option<#t>,));
            init.push(quote!(#field: None,));
            let doc = docs::attrs(&docs::param(p));
            setters.push(quote! {
                #doc
                pub fn #field(mut self, value: #arg) -> Self {
                    #at.#field = Some(#store);
                    self
                }
            });
            let set = ident(&setter_name(&p.rust_name));
            let forget = refuses.then(|| {
                let wire = &p.wire_name;
                quote!(=> refused #wire)
            });
            options.push(quote!(#field #set: #t #forget));
        }
    }
    if refusing {
        fields.push(quote!(refused: #vec<#rt::Violation>,));
    }
    let mut clone = true;
    if let Some(body) = &op.body {
        let t = ty(ctx, &body.ty, &models);
        clone = !streamed_body(ctx, &body.ty);
        if !body.alternatives.is_empty() {
            fields.push(quote!(body_media: u8,));
            init.push(quote!(body_media: 0,));
            for (index, (media, kind)) in body.alternatives.iter().enumerate() {
                let index = index as u8 + 1;
                let method = format_ident!("encode_as_{}", kind.as_str());
                let doc = format!(
                    " Send the body as `{media}` instead of `{}` (the spec offers both).",
                    body.media_type
                );
                setters.push(quote! {
                    #[doc = #doc]
                    #[inline]
                    pub fn #method(mut self) -> Self {
                        #at.body_media = #index;
                        self
                    }
                });
            }
        }
        // A body given as a builder is built now and its error returned when the call
        // starts (`rt::IntoBody`).
        let (slot, param, value, required) = if ctx.body_takes_builder(&body.ty) {
            let build = quote!(#rt::IntoBody::into_body);
            (
                quote!(#result<#t, #rt::ValidationError>),
                quote!(impl #rt::IntoBody<#t>),
                quote!(#build(value)),
                quote!(#build(body)),
            )
        } else {
            (t.clone(), t.clone(), quote!(value), quote!(body.into()))
        };
        if body.required {
            fields.push(quote!(body: #slot,));
            init.push(quote!(body: #required,));
        } else {
            fields.push(quote!(body: #option<#slot>,));
            init.push(quote!(body: None,));
            let inline = (!super::builders::is_generic(&param)).then(|| quote!(#[inline]));
            setters.push(quote! {
                /// The request body (optional for this operation).
                #inline
                pub fn body(mut self, value: #param) -> Self {
                    #at.body = Some(#value);
                    self
                }
            });
            options.push(quote!(body set_body: #t));
        }
    }
    let request = request_body(ctx, op, security, refusing);
    let doc = docs::attrs(&docs::operation(ctx.api, op, true));
    let (deprecated, allow) = docs::deprecation(&op.docs);
    let set_options = (!own && !options.is_empty())
        .then(|| quote!(#rt::__private::set_options!(in args; #(#options),*);));
    let options = (!options.is_empty()).then(|| quote!(; #(#options),*));
    let send = match &op.events {
        Some(events) => {
            fields.push(quote!(events: #rt::StreamSettings,));
            init.push(super::streams::settings_init(ctx, events));
            super::streams::event_impls(ctx, op, events, &request, &allow, &options)
        }
        None => {
            let decode = decode_body(ctx, op);
            let paged = op
                .paging
                .as_ref()
                .map(|paging| super::streams::paged_impls(ctx, op, paging, &output, &allow));
            quote! {
                #paged

                impl #rt::__private::Endpoint for #args {
                    type Output = #output;

                    #[inline]
                    fn request(self) -> #result<#rt::__private::RequestSpec, #rt::Error> {
                        #request
                    }

                    #[inline]
                    fn decode(response: #rt::Response) -> #result<#output, #rt::Error> {
                        #decode
                    }
                }
            }
        }
    };
    // A required map parameter may refuse its value in `new`.
    let refused = refusing.then(|| {
        let start = op
            .params
            .iter()
            .any(|p| p.required && param_input(ctx, p, &models).refuses)
            .then(|| quote!(let mut refused = #vec::new();));
        (start, quote!(refused,))
    });
    let (refused_start, refused_init) = match &refused {
        Some((start, init)) if start.is_some() => (start.clone(), Some(init.clone())),
        Some(_) => (None, Some(quote!(refused: #vec::new(),))),
        None => (None, None),
    };
    // A `format: password` parameter never shows in `Debug`: the builder writes its own.
    let secret = op.params.iter().any(|p| docs::is_password(&p.docs));
    let derive = match (clone, secret) {
        (true, false) => quote!(#[derive(Clone, Debug)]),
        (false, false) => quote!(#[derive(Debug)]),
        (true, true) => quote!(#[derive(Clone)]),
        (false, true) => TokenStream::new(),
    };
    let debug = secret.then(|| {
        let field = |name: &str, secret: bool| (name.to_owned(), format_ident!("{name}"), secret);
        let mut shown = Vec::new();
        if own {
            shown.push(field("client", false));
        }
        shown.extend(op.params.iter().map(|p| {
            let label = p.rust_name.trim_start_matches("r#").to_owned();
            (label, ident(&p.rust_name), docs::is_password(&p.docs))
        }));
        if refusing {
            shown.push(field("refused", false));
        }
        if op.body.as_ref().is_some_and(|b| !b.alternatives.is_empty()) {
            shown.push(field("body_media", false));
        }
        if op.body.is_some() {
            shown.push(field("body", false));
        }
        if own {
            shown.push(field("events", false));
            shown.push(field("options", false));
        }
        super::builders::redacted_debug(ctx, &args, &shown)
    });
    // The builder type and how `new` makes one: an alias of `Request` with the arguments'
    // struct, or an event-stream builder's own struct.
    let (builder, built) = if own {
        let builder = quote! {
            #[must_use = "a request does nothing until it is awaited"]
            #derive
            pub struct #name {
                client: super::#client,
                #(#fields)*
                options: #rt::CallOptions,
            }
        };
        let built = quote!(Self { client: client.clone(), #(#init)* #refused_init options: #default::default() });
        (builder, built)
    } else {
        let doc_args = format!(" The arguments of [`{name}`].");
        let builder = quote! {
            pub type #name = Request<#args>;

            #[doc = #doc_args]
            #[doc(hidden)]
            #derive
            pub struct #args {
                #(#fields)*
            }
        };
        let built = quote!(Request::with(&client.core, #args { #(#init)* #refused_init }));
        (builder, built)
    };
    let shared = (!own).then(|| {
        quote! {
            ///
            /// Per-call options (retries, timeout, headers, idempotency key), `send`,
            /// `send_with_response` and `.await` are [`Request`]'s, the same for every
            /// operation.
        }
    });
    quote! {
        #doc
        #shared
        #deprecated
        #builder

        #allow
        impl #name {
            #[inline]
            pub(super) fn new(client: &super::#client, #(#decls),*) -> Self {
                #refused_start
                #built
            }

            #(#setters)*
            #set_options
        }

        #debug
        #send
    }
}

pub(super) fn success_ty(ctx: &Ctx<'_>, op: &Operation, models: &TokenStream) -> TokenStream {
    match op.success_shape() {
        SuccessShape::Empty => quote!(()),
        SuccessShape::One(t) => ty(ctx, t, models),
        SuccessShape::Mixed => {
            // Only the `requests` module names it.
            let name = ident(&op.names.response);
            quote!(#name)
        }
    }
}

fn response_enum(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    if !matches!(op.success_shape(), SuccessShape::Mixed) {
        return TokenStream::new();
    }
    let models = quote!(models::);
    let name = ident(&op.names.response);
    let variants = op.success.iter().map(|case| {
        let variant = variant_of(case.status);
        let doc = format!(
            " {}: {}",
            docs::status_text(case.status),
            docs::sanitize(&case.description).replace('\n', " ")
        );
        let payload = match (&case.ty, &case.kind) {
            (None, _) => quote!(),
            (Some(t), MediaKind::Json) => {
                let t = ty(ctx, t, &models);
                quote!((#t))
            }
            (Some(_), MediaKind::Text) => {
                let string = &ctx.std.string;
                quote!((#string))
            }
            (Some(_), _) => {
                let rt = &ctx.rt;
                quote!((#rt::__private::bytes::Bytes))
            }
        };
        quote!(#[doc = #doc] #variant #payload,)
    });
    let doc = format!(
        " The success responses of [`{}`], one variant per status.",
        ident(&op.names.request)
    );
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, PartialEq)]
        pub enum #name {
            #(#variants)*
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::{TEST_SPEC, test_ctx_parts, test_operation};

    #[test]
    fn one_builder_per_operation_with_setters_for_optional_parameters() {
        let (api, settings) = test_ctx_parts(TEST_SPEC);
        let ctx = Ctx::new(&api, &settings);
        let requests = requests(&ctx).to_string();
        // Each builder is the SDK's one generic `Request` with the operation's arguments,
        // which has the per-call options, `send` and `IntoFuture` once for all.
        assert_eq!(
            requests
                .matches("rt :: __private :: request_type ! ()")
                .count(),
            1,
            "{requests}"
        );
        for op in ["PetsGetPet", "PetsAddPet"] {
            let alias = format!("pub type {op} = Request < {op}Args >");
            assert!(requests.contains(&alias), "{alias}: {requests}");
            let args = format!("pub struct {op}Args");
            assert!(requests.contains(&args), "{args}: {requests}");
            let endpoint = format!("impl rt :: __private :: Endpoint for {op}Args");
            assert!(requests.contains(&endpoint), "{endpoint}: {requests}");
        }
        assert!(!requests.contains("fn timeout"), "{requests}");
        assert!(!requests.contains("IntoFuture"), "{requests}");
        assert!(requests.contains("pub fn color"), "{requests}");
        // A model body also comes as its builder, built when the call starts.
        assert!(
            requests.contains("body : impl rt :: IntoBody < models :: Pet >"),
            "{requests}"
        );
        assert!(
            requests.contains("body : Result < models :: Pet , rt :: ValidationError >"),
            "{requests}"
        );
        // One constant for the requirement both operations share.
        assert_eq!(requests.matches("const SECURITY_").count(), 1, "{requests}");
    }

    #[test]
    fn successes_of_different_shapes_get_an_enum_one_variant_per_status() {
        let (api, settings) = test_ctx_parts(TEST_SPEC);
        let ctx = Ctx::new(&api, &settings);
        let add = test_operation(&api, "addPet");
        assert!(matches!(add.success_shape(), SuccessShape::Mixed));
        let variants = response_enum(&ctx, add).to_string();
        assert!(
            variants.contains("pub enum PetsAddPetResponse"),
            "{variants}"
        );
        assert!(
            variants.contains("Status201 (models :: Shape)")
                || variants.contains("Status201 (super :: models :: Shape)"),
            "{variants}"
        );
        assert!(variants.contains("Status202 ,"), "{variants}");
        let get = test_operation(&api, "getPet");
        assert!(matches!(get.success_shape(), SuccessShape::One(_)));
        assert!(response_enum(&ctx, get).is_empty());
    }
}
