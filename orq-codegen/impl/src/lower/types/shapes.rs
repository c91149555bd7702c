//! What a schema is, and objects -> structs.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

use super::TypeSpace;
use super::members::{is_annotation_only, is_null_only};
use super::scalars::{nullable_ty, schema_docs};
use crate::diag::{Diagnostics, Ptr};
use crate::ir::{
    Docs, EnumDef, Field, Note, NoteKind, Presence, StructDef, Ty, TypeDef, TypeKind, Variant,
};
use crate::naming::{Scope, snake_name, variant_name};

impl TypeSpace<'_> {
    /// Define a named type `rust` from `schema` (component or inline).
    pub(super) fn define(
        &mut self,
        rust: &str,
        schema: &Schema,
        at: &Ptr,
        depth: usize,
        diags: &mut Diagnostics,
    ) {
        let mut docs = schema_docs(schema, None);
        let kind = match self.shape(schema, at, depth, diags) {
            Shape::Object(object) => match self.subtypes(schema, at, diags) {
                // A base schema with a discriminator stands for its subtypes.
                Some((members, untyped)) => {
                    docs.notes.extend(untyped);
                    TypeKind::Union(self.union(
                        rust,
                        &members,
                        false,
                        schema.schema_data.discriminator.as_ref(),
                        at,
                        depth,
                        diags,
                    ))
                }
                None => TypeKind::Struct(self.object(rust, &object, at, depth, diags)),
            },
            Shape::Enum { values, integer } => TypeKind::Enum(enum_def(&values, integer)),
            Shape::Union { members, any_of } => TypeKind::Union(self.union(
                rust,
                &members,
                any_of,
                schema.schema_data.discriminator.as_ref(),
                at,
                depth,
                diags,
            )),
            Shape::Other => {
                let lowered = self.lower_schema(schema, at, rust, depth, diags);
                if let Some(component) = self.component_of(at) {
                    self.aliases.insert(component, lowered.clone());
                }
                TypeKind::Alias(lowered.ty, lowered.constraints)
            }
        };
        self.defs.insert(
            rust.to_string(),
            TypeDef {
                name: rust.to_string(),
                origin: at.clone(),
                docs,
                kind,
            },
        );
    }

    /// Classify a schema.
    pub(super) fn shape(
        &mut self,
        schema: &Schema,
        at: &Ptr,
        depth: usize,
        diags: &mut Diagnostics,
    ) -> Shape {
        match &schema.schema_kind {
            SchemaKind::OneOf { one_of } => union_shape(one_of, false),
            SchemaKind::AnyOf { any_of } => union_shape(any_of, true),
            SchemaKind::Any(any)
                if any.properties.is_empty()
                    && any.all_of.is_empty()
                    && (!any.one_of.is_empty() || !any.any_of.is_empty()) =>
            {
                if any.one_of.is_empty() {
                    union_shape(&any.any_of, true)
                } else {
                    union_shape(&any.one_of, false)
                }
            }
            SchemaKind::Type(Type::Object(o)) => Shape::Object(ObjectParts::new(
                &o.properties,
                &o.required,
                o.additional_properties.as_ref(),
                (o.min_properties, o.max_properties),
                at.clone(),
            )),
            SchemaKind::Any(any)
                if !any.properties.is_empty()
                    || any.typ.as_deref() == Some("object")
                    || (any.additional_properties.is_some() && any.typ.is_none()) =>
            {
                if !any.all_of.is_empty() {
                    return self.merge_all_of(&any.all_of, Some(any), at, depth, diags);
                }
                Shape::Object(ObjectParts::new(
                    &any.properties,
                    &any.required,
                    any.additional_properties.as_ref(),
                    (any.min_properties, any.max_properties),
                    at.clone(),
                ))
            }
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => Shape::Enum {
                values: s.enumeration.iter().flatten().cloned().collect(),
                integer: false,
            },
            SchemaKind::Type(Type::Integer(i)) if !i.enumeration.is_empty() => Shape::Enum {
                values: i
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|n| n.to_string())
                    .collect(),
                integer: true,
            },
            SchemaKind::AllOf { all_of }
                if all_of.iter().filter(|m| !is_annotation_only(m)).count() > 1
                    || self.extends_only_a_base(schema, all_of, at) =>
            {
                self.merge_all_of(all_of, None, at, depth, diags)
            }
            _ => Shape::Other,
        }
    }

    pub(super) fn additional(
        &mut self,
        object: &ObjectParts,
        at: &Ptr,
        hint: &str,
        depth: usize,
        diags: &mut Diagnostics,
    ) -> Option<Ty> {
        match &object.additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let value = self.lower(
                    schema,
                    &at.at("additionalProperties"),
                    &format!("{hint} Value"),
                    depth + 1,
                    diags,
                );
                Some(nullable_ty(value.ty, value.nullable))
            }
            _ => None,
        }
    }

    pub(super) fn object(
        &mut self,
        owner: &str,
        object: &ObjectParts,
        at: &Ptr,
        depth: usize,
        diags: &mut Diagnostics,
    ) -> StructDef {
        let mut fields = Vec::new();
        let mut scope = Scope::default();
        for (json_name, schema) in &object.properties {
            let field_at = object.origin.at("properties").at(json_name);
            let hint = format!("{owner} {json_name}");
            let lowered = self.lower(schema, &field_at, &hint, depth + 1, diags);
            let required = object.required.iter().any(|r| r == json_name);
            // One struct serves requests and responses: a `readOnly` or `writeOnly`
            // property is missing from one direction, so the struct never requires it.
            let one_way = lowered.read_only || lowered.write_only;
            // `{}` allows `null`: a `Value` holds it when required, and an optional one
            // needs the third state so that `null` and absent stay apart.
            let any_json = lowered.ty == Ty::Json;
            let presence = match (required && !one_way, lowered.nullable || any_json) {
                (true, _) if any_json => Presence::Required,
                (true, false) => Presence::Required,
                (true, true) => Presence::RequiredNullable,
                (false, false) => Presence::Optional,
                (false, true) => Presence::OptionalNullable,
            };
            fields.push(Field {
                rust_name: scope.claim_field(snake_name(json_name)),
                json_name: json_name.clone(),
                ty: lowered.ty,
                presence,
                docs: lowered.docs,
                constraints: lowered.constraints,
                item_constraints: lowered.item_constraints,
                read_only: lowered.read_only,
                write_only: lowered.write_only,
                required_in_request: required && !lowered.read_only,
                tag: None,
                origin: field_at,
            });
        }
        let additional = match &object.additional {
            Some(AdditionalProperties::Any(true)) => Some(Ty::Json),
            Some(AdditionalProperties::Schema(_)) => {
                self.additional(object, at, &format!("{owner} Value"), depth, diags)
            }
            _ => None,
        };
        // JSON Schema allows `required` to name a property `properties` does not declare:
        // the key must be there, with any value (or one of the `additionalProperties` type).
        for required in &object.required {
            if fields.iter().any(|f| &f.json_name == required) {
                continue;
            }
            let origin = object.origin.at("required");
            let ty = additional.clone().unwrap_or(Ty::Json);
            let docs = Docs {
                notes: vec![Note {
                    at: origin.clone(),
                    kind: NoteKind::RequiredUndeclared {
                        name: required.clone(),
                    },
                }],
                ..Docs::default()
            };
            fields.push(Field {
                rust_name: scope.claim_field(snake_name(required)),
                json_name: required.clone(),
                ty,
                presence: Presence::Required,
                docs,
                constraints: Default::default(),
                item_constraints: Default::default(),
                read_only: false,
                write_only: false,
                required_in_request: true,
                tag: None,
                origin,
            });
        }
        StructDef { fields, additional }
    }
}

