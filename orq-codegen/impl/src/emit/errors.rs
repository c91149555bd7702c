//! An operation's declared error responses: the enum they are parsed into (next to its
//! request builder in `requests`), with `Enum::from_error(&err)` and the builder's
//! `OperationErrors` impl for `err.api_error::<requests::Op>()` (both written by the
//! runtime's `error_enum!`), and the expression that decodes one.

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote};

use super::types::ty;
use super::{Ctx, docs};
use crate::ir::{Form, MediaKind, Operation, ResponseCase, StatusMatch, Ty};
use crate::naming::{ident, status_variant};

/// How a declared error response is kept in its variant.
enum Payload<'a> {
    /// A JSON body, parsed into its type.
    Json(&'a Ty),
    /// A `text/*` body, as a `String`.
    Text,
    /// No body, or one of another media type (kept raw in `Error::Api`).
    None,
}

fn payload(case: &ResponseCase) -> Payload<'_> {
    match (&case.ty, &case.kind) {
        (Some(t), MediaKind::Json) => Payload::Json(t),
        (Some(_), MediaKind::Text) => Payload::Text,
        _ => Payload::None,
    }
}

/// The enum of `op`'s declared error responses and the builder's `OperationErrors`
/// impl; nothing for an operation that declares none.
pub(super) fn error_enum(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    if op.errors.is_empty() {
        return TokenStream::new();
    }
    let rt = &ctx.rt;
    let models = quote!(models::);
    let name = ident(&op.names.error);
    let request = ident(&op.names.request);
    let op_id = &op.operation_id;
    let variants = op.errors.iter().map(|case| {
        let variant = ident(&status_variant(case.status));
        let kept = match payload(case) {
            Payload::None if case.ty.is_some() => " (the body is in `Error::raw_body`)",
            _ => "",
        };
        let doc = format!(
            " {}: {}{kept}",
            docs::status_text(case.status),
            docs::sanitize(&case.description).replace('\n', " ")
        );
        let payload = match payload(case) {
            Payload::Json(t) => {
                let t = ty(ctx, t, &models);
                quote!((#t))
            }
            Payload::Text => {
                let string = &ctx.std.string;
                quote!((#string))
            }
            Payload::None => quote!(),
        };
        quote!(#[doc = #doc] #variant #payload,)
    });
    let doc = format!(
        " The declared error responses of [`{request}`], one variant per status: \
         `{name}::from_error(&err)` on its `Error::Api`. `None` there means a status the \
         spec does not declare, or a body that does not parse (the raw body is kept either \
         way). New statuses the spec may declare later become new variants, so a `match` \
         ends with `_`, as it must for `None` anyway."
    );
    let (_, allow) = docs::deprecation(&op.docs);
    // The event-stream form of an operation shares its JSON form's enum: it only binds
    // its own builder to it. `from_error`, `try_from_error` and the builder's
    // `OperationErrors` impl come from the runtime.
    if matches!(op.form, Some(Form::Stream { .. })) {
        return quote!(#rt::__private::error_enum!(#allow #request, #op_id => #name););
    }
    // `op.errors` is sorted exact statuses first, then ranges, then `default`: the
    // order of the runtime's `match`.
    let statuses = op.errors.iter().map(|case| {
        let variant = ident(&status_variant(case.status));
        let status = match case.status {
            StatusMatch::Exact(n) => Literal::u16_unsuffixed(n).into_token_stream(),
            StatusMatch::Range(n) => {
                let (low, high) = (
                    Literal::u16_unsuffixed(n * 100),
                    Literal::u16_unsuffixed(n * 100 + 99),
                );
                quote!(#low..=#high)
            }
            StatusMatch::Default => quote!(_),
        };
        let body = match payload(case) {
            Payload::Json(_) => quote!((json)),
            Payload::Text => quote!((text)),
            Payload::None => quote!(),
        };
        quote!(#status => #variant #body)
    });
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }

        #rt::__private::error_enum!(#allow #name for #request, #op_id; #(#statuses),*);
    }
}

/// The `Error::Api` of a response whose status is not a success: its declared error
/// response parsed into the operation's error enum (the runtime's `match` written by
/// `error_enum!`), or none when the operation declares no error.
pub(super) fn decode(op: &Operation) -> TokenStream {
    if op.errors.is_empty() {
        return quote!(response.api_error_untyped());
    }
    let name = ident(&op.names.error);
    quote!(response.api_error_enum::<#name>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::test_ctx_parts;

    #[test]
    fn one_variant_per_declared_error_status_bound_to_the_builder() {
        let (api, settings) = test_ctx_parts(
            r#"
openapi: 3.0.3
info: {title: t, version: "1"}
components:
  schemas:
    Problem: {type: object, properties: {detail: {type: string}}}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      responses:
        "200": {description: ok}
        "404": {description: "no\npets", content: {text/plain: {schema: {type: string}}}}
        "409": {description: taken}
        4XX: {description: refused, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}
        default: {description: other, content: {application/xml: {schema: {type: string}}}}
"#,
        );
        let ctx = Ctx::new(&api, &settings);
        let op = &api.operations[0];
        let tokens = error_enum(&ctx, op).to_string();
        assert!(tokens.contains("pub enum PetsListPetsError"), "{tokens}");
        assert!(tokens.contains("Status404 (String)"), "{tokens}");
        assert!(tokens.contains("Status409 ,"), "{tokens}");
        assert!(tokens.contains("Status4xx (models :: Problem)"), "{tokens}");
        assert!(tokens.contains("Other ,"), "{tokens}");
        assert!(tokens.contains("no pets"), "{tokens}");
        // Non-exhaustive: the spec may declare more statuses later.
        assert!(tokens.contains("# [non_exhaustive]"), "{tokens}");
        // `from_error`, the builder's `OperationErrors` impl and the status `match`,
        // bound to the operation: exact statuses, then ranges, then `default`.
        assert!(
            tokens.contains(
                "rt :: __private :: error_enum ! (PetsListPetsError for PetsListPets , \"listPets\" ; \
                 404 => Status404 (text) , 409 => Status409 , 400 ..= 499 => Status4xx (json) , _ => Other)"
            ),
            "{tokens}"
        );
        assert_eq!(
            decode(op).to_string(),
            "response . api_error_enum :: < PetsListPetsError > ()"
        );
    }

    #[test]
    fn an_operation_without_declared_errors_has_no_enum() {
        let (api, settings) = test_ctx_parts(crate::emit::TEST_SPEC);
        let ctx = Ctx::new(&api, &settings);
        let add = crate::emit::test_operation(&api, "addPet");
        assert!(add.errors.is_empty());
        assert!(error_enum(&ctx, add).is_empty());
        assert_eq!(decode(add).to_string(), "response . api_error_untyped ()");
    }
}
