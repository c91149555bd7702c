//! Schemas -> named Rust types (typify's habit: intern every type in an ordered map).
//!
//! The mapping (presence, formats, enums, composition, recursion) is tabled in the
//! README under "How schemas map to Rust types"; the choices that are not obvious:
//! `readOnly`/`writeOnly` fields stay in the one struct a schema gives but are never
//! required by it (the builder omits `readOnly`, requires a required `writeOnly`);
//! `ulid` stays a `String`; `{}` optional fields are `OptionalNullable<Value>` so
//! `null` and absent stay apart; unsupported keywords (`not`, `allOf` of non-objects)
//! fall back to `serde_json::Value` with a note in the docs rather than an error,
//! since the value is kept whole.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use crate::diag::{Diagnostics, Ptr};
use crate::ir::{
    Constraints, Docs, EnumDef, Field, Presence, StructDef, Ty, TypeDef, TypeKind, UnionDef,
    UnionVariant, Variant,
};
use crate::naming::{Scope, snake_name, type_name, variant_name};

/// Inline schemas nested deeper than this are refused instead of risking the stack.
/// Each schema level counts about twice (the schema, then its property or item), and
/// the YAML and JSON parsers stop at 128 levels of document nesting before this is reached.
const MAX_DEPTH: usize = 256;

/// Longest generated name for an inline schema before it is shortened.
const MAX_NAME: usize = 64;

/// What a schema means at one place of use.
#[derive(Clone, Debug)]
pub struct Lowered {
    /// The Rust type.
    pub ty: Ty,
    /// Whether `null` is allowed.
    pub nullable: bool,
    /// Checks on the value.
    pub constraints: Constraints,
    /// Checks on each item, for arrays.
    pub item_constraints: Constraints,
    /// Documentation of the use site.
    pub docs: Docs,
    /// `readOnly`.
    pub read_only: bool,
    /// `writeOnly`.
    pub write_only: bool,
}

impl Lowered {
    fn plain(ty: Ty) -> Self {
        Lowered {
            ty,
            nullable: false,
            constraints: Constraints::default(),
            item_constraints: Constraints::default(),
            docs: Docs::default(),
            read_only: false,
            write_only: false,
        }
    }
}

/// The type table under construction.
pub struct TypeSpace<'a> {
    schemas: BTreeMap<&'a str, &'a ReferenceOr<Schema>>,
    /// Component schema name -> Rust type name.
    component_names: BTreeMap<String, String>,
    /// Components currently being lowered (a `$ref` cycle through aliases is an error).
    in_progress: BTreeSet<String>,
    /// Components found in such a cycle: reported once, used as `serde_json::Value`.
    cyclic: BTreeSet<String>,
    /// Component schemas that became aliases, with what they alias.
    aliases: BTreeMap<String, Lowered>,
    names: Scope,
    /// Component schemas replaced by user types (`Settings::with_replacement`).
    replaced: BTreeMap<String, String>,
    /// The finished types.
    pub defs: BTreeMap<String, TypeDef>,
}

impl<'a> TypeSpace<'a> {
    /// Reserve names for every component schema, in document order.
    pub fn new(api: &'a openapiv3::OpenAPI, replaced: &BTreeMap<String, String>) -> Self {
        let mut names = Scope::default();
        let mut schemas = BTreeMap::new();
        let mut component_names = BTreeMap::new();
        if let Some(components) = &api.components {
            for (name, schema) in &components.schemas {
                if replaced.contains_key(name) {
                    continue;
                }
                component_names.insert(name.clone(), names.claim(type_name(name)));
                schemas.insert(name.as_str(), schema);
            }
        }
        TypeSpace {
            schemas,
            component_names,
            in_progress: BTreeSet::new(),
            cyclic: BTreeSet::new(),
            aliases: BTreeMap::new(),
            names,
            replaced: replaced.clone(),
            defs: BTreeMap::new(),
        }
    }

    /// Lower every component schema.
    pub fn lower_components(&mut self, diags: &mut Diagnostics) {
        let names: Vec<String> = self.component_names.keys().cloned().collect();
        for name in names {
            self.lower_component(&name, diags);
        }
    }