pub(super) fn union_shape(members: &[ReferenceOr<Schema>], any_of: bool) -> Shape {
    let members: Vec<(usize, ReferenceOr<Schema>)> = members
        .iter()
        .enumerate()
        .filter(|(_, m)| !is_null_only(m))
        .map(|(i, m)| (i, m.clone()))
        .collect();
    if members.len() < 2 {
        return Shape::Other;
    }
    Shape::Union { members, any_of }
}

pub(super) fn enum_def(values: &[String], integer: bool) -> EnumDef {
    let mut scope = Scope::with_reserved(&["Unknown"]);
    let mut seen = BTreeSet::new();
    let variants = values
        .iter()
        .filter(|v| seen.insert(v.to_string()))
        .map(|value| Variant {
            rust_name: scope.claim(if integer {
                format!("V{}", value.replace('-', "Minus"))
            } else {
                variant_name(value)
            }),
            value: value.clone(),
        })
        .collect();
    EnumDef { variants, integer }
}

pub(super) enum Shape {
    Object(ObjectParts),
    Enum {
        values: Vec<String>,
        integer: bool,
    },
    /// Two or more non-null members, with their index in the list.
    Union {
        members: Vec<(usize, ReferenceOr<Schema>)>,
        any_of: bool,
    },
    Other,
}

