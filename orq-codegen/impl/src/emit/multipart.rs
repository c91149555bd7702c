//! Typed `multipart/form-data` bodies: a model sent as a form implements the runtime's
//! `MultipartForm`, one line per property. Everything else (text, JSON and repeated
//! parts, file names, content types and the spec's `encoding`) is the runtime's.

use proc_macro2::TokenStream;
use quote::quote;

use super::Ctx;
use super::models::additional_name;
use crate::ir::{StructDef, Ty, TypeDef};
use crate::naming::ident;

/// `impl MultipartForm for {def}`: file properties as file parts, the others as values.
pub(super) fn form_impl(ctx: &Ctx<'_>, def: &TypeDef, s: &StructDef) -> TokenStream {
    let rt = &ctx.rt;
    let result = &ctx.std.result;
    let name = ident(&def.name);
    let parts = s.fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        let wire = &f.json_name;
        let file = matches!(&f.ty, Ty::File) || matches!(&f.ty, Ty::Vec(item) if **item == Ty::File);
        if file {
            quote!(form.file(#wire, self.#field);)
        } else {
            quote!(form.value(#wire, &self.#field)?;)
        }
    });
    let additional = s.additional.as_ref().map(|_| {
        let field = ident(&additional_name(s));
        quote! {
            for (name, value) in &self.#field {
                form.value(name, value)?;
            }
        }
    });
    quote! {
        impl #rt::MultipartForm for #name {
            fn write_parts(self, form: &mut #rt::FormParts<'_>) -> #result<(), #rt::Error> {
                #(#parts)*
                #additional
                Ok(())
            }
        }
    }
}
