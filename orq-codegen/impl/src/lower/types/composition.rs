//! `allOf` merging, `oneOf`/`anyOf` unions and discriminators.

use std::collections::BTreeSet;

use openapiv3::{ReferenceOr, Schema, SchemaKind};

use super::TypeSpace;
use super::members::is_annotation_only;
use super::shapes::{ObjectParts, Shape};
use crate::diag::{Diagnostics, Ptr};
use crate::ir::{Note, NoteKind, Presence, Ty, TypeKind, UnionDef, UnionVariant};
use crate::limits::{LOWERING_DEPTH, REF_CHAIN};
use crate::lower::resolve::{Kind, component_name, reference_to};
use crate::naming::{Scope, type_name};

/// The members of a union, with their index in the spec's list.
type Members = Vec<(usize, ReferenceOr<Schema>)>;

impl TypeSpace<'_> {
    /// The subtypes of a component object schema with a `discriminator` (inheritance
    /// style: `Cat: allOf: [$ref: Pet, ...]`): the `mapping` targets, then the
    /// components that extend it through `allOf`, directly or through others (`Kitten:
    /// allOf: [$ref: Cat]`), nearest first. A base that extends another itself (and
    /// repeats the inherited mapping) counts only its own descendants. Only subtypes
    /// that are objects of their own count; a mapping back to the base itself, or to
    /// what is none, is left to `Unknown`, with a note.
    pub(super) fn subtypes(
        &mut self,
        schema: &Schema,
        at: &Ptr,
        diags: &mut Diagnostics,
    ) -> Option<(Members, Vec<Note>)> {
        let d = schema.schema_data.discriminator.as_ref()?;
        let base = self.component_of(at)?;
        let descendants = self.descendants(&base);
        let root = parents(schema).is_empty();
        let mut names: Vec<String> = Vec::new();
        for target in d.mapping.values() {
            let name = mapping_target(target);
            if name != base && (root || descendants.contains(&name)) && !names.contains(&name) {
                names.push(name);
            }
        }
        for name in descendants {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        let mut scratch = Diagnostics::new(diags.file());
        names.retain(|name| {
            let Some(ReferenceOr::Item(sub)) = self.schemas.get(name.as_str()).copied() else {
                return false;
            };
            let sub_at = Ptr::root().at("components").at("schemas").at(name);
            matches!(self.shape(sub, &sub_at, 1, &mut scratch), Shape::Object(_))
        });
        if names.is_empty() {
            return None;
        }
        // Tags the base maps to itself or to what is no child of its own: `Unknown`.
        let untyped = d
            .mapping
            .iter()
            .map(|(tag, target)| (tag, mapping_target(target)))
            .filter(|(_, name)| root && !names.contains(name))
            .map(|(tag, target)| Note {
                at: at.at("discriminator").at("mapping").at(tag),
                kind: NoteKind::UntypedTag {
                    tag: tag.clone(),
                    target,
                },
            })
            .collect();
        let members = names
            .iter()
            .enumerate()
            .map(|(i, name)| (i, ReferenceOr::ref_(&reference_to(Kind::Schema, name))))
            .collect();
        Some((members, untyped))
    }

    /// The components that extend `base` through `allOf`, directly or through others,
    /// nearest first (each level in name order).
    fn descendants(&self, base: &str) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        let mut level = vec![base.to_string()];
        while !level.is_empty() {
            let mut next = Vec::new();
            for (name, candidate) in &self.schemas {
                let ReferenceOr::Item(candidate) = candidate else {
                    continue;
                };
                let extends = parents(candidate).iter().any(|p| level.contains(p));
                if extends && *name != base && !found.iter().any(|f| f == name) {
                    found.push(name.to_string());
                    next.push(name.to_string());
                }
            }
            level = next;
        }
        found
    }

    /// The discriminator value each struct member of a tagged union stands for, for its
    /// builder to fill in (`Cat::builder()` sets `pet_type: "cat"`): the first tag of the
    /// first union naming it, when its property is a string (or string enum) the caller
    /// sets. Runs once every type is lowered, before recursion is boxed.
    pub fn tag_members(&mut self) {
        let mut tagged: Vec<(String, String, String)> = Vec::new();
        for def in self.defs.values() {
            let TypeKind::Union(u) = &def.kind else {
                continue;
            };
            let Some(property) = &u.discriminator else {
                continue;
            };
            for v in &u.variants {
                if let (Ty::Named(member), Some(tag)) = (&v.ty, v.tags.first()) {
                    tagged.push((member.clone(), property.clone(), tag.clone()));
                }
            }
        }
        for (member, property, tag) in tagged {
            let text = |ty: &Ty| match ty {
                Ty::String => true,
                Ty::Named(name) => {
                    matches!(
                        self.defs.get(name).map(|d| &d.kind),
                        Some(TypeKind::Enum(e)) if !e.integer
                    ) || matches!(
                        self.defs.get(name).map(|d| &d.kind),
                        Some(TypeKind::Alias(Ty::String, _))
                    )
                }
                _ => false,
            };
            let field = match self.defs.get(&member).map(|d| &d.kind) {
                Some(TypeKind::Struct(s)) => s.fields.iter().position(|f| {
                    f.json_name == property
                        && f.tag.is_none()
                        && !f.read_only
                        && matches!(f.presence, Presence::Required | Presence::Optional)
                        && text(&f.ty)
                }),
                _ => None,
            };
            if let (Some(index), Some(def)) = (field, self.defs.get_mut(&member))
                && let TypeKind::Struct(s) = &mut def.kind
            {
                s.fields[index].tag = Some(tag);
            }
        }
    }

    /// Whether the component at `at` is a child that adds nothing to its base (`Hamster:
    /// allOf: [$ref: Pet]`, `Pet` having a discriminator): a struct of the base's fields,
    /// not an alias of the base's enum. Inline, and with `nullable`, such an `allOf` is
    /// the usual wrapper of a use of the base.
    pub(super) fn extends_only_a_base(
        &self,
        schema: &Schema,
        all_of: &[ReferenceOr<Schema>],
        at: &Ptr,
    ) -> bool {
        let mut members = all_of.iter().filter(|m| !is_annotation_only(m));
        let (Some(ReferenceOr::Reference { reference }), None) = (members.next(), members.next())
        else {
            return false;
        };
        let base = component_name(reference, Kind::Schema)
            .and_then(|name| self.schemas.get(name.as_str()).copied());
        !schema.schema_data.nullable
            && self.component_of(at).is_some()
            && matches!(base, Some(ReferenceOr::Item(base)) if base.schema_data.discriminator.is_some())
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
            if let Some(parts) = polymorphic_parts(&schema, &member_at) {
                merged.absorb(parts);
                continue;
            }
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

/// The components a schema extends: the `$ref` members of its `allOf`.
fn parents(schema: &Schema) -> Vec<String> {
    let all_of = match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of,
        SchemaKind::Any(any) => &any.all_of,
        _ => return Vec::new(),
    };
    all_of
        .iter()
        .filter_map(|m| match m {
            ReferenceOr::Reference { reference } => component_name(reference, Kind::Schema),
            ReferenceOr::Item(_) => None,
        })
        .collect()
}