    /// Claim a fresh type name derived from `hint` (`Owner property`). Names of deeply
    /// nested inline schemas would grow with every level (`DeepNextNextNext...`); past
    /// `MAX_NAME` characters they keep their start and the last property, numbered.
    pub fn claim_name(&mut self, hint: &str) -> String {
        let mut name = type_name(hint);
        if name.len() > MAX_NAME {
            let last = type_name(hint.rsplit(' ').next().unwrap_or_default());
            let cut = name
                .char_indices()
                .filter(|(i, c)| *i > 0 && *i <= MAX_NAME / 2 && c.is_ascii_uppercase())
                .map(|(i, _)| i)
                .next_back()
                .unwrap_or(MAX_NAME / 2);
            // `type_name` is ASCII, so any index is a char boundary.
            name = format!("{}{last}", name.get(..cut).unwrap_or_default());
        }
        self.names.claim(name)
    }

    fn lower_component(&mut self, name: &str, diags: &mut Diagnostics) -> Option<Lowered> {
        let rust = self.component_names.get(name)?.clone();
        if let Some(alias) = self.aliases.get(name) {
            return Some(alias.clone());
        }
        if self.defs.contains_key(&rust) {
            return None;
        }
        let at = Ptr::root().at("components").at("schemas").at(name);
        if !self.in_progress.insert(name.to_string()) {
            if !self.cyclic.insert(name.to_string()) {
                return None;
            }
            diags.error(
                &at,
                format!("schema `{name}` refers to itself without passing through an object property, which no Rust type can represent"),
                format!("break the cycle with an object schema (a property may refer back to `{name}`)"),
            );
            return None;
        }
        let schema = *self.schemas.get(name)?;
        let result = match schema {
            ReferenceOr::Reference { reference } => {
                let target = self.reference(reference, &at.at("$ref"), diags);
                let def = TypeDef {
                    name: rust.clone(),
                    origin: at.clone(),
                    docs: Docs::default(),
                    kind: TypeKind::Alias(target.ty.clone(), target.constraints.clone()),
                };
                self.defs.insert(rust.clone(), def);
                self.aliases.insert(name.to_string(), target.clone());
                Some(target)
            }
            ReferenceOr::Item(schema) => {
                self.define(&rust, schema, &at, 0, diags);
                let lowered = self.aliases.get(name).cloned();
                lowered.or(Some(Lowered::plain(Ty::Named(rust.clone()))))
            }
        };
        self.in_progress.remove(name);
        result
    }