/// The object keywords of a schema, or of an `allOf` merged into one object.
#[derive(Default)]
pub(super) struct ObjectParts {
    pub(super) properties: Vec<(String, ReferenceOr<Box<Schema>>)>,
    pub(super) required: Vec<String>,
    pub(super) additional: Option<AdditionalProperties>,
    pub(super) min_properties: Option<u64>,
    pub(super) max_properties: Option<u64>,
    /// Where the keywords are (for the pointers of properties).
    pub(super) origin: Ptr,
}

impl ObjectParts {
    /// The parts of an object schema (`type: object`, or untyped with properties) at `origin`.
    pub(super) fn new(
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        (min, max): (Option<usize>, Option<usize>),
        origin: Ptr,
    ) -> Self {
        ObjectParts {
            properties: properties
                .iter()
                .map(|(name, schema)| (name.clone(), schema.clone()))
                .collect(),
            required: required.to_vec(),
            additional: additional.cloned(),
            min_properties: min.map(|n| n as u64),
            max_properties: max.map(|n| n as u64),
            origin,
        }
    }

    /// An object with only additional properties: a map, not a struct.
    pub(super) fn is_map_only(&self) -> bool {
        self.properties.is_empty()
    }

    /// Merge `other` into these parts (`allOf`): later properties replace earlier ones
    /// of the same name, `required` lists are joined.
    pub(super) fn absorb(&mut self, other: ObjectParts) {
        for (name, schema) in other.properties {
            match self.properties.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = schema,
                None => self.properties.push((name, schema)),
            }
        }
        for r in other.required {
            if !self.required.contains(&r) {
                self.required.push(r);
            }
        }
        if other.additional.is_some() {
            self.additional = other.additional;
        }
        self.min_properties = self.min_properties.or(other.min_properties);
        self.max_properties = self.max_properties.or(other.max_properties);
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{Presence, Ty, TypeKind};
    use crate::lower::types::lower_test_schemas;

    #[test]
    fn presence_combines_required_and_nullable() {
        let (types, _) = lower_test_schemas(
            r##"
Contact:
  type: object
  required: [id, note]
  properties:
    id: {type: string}
    note: {type: string, nullable: true}
    nick: {type: string}
    avatar: {type: string, nullable: true}
    anything: {}
    secret: {type: string, writeOnly: true}
    created: {type: string, readOnly: true}
"##,
        );
        let TypeKind::Struct(s) = &types["Contact"].kind else {
            panic!()
        };
        let presence: Vec<(&str, Presence, bool)> = s
            .fields
            .iter()
            .map(|f| (f.json_name.as_str(), f.presence, f.required_in_request))
            .collect();
        assert_eq!(
            presence,
            [
                ("id", Presence::Required, true),
                ("note", Presence::RequiredNullable, true),
                ("nick", Presence::Optional, false),
                ("avatar", Presence::OptionalNullable, false),
                ("anything", Presence::OptionalNullable, false),
                ("secret", Presence::Optional, false),
                ("created", Presence::Optional, false),
            ]
        );
    }

    #[test]
    fn objects_without_properties_are_maps_and_typed_extras_are_kept() {
        let (types, _) = lower_test_schemas(
            r##"
Bag:
  type: object
  properties:
    counts: {type: object, additionalProperties: {type: integer}}
    free: {type: object}
  additionalProperties: {type: string}
"##,
        );
        let TypeKind::Struct(s) = &types["Bag"].kind else {
            panic!()
        };
        assert_eq!(s.fields[0].ty, Ty::Map(Box::new(Ty::I64)));
        assert_eq!(s.fields[1].ty, Ty::JsonObject);
        assert_eq!(s.additional, Some(Ty::String));
    }

    #[test]
    fn inline_objects_and_enums_get_names_from_their_owner() {
        let (types, _) = lower_test_schemas(
            r##"
Pet:
  type: object
  properties:
    owner: {type: object, properties: {name: {type: string}}}
    status: {type: string, enum: [available, sold]}
"##,
        );
        assert!(types.contains_key("PetOwner"), "{:?}", types.keys());
        let TypeKind::Enum(e) = &types["PetStatus"].kind else {
            panic!()
        };
        let values: Vec<&str> = e.variants.iter().map(|v| v.value.as_str()).collect();
        assert_eq!(values, ["available", "sold"]);
    }
}
