//! Typed `multipart/form-data` bodies: a model sent as a form implements the runtime's
//! `MultipartForm`, one line per property. Everything else (text, JSON and repeated
//! parts, file names, content types and the spec's `encoding`) is the runtime's.

use proc_macro2::TokenStream;
use quote::quote;

use super::Ctx;
use crate::ir::{StructDef, Ty, TypeDef};
use crate::naming::{additional_name, ident};

/// `impl MultipartForm for {def}`: file properties as file parts, the others as values.
pub(super) fn form_impl(ctx: &Ctx<'_>, def: &TypeDef, s: &StructDef) -> TokenStream {
    let rt = &ctx.rt;
    let result = &ctx.std.result;
    let name = ident(&def.name);
    // A form is only ever a request: `readOnly` properties are never sent.
    let parts = s.fields.iter().filter(|f| !f.read_only).map(|f| {
        let field = ident(&f.rust_name);
        let wire = &f.json_name;
        let file =
            matches!(&f.ty, Ty::File) || matches!(&f.ty, Ty::Vec(item) if **item == Ty::File);
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
            #[inline]
            fn write_parts(self, form: &mut #rt::FormParts<'_>) -> #result<(), #rt::Error> {
                #(#parts)*
                #additional
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::emit::test_ctx_parts;
    use crate::ir::{MediaKind, Ty, TypeKind};

    const SPEC: &str = r#"
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /photos:
    post:
      operationId: addPhoto
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [image]
              properties:
                image: {type: string, contentMediaType: image/png}
                scans: {type: array, items: {type: string, format: binary}}
                caption: {type: string, maxLength: 10}
            encoding:
              image: {contentType: image/webp}
      responses:
        "200":
          description: the stored photo, raw
          content:
            "*/*":
              schema: {type: string, format: binary}
"#;

    #[test]
    fn a_multipart_schema_is_its_model_with_file_fields() {
        let (api, settings) = test_ctx_parts(SPEC);
        let op = &api.operations[0];
        let body = op.body.as_ref().unwrap();
        assert_eq!(body.kind, MediaKind::Multipart);
        assert_eq!(
            body.encoding,
            [("image".to_owned(), "image/webp".to_owned())]
        );
        let Ty::Named(name) = &body.ty else {
            panic!("{:?}", body.ty)
        };
        let TypeKind::Struct(s) = &api.types[name].kind else {
            panic!("not a struct")
        };
        let types: Vec<&Ty> = s.fields.iter().map(|f| &f.ty).collect();
        let files = Ty::Vec(Box::new(Ty::File));
        assert_eq!(types, [&Ty::File, &files, &Ty::String]);
        // `format: binary` under `*/*` is a byte stream, not JSON.
        assert_eq!(op.success[0].ty, Some(Ty::ByteStream));

        let ctx = crate::emit::Ctx::new(&api, &settings);
        let form = super::form_impl(&ctx, &api.types[name], s).to_string();
        assert!(
            form.contains("form . file (\"image\" , self . image)"),
            "{form}"
        );
        assert!(
            form.contains("form . file (\"scans\" , self . scans)"),
            "{form}"
        );
        assert!(
            form.contains("form . value (\"caption\" , & self . caption) ?"),
            "{form}"
        );
    }
}
