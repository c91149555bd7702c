//! `allOf` merging, `oneOf`/`anyOf` unions and discriminators.

use std::collections::BTreeSet;

use openapiv3::{ReferenceOr, Schema, SchemaKind};

use super::TypeSpace;
use super::members::is_annotation_only;
use super::shapes::{ObjectParts, Shape};
use crate::diag::{Diagnostics, Ptr};
use crate::ir::{Ty, UnionDef, UnionVariant};
use crate::limits::{LOWERING_DEPTH, REF_CHAIN};
use crate::lower::resolve::{Kind, component_name, reference_to};
use crate::naming::{Scope, type_name};

impl TypeSpace<'_> {
    /// The subtypes of a component object schema with a `discriminator` (inheritance
    /// style: `Cat: allOf: [$ref: Pet, ...]`): the `mapping` targets, then the
    /// components whose `allOf` refers to it. Only subtypes that are objects of their
    /// own count; a mapping back to the base itself is left to `Unknown`.
    pub(super) fn subtypes(
        &mut self,
        schema: &Schema,
        at: &Ptr,
        diags: &mut Diagnostics,
    ) -> Option<Vec<(usize, ReferenceOr<Schema>)>> {
        let d = schema.schema_data.discriminator.as_ref()?;
        let base = self.component_of(at)?;
        let mut names: Vec<String> = Vec::new();
        for target in d.mapping.values() {
            let name = mapping_target(target);
            if name != base && !names.contains(&name) {
                names.push(name);
            }
        }
        for (name, candidate) in &self.schemas {
            let ReferenceOr::Item(candidate) = candidate else {
                continue;
            };
            let all_of = match &candidate.schema_kind {
                SchemaKind::AllOf { all_of } => all_of,
                SchemaKind::Any(any) => &any.all_of,
                _ => continue,
            };
            let extends = all_of.iter().any(|m| {
                matches!(m, ReferenceOr::Reference { reference }
                    if component_name(reference, Kind::Schema).as_deref() == Some(base.as_str()))
            });
            if extends && *name != base && !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
        }
        let mut scratch = Diagnostics::new(diags.file());
        let members: Vec<(usize, ReferenceOr<Schema>)> = names
            .into_iter()
            .filter(|name| {
                let Some(ReferenceOr::Item(sub)) = self.schemas.get(name.as_str()).copied() else {
                    return false;
                };
                let sub_at = Ptr::root().at("components").at("schemas").at(name);
                matches!(self.shape(sub, &sub_at, 1, &mut scratch), Shape::Object(_))
            })
            .enumerate()
            .map(|(i, name)| (i, ReferenceOr::ref_(&reference_to(Kind::Schema, &name))))
            .collect();
        (!members.is_empty()).then_some(members)
    }

    /// `allOf` of objects: one struct with the union of properties and `required`.
    pub(super) fn merge_all_of(
        &mut self,
        all_of: &[ReferenceOr<Schema>],
        extra: Option<&openapiv3::AnySchema>,
        at: &Ptr,
        depth: usize,
        diags: &mut Diagnostics,
    ) -> Shape {
        let mut merged = ObjectParts {
            origin: at.clone(),
            ..ObjectParts::default()
        };
        for (i, member) in all_of.iter().enumerate() {
            let member_at = at.at("allOf").at(i);
            if depth > LOWERING_DEPTH {
                diags.degrade(
                    &member_at,
                    format!(
                        "`allOf` nests deeper than {LOWERING_DEPTH} levels (or refers to itself): it is typed as any JSON value (`serde_json::Value`)"
                    ),
                    "flatten the `allOf` chain for a typed value",
                );
                return Shape::Other;
            }
            if is_annotation_only(member) {
                continue;
            }
            let Some(schema) = self.resolve(member, &member_at, diags) else {
                return Shape::Other;
            };
            match self.shape(&schema, &member_at, depth + 1, diags) {
                Shape::Object(parts) => merged.absorb(parts),
                _ => return Shape::Other,
            }
        }
        if let Some(any) = extra {
            merged.absorb(ObjectParts::new(
                &any.properties,
                &any.required,
                any.additional_properties.as_ref(),
                (any.min_properties, any.max_properties),
                at.clone(),
            ));
        }
        Shape::Object(merged)
    }

    pub(super) fn resolve(
        &self,
        schema: &ReferenceOr<Schema>,
        at: &Ptr,
        diags: &mut Diagnostics,
    ) -> Option<Schema> {
        let mut current = schema;
        for _ in 0..REF_CHAIN {
            match current {
                ReferenceOr::Item(schema) => return Some(schema.clone()),
                ReferenceOr::Reference { reference } => {
                    let name = component_name(reference, Kind::Schema)?;
                    match self.schemas.get(name.as_str()) {
                        Some(next) => current = next,
                        None => {
                            diags.error(&at.at("$ref"), format!("`$ref` points at `{reference}`, but there is no schema `{name}` in `components.schemas`"), "fix the name in the `$ref` or add the schema to `components.schemas`");
                            return None;
                        }
                    }
                }
            }
        }
        None
    }

    /// `oneOf`/`anyOf` members -> enum variants; a discriminator is used when every
    /// member has a tag value (from `mapping`, else the member's schema name).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn union(
        &mut self,
        owner: &str,
        members: &[(usize, ReferenceOr<Schema>)],
        any_of: bool,
        discriminator: Option<&openapiv3::Discriminator>,
        at: &Ptr,
        depth: usize,
        diags: &mut Diagnostics,
    ) -> UnionDef {
        let keyword = if any_of { "anyOf" } else { "oneOf" };
        let mut scope = Scope::with_reserved(&["Unknown"]);
        let mut used_tags = BTreeSet::new();
        let mut variants = Vec::new();
        for (index, member) in members {
            let member_at = at.at(keyword).at(*index);
            let hint = match member {
                ReferenceOr::Item(schema) => match &schema.schema_data.title {
                    Some(title) => format!("{owner} {title}"),
                    None => format!("{owner} Variant {}", index + 1),
                },
                ReferenceOr::Reference { .. } => format!("{owner} Variant {}", index + 1),
            };
            let lowered = self.lower(member, &member_at, &hint, depth + 1, diags);
            let word = match &lowered.ty {
                Ty::Named(name) => match name.strip_prefix(owner) {
                    Some(rest)
                        if !rest.is_empty() && !rest.starts_with(|c: char| c.is_ascii_digit()) =>
                    {
                        rest.to_string()
                    }
                    _ => name.clone(),
                },
                other => ty_word(other),
            };
            let tags = discriminator
                .map(|d| member_tags(d, member))
                .unwrap_or_default()
                .into_iter()
                .filter(|tag| used_tags.insert(tag.clone()))
                .collect();
            variants.push(UnionVariant {
                rust_name: scope.claim(type_name(&word)),
                ty: lowered.ty,
                constraints: lowered.constraints,
                item_constraints: lowered.item_constraints,
                tags,
                docs: lowered.docs,
            });
        }
        let tagged = discriminator.is_some() && variants.iter().all(|v| !v.tags.is_empty());
        if !tagged {
            for v in &mut variants {
                v.tags.clear();
            }
        }
        UnionDef {
            variants,
            discriminator: discriminator
                .filter(|_| tagged)
                .map(|d| d.property_name.clone()),
            any_of,
        }
    }
}