/// What a `oneOf`/`anyOf` base with a discriminator gives the members that extend it
/// (`Shape: {oneOf: [$ref: Circle, ..], discriminator: ..}`, `Circle: allOf: [$ref:
/// Shape, ..]`): its own properties, not the union (a member is not one of itself).
fn polymorphic_parts(schema: &Schema, at: &Ptr) -> Option<ObjectParts> {
    schema.schema_data.discriminator.as_ref()?;
    match &schema.schema_kind {
        SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => Some(ObjectParts {
            origin: at.clone(),
            ..ObjectParts::default()
        }),
        SchemaKind::Any(any) if !any.one_of.is_empty() || !any.any_of.is_empty() => {
            Some(ObjectParts::new(
                &any.properties,
                &any.required,
                any.additional_properties.as_ref(),
                (any.min_properties, any.max_properties),
                at.clone(),
            ))
        }
        _ => None,
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
    use std::collections::BTreeMap;

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

    /// The tags of a union's variants, by variant name.
    fn tags(def: &crate::ir::TypeDef) -> Vec<(String, Vec<String>)> {
        let TypeKind::Union(u) = &def.kind else {
            panic!("not a union: {def:?}")
        };
        u.variants
            .iter()
            .map(|v| (v.rust_name.clone(), v.tags.clone()))
            .collect()
    }

    /// The discriminator value builders fill in for `field` of struct `name`.
    fn tag_of<'a>(
        types: &'a BTreeMap<String, crate::ir::TypeDef>,
        name: &str,
        field: &str,
    ) -> Option<&'a str> {
        let TypeKind::Struct(s) = &types[name].kind else {
            panic!("not a struct: {:?}", types[name])
        };
        s.fields
            .iter()
            .find(|f| f.json_name == field)?
            .tag
            .as_deref()
    }

    #[test]
    fn inheritance_reaches_every_level_and_children_stay_structs_with_their_tag() {
        let (types, problems) = lower_test_schemas(
            r##"
Kind: {type: string, enum: [Cat, Dog, Pet]}
Animal:
  type: object
  required: [kind]
  properties:
    kind: {$ref: "#/components/schemas/Kind"}
    name: {type: string}
  discriminator: {propertyName: kind}
Pet:
  allOf:
    - $ref: "#/components/schemas/Animal"
    - {type: object, properties: {owner: {type: string}}}
Cat:
  allOf:
    - $ref: "#/components/schemas/Pet"
    - {type: object, properties: {lives: {type: integer}}}
Dog:
  allOf: [{$ref: "#/components/schemas/Pet"}]
  type: object
  properties: {barks: {type: boolean}}
Hamster:
  allOf: [{$ref: "#/components/schemas/Animal"}]
Lonely:
  type: object
  properties: {type: {type: string}}
  discriminator: {propertyName: type}
"##,
        );
        assert!(problems.is_empty(), "{problems:?}");
        // Nearest first, each level in name order; the schema names are the tags.
        assert_eq!(
            tags(&types["Animal"]),
            [
                ("Hamster".to_string(), vec!["Hamster".to_string()]),
                ("Pet".to_string(), vec!["Pet".to_string()]),
                ("Cat".to_string(), vec!["Cat".to_string()]),
                ("Dog".to_string(), vec!["Dog".to_string()]),
            ]
        );
        // A child with nothing of its own is a struct of its base's fields.
        assert_eq!(tag_of(&types, "Hamster", "kind"), Some("Hamster"));
        // A child is a struct with the base's fields, its parent's and its own.
        let TypeKind::Struct(cat) = &types["Cat"].kind else {
            panic!()
        };
        let fields: Vec<&str> = cat.fields.iter().map(|f| f.json_name.as_str()).collect();
        assert_eq!(fields, ["kind", "name", "owner", "lives"]);
        assert_eq!(tag_of(&types, "Cat", "kind"), Some("Cat"));
        assert_eq!(tag_of(&types, "Pet", "kind"), Some("Pet"));
        // A base without children stays a struct.
        assert!(matches!(types["Lonely"].kind, TypeKind::Struct(_)));
    }

    #[test]
    fn a_one_of_base_that_its_members_extend_gives_them_its_own_properties() {
        let (types, problems) = lower_test_schemas(
            r##"
Shape:
  type: object
  properties: {id: {type: string}}
  oneOf:
    - $ref: "#/components/schemas/Circle"
    - $ref: "#/components/schemas/Square"
  discriminator: {propertyName: type}
Circle:
  allOf:
    - $ref: "#/components/schemas/Shape"
    - type: object
      required: [type]
      properties: {type: {type: string}, radius: {type: number}}
Square:
  allOf:
    - $ref: "#/components/schemas/Shape"
    - {type: object, properties: {type: {type: string}, side: {type: number}}}
"##,
        );
        assert!(problems.is_empty(), "{problems:?}");
        let TypeKind::Struct(circle) = &types["Circle"].kind else {
            panic!("{:?}", types["Circle"])
        };
        let fields: Vec<&str> = circle.fields.iter().map(|f| f.json_name.as_str()).collect();
        assert_eq!(fields, ["id", "type", "radius"]);
        assert!(circle.fields.iter().all(|f| f.docs.notes.is_empty()));
        assert_eq!(tag_of(&types, "Circle", "type"), Some("Circle"));
        assert_eq!(
            tag_of(&types, "Square", "type"),
            Some("Square"),
            "optional tags too"
        );
        assert_eq!(tags(&types["Shape"]).len(), 2);
    }

    #[test]
    fn a_child_under_several_values_or_repeating_the_mapping_is_one_variant() {
        let (types, problems) = lower_test_schemas(
            r##"
Vehicle:
  type: object
  required: [vtype]
  properties: {vtype: {type: string}}
  discriminator:
    propertyName: vtype
    mapping: {car: Car, auto: "#/components/schemas/Car", truck: Truck}
Car:
  allOf: [{$ref: "#/components/schemas/Vehicle"}, {type: object, properties: {seats: {type: integer}}}]
  discriminator:
    propertyName: vtype
    mapping: {car: Car, auto: "#/components/schemas/Car", truck: Truck}
Truck:
  allOf: [{$ref: "#/components/schemas/Vehicle"}, {type: object, properties: {load: {type: number}}}]
"##,
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            tags(&types["Vehicle"]),
            [
                (
                    "Car".to_string(),
                    vec!["car".to_string(), "auto".to_string()]
                ),
                ("Truck".to_string(), vec!["truck".to_string()]),
            ]
        );
        // A child repeating the inherited mapping is no union of its siblings.
        assert!(
            matches!(types["Car"].kind, TypeKind::Struct(_)),
            "{:?}",
            types["Car"]
        );
        // Its first value is what its builder writes.
        assert_eq!(tag_of(&types, "Car", "vtype"), Some("car"));
    }

    #[test]
    fn tags_mapped_to_the_base_or_to_no_child_are_unknown_with_a_note() {
        let (types, problems) = lower_test_schemas(
            r##"
Animal:
  type: object
  properties: {kind: {type: string}}
  discriminator:
    propertyName: kind
    mapping: {animal: Animal, rock: Rock, bird: Bird}
Bird:
  allOf: [{$ref: "#/components/schemas/Animal"}, {type: object, properties: {wings: {type: integer}}}]
Rock: {type: string}
"##,
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            tags(&types["Animal"]),
            [("Bird".to_string(), vec!["bird".to_string()])]
        );
        let notes: Vec<(String, &NoteKind)> = types["Animal"]
            .docs
            .notes
            .iter()
            .map(|n| (n.at.to_string(), &n.kind))
            .collect();
        assert_eq!(
            notes,
            [
                (
                    "#/components/schemas/Animal/discriminator/mapping/animal".to_string(),
                    &NoteKind::UntypedTag {
                        tag: "animal".into(),
                        target: "Animal".into()
                    }
                ),
                (
                    "#/components/schemas/Animal/discriminator/mapping/rock".to_string(),
                    &NoteKind::UntypedTag {
                        tag: "rock".into(),
                        target: "Rock".into()
                    }
                ),
            ]
        );
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
