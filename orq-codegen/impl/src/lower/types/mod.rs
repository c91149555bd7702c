//! Schemas -> named Rust types (typify's habit: intern every type in an ordered map).
//!
//! One `TypeSpace`, its `impl` split across files by concern:
//! - this file: the table, component names, `$ref`s and the entry point `lower`;
//! - `shapes`: what a schema is (object, enum, union, other) and objects -> structs;
//! - `members`: the tests on composition members (only `null`, only annotations) the
//!   other three share;
//! - `scalars`: scalars, formats, arrays and their limits;
//! - `composition`: `allOf` merging, `oneOf`/`anyOf` unions and discriminators;
//! - `graph`: passes over the finished types (union cycles, boxing, reachability).
//!
//! The mapping (presence, formats, enums, composition, recursion) is tabled in the
//! guide (`docs/type-mapping.md`); the choices that are not obvious:
//! `readOnly`/`writeOnly` fields stay in the one struct a schema gives but are never
//! required by it (the builder omits `readOnly`, requires a required `writeOnly`);
//! `ulid` stays a `String`; `{}` optional fields are `OptionalNullable<Value>` so
//! `null` and absent stay apart; unsupported keywords (`not`, `allOf` of non-objects)
//! fall back to `serde_json::Value` with a note in the docs rather than an error,
//! since the value is kept whole.

mod composition;
mod graph;
mod members;
mod scalars;
mod shapes;

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{ReferenceOr, Schema};

use crate::diag::{Diagnostics, Ptr};
use crate::ir::{Constraints, Docs, Note, NoteKind, Ty, TypeDef, TypeKind};
use crate::limits::LOWERING_DEPTH;
use crate::lower::resolve::{Kind, component_name};
use crate::naming::{Scope, inline_type_name, type_name};

use composition::accepts_null;
pub use graph::{keep_reachable, operation_types, reachable};
use scalars::schema_docs;
use shapes::Shape;

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
}

impl TypeSpace<'_> {
    /// Lower every component schema.
    pub fn lower_components(&mut self, diags: &mut Diagnostics) {
        let names: Vec<String> = self.component_names.keys().cloned().collect();
        for name in names {
            self.lower_component(&name, diags);
        }
    }

    /// Claim a fresh type name derived from `hint` (`Owner property`).
    pub fn claim_name(&mut self, hint: &str) -> String {
        self.names.claim(inline_type_name(hint))
    }

    pub(super) fn lower_component(
        &mut self,
        name: &str,
        diags: &mut Diagnostics,
    ) -> Option<Lowered> {
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
            diags.degrade(
                &at,
                format!("schema `{name}` refers to itself without passing through an object property, which no Rust type can hold: it is typed as any JSON value (`serde_json::Value`)"),
                format!("for a typed value, break the cycle with an object schema (a property may refer back to `{name}`)"),
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

    pub(super) fn component_of(&self, at: &Ptr) -> Option<String> {
        let tokens: Vec<String> = at.tokens().collect();
        match tokens.as_slice() {
            [c, s, name] if c == "components" && s == "schemas" => Some(name.clone()),
            _ => None,
        }
    }

    /// The type of a schema at a place of use; inline objects and enums get named
    /// types derived from `hint`.
    pub fn lower<S: Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        at: &Ptr,
        hint: &str,
        depth: usize,
        diags: &mut Diagnostics,
    ) -> Lowered {
        match schema {
            ReferenceOr::Reference { reference } => {
                self.reference(reference, &at.at("$ref"), diags)
            }
            ReferenceOr::Item(schema) => self.lower_schema(schema.borrow(), at, hint, depth, diags),
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

    pub(super) fn is_cyclic(&self, rust: &str) -> bool {
        self.cyclic
            .iter()
            .any(|name| self.component_names.get(name).is_some_and(|r| r == rust))
    }

    pub(super) fn reference_inner(
        &mut self,
        reference: &str,
        at: &Ptr,
        diags: &mut Diagnostics,
    ) -> Lowered {
        let json = Lowered::plain(Ty::Json);
        // Loading turned every other pointer into a `$ref` to a component; one left (a
        // place loading does not read as a schema) names no type here.
        let name = component_name(reference, Kind::Schema);
        let Some(name) = name else {
            if Ptr::from_ref(reference).is_none() {
                diags.error(
                    at,
                    format!("unsupported schema reference `{reference}`"),
                    "external references are not supported: bundle the spec into one file first (for example `redocly bundle`)",
                );
                return json;
            }
            let mut json = json;
            json.docs.notes.push(Note {
                at: at.clone(),
                kind: NoteKind::UnsupportedRef {
                    reference: reference.to_string(),
                },
            });
            return json;
        };
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

    pub(super) fn alias_target(
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

    pub(super) fn lower_schema(
        &mut self,
        schema: &Schema,
        at: &Ptr,
        hint: &str,
        depth: usize,
        diags: &mut Diagnostics,
    ) -> Lowered {
        if depth > LOWERING_DEPTH {
            let mut json = Lowered::plain(Ty::Json);
            json.docs.notes.push(Note {
                at: at.clone(),
                kind: NoteKind::TooDeep,
            });
            return json;
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
        let notes = std::mem::take(&mut lowered.docs.notes);
        lowered.docs = schema_docs(schema, lowered.docs.format.take());
        lowered.docs.notes = notes;
        lowered
    }
}

/// Lowers the component schemas of a YAML document, for the unit tests of this module's
/// files: the types by Rust name, and the problems reported.
#[cfg(test)]
pub(crate) fn lower_test_schemas(
    schemas_yaml: &str,
) -> (BTreeMap<String, TypeDef>, Vec<crate::diag::Diagnostic>) {
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{}",
        schemas_yaml
            .lines()
            .map(|line| format!("    {line}\n"))
            .collect::<String>()
    );
    let mut diags = Diagnostics::new(std::path::Path::new("test.yaml"));
    let api = crate::load::parse_str(&text, false, &mut diags).expect("the test document parses");
    let mut space = TypeSpace::new(&api, &BTreeMap::new());
    space.lower_components(&mut diags);
    space.prune_union_cycles();
    space.tag_members();
    space.box_recursion();
    (space.defs, diags.into_vec())
}