/// Whether `null` is a valid value: `nullable`, or a union with a member that allows `null`.
pub(super) fn accepts_null(schema: &Schema) -> bool {
    let members: &[ReferenceOr<Schema>] = match &schema.schema_kind {
        SchemaKind::OneOf { one_of } => one_of,
        SchemaKind::AnyOf { any_of } => any_of,
        SchemaKind::Any(any) if !any.one_of.is_empty() => &any.one_of,
        SchemaKind::Any(any) => &any.any_of,
        // `allOf: [$ref, {nullable: true}]`.
        SchemaKind::AllOf { all_of } => all_of,
        _ => &[],
    };
    schema.schema_data.nullable
        || members.iter().any(|m| match m {
            ReferenceOr::Item(s) => s.schema_data.nullable,
            ReferenceOr::Reference { .. } => false,
        })
}

/// Discriminator values selecting `member`: `mapping` entries that point at it, else
/// its schema name (the implicit value).
pub(super) fn member_tags(
    d: &openapiv3::Discriminator,
    member: &ReferenceOr<Schema>,
) -> Vec<String> {
    let ReferenceOr::Reference { reference } = member else {
        return Vec::new();
    };
    let Some(name) = component_name(reference, Kind::Schema) else {
        return Vec::new();
    };
    let mapped: Vec<String> = d
        .mapping
        .iter()
        .filter(|(_, target)| mapping_target(target) == name)
        .map(|(value, _)| value.clone())
        .collect();
    if mapped.is_empty() {
        vec![name]
    } else {
        mapped
    }
}

/// The component a discriminator `mapping` value names: a schema name or a `$ref`.
fn mapping_target(target: &str) -> String {
    component_name(target, Kind::Schema).unwrap_or_else(|| target.to_string())
}

