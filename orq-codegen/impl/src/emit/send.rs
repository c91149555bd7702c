//! The body of `send_with_response`: the request described for the runtime (path,
//! parameters, security, body), sent, and the response decoded by status.

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, format_ident, quote};

use super::Ctx;
use super::security::{Security, requirement};
use super::types::{ty, value_checks};
use crate::ir::{
    Form, MediaKind, Operation, Param, ParamLocation, PathSegment, Presence, ResponseCase,
    RetryPolicy, StatusMatch, SuccessShape, Ty, TypeKind,
};
use crate::naming::{ident, variant_of};

/// The body of `Operation::request`: the request described for the runtime (path,
/// parameters, security, body). Parameters are read as `self.field`, so no name of the
/// spec can meet a local of this body (`request`, `path`, `value`).
pub(super) fn request_body(
    ctx: &Ctx<'_>,
    op: &Operation,
    security: &mut Security,
    refusing: bool,
) -> TokenStream {
    let rt = &ctx.rt;
    let p = quote!(#rt::__private);
    let method = format_ident!("{}", op.method.as_str());
    let op_id = &op.operation_id;
    let path = path_expr(ctx, op);
    let param_checks = param_checks(ctx, op);
    let params = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|param| param_stmt(ctx, param));
    let security = security_stmt(ctx, op, security);
    let retry = op.retries.as_ref().map(|policy| {
        let policy = spec_retries(&p, policy);
        quote!(request.spec_retries(#policy);)
    });
    let template = &op.path.raw;
    let method = quote!(#p::http::Method::#method);
    // A path without parameters is its own template: one literal (`start` below).
    let stream = streams_response(op).then(|| quote!(request.stream_response();));
    let body = op.body.as_ref().map(|b| {
        let encode = |kind: &MediaKind, media: &str| match kind {
            MediaKind::Json if ctx.needs_walk(&b.ty) => quote! {
                #p::Validate::validate(&body)?;
                request.json(&body)?;
            },
            MediaKind::Json => quote!(request.json(&body)?;),
            MediaKind::Text => quote!(request.body(#p::bytes::Bytes::from(body), #media);),
            MediaKind::Form => quote!(#p::form_body(&mut request, &body)?;),
            MediaKind::Multipart if b.ty == Ty::Multipart => {
                quote!(#p::multipart_body(&mut request, &body);)
            }
            MediaKind::Multipart => {
                let check = ctx
                    .needs_walk(&b.ty)
                    .then(|| quote!(#p::Validate::validate(&body)?;));
                let encoding = b.encoding.iter().map(|(name, t)| quote!((#name, #t)));
                quote! {
                    #check
                    #p::multipart_form(&mut request, body, &[#(#encoding),*])?;
                }
            }
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
                match self.body_media {
                    #(#arms)*
                    _ => { #primary }
                }
            }
        };
        // The event-stream form of an operation that also answers JSON sets the body's
        // `stream` flag.
        let flag = match &op.form {
            Some(Form::Stream {
                flag: Some((field, presence)),
                ..
            }) => {
                let field = ident(field);
                Some(match presence {
                    Presence::Required => quote!(body.#field = true;),
                    Presence::OptionalNullable => {
                        quote!(body.#field = #rt::OptionalNullable::Value(true);)
                    }
                    _ => quote!(body.#field = Some(true);),
                })
            }
            _ => None,
        };
        let mutable = flag.as_ref().map(|_| quote!(mut));
        let (bind, built) = if ctx.body_takes_builder(&b.ty) {
            (None, Some(quote!(let #mutable body = body?;)))
        } else {
            (mutable, None)
        };
        if b.required {
            quote!(let #bind body = self.body; #built #flag #send)
        } else {
            quote!(if let Some(#bind body) = self.body { #built #flag #send })
        }
    });
    // Its JSON form asks for JSON, so a server that chooses by `Accept` answers it.
    let accept = matches!(op.form, Some(Form::Json { .. }))
        .then(|| quote!(request.header("accept", "application/json")?;));
    // What setters refused (a map parameter given a value that is no map).
    let refused = refusing.then(|| {
        quote! {
            if !self.refused.is_empty() {
                return Err(#rt::ValidationError::new(self.refused).into());
            }
        }
    });
    // An operation whose answer is a redirect gets it back instead of following it.
    let redirect = op
        .success
        .iter()
        .any(|case| case.status.is_redirect())
        .then(|| quote!(request.redirect_is_answer();));
    let then = quote! {
        #(#params)*
        #security
        #retry
        #stream
        #redirect
        #accept
        #body
    };
    // An event-stream builder is the whole request; any other builder's arguments are
    // sent with the client and options `Request<A>` holds.
    let done = match op.events {
        Some(_) => quote!(Ok((self.client.core, request, self.options))),
        None => quote!(Ok(request)),
    };
    let start = match path {
        Some(path) => quote! {
            let mut request = #p::RequestSpec::new(#method, #op_id, #path);
            request.template(#template);
        },
        // Nothing more to set: the request is not changed after it is made.
        None if then.is_empty() => {
            quote!(let request = #p::RequestSpec::at(#method, #op_id, #template);)
        }
        None => quote!(let mut request = #p::RequestSpec::at(#method, #op_id, #template);),
    };
    quote! {
        #refused
        #param_checks
        #start
        #then
        #done
    }
}

/// Whether a successful response is left unread for a `ByteStream`: every success is
/// binary. A binary variant of a response enum (successes of several shapes, which
/// derives `Clone` and `PartialEq`) is `Bytes`, read whole.
fn streams_response(op: &Operation) -> bool {
    matches!(op.success_shape(), SuccessShape::One(Ty::ByteStream))
}

/// The body of `Operation::decode`: the response decoded by status. When every success
/// decodes alike and none is a redirect, the runtime's `success_or` is the whole match:
/// any 2XX decodes, any other status is the operation's error.
pub(super) fn decode_body(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    if let Some((first, rest)) = op.success.split_first() {
        let uniform = rest
            .iter()
            .all(|case| case.ty == first.ty && case.kind == first.kind);
        let redirects = op.success.iter().any(|case| case.status.is_redirect());
        if uniform && !redirects {
            let errors = match op.errors.is_empty() {
                true => quote!(()),
                false => ident(&op.names.error).into_token_stream(),
            };
            let decode = success_decode(ctx, first);
            return quote! {
                let response = response.success_or::<#errors>()?;
                #decode
            };
        }
    }
    let arms = response_arms(ctx, op, false);
    quote! {
        match response.status().as_u16() {
            #arms
        }
    }
}

/// The body of `EventOperation::error`: the error a response other than the event
/// stream stands for, decoded by status.
pub(super) fn error_body(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let arms = response_arms(ctx, op, true);
    // Without a declared error, a `match` of one `_` arm is only its expression.
    if let Some(untyped) = arms.to_string().strip_prefix("_ =>") {
        return untyped
            .trim_end()
            .trim_end_matches(',')
            .parse()
            .unwrap_or(arms);
    }
    quote! {
        match response.status().as_u16() {
            #arms
        }
    }
}

/// The spec's retry policy as the runtime's `SpecRetries`, naming only what the spec sets.
fn spec_retries(p: &TokenStream, policy: &RetryPolicy) -> TokenStream {
    let RetryPolicy::Backoff(b) = policy else {
        return quote!(#p::SpecRetries::NEVER);
    };
    let some = |value: Option<TokenStream>| value.map(|v| quote!(::std::option::Option::Some(#v)));
    // Unsuffixed literals: the field types say what they are.
    let ms =
        |value: Option<u64>| some(value.map(|v| Literal::u64_unsuffixed(v).into_token_stream()));
    let statuses = b.status_codes.as_ref().map(|codes| {
        let codes = codes.iter().map(|&(low, high)| {
            let (low, high) = (Literal::u16_unsuffixed(low), Literal::u16_unsuffixed(high));
            quote!((#low, #high))
        });
        quote!(&[#(#codes),*])
    });
    let fields = [
        ("initial_interval_ms", ms(b.initial_interval_ms)),
        ("max_interval_ms", ms(b.max_interval_ms)),
        ("max_elapsed_time_ms", ms(b.max_elapsed_time_ms)),
        (
            "exponent",
            some(
                b.exponent
                    .map(|e| Literal::f64_unsuffixed(e).into_token_stream()),
            ),
        ),
        ("statuses", some(statuses)),
        (
            "retry_connection_errors",
            some(b.retry_connection_errors.map(|r| quote!(#r))),
        ),
    ];
    let set: Vec<TokenStream> = fields
        .into_iter()
        .filter_map(|(name, value)| {
            let name = format_ident!("{name}");
            value.map(|value| quote!(#name: #value))
        })
        .collect();
    if set.is_empty() {
        quote!(#p::SpecRetries::BACKOFF)
    } else {
        quote!(#p::SpecRetries { #(#set,)* ..#p::SpecRetries::BACKOFF })
    }
}

fn path_expr(ctx: &Ctx<'_>, op: &Operation) -> Option<TokenStream> {
    let rt = &ctx.rt;
    let string = &ctx.std.string;
    if let [PathSegment::Literal(text)] = op.path.segments.as_slice() {
        if *text == op.path.raw {
            return None;
        }
        return Some(quote!(#string::from(#text)));
    }
    let stmts = op.path.segments.iter().map(|segment| match segment {
        PathSegment::Literal(text) => quote!(path.push_str(#text);),
        PathSegment::Variable(wire) => {
            let param = op
                .params
                .iter()
                .find(|p| p.location == ParamLocation::Path && p.wire_name == *wire);
            // Lowering reported an undeclared variable; nothing can fill it.
            let Some(param) = param else {
                return TokenStream::new();
            };
            let name = ident(&param.rust_name);
            if is_structured(ctx, &param.ty) {
                let explode = param.explode;
                quote!(path.push_str(&#rt::__private::simple_path_segment(#wire, &self.#name, #explode)?);)
            } else {
                let text = param_text(ctx, param, &quote!(self.#name));
                quote!(path.push_str(&#rt::__private::encode_path_segment(&#text));)
            }
        }
    });
    Some(quote!({
        let mut path = #string::new();
        #(#stmts)*
        path
    }))
}

fn param_checks(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let rt = &ctx.rt;
    let vec = &ctx.std.vec;
    let checks: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| !p.constraints.is_empty() && p.ty != Ty::Json)
        .filter_map(|param| {
            let name = ident(&param.rust_name);
            let wire = &param.wire_name;
            let body = value_checks(
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
            Some(if param.required {
                quote!({ let value = &self.#name; #body })
            } else {
                quote!(if let Some(value) = &self.#name { #body })
            })
        })
        .collect();
    if checks.is_empty() {
        return TokenStream::new();
    }
    quote! {
        let mut violations = #vec::new();
        let out = &mut violations;
        #(#checks)*
        if !violations.is_empty() {
            return Err(#rt::ValidationError::new(violations).into());
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
        // An optional parameter sent as it is: one call, no `if let`.
        ParamLocation::Query if !param.required && param.ty != Ty::DateTime => {
            return quote!(request.query_opt(#wire, self.#name););
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
        quote!({ let value = self.#name; #send })
    } else {
        quote!(if let Some(value) = self.#name { #send })
    }
}

fn security_stmt(ctx: &Ctx<'_>, op: &Operation, constants: &mut Security) -> TokenStream {
    if op.security.is_empty() {
        return TokenStream::new();
    }
    let constant = constants.constant(security_requirement(ctx, op));
    quote!(request.security(#constant);)
}

/// The operation's security alternatives as a `&[&[SecurityScheme]]` expression.
pub(super) fn security_requirement(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    requirement(&ctx.rt, &op.security)
}

/// The match arms decoding a response by status; `errors_only`: the error each status
/// stands for, without the `Err` (the successes of an event stream are read elsewhere).
fn response_arms(ctx: &Ctx<'_>, op: &Operation, errors_only: bool) -> TokenStream {
    let mixed = matches!(op.success_shape(), SuccessShape::Mixed);
    let mut exact = Vec::new();
    let mut ranges = Vec::new();
    let mut fallback = None;
    let err = |error: TokenStream| {
        if errors_only {
            error
        } else {
            quote!(Err(#error))
        }
    };
    let successes = if errors_only {
        &[][..]
    } else {
        &op.success[..]
    };
    let json = |t: &Ty| json_decode(ctx, t);
    let plain = |case: &ResponseCase| success_decode(ctx, case);
    // Successes that all decode alike decode any 2XX, declared or not (a 201 where the
    // spec says 200), and the redirects the operation answers with; the status stays in
    // `send_with_response()`.
    let uniform = successes.split_first().filter(|(first, rest)| {
        rest.iter()
            .all(|case| case.ty == first.ty && case.kind == first.kind)
    });
    if let Some((first, _)) = uniform {
        let redirects = successes.iter().filter_map(|case| match case.status {
            StatusMatch::Exact(n @ 300..=399) => Some(quote!(| #n)),
            StatusMatch::Range(3) => Some(quote!(| 300..=399)),
            _ => None,
        });
        let decode = plain(first);
        exact.push(quote!(200..=299 #(#redirects)* => #decode,));
    }
    for case in successes.iter().filter(|_| uniform.is_none()) {
        let decode = if mixed {
            let name = ident(&op.names.response);
            let variant = variant_of(case.status);
            match (&case.ty, &case.kind) {
                (None, _) => quote!(response.empty().map(|()| #name::#variant)),
                (Some(t), MediaKind::Json) => {
                    let decode = json(t);
                    quote!(#decode.map(#name::#variant))
                }
                (Some(_), MediaKind::Text) => quote!(response.text().map(#name::#variant)),
                (Some(_), _) => quote!(Ok(#name::#variant(response.bytes()))),
            }
        } else {
            plain(case)
        };
        match case.status {
            StatusMatch::Exact(n) => exact.push(quote!(#n => #decode,)),
            StatusMatch::Range(n) => ranges.push(quote!(status if status / 100 == #n => #decode,)),
            StatusMatch::Default => fallback = Some(quote!(200..=299 => #decode,)),
        }
    }
    // Any other status is an error: declared ones are decoded into their variant of the
    // operation's error enum by the enum's own `match` (error statuses are never those
    // of a success, so the order does not matter).
    let default_error = err(super::errors::decode(op));
    quote! {
        #(#exact)*
        #(#ranges)*
        #fallback
        _ => #default_error,
    }
}

/// `response` as the JSON value of `t`, checked against the spec's limits when `t` has
/// any.
fn json_decode(ctx: &Ctx<'_>, t: &Ty) -> TokenStream {
    let decode = if ctx.needs_walk(t) {
        quote!(json_checked)
    } else {
        quote!(json)
    };
    let t = ty(ctx, t, &quote!(models::));
    quote!(response.#decode::<#t>())
}

/// `response` decoded as the success `case` says: nothing, JSON, text or a byte stream.
fn success_decode(ctx: &Ctx<'_>, case: &ResponseCase) -> TokenStream {
    match (&case.ty, &case.kind) {
        (None, _) => quote!(response.empty()),
        (Some(t), MediaKind::Json) => json_decode(ctx, t),
        (Some(_), MediaKind::Text) => quote!(response.text()),
        (Some(_), _) => quote!(Ok(response.byte_stream())),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::{TEST_SPEC, test_ctx_parts, test_operation};

    #[test]
    fn the_request_names_its_template_encodes_the_path_and_reads_fields_through_self() {
        let (api, settings) = test_ctx_parts(TEST_SPEC);
        let ctx = Ctx::new(&api, &settings);
        let get = test_operation(&api, "getPet");
        let mut security = Security::default();
        let body = request_body(&ctx, get, &mut security, false).to_string();
        assert!(
            body.contains("request . template (\"/pets/{id}\")"),
            "{body}"
        );
        assert!(body.contains("encode_path_segment"), "{body}");
        assert!(body.contains("self . id"), "{body}");
        assert!(body.contains("\"color\""), "{body}");
        assert!(body.contains("request . security (SECURITY_0)"), "{body}");
        // One success shape, no redirect: any 2XX decodes, anything else is the error.
        let decode = decode_body(&ctx, get).to_string();
        assert!(decode.contains("response . success_or ::"), "{decode}");
    }

    #[test]
    fn a_body_with_limits_is_checked_before_it_is_sent() {
        let (api, settings) = test_ctx_parts(TEST_SPEC);
        let ctx = Ctx::new(&api, &settings);
        let add = test_operation(&api, "addPet");
        let body = request_body(&ctx, add, &mut Security::default(), false).to_string();
        assert!(body.contains("Validate :: validate (& body) ?"), "{body}");
        assert!(body.contains("request . json (& body) ?"), "{body}");
    }
}
