//! An operation's declared error responses: the enum they are parsed into (next to its
//! request builder in `requests`), with `Enum::from_error(&err)` and the builder's
//! `OperationErrors` impl for `err.api_error::<requests::Op>()` (both written by the
//! runtime's `error_enum!`), and the expression that decodes one. When none of them has
//! a body, no enum: an alias of the runtime's generic `DeclaredStatus` and the impl
//! listing the statuses.

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

/// Which body a case has is the IR's rule (`parsed_error_body`), the one that also
/// decides whether an operation's errors are only statuses.
fn payload(case: &ResponseCase) -> Payload<'_> {
    match &case.ty {
        Some(t) if case.parsed_error_body() => match case.kind {
            MediaKind::Json => Payload::Json(t),
            _ => Payload::Text,
        },
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
    if op.errors_are_statuses() {
        return declared_status(ctx, op);
    }
    // `op.errors` is sorted exact statuses first, then ranges, then `default`: the
    // order of the runtime's `match`.
    let statuses = op.errors.iter().map(|case| {
        let variant = ident(&status_variant(case.status));
        let status = status_pattern(case.status, quote!(_));
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

/// A declared status as the runtime's macros take it: `404`, a range as `400..=499`,
/// `default` as the tokens given (`_` in a `match`, every status in a list).
fn status_pattern(status: StatusMatch, default: TokenStream) -> TokenStream {
    match status {
        StatusMatch::Exact(n) => Literal::u16_unsuffixed(n).into_token_stream(),
        StatusMatch::Range(n) => {
            let (low, high) = (
                Literal::u16_unsuffixed(n * 100),
                Literal::u16_unsuffixed(n * 100 + 99),
            );
            quote!(#low..=#high)
        }
        StatusMatch::Default => default,
    }
}

/// The error type of an operation none of whose declared errors has a body: an alias
/// of the runtime's `DeclaredStatus` bound to the builder, and the builder's
/// `OperationErrors` impl listing the statuses (one impl instead of an enum with its
/// derives and three more impls: on DocSpace, 578 of 592 operations).
fn declared_status(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let rt = &ctx.rt;
    let name = ident(&op.names.error);
    let request = ident(&op.names.request);
    let op_id = &op.operation_id;
    let mut doc = vec![format!(
        "The declared error responses of [`{request}`], none with a body: \
         `{name}::from_error(&err)` on its `Error::Api` is the status \
         ([`DeclaredStatus::status`](rt::DeclaredStatus::status)) when it is one of these, \
         `None` for a status the spec does not declare (the raw body is kept either way):"
    )];
    doc.extend(op.errors.iter().map(|case| {
        format!(
            "- {}: {}",
            docs::status_text(case.status),
            docs::sanitize(&case.description).replace('\n', " ")
        )
    }));
    let doc = docs::attrs(&doc);
    // `default` is every status.
    let statuses = op
        .errors
        .iter()
        .map(|case| status_pattern(case.status, quote!(0..=999)));
    let (_, allow) = docs::deprecation(&op.docs);
    quote! {
        #doc
        #allow
        pub type #name = #rt::DeclaredStatus<#request>;

        #rt::__private::error_enum!(#allow #request, #op_id => #name; #(#statuses),*);
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
    fn bodiless_declared_errors_share_the_runtimes_declared_status() {
        let (api, settings) = test_ctx_parts(
            r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      responses:
        "200": {description: ok}
        "404": {description: "no\npets"}
        5XX: {description: down, content: {application/xml: {schema: {type: string}}}}
        default: {description: other}
  /pets/{id}:
    get:
      operationId: getPet
      tags: [pets]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: ok}
        "404": {description: gone}
        "409": {description: taken, content: {application/json: {schema: {type: string}}}}
"#,
        );
        let ctx = Ctx::new(&api, &settings);
        // No declared error is parsed (an XML body stays raw): an alias of the
        // runtime's generic type, and one impl listing the statuses.
        let list = crate::emit::test_operation(&api, "listPets");
        assert!(list.errors_are_statuses());
        let tokens = error_enum(&ctx, list).to_string();
        assert!(
            tokens.contains(
                "pub type PetsListPetsError = rt :: DeclaredStatus < PetsListPets > ; \
                 rt :: __private :: error_enum ! (PetsListPets , \"listPets\" => PetsListPetsError ; \
                 404 , 500 ..= 599 , 0 ..= 999)"
            ),
            "{tokens}"
        );
        assert!(!tokens.contains("pub enum"), "{tokens}");
        assert!(tokens.contains("- 404: no pets"), "{tokens}");
        // Decoding names the alias, as it names an enum.
        assert_eq!(
            decode(list).to_string(),
            "response . api_error_enum :: < PetsListPetsError > ()"
        );
        // The operation's docs link the type by its name in `requests`, by its path
        // elsewhere (rustdoc calls the path redundant where the name resolves).
        let in_requests = docs::operation(&api, list, true).join("\n");
        assert!(
            in_requests.contains("and [`PetsListPetsError`]`::from_error(&err)`"),
            "{in_requests}"
        );
        let elsewhere = docs::operation(&api, list, false).join("\n");
        assert!(
            elsewhere.contains("[`PetsListPetsError`](super::requests::PetsListPetsError)"),
            "{elsewhere}"
        );
        // One parsed body: the enum, with the bodiless status a variant of it.
        let get = crate::emit::test_operation(&api, "getPet");
        assert!(!get.errors_are_statuses());
        let tokens = error_enum(&ctx, get).to_string();
        assert!(tokens.contains("pub enum PetsGetPetError"), "{tokens}");
        assert!(tokens.contains("Status404 ,"), "{tokens}");
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
