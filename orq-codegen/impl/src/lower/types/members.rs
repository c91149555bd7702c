//! Tests on the members of a composition (`allOf`, `oneOf`, `anyOf`) that shape,
//! scalar and composition lowering all ask: does a member only allow `null`, or only
//! annotate?

use openapiv3::{ReferenceOr, Schema, SchemaKind};

/// `{nullable: true}` alone (3.1's `{type: "null"}` after normalization): a member that only allows `null`.
pub(super) fn is_null_only(member: &ReferenceOr<Schema>) -> bool {
    match member {
        ReferenceOr::Item(schema) => {
            schema.schema_data.nullable
                && matches!(&schema.schema_kind, SchemaKind::Any(any) if *any == openapiv3::AnySchema::default())
        }
        ReferenceOr::Reference { .. } => false,
    }
}

/// A member that only documents (`{description: ..}`, `{nullable: true}`): it adds no shape.
pub(super) fn is_annotation_only(member: &ReferenceOr<Schema>) -> bool {
    matches!(member, ReferenceOr::Item(schema)
        if matches!(&schema.schema_kind, SchemaKind::Any(any) if *any == openapiv3::AnySchema::default()))
}
