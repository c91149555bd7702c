//! Schemas -> named Rust types (typify's habit: intern every type in an ordered map).

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use crate::diag::{Diagnostics, Ptr};
use crate::ir::{
    Constraints, Docs, EnumDef, Field, Presence, StructDef, Ty, TypeDef, TypeKind, Variant,
};
use crate::naming::{Scope, snake_name, type_name, variant_name};

/// Inline schemas nested deeper than this are refused instead of risking the stack.
const MAX_DEPTH: usize = 64;

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

    /// Claim a fresh type name derived from `hint`.
    pub fn claim_name(&mut self, hint: &str) -> String {
        self.names.claim(type_name(hint))
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
            Shape::Object(object) => TypeKind::Struct(self.object(rust, &object, at, depth, diags)),
            Shape::Enum { values, integer } => TypeKind::Enum(enum_def(&values, integer)),
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
                lowered.nullable = schema.schema_data.nullable;
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
                format!("inline schemas nest deeper than {MAX_DEPTH} levels"),
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
            Shape::Object(_) | Shape::Enum { .. } => {
                let name = self.claim_name(hint);
                self.define(&name, schema, at, depth + 1, diags);
                Lowered::plain(Ty::Named(name))
            }
            Shape::Other => self.scalar_or_array(schema, at, hint, depth, diags),
        };
        lowered.nullable |= data.nullable;
        lowered.read_only = data.read_only;
        lowered.write_only = data.write_only;
        lowered.docs = docs_of(data, lowered.docs.format.take());
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
        let ty = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                c.min_length = s.min_length.map(|n| n as u64);
                c.max_length = s.max_length.map(|n| n as u64);
                c.pattern = s.pattern.clone();
                self.check_pattern(&c, at, diags);
                let (ty, fmt) = string_type(&s.format);
                format = fmt;
                ty
            }
            SchemaKind::Type(Type::Integer(i)) => {
                c.minimum = i.minimum.map(|m| (m as f64, i.exclusive_minimum));
                c.maximum = i.maximum.map(|m| (m as f64, i.exclusive_maximum));
                c.multiple_of = i.multiple_of.map(|m| m as f64);
                match &i.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => Ty::I32,
                    VariantOrUnknownOrEmpty::Unknown(f) if f == "uint32" => Ty::U32,
                    VariantOrUnknownOrEmpty::Unknown(f) if f == "uint64" || f == "uint" => Ty::U64,
                    VariantOrUnknownOrEmpty::Unknown(f) if f == "int8" || f == "int16" => Ty::I32,
                    VariantOrUnknownOrEmpty::Unknown(f) if f == "uint8" || f == "uint16" => Ty::U32,
                    _ => Ty::I64,
                }
            }
            SchemaKind::Type(Type::Number(n)) => {
                c.minimum = n.minimum.map(|m| (m, n.exclusive_minimum));
                c.maximum = n.maximum.map(|m| (m, n.exclusive_maximum));
                c.multiple_of = n.multiple_of;
                match &n.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => Ty::F32,
                    _ => Ty::F64,
                }
            }
            SchemaKind::Type(Type::Boolean(_)) => Ty::Bool,
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
                let item_ty = if item.nullable && !matches!(item.ty, Ty::Json) {
                    // `[1, null]`: items that may be null are `Option`s, modelled as JSON-nullable maps below.
                    Ty::Vec(Box::new(Ty::Json))
                } else {
                    Ty::Vec(Box::new(item.ty))
                };
                return Lowered {
                    ty: item_ty,
                    constraints: c,
                    item_constraints: item.constraints,
                    ..Lowered::plain(Ty::Json)
                };
            }
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                let mut inner =
                    self.lower(&all_of[0], &at.at("allOf").at(0), hint, depth + 1, diags);
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
                    ty: Ty::Vec(Box::new(item.ty)),
                    constraints: c,
                    item_constraints: item.constraints,
                    ..Lowered::plain(Ty::Json)
                };
            }
            SchemaKind::Any(any) if any.typ.as_deref() == Some("string") => {
                c.min_length = any.min_length.map(|n| n as u64);
                c.max_length = any.max_length.map(|n| n as u64);
                Ty::String
            }
            // oneOf/anyOf/not and untyped schemas accept any JSON value.
            _ => Ty::Json,
        };
        let mut lowered = Lowered::plain(ty);
        lowered.constraints = c;
        lowered.docs.format = format;
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
            SchemaKind::AllOf { all_of } if all_of.len() > 1 => {
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
                Some(if value.nullable { Ty::Json } else { value.ty })
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
            let presence = match (required, lowered.nullable) {
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

    /// Box fields whose type contains the struct itself by value, so recursive
    /// schemas have a finite size.
    pub fn box_recursion(&mut self) {
        let direct: BTreeMap<String, BTreeSet<String>> = self
            .defs
            .iter()
            .map(|(name, def)| (name.clone(), direct_children(def)))
            .collect();
        for def in self.defs.values_mut() {
            let TypeKind::Struct(s) = &mut def.kind else {
                continue;
            };
            for field in &mut s.fields {
                if let Ty::Named(target) = &field.ty
                    && reaches(&direct, target, &def.name)
                {
                    field.ty = Ty::Boxed(Box::new(field.ty.clone()));
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
    Enum { values: Vec<String>, integer: bool },
    Other,
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

fn string_type(format: &VariantOrUnknownOrEmpty<StringFormat>) -> (Ty, Option<String>) {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => (Ty::DateTime, None),
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => (Ty::Date, None),
        VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => {
            (Ty::String, Some("byte (base64)".into()))
        }
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => (Ty::String, Some("binary".into())),
        VariantOrUnknownOrEmpty::Item(StringFormat::Password) => {
            (Ty::String, Some("password".into()))
        }
        VariantOrUnknownOrEmpty::Unknown(f) if f == "uri" || f == "url" => (Ty::Url, None),
        VariantOrUnknownOrEmpty::Unknown(f) => (Ty::String, Some(f.clone())),
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
    }
}

fn render_json(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}