    /// Define a named type `rust` from `schema` (component or inline).
    fn define(
        &mut self,
        rust: &str,
        schema: &Schema,
        at: &Ptr,
        depth: usize,
        diags: &mut Diagnostics,
    ) {
        let docs = docs_of(&schema.schema_data, None);
        let kind = match self.shape(schema, at, depth, diags) {
            Shape::Object(object) => match self.subtypes(schema, at, diags) {
                // A base schema with a discriminator stands for its subtypes.
                Some(members) => TypeKind::Union(self.union(
                    rust,
                    &members,
                    false,
                    schema.schema_data.discriminator.as_ref(),
                    at,
                    depth,
                    diags,
                )),
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

    /// The subtypes of a component object schema with a `discriminator` (inheritance
    /// style: `Cat: allOf: [$ref: Pet, ...]`): the `mapping` targets, then the
    /// components whose `allOf` refers to it. Only subtypes that are objects of their
    /// own count; a mapping back to the base itself is left to `Unknown`.
    fn subtypes(
        &mut self,
        schema: &Schema,
        at: &Ptr,
        diags: &mut Diagnostics,
    ) -> Option<Vec<(usize, ReferenceOr<Schema>)>> {
        let d = schema.schema_data.discriminator.as_ref()?;
        let base = self.component_of(at)?;
        let base_ref = format!("#/components/schemas/{base}");
        let mut names: Vec<String> = Vec::new();
        for target in d.mapping.values() {
            let name = target
                .strip_prefix("#/components/schemas/")
                .unwrap_or(target);
            if name != base && !names.iter().any(|n| n == name) {
                names.push(name.to_string());
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
            let extends = all_of.iter().any(
                |m| matches!(m, ReferenceOr::Reference { reference } if *reference == base_ref),
            );
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
            .map(|(i, name)| {
                let reference = format!(
                    "#/components/schemas/{}",
                    name.replace('~', "~0").replace('/', "~1")
                );
                (i, ReferenceOr::Reference { reference })
            })
            .collect();
        (!members.is_empty()).then_some(members)
    }

    fn component_of(&self, at: &Ptr) -> Option<String> {
        let tokens: Vec<String> = at.tokens().collect();
        match tokens.as_slice() {
            [c, s, name] if c == "components" && s == "schemas" => Some(name.clone()),
            _ => None,
        }
    }

    /// The type of a schema at a place of use; inline objects and enums get named
    /// types derived from `hint`.
    pub fn lower(
        &mut self,
        schema: &ReferenceOr<Schema>,
        at: &Ptr,
        hint: &str,
        depth: usize,
        diags: &mut Diagnostics,
    ) -> Lowered {
        match schema {
            ReferenceOr::Reference { reference } => {
                self.reference(reference, &at.at("$ref"), diags)
            }
            ReferenceOr::Item(schema) => self.lower_schema(schema, at, hint, depth, diags),
        }
    }

    fn lower_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        at: &Ptr,
        hint: &str,
        depth: usize,
        diags: &mut Diagnostics,
    ) -> Lowered {
        match schema {
            ReferenceOr::Reference { reference } => {
                self.reference(reference, &at.at("$ref"), diags)
            }
            ReferenceOr::Item(schema) => self.lower_schema(schema, at, hint, depth, diags),
        }
    }

    /// Resolve a schema `$ref`.
    pub fn reference(&mut self, reference: &str, at: &Ptr, diags: &mut Diagnostics) -> Lowered {
        let lowered = self.reference_inner(reference, at, diags);
        match &lowered.ty {
            // A cycle no Rust type can represent was reported; the fallback keeps the
            // generated code compiling.
            Ty::Named(rust) if self.is_cyclic(rust) => Lowered::plain(Ty::Json),
            _ => lowered,
        }
    }

    fn is_cyclic(&self, rust: &str) -> bool {
        self.cyclic
            .iter()
            .any(|name| self.component_names.get(name).is_some_and(|r| r == rust))
    }

    fn reference_inner(&mut self, reference: &str, at: &Ptr, diags: &mut Diagnostics) -> Lowered {
        let json = Lowered::plain(Ty::Json);
        let Some(name) = reference.strip_prefix("#/components/schemas/") else {
            let help = if Ptr::from_ref(reference).is_none() {
                "external references are not supported: bundle the spec into one file first (for example `redocly bundle`)"
            } else {
                "point the `$ref` at `#/components/schemas/<Name>`"
            };
            diags.error(
                at,
                format!("unsupported schema reference `{reference}`"),
                help,
            );
            return json;
        };
        let name = name.replace("~1", "/").replace("~0", "~");
        if let Some(path) = self.replaced.get(&name) {
            return Lowered::plain(Ty::External(path.clone()));
        }
        let Some(rust) = self.component_names.get(&name).cloned() else {
            diags.error(
                at,
                format!("`$ref` points at `{reference}`, but there is no schema `{name}` in `components.schemas`"),
                "fix the name in the `$ref` or add the schema to `components.schemas`",
            );
            return json;
        };
        let target = self.schemas.get(name.as_str()).copied();
        match target {
            Some(ReferenceOr::Item(schema)) => {
                // Aliases of scalars are transparent: their checks apply where used.
                if let Some(alias) = self.alias_target(&name, schema, diags) {
                    let mut lowered = alias;
                    lowered.ty = Ty::Named(rust);
                    return lowered;
                }
                let mut lowered = Lowered::plain(Ty::Named(rust));
                lowered.nullable = accepts_null(schema);
                lowered
            }
            _ => {
                let mut lowered = self
                    .lower_component(&name, diags)
                    .unwrap_or_else(|| Lowered::plain(Ty::Named(rust.clone())));
                lowered.ty = Ty::Named(rust);
                lowered
            }
        }
    }

    fn alias_target(
        &mut self,
        name: &str,
        schema: &Schema,
        diags: &mut Diagnostics,
    ) -> Option<Lowered> {
        let at = Ptr::root().at("components").at("schemas").at(name);
        if !matches!(
            self.shape(schema, &at, 0, &mut Diagnostics::new(diags.file())),
            Shape::Other
        ) {
            return None;
        }
        if let Some(alias) = self.aliases.get(name) {
            return Some(alias.clone());
        }
        self.lower_component(name, diags);
        self.aliases.get(name).cloned()
    }

    fn lower_schema(
        &mut self,
        schema: &Schema,
        at: &Ptr,
        hint: &str,
        depth: usize,
        diags: &mut Diagnostics,
    ) -> Lowered {
        if depth > MAX_DEPTH {
            diags.error(
                at,
                format!("inline schemas nest deeper than {} levels", MAX_DEPTH / 2),
                "move inner schemas to `components.schemas` and `$ref` them",
            );
            return Lowered::plain(Ty::Json);
        }
        let data = &schema.schema_data;
        let mut lowered = match self.shape(schema, at, depth, diags) {
            Shape::Object(object) if object.is_map_only() => {
                let value = self.additional(&object, at, hint, depth, diags);
                let mut l = Lowered::plain(value.map_or(Ty::JsonObject, |v| Ty::Map(Box::new(v))));
                l.constraints.min_properties = object.min_properties;
                l.constraints.max_properties = object.max_properties;
                l
            }
            Shape::Object(_) | Shape::Enum { .. } | Shape::Union { .. } => {
                let name = self.claim_name(hint);
                self.define(&name, schema, at, depth + 1, diags);
                Lowered::plain(Ty::Named(name))
            }
            Shape::Other => self.scalar_or_array(schema, at, hint, depth, diags),
        };
        lowered.nullable |= accepts_null(schema);
        lowered.read_only = data.read_only;
        lowered.write_only = data.write_only;
        let note = lowered.docs.note.take();
        lowered.docs = docs_of(data, lowered.docs.format.take());
        lowered.docs.note = note;
        lowered
    }

    fn scalar_or_array(
        &mut self,
        schema: &Schema,
        at: &Ptr,
        hint: &str,
        depth: usize,
        diags: &mut Diagnostics,
    ) -> Lowered {
        let mut c = Constraints::default();
        let mut format = None;
        let mut note = None;
        let ty = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                c.min_length = s.min_length.map(|n| n as u64);
                c.max_length = s.max_length.map(|n| n as u64);
                c.pattern = s.pattern.clone();
                self.check_pattern(&c, at, diags);
                let (ty, fmt) = string_type(&s.format);
                c.email = fmt.as_deref() == Some("email");
                format = fmt;
                ty
            }
            SchemaKind::Type(Type::Integer(i)) => {
                c.minimum = i.minimum.map(|m| (m as f64, i.exclusive_minimum));
                c.maximum = i.maximum.map(|m| (m as f64, i.exclusive_maximum));
                c.multiple_of = i.multiple_of.map(|m| m as f64);
                format = match &i.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => {
                        Some("int32".to_string())
                    }
                    VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int64) => {
                        Some("int64".to_string())
                    }
                    VariantOrUnknownOrEmpty::Unknown(f) => Some(f.clone()),
                    VariantOrUnknownOrEmpty::Empty => None,
                };
                integer_type(&i.format)
            }
            SchemaKind::Type(Type::Number(n)) => {
                c.minimum = n.minimum.map(|m| (m, n.exclusive_minimum));
                c.maximum = n.maximum.map(|m| (m, n.exclusive_maximum));
                c.allowed = n
                    .enumeration
                    .iter()
                    .flatten()
                    .filter_map(|v| serde_json::Number::from_f64(*v))
                    .map(|v| v.to_string())
                    .collect();
                c.multiple_of = n.multiple_of;
                match &n.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => {
                        format = Some("float".to_string());
                        Ty::F32
                    }
                    VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Double) => {
                        format = Some("double".to_string());
                        Ty::F64
                    }
                    VariantOrUnknownOrEmpty::Unknown(f) => {
                        format = Some(f.clone());
                        Ty::F64
                    }
                    _ => Ty::F64,
                }
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                c.allowed = b
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|v| v.to_string())
                    .collect();
                Ty::Bool
            }
            SchemaKind::Type(Type::Array(a)) => {
                c.min_items = a.min_items.map(|n| n as u64);
                c.max_items = a.max_items.map(|n| n as u64);
                c.unique_items = a.unique_items;
                let item = match &a.items {
                    Some(items) => self.lower_boxed(
                        items,
                        &at.at("items"),
                        &format!("{hint} Item"),
                        depth + 1,
                        diags,
                    ),
                    None => Lowered::plain(Ty::Json),
                };
                return Lowered {
                    ty: Ty::Vec(Box::new(nullable_ty(item.ty, item.nullable))),
                    constraints: c,
                    item_constraints: item.constraints,
                    ..Lowered::plain(Ty::Json)
                };
            }
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
                let keyword = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) {
                    "oneOf"
                } else {
                    "anyOf"
                };
                let mut rest = members.iter().enumerate().filter(|(_, m)| !is_null_only(m));
                return match rest.next() {
                    Some((i, member)) => {
                        let mut inner =
                            self.lower(member, &at.at(keyword).at(i), hint, depth + 1, diags);
                        inner.docs = Docs::default();
                        inner
                    }
                    None => Lowered::plain(Ty::Json),
                };
            }
            SchemaKind::AllOf { all_of }
                if all_of.iter().filter(|m| !is_annotation_only(m)).count() == 1 =>
            {
                // `allOf: [$ref]` plus annotations (description, nullable): the member itself.
                let Some((i, member)) = all_of
                    .iter()
                    .enumerate()
                    .find(|(_, m)| !is_annotation_only(m))
                else {
                    return Lowered::plain(Ty::Json);
                };
                let mut inner = self.lower(member, &at.at("allOf").at(i), hint, depth + 1, diags);
                inner.docs = Docs::default();
                return inner;
            }
            SchemaKind::Any(any) if any.typ.as_deref() == Some("array") || any.items.is_some() => {
                c.min_items = any.min_items.map(|n| n as u64);
                c.max_items = any.max_items.map(|n| n as u64);
                c.unique_items = any.unique_items.unwrap_or(false);
                let item = match &any.items {
                    Some(items) => self.lower_boxed(
                        items,
                        &at.at("items"),
                        &format!("{hint} Item"),
                        depth + 1,
                        diags,
                    ),
                    None => Lowered::plain(Ty::Json),
                };
                return Lowered {
                    ty: Ty::Vec(Box::new(nullable_ty(item.ty, item.nullable))),
                    constraints: c,
                    item_constraints: item.constraints,
                    ..Lowered::plain(Ty::Json)
                };
            }
            SchemaKind::Any(any) if any.typ.as_deref() == Some("string") => {
                c.min_length = any.min_length.map(|n| n as u64);
                c.max_length = any.max_length.map(|n| n as u64);
                c.pattern = any.pattern.clone();
                self.check_pattern(&c, at, diags);
                let (ty, fmt) = match &any.format {
                    Some(f) => string_type(&VariantOrUnknownOrEmpty::Unknown(f.clone())),
                    None => (Ty::String, None),
                };
                c.email = fmt.as_deref() == Some("email");
                format = fmt;
                ty
            }
            // `not`, `allOf` of members that are not all objects, and untyped schemas
            // accept any JSON value; say so where the spec said more.
            SchemaKind::Not { .. } => {
                note = Some(
                    "Any JSON value: `not` is not modelled (the server checks it).".to_string(),
                );
                Ty::Json
            }
            SchemaKind::AllOf { .. } => {
                note = Some(
                    "Any JSON value: this `allOf` combines members that are not all objects."
                        .to_string(),
                );
                Ty::Json
            }
            _ => Ty::Json,
        };
        let mut lowered = Lowered::plain(ty);
        lowered.constraints = c;
        lowered.docs.format = format;
        lowered.docs.note = note;
        lowered
    }

    fn check_pattern(&self, c: &Constraints, at: &Ptr, diags: &mut Diagnostics) {
        if let Some(pattern) = &c.pattern
            && let Err(err) = regex::Regex::new(pattern)
        {
            diags.error(
                &at.at("pattern"),
                format!("`pattern` is not a regular expression the client can check: {err}"),
                "use the ECMA-262 subset that Rust's `regex` crate supports (no look-around, no backreferences)",
            );
        }
    }

    /// Classify a schema.
    fn shape(&mut self, schema: &Schema, at: &Ptr, depth: usize, diags: &mut Diagnostics) -> Shape {
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
            SchemaKind::Type(Type::Object(o)) => Shape::Object(ObjectParts {
                properties: o
                    .properties
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                required: o.required.clone(),
                additional: o.additional_properties.clone(),
                min_properties: o.min_properties.map(|n| n as u64),
                max_properties: o.max_properties.map(|n| n as u64),
                origin: at.clone(),
            }),
            SchemaKind::Any(any)
                if !any.properties.is_empty()
                    || any.typ.as_deref() == Some("object")
                    || (any.additional_properties.is_some() && any.typ.is_none()) =>
            {
                if !any.all_of.is_empty() {
                    return self.merge_all_of(&any.all_of, Some(any), at, depth, diags);
                }
                Shape::Object(ObjectParts {
                    properties: any
                        .properties
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                    required: any.required.clone(),
                    additional: any.additional_properties.clone(),
                    min_properties: any.min_properties.map(|n| n as u64),
                    max_properties: any.max_properties.map(|n| n as u64),
                    origin: at.clone(),
                })
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
                if all_of.iter().filter(|m| !is_annotation_only(m)).count() > 1 =>
            {
                self.merge_all_of(all_of, None, at, depth, diags)
            }
            _ => Shape::Other,
        }
    }

    /// `allOf` of objects: one struct with the union of properties and `required`.
    fn merge_all_of(
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
            if depth > MAX_DEPTH {
                diags.error(
                    &member_at,
                    format!("`allOf` nests deeper than {MAX_DEPTH} levels (or refers to itself)"),
                    "flatten the `allOf` chain",
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
            merged.absorb(ObjectParts {
                properties: any
                    .properties
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                required: any.required.clone(),
                additional: any.additional_properties.clone(),
                ..ObjectParts::default()
            });
        }
        Shape::Object(merged)
    }

    fn resolve(
        &self,
        schema: &ReferenceOr<Schema>,
        at: &Ptr,
        diags: &mut Diagnostics,
    ) -> Option<Schema> {
        let mut current = schema;
        for _ in 0..32 {
            match current {
                ReferenceOr::Item(schema) => return Some(schema.clone()),
                ReferenceOr::Reference { reference } => {
                    let name = reference.strip_prefix("#/components/schemas/")?;
                    let name = name.replace("~1", "/").replace("~0", "~");
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

    fn additional(
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

    fn object(
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
            let lowered = self.lower_boxed(schema, &field_at, &hint, depth + 1, diags);
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
                rust_name: scope.claim(snake_name(json_name)),
                json_name: json_name.clone(),
                ty: lowered.ty,
                presence,
                docs: lowered.docs,
                constraints: lowered.constraints,
                item_constraints: lowered.item_constraints,
                read_only: lowered.read_only,
                write_only: lowered.write_only,
                required_in_request: required && !lowered.read_only,
                origin: field_at,
            });
        }
        for required in &object.required {
            if !object.properties.iter().any(|(name, _)| name == required)
                && object.additional.is_none()
            {
                diags.error(
                    &object.origin.at("required"),
                    format!("`{required}` is listed in `required` but is not a property"),
                    format!("add `{required}` under `properties`, or remove it from `required`"),
                );
            }
        }
        let additional = match &object.additional {
            Some(AdditionalProperties::Any(true)) => Some(Ty::Json),
            Some(AdditionalProperties::Schema(_)) => {
                self.additional(object, at, &format!("{owner} Value"), depth, diags)
            }
            _ => None,
        };
        StructDef {
            fields,
            additional,
            used_in_request: false,
        }
    }

    /// `oneOf`/`anyOf` members -> enum variants; a discriminator is used when every
    /// member has a tag value (from `mapping`, else the member's schema name).
    #[allow(clippy::too_many_arguments)]
    fn union(
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

    /// Drop union members that lead back to the union through unions and aliases
    /// only (`A: oneOf: [$ref: A, ...]`): they add no value a decoder could find, and
    /// trying them would recurse forever on a value no other member accepts.
    pub fn prune_union_cycles(&mut self) {
        let edges: BTreeMap<String, BTreeSet<String>> = self
            .defs
            .iter()
            .map(|(name, def)| {
                let next = match &def.kind {
                    TypeKind::Union(_) | TypeKind::Alias(..) => direct_children(def),
                    _ => BTreeSet::new(),
                };
                (name.clone(), next)
            })
            .collect();
        for def in self.defs.values_mut() {
            let TypeKind::Union(u) = &mut def.kind else {
                continue;
            };
            u.variants.retain(|v| match &v.ty {
                Ty::Named(target) => !reaches(&edges, target, &def.name),
                _ => true,
            });
        }
    }

    /// Box fields whose type contains the struct itself by value, so recursive
    /// schemas have a finite size.
    pub fn box_recursion(&mut self) {
        let direct: BTreeMap<String, BTreeSet<String>> = self
            .defs
            .iter()
            .map(|(name, def)| (name.clone(), direct_children(def)))
            .collect();
        for def in self.defs.values_mut() {
            let slots: Vec<&mut Ty> = match &mut def.kind {
                TypeKind::Struct(s) => s.fields.iter_mut().map(|f| &mut f.ty).collect(),
                TypeKind::Union(u) => u.variants.iter_mut().map(|v| &mut v.ty).collect(),
                _ => continue,
            };
            for slot in slots {
                if let Ty::Named(target) = &*slot
                    && reaches(&direct, target, &def.name)
                {
                    *slot = Ty::Boxed(Box::new(slot.clone()));
                }
            }
        }
    }
}

fn direct_children(def: &TypeDef) -> BTreeSet<String> {
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .filter_map(|f| match &f.ty {
                Ty::Named(n) => Some(n.clone()),
                _ => None,
            })
            .collect(),
        TypeKind::Union(u) => u
            .variants
            .iter()
            .filter_map(|v| match &v.ty {
                Ty::Named(n) => Some(n.clone()),
                _ => None,
            })
            .collect(),
        TypeKind::Alias(Ty::Named(n), _) => BTreeSet::from([n.clone()]),
        _ => BTreeSet::new(),
    }
}

/// Whether `to` is reachable from `from` through by-value containment (iterative: no stack growth).
fn reaches(graph: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from.to_string()];
    while let Some(node) = stack.pop() {
        if node == to {
            return true;
        }
        if seen.insert(node.clone())
            && let Some(next) = graph.get(&node)
        {
            stack.extend(next.iter().cloned());
        }
    }
    false
}

enum Shape {
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

fn union_shape(members: &[ReferenceOr<Schema>], any_of: bool) -> Shape {
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

/// `{nullable: true}` alone (3.1's `{type: "null"}` after normalization): a member that only allows `null`.
fn is_null_only(member: &ReferenceOr<Schema>) -> bool {
    match member {
        ReferenceOr::Item(schema) => {
            schema.schema_data.nullable
                && matches!(&schema.schema_kind, SchemaKind::Any(any) if *any == openapiv3::AnySchema::default())
        }
        ReferenceOr::Reference { .. } => false,
    }
}

/// A member that only documents (`{description: ..}`, `{nullable: true}`): it adds no shape.
fn is_annotation_only(member: &ReferenceOr<Schema>) -> bool {
    matches!(member, ReferenceOr::Item(schema)
        if matches!(&schema.schema_kind, SchemaKind::Any(any) if *any == openapiv3::AnySchema::default()))
}

/// Whether `null` is a valid value: `nullable`, or a union with a member that allows `null`.
fn accepts_null(schema: &Schema) -> bool {
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
fn member_tags(d: &openapiv3::Discriminator, member: &ReferenceOr<Schema>) -> Vec<String> {
    let ReferenceOr::Reference { reference } = member else {
        return Vec::new();
    };
    let Some(name) = reference.strip_prefix("#/components/schemas/") else {
        return Vec::new();
    };
    let mapped: Vec<String> = d
        .mapping
        .iter()
        .filter(|(_, target)| {
            target.as_str() == reference
                || target.as_str() == name
                || target.strip_prefix("#/components/schemas/") == Some(name)
        })
        .map(|(value, _)| value.clone())
        .collect();
    if mapped.is_empty() {
        vec![name.replace("~1", "/").replace("~0", "~")]
    } else {
        mapped
    }
}

/// A variant name for a member that is not a named type.
fn ty_word(ty: &Ty) -> String {
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
        Ty::Json => "Value".into(),
        Ty::JsonObject | Ty::Map(_) => "Map".into(),
        Ty::Vec(inner) => format!("{}List", ty_word(inner)),
        Ty::Nullable(inner) | Ty::Boxed(inner) => ty_word(inner),
        Ty::Named(name) => name.clone(),
        Ty::External(_) => "External".into(),
    }
}

#[derive(Default)]
struct ObjectParts {
    properties: Vec<(String, ReferenceOr<Box<Schema>>)>,
    required: Vec<String>,
    additional: Option<AdditionalProperties>,
    min_properties: Option<u64>,
    max_properties: Option<u64>,
    origin: Ptr,
}

impl ObjectParts {
    fn is_map_only(&self) -> bool {
        self.properties.is_empty()
    }

    fn absorb(&mut self, other: ObjectParts) {
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

fn enum_def(values: &[String], integer: bool) -> EnumDef {
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

/// `T`, or `Option<T>` for items and map values that may be `null`.
fn nullable_ty(ty: Ty, nullable: bool) -> Ty {
    if nullable && !matches!(ty, Ty::Json | Ty::Nullable(_)) {
        Ty::Nullable(Box::new(ty))
    } else {
        ty
    }
}

/// Integer formats; unknown ones fall back to `i64`.
fn integer_type(format: &VariantOrUnknownOrEmpty<openapiv3::IntegerFormat>) -> Ty {
    match format {
        VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => Ty::I32,
        VariantOrUnknownOrEmpty::Unknown(f) => match f.as_str() {
            "int8" => Ty::I8,
            "int16" => Ty::I16,
            "int32" => Ty::I32,
            "uint8" => Ty::U8,
            "uint16" => Ty::U16,
            "uint32" => Ty::U32,
            "uint64" | "uint" => Ty::U64,
            _ => Ty::I64,
        },
        _ => Ty::I64,
    }
}

/// String formats -> (Rust type, the format as documented); unknown ones stay `String`.
/// `ulid` stays a `String` on purpose: APIs prefix ULIDs (`contact_01H...`), which a
/// `Ulid` type would reject.
fn string_type(format: &VariantOrUnknownOrEmpty<StringFormat>) -> (Ty, Option<String>) {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => {
            (Ty::DateTime, Some("date-time (RFC 3339)".into()))
        }
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => (Ty::Date, Some("date".into())),
        VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => (Ty::Base64, Some("byte".into())),
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => (Ty::Binary, Some("binary".into())),
        VariantOrUnknownOrEmpty::Item(StringFormat::Password) => {
            (Ty::String, Some("password".into()))
        }
        VariantOrUnknownOrEmpty::Unknown(f) => match f.as_str() {
            "uri" | "url" => (Ty::Url, Some(f.clone())),
            "uuid" => (Ty::Uuid, Some(f.clone())),
            "byte" => (Ty::Base64, Some(f.clone())),
            "binary" => (Ty::Binary, Some(f.clone())),
            "date-time" => (Ty::DateTime, Some("date-time (RFC 3339)".into())),
            "date" => (Ty::Date, Some(f.clone())),
            _ => (Ty::String, Some(f.clone())),
        },
        VariantOrUnknownOrEmpty::Empty => (Ty::String, None),
    }
}

/// Documentation from schema data; `format` when the Rust type does not carry it.
pub fn docs_of(data: &SchemaData, format: Option<String>) -> Docs {
    Docs {
        title: data.title.clone(),
        description: data.description.clone(),
        example: data.example.as_ref().map(render_json),
        default: data.default.as_ref().map(render_json),
        format,
        deprecated: data.deprecated,
        note: None,
    }
}

fn render_json(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}