/// A variant name for a member that is not a named type.
pub(super) fn ty_word(ty: &Ty) -> String {
    match ty {
        Ty::String => "String".into(),
        Ty::Bool => "Boolean".into(),
        Ty::I8 | Ty::I16 | Ty::I32 | Ty::I64 | Ty::U8 | Ty::U16 | Ty::U32 | Ty::U64 => {
            "Integer".into()
        }
        Ty::F32 | Ty::F64 => "Number".into(),
        Ty::DateTime => "DateTime".into(),
        Ty::Date => "Date".into(),
        Ty::Url => "Url".into(),
        Ty::Uuid => "Uuid".into(),
        Ty::Base64 | Ty::Bytes | Ty::Binary => "Bytes".into(),
        Ty::ByteStream => "ByteStream".into(),
        Ty::File => "File".into(),
        Ty::Json => "Value".into(),
        Ty::JsonObject | Ty::Map(_) => "Map".into(),
        Ty::Vec(inner) => format!("{}List", ty_word(inner)),
        Ty::Nullable(inner) | Ty::Boxed(inner) => ty_word(inner),
        Ty::Named(name) => name.clone(),
        Ty::External(_) => "External".into(),
        Ty::Multipart => "Multipart".into(),
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{NoteKind, Presence, Ty, TypeKind};
    use crate::lower::types::lower_test_schemas;

    #[test]
    fn all_of_merges_properties_and_required_later_members_win() {
        let (types, problems) = lower_test_schemas(
            r##"
Base:
  type: object
  required: [id]
  properties:
    id: {type: string}
    size: {type: string}
Sized:
  allOf:
    - $ref: "#/components/schemas/Base"
    - type: object
      required: [size]
      properties:
        size: {type: integer}
        extra: {type: boolean}
"##,
        );
        assert!(problems.is_empty(), "{problems:?}");
        let TypeKind::Struct(s) = &types["Sized"].kind else {
            panic!("{:?}", types["Sized"])
        };
        let fields: Vec<(&str, &Ty, Presence)> = s
            .fields
            .iter()
            .map(|f| (f.json_name.as_str(), &f.ty, f.presence))
            .collect();
        assert_eq!(
            fields,
            [
                ("id", &Ty::String, Presence::Required),
                ("size", &Ty::I64, Presence::Required),
                ("extra", &Ty::Bool, Presence::Optional),
            ]
        );
    }

    #[test]
    fn all_of_of_an_object_and_a_scalar_is_any_value_with_a_note() {
        let (types, _) = lower_test_schemas(
            r##"
Mixed:
  type: object
  properties:
    odd:
      allOf:
        - type: object
        - type: string
"##,
        );
        let TypeKind::Struct(s) = &types["Mixed"].kind else {
            panic!()
        };
        assert_eq!(s.fields[0].ty, Ty::Json);
        assert_eq!(s.fields[0].docs.notes[0].kind, NoteKind::MixedAllOf);
    }

    #[test]
    fn a_discriminator_dispatches_on_mapping_values_else_schema_names() {
        let (types, problems) = lower_test_schemas(
            r##"
Cat: {type: object, properties: {kind: {type: string}, meows: {type: boolean}}}
Dog: {type: object, properties: {kind: {type: string}, barks: {type: boolean}}}
Pet:
  oneOf:
    - $ref: "#/components/schemas/Cat"
    - $ref: "#/components/schemas/Dog"
  discriminator:
    propertyName: kind
    mapping:
      kitty: "#/components/schemas/Cat"
"##,
        );
        assert!(problems.is_empty(), "{problems:?}");
        let TypeKind::Union(u) = &types["Pet"].kind else {
            panic!()
        };
        assert_eq!(u.discriminator.as_deref(), Some("kind"));
        let tags: Vec<(&str, &[String])> = u
            .variants
            .iter()
            .map(|v| (v.rust_name.as_str(), v.tags.as_slice()))
            .collect();
        assert_eq!(
            tags,
            [
                ("Cat", &["kitty".to_string()][..]),
                ("Dog", &["Dog".to_string()][..])
            ]
        );
    }

    #[test]
    fn a_base_schema_with_a_discriminator_stands_for_its_subtypes() {
        let (types, _) = lower_test_schemas(
            r##"
Shape:
  type: object
  required: [type]
  properties: {type: {type: string}}
  discriminator: {propertyName: type}
Circle:
  allOf:
    - $ref: "#/components/schemas/Shape"
    - {type: object, properties: {radius: {type: number}}}
"##,
        );
        let TypeKind::Union(u) = &types["Shape"].kind else {
            panic!("{:?}", types["Shape"].kind)
        };
        assert_eq!(u.variants.len(), 1);
        assert_eq!(u.variants[0].tags, ["Circle"]);
    }

    #[test]
    fn null_members_make_the_use_site_nullable_instead_of_a_variant() {
        let (types, _) = lower_test_schemas(
            r##"
Holder:
  type: object
  properties:
    maybe:
      oneOf:
        - type: string
        - nullable: true
"##,
        );
        let TypeKind::Struct(s) = &types["Holder"].kind else {
            panic!()
        };
        assert_eq!(s.fields[0].ty, Ty::String);
        assert_eq!(s.fields[0].presence, Presence::OptionalNullable);
    }
}
