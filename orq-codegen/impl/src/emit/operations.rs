//! Operations: standalone functions (`funcs`) and the group methods that call them.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{Ctx, docs, models};
use crate::ir::{
    MediaKind, Operation, Param, ParamLocation, ResponseCase, SecurityUse, StatusMatch, Ty,
    TypeKind,
};
use crate::naming::ident;

/// The `requests` module: one builder per operation, awaited directly.
pub fn requests(ctx: &Ctx<'_>) -> TokenStream {
    let builders = ctx.api.operations.iter().map(|op| {
        let builder = request_builder(ctx, op);
        let response = response_enum(ctx, op);
        quote!(#builder #response)
    });
    quote! {
        /// One request builder per operation: set optional parameters and per-call options
        /// (retries, timeout, headers), then `.await` it (or call `send`/`send_with_response`).
        pub mod requests {
            #(#builders)*
        }
    }
}

/// The `funcs` module.
pub fn funcs(ctx: &Ctx<'_>) -> TokenStream {
    let funcs = ctx.api.operations.iter().map(|op| func(ctx, op));
    quote! {
        /// Every operation as a standalone function taking the client first.
        pub mod funcs {
            #(#funcs)*
        }
    }
}

/// The arguments every form of an operation takes: required parameters, then the body.
struct Required {
    decls: Vec<TokenStream>,
    names: Vec<Ident>,
    output: TokenStream,
}

fn required(ctx: &Ctx<'_>, op: &Operation) -> Required {
    let models = quote!(super::models::);
    let mut decls = Vec::new();
    let mut names = Vec::new();
    for p in op.params.iter().filter(|p| p.required) {
        let name = ident(&p.rust_name);
        let t = arg_ty(ctx, &p.ty, &models);
        decls.push(quote!(#name: #t));
        names.push(name);
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let t = arg_ty(ctx, &body.ty, &models);
        decls.push(quote!(body: #t));
        names.push(format_ident!("body"));
    }
    Required {
        decls,
        names,
        output: success_ty(ctx, op, &models),
    }
}

/// Arguments accept anything convertible; strings are stored owned.
fn arg_ty(ctx: &Ctx<'_>, t: &Ty, models: &TokenStream) -> TokenStream {
    let t = models::ty(ctx, t, models);
    quote!(impl ::std::convert::Into<#t>)
}

fn request_name(op: &Operation) -> Ident {
    ident(&crate::naming::type_name(&op.func_name))
}

fn request_builder(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let rt = &ctx.rt;
    let models = quote!(super::models::);
    let client = ident(&ctx.settings.client_name);
    let name = request_name(op);
    let Required {
        decls,
        names: _,
        output,
    } = required(ctx, op);
    let mut fields = Vec::new();
    let mut init = Vec::new();
    let mut setters = Vec::new();
    let mut bind = Vec::new();
    for p in &op.params {
        let field = ident(&p.rust_name);
        let t = models::ty(ctx, &p.ty, &models);
        bind.push(field.clone());
        if p.required {
            fields.push(quote!(#field: #t,));
            init.push(quote!(#field: #field.into(),));
        } else {
            fields.push(quote!(#field: ::std::option::Option<#t>,));
            init.push(quote!(#field: ::std::option::Option::None,));
            let doc = docs::attrs(&param_doc(p));
            setters.push(quote! {
                #doc
                pub fn #field(mut self, value: impl ::std::convert::Into<#t>) -> Self {
                    self.#field = ::std::option::Option::Some(value.into());
                    self
                }
            });
        }
    }
    if let Some(body) = &op.body {
        let t = models::ty(ctx, &body.ty, &models);
        bind.push(format_ident!("body"));
        if !body.alternatives.is_empty() {
            bind.push(format_ident!("body_media"));
            fields.push(quote!(body_media: u8,));
            init.push(quote!(body_media: 0,));
            for (index, (media, kind)) in body.alternatives.iter().enumerate() {
                let index = index as u8 + 1;
                let method = match kind {
                    MediaKind::Form => format_ident!("encode_as_form"),
                    _ => format_ident!("encode_as_json"),
                };
                let doc = format!(
                    " Send the body as `{media}` instead of `{}` (the spec offers both).",
                    body.media_type
                );
                setters.push(quote! {
                    #[doc = #doc]
                    pub fn #method(mut self) -> Self {
                        self.body_media = #index;
                        self
                    }
                });
            }
        }
        if body.required {
            fields.push(quote!(body: #t,));
            init.push(quote!(body: body.into(),));
        } else {
            fields.push(quote!(body: ::std::option::Option<#t>,));
            init.push(quote!(body: ::std::option::Option::None,));
            setters.push(quote! {
                /// The request body (optional for this operation).
                pub fn body(mut self, value: #t) -> Self {
                    self.body = ::std::option::Option::Some(value);
                    self
                }
            });
        }
    }
    let send = send_body(ctx, op);
    let doc = docs::attrs(&op_docs(op));
    let deprecated = op
        .docs
        .deprecated
        .then(|| quote!(#[deprecated = "deprecated by the API"]));
    let allow = op.docs.deprecated.then(|| quote!(#[allow(deprecated)]));
    quote! {
        #doc
        #deprecated
        #[must_use = "a request does nothing until it is awaited"]
        #[derive(Debug)]
        pub struct #name<'a> {
            client: &'a super::#client,
            #(#fields)*
            options: #rt::CallOptions,
        }

        #allow
        impl<'a> #name<'a> {
            pub(super) fn new(client: &'a super::#client, #(#decls),*) -> Self {
                Self { client, #(#init)* options: ::std::default::Default::default() }
            }

            #(#setters)*

            /// Per-call options: retries, timeout, extra headers (replaces earlier ones).
            pub fn options(mut self, options: #rt::CallOptions) -> Self {
                self.options = options;
                self
            }

            /// Retry settings for this call only (also for non-idempotent methods).
            pub fn retries(mut self, retries: #rt::RetryConfig) -> Self {
                self.options.retries = ::std::option::Option::Some(retries);
                self
            }

            /// Timeout of each attempt of this call.
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.options.timeout = ::std::option::Option::Some(timeout);
                self
            }

            /// An extra header for this call (CR/LF are refused when sending).
            pub fn header(mut self, name: impl ::std::convert::Into<::std::string::String>, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.options.headers.push((name.into(), value.into()));
                self
            }

            /// Send the request; the decoded success value.
            pub async fn send(self) -> ::std::result::Result<#output, #rt::Error> {
                self.send_with_response().await.map(#rt::ResponseValue::into_inner)
            }

            /// Send the request; the success value with the response status and headers.
            pub async fn send_with_response(self) -> ::std::result::Result<#rt::ResponseValue<#output>, #rt::Error> {
                let Self { client, #(#bind,)* options } = self;
                #send
            }
        }

        #allow
        impl<'a> ::std::future::IntoFuture for #name<'a> {
            type Output = ::std::result::Result<#output, #rt::Error>;
            type IntoFuture = ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = Self::Output> + ::std::marker::Send + 'a>>;

            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }
    }
}

fn param_doc(p: &Param) -> Vec<String> {
    let place = match p.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    };
    let mut lines = docs::lines(&p.docs, Some(&p.constraints));
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(format!("Sent as the {place} parameter `{}`.", p.wire_name));
    lines
}

fn success_ty(ctx: &Ctx<'_>, op: &Operation, models: &TokenStream) -> TokenStream {
    match success_shape(op) {
        SuccessShape::Empty => quote!(()),
        SuccessShape::One(t) => models::ty(ctx, t, models),
        SuccessShape::Mixed => {
            let name = response_enum_name(op);
            quote!(super::requests::#name)
        }
    }
}

/// Operations whose 2xx responses differ return an enum with one variant per status.
fn response_enum_name(op: &Operation) -> Ident {
    format_ident!("{}Response", request_name(op).to_string())
}

fn variant_of(status: StatusMatch) -> Ident {
    match status {
        StatusMatch::Exact(n) => format_ident!("Status{}", n),
        StatusMatch::Range(n) => format_ident!("Status{}xx", n),
        StatusMatch::Default => format_ident!("Other"),
    }
}

fn response_enum(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    if !matches!(success_shape(op), SuccessShape::Mixed) {
        return TokenStream::new();
    }
    let models = quote!(super::models::);
    let name = response_enum_name(op);
    let variants = op.success.iter().map(|case| {
        let variant = variant_of(case.status);
        let doc = format!(
            " {}: {}",
            status_text(case.status),
            docs::sanitize(&case.description).replace('\n', " ")
        );
        let payload = match (&case.ty, &case.kind) {
            (None, _) => quote!(),
            (Some(t), MediaKind::Json) => {
                let t = models::ty(ctx, t, &models);
                quote!((#t))
            }
            (Some(_), MediaKind::Text) => quote!((::std::string::String)),
            (Some(_), _) => {
                let rt = &ctx.rt;
                quote!((#rt::__private::bytes::Bytes))
            }
        };
        quote!(#[doc = #doc] #variant #payload,)
    });
    let doc = format!(
        " The success responses of [`{}`], one variant per status.",
        request_name(op)
    );
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, PartialEq)]
        pub enum #name {
            #(#variants)*
        }
    }
}

enum SuccessShape<'a> {
    Empty,
    One(&'a Ty),
    Mixed,
}

fn success_shape(op: &Operation) -> SuccessShape<'_> {
    let typed: Vec<&Ty> = op.success.iter().filter_map(|c| c.ty.as_ref()).collect();
    match typed.first() {
        None => SuccessShape::Empty,
        Some(first)
            if typed.iter().all(|t| t == first) && op.success.iter().all(|c| c.ty.is_some()) =>
        {
            SuccessShape::One(first)
        }
        Some(_) => SuccessShape::Mixed,
    }
}

fn op_docs(op: &Operation) -> Vec<String> {
    let mut lines = docs::lines(&op.docs, None);
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(format!(
        "`{} {}` (operation `{}`)",
        op.http_method, op.path, op.operation_id
    ));
    let params: Vec<String> = op
        .params
        .iter()
        .map(|p| {
            let place = match p.location {
                ParamLocation::Path => "path",
                ParamLocation::Query => "query",
                ParamLocation::Header => "header",
                ParamLocation::Cookie => "cookie",
            };
            let description = p
                .docs
                .description
                .as_deref()
                .map(|d| format!(": {}", docs::sanitize(d).replace('\n', " ")))
                .unwrap_or_default();
            let required = if p.required { "" } else { ", optional" };
            format!(
                "- `{}` ({place} `{}`{required}){description}",
                p.rust_name, p.wire_name
            )
        })
        .collect();
    if !params.is_empty() {
        lines.push(String::new());
        lines.push("Parameters:".into());
        lines.extend(params);
    }
    if let Some(body) = &op.body {
        lines.push(String::new());
        let description = body
            .docs
            .description
            .as_deref()
            .map(|d| format!(": {}", docs::sanitize(d).replace('\n', " ")))
            .unwrap_or_default();
        lines.push(format!("Body (`{}`){description}", body.media_type));
        for (media, kind) in &body.alternatives {
            let method = if *kind == MediaKind::Form {
                "encode_as_form"
            } else {
                "encode_as_json"
            };
            lines.push(format!("(or `{media}`: call `.{method}()` on the request)"));
        }
        if !body.parts.is_empty() {
            lines.push(String::new());
            lines.push("Parts:".into());
            lines.extend(
                body.parts
                    .iter()
                    .map(|p| format!("- {}", docs::sanitize(p).replace('\n', " "))),
            );
        }
    }
    let statuses = |cases: &[ResponseCase]| {
        cases
            .iter()
            .map(|c| {
                format!(
                    "- {}: {}",
                    status_text(c.status),
                    docs::sanitize(&c.description).replace('\n', " ")
                )
            })
            .collect::<Vec<_>>()
    };
    if !op.success.is_empty() {
        lines.push(String::new());
        lines.push("Responses:".into());
        lines.extend(statuses(&op.success));
    }
    lines.push(String::new());
    lines.push("Errors: any other status is `Error::Api` with the status, headers and raw body; declared error bodies are parsed into `model`:".into());
    lines.extend(statuses(&op.errors));
    if op.docs.deprecated {
        lines.push(String::new());
        lines.push("Deprecated by the API.".into());
    }
    for note in &op.notes {
        lines.push(String::new());
        lines.push(format!("Note: {note}"));
    }
    lines
}

fn status_text(status: StatusMatch) -> String {
    match status {
        StatusMatch::Exact(n) => n.to_string(),
        StatusMatch::Range(n) => format!("{n}XX"),
        StatusMatch::Default => "default".into(),
    }
}

/// The two methods of a group for one operation.
pub fn group_methods(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let rt = &ctx.rt;
    let Required {
        decls,
        names,
        output,
    } = required(ctx, op);
    let method = ident(&op.method_name);
    let method_with = format_ident!("{}_with", op.method_name);
    let request = request_name(op);
    let doc = docs::attrs(&op_docs(op));
    let with_doc = format!(
        " [`{}`](Self::{}) with per-call options (retries, timeout, extra headers), sent at once.",
        op.method_name, method
    );
    let deprecated = op
        .docs
        .deprecated
        .then(|| quote!(#[deprecated = "deprecated by the API"]));
    let allow = op.docs.deprecated.then(|| quote!(#[allow(deprecated)]));
    quote! {
        #doc
        #deprecated
        #allow
        pub fn #method(&self, #(#decls),*) -> super::requests::#request<'a> {
            super::requests::#request::new(self.client, #(#names),*)
        }

        #[doc = #with_doc]
        #deprecated
        #allow
        pub async fn #method_with(&self, #(#decls,)* options: #rt::CallOptions) -> ::std::result::Result<#output, #rt::Error> {
            super::requests::#request::new(self.client, #(#names),*).options(options).send().await
        }
    }
}

fn func(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let rt = &ctx.rt;
    let client = ident(&ctx.settings.client_name);
    let Required {
        decls,
        names,
        output,
    } = required(ctx, op);
    let func = ident(&op.func_name);
    let func_with = format_ident!("{}_with", op.func_name);
    let request = request_name(op);
    let doc = docs::attrs(&op_docs(op));
    let with_doc = format!(
        " [`{0}`] with per-call options (retries, timeout, extra headers), sent at once.",
        op.func_name
    );
    let deprecated = op
        .docs
        .deprecated
        .then(|| quote!(#[deprecated = "deprecated by the API"]));
    let allow = op.docs.deprecated.then(|| quote!(#[allow(deprecated)]));
    quote! {
        #doc
        #deprecated
        #allow
        pub fn #func(client: &super::#client, #(#decls),*) -> super::requests::#request<'_> {
            super::requests::#request::new(client, #(#names),*)
        }

        #[doc = #with_doc]
        #deprecated
        #allow
        pub async fn #func_with(client: &super::#client, #(#decls,)* options: #rt::CallOptions) -> ::std::result::Result<#output, #rt::Error> {
            super::requests::#request::new(client, #(#names),*).options(options).send().await
        }
    }
}

fn send_body(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let rt = &ctx.rt;
    let p = quote!(#rt::__private);
    let method = format_ident!("{}", op.http_method);
    let op_id = &op.operation_id;
    let path = path_expr(ctx, op);
    let param_checks = param_checks(ctx, op);
    let params = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|param| param_stmt(ctx, param));
    let security = security(ctx, op);
    let retry = op
        .retry_non_idempotent
        .then(|| quote!(request.retry_non_idempotent(true);));
    let body = op.body.as_ref().map(|b| {
        let encode = |kind: &MediaKind, media: &str| match kind {
            MediaKind::Json => quote! {
                #p::Validate::validate(&body)?;
                request.json(&body)?;
            },
            MediaKind::Text => quote!(request.body(#p::bytes::Bytes::from(body), #media);),
            MediaKind::Form => quote!(#p::form_body(&mut request, &body)?;),
            MediaKind::Multipart => quote!(#p::multipart_body(&mut request, &body);),
            _ => quote!(request.body(body, #media);),
        };
        let primary = encode(&b.kind, &b.media_type);
        let send = if b.alternatives.is_empty() {
            primary
        } else {
            let arms = b
                .alternatives
                .iter()
                .enumerate()
                .map(|(index, (media, kind))| {
                    let index = index as u8 + 1;
                    let send = encode(kind, media);
                    quote!(#index => { #send })
                });
            quote! {
                match body_media {
                    #(#arms)*
                    _ => { #primary }
                }
            }
        };
        if b.required {
            send
        } else {
            quote!(if let ::std::option::Option::Some(body) = body { #send })
        }
    });
    let arms = response_arms(ctx, op);
    // No `let value = ...` of unit type (clippy's `let_unit_value`) for empty successes.
    let decode = if matches!(success_shape(op), SuccessShape::Empty) {
        quote! {
            match status.as_u16() {
                #arms
            }?;
            ::std::result::Result::Ok(#rt::ResponseValue::new(status, headers, ()))
        }
    } else {
        quote! {
            let value = match status.as_u16() {
                #arms
            }?;
            ::std::result::Result::Ok(#rt::ResponseValue::new(status, headers, value))
        }
    };
    let changes_request = op.params.iter().any(|p| p.location != ParamLocation::Path)
        || !op.security.is_empty()
        || op.retry_non_idempotent
        || op.body.is_some();
    let request_binding = if changes_request {
        quote!(let mut request)
    } else {
        quote!(let request)
    };
    quote! {
        #param_checks
        #request_binding = #p::RequestSpec::new(#p::http::Method::#method, #op_id, #path);
        #(#params)*
        #security
        #retry
        #body
        let response = client.__core().execute(request, options).await?;
        let status = response.status();
        let headers = response.headers().clone();
        #decode
    }
}

fn path_expr(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let rt = &ctx.rt;
    let mut stmts = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let literal = &rest[..start];
        if !literal.is_empty() {
            stmts.push(quote!(path.push_str(#literal);));
        }
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let wire = &rest[start + 1..start + len];
        if let Some(param) = op
            .params
            .iter()
            .find(|p| p.location == ParamLocation::Path && p.wire_name == wire)
        {
            let name = ident(&param.rust_name);
            if is_structured(ctx, &param.ty) {
                let explode = param.explode;
                stmts.push(quote!(path.push_str(&#rt::__private::simple_path_segment(#wire, &#name, #explode)?);));
            } else {
                let text = param_text(ctx, param, &quote!(#name));
                stmts.push(quote!(path.push_str(&#rt::__private::encode_path_segment(&#text));));
            }
        }
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        stmts.push(quote!(path.push_str(#rest);));
    }
    quote!({
        let mut path = ::std::string::String::new();
        #(#stmts)*
        path
    })
}

fn param_checks(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let rt = &ctx.rt;
    let checks: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| !p.constraints.is_empty() && p.ty != Ty::Json)
        .filter_map(|param| {
            let name = ident(&param.rust_name);
            let wire = &param.wire_name;
            let body = models::value_checks(
                ctx,
                &param.ty,
                &param.constraints,
                &Default::default(),
                &quote!(value),
                &quote!(#wire),
            );
            if body.is_empty() {
                return None;
            }
            // Only optional parameters break out of their block, so only they get a label.
            Some(if param.required {
                quote!({ let value = &#name; #body })
            } else {
                quote!('param: {
                    let ::std::option::Option::Some(value) = &#name else { break 'param; };
                    #body
                })
            })
        })
        .collect();
    if checks.is_empty() {
        return TokenStream::new();
    }
    quote! {
        let mut violations = ::std::vec::Vec::new();
        let out = &mut violations;
        #(#checks)*
        if !violations.is_empty() {
            return ::std::result::Result::Err(#rt::ValidationError::new(violations).into());
        }
    }
}

/// Arrays and objects, which travel per the parameter's `style`/`explode`.
fn is_structured(ctx: &Ctx<'_>, ty: &Ty) -> bool {
    match ty {
        Ty::Named(n) => match ctx.api.types.get(n).map(|d| &d.kind) {
            Some(TypeKind::Enum(_)) => false,
            Some(TypeKind::Alias(aliased, _)) => is_structured(ctx, aliased),
            _ => true,
        },
        Ty::Json | Ty::JsonObject | Ty::Map(_) | Ty::External(_) | Ty::Vec(_) => true,
        Ty::Boxed(inner) => is_structured(ctx, inner),
        _ => false,
    }
}

fn param_stmt(ctx: &Ctx<'_>, param: &Param) -> TokenStream {
    let rt = &ctx.rt;
    let p = quote!(#rt::__private);
    let name = ident(&param.rust_name);
    let wire = &param.wire_name;
    let structured = is_structured(ctx, &param.ty);
    let explode = param.explode;
    let send = match param.location {
        ParamLocation::Query if structured && !explode && param.delimiter.is_some() => {
            let delimiter = param.delimiter.unwrap_or(',').to_string();
            quote!(#p::query_delimited(&mut request, #wire, &value, #delimiter)?;)
        }
        ParamLocation::Query if structured => {
            let deep = param.deep_object;
            quote!(#p::query_value(&mut request, #wire, &value, #explode, #deep)?;)
        }
        ParamLocation::Query => {
            let arg = param_arg(ctx, param, &quote!(value));
            quote!(request.query(#wire, #arg);)
        }
        ParamLocation::Header if structured => {
            quote!(request.header(#wire, &#p::simple_text(#wire, &value, #explode)?)?;)
        }
        ParamLocation::Header => {
            let text = param_text(ctx, param, &quote!(value));
            quote!(request.header(#wire, &#text)?;)
        }
        ParamLocation::Cookie if structured => {
            quote!(request.cookie(#wire, #p::simple_text(#wire, &value, #explode)?);)
        }
        ParamLocation::Cookie => {
            let arg = param_arg(ctx, param, &quote!(value));
            quote!(request.cookie(#wire, #arg);)
        }
        ParamLocation::Path => quote!(),
    };
    if param.required {
        quote!({ let value = #name; #send })
    } else {
        quote!(if let ::std::option::Option::Some(value) = #name { #send })
    }
}

fn security(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    if op.security.is_empty() {
        return TokenStream::new();
    }
    let p = {
        let rt = &ctx.rt;
        quote!(#rt::__private)
    };
    let alternatives = op.security.iter().map(|alt| {
        let schemes = alt.iter().map(|u| match u {
            SecurityUse::Bearer => quote!(#p::SecurityScheme::Bearer),
            SecurityUse::Basic => quote!(#p::SecurityScheme::Basic),
            SecurityUse::OAuth2 { scheme, token_url, scopes } => {
                let token_url = match token_url {
                    Some(url) => quote!(::std::option::Option::Some(#url)),
                    None => quote!(::std::option::Option::None),
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
    quote!(request.security(&[#(#alternatives),*]);)
}

fn response_arms(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let models = quote!(super::models::);
    let mixed = matches!(success_shape(op), SuccessShape::Mixed);
    let mut exact = Vec::new();
    let mut ranges = Vec::new();
    let mut fallback = None;
    for case in &op.success {
        let decode = match (&case.ty, &case.kind) {
            _ if mixed => {
                let name = response_enum_name(op);
                let variant = variant_of(case.status);
                match (&case.ty, &case.kind) {
                    (None, _) => {
                        quote!(response.empty().map(|()| super::requests::#name::#variant))
                    }
                    (Some(t), MediaKind::Json) => {
                        let decode = if models::checkable(t) {
                            quote!(json_checked)
                        } else {
                            quote!(json)
                        };
                        let t = models::ty(ctx, t, &models);
                        quote!(response.#decode::<#t>().map(super::requests::#name::#variant))
                    }
                    (Some(_), MediaKind::Text) => {
                        quote!(response.text().map(super::requests::#name::#variant))
                    }
                    (Some(_), _) => {
                        quote!(::std::result::Result::Ok(super::requests::#name::#variant(response.bytes())))
                    }
                }
            }
            (None, _) => quote!(response.empty()),
            (Some(t), MediaKind::Json) if models::checkable(t) => {
                let t = models::ty(ctx, t, &models);
                quote!(response.json_checked::<#t>())
            }
            (Some(t), MediaKind::Json) => {
                let t = models::ty(ctx, t, &models);
                quote!(response.json::<#t>())
            }
            (Some(_), MediaKind::Text) => quote!(response.text()),
            (Some(_), _) => quote!(::std::result::Result::Ok(response.bytes())),
        };
        match case.status {
            StatusMatch::Exact(n) => exact.push(quote!(#n => #decode,)),
            StatusMatch::Range(n) => ranges.push(quote!(status if status / 100 == #n => #decode,)),
            StatusMatch::Default => fallback = Some(quote!(200..=299 => #decode,)),
        }
    }
    let mut default_error = quote!(_ => ::std::result::Result::Err(response.api_error_untyped()),);
    for case in &op.errors {
        let build = match (&case.ty, &case.kind) {
            (Some(t), MediaKind::Json) => {
                let t = models::ty(ctx, t, &models);
                quote!(::std::result::Result::Err(response.api_error::<#t>()))
            }
            _ => quote!(::std::result::Result::Err(response.api_error_untyped())),
        };
        match case.status {
            StatusMatch::Exact(n) => exact.push(quote!(#n => #build,)),
            StatusMatch::Range(n) => ranges.push(quote!(status if status / 100 == #n => #build,)),
            StatusMatch::Default => default_error = quote!(_ => #build,),
        }
    }
    quote! {
        #(#exact)*
        #(#ranges)*
        #fallback
        #default_error
    }
}

/// A scalar parameter as text: `Display`, except date-times, whose `Display` is not
/// RFC 3339 (`2026-02-09 20:45:05 UTC`), so they are written like their JSON form.
/// A scalar parameter for the runtime's `impl ToString` setters: dates as RFC 3339,
/// anything else as it is (no extra allocation).
fn param_arg(ctx: &Ctx<'_>, param: &Param, value: &TokenStream) -> TokenStream {
    match param.ty {
        Ty::DateTime => param_text(ctx, param, value),
        _ => value.clone(),
    }
}

fn param_text(ctx: &Ctx<'_>, param: &Param, value: &TokenStream) -> TokenStream {
    let rt = &ctx.rt;
    match param.ty {
        Ty::DateTime => quote!(#rt::__private::rfc3339(&#value)),
        _ => quote!(#value.to_string()),
    }
}
