//! Passes over the finished types: union members that lead back to their union,
//! recursion boxed, and, for filtered SDKs, only the types operations reach.

use std::collections::{BTreeMap, BTreeSet};

use super::TypeSpace;
use crate::ir::{Operation, Ty, TypeDef, TypeKind};

impl TypeSpace<'_> {
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

/// With a `tags`/`operations` filter, drops the models no generated operation uses
/// (directly or through other models), so a filtered SDK of a large spec stays small.
pub fn keep_reachable(defs: &mut BTreeMap<String, TypeDef>, operations: &[Operation]) {
    let reached = reachable(defs, operations.iter().flat_map(operation_types));
    defs.retain(|name, _| reached.contains(name));
}

/// The types an operation names: its parameters, body, responses and events.
pub fn operation_types(op: &Operation) -> impl Iterator<Item = &Ty> {
    let params = op.params.iter().map(|p| &p.ty);
    let body = op.body.iter().map(|b| &b.ty);
    let responses = op
        .success
        .iter()
        .chain(&op.errors)
        .filter_map(|r| r.ty.as_ref());
    let events = op.events.iter().map(|e| &e.data);
    params.chain(body).chain(responses).chain(events)
}

/// The named types values of the `roots` types hold, directly or through other named
/// types: struct fields and additional properties, union members (a base's children,
/// with inheritance), aliases, arrays, maps, boxes (iterative: no stack growth).
pub fn reachable<'t>(
    defs: &'t BTreeMap<String, TypeDef>,
    roots: impl IntoIterator<Item = &'t Ty>,
) -> BTreeSet<String> {
    let mut pending: Vec<&Ty> = roots.into_iter().collect();
    let mut reached = BTreeSet::new();
    while let Some(ty) = pending.pop() {
        match ty {
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Nullable(inner) | Ty::Boxed(inner) => {
                pending.push(inner)
            }
            Ty::Named(name) => {
                if !reached.insert(name.clone()) {
                    continue;
                }
                let Some(def) = defs.get(name) else { continue };
                match &def.kind {
                    TypeKind::Struct(s) => {
                        pending.extend(s.fields.iter().map(|f| &f.ty));
                        pending.extend(s.additional.iter());
                    }
                    TypeKind::Alias(aliased, _) => pending.push(aliased),
                    TypeKind::Union(u) => pending.extend(u.variants.iter().map(|v| &v.ty)),
                    TypeKind::Enum(_) => {}
                }
            }
            _ => {}
        }
    }
    reached
}

#[cfg(test)]
mod tests {
    use crate::ir::{Ty, TypeKind};
    use crate::lower::types::lower_test_schemas;

    #[test]
    fn a_struct_holding_itself_by_value_is_boxed_but_not_through_a_vec() {
        let (types, _) = lower_test_schemas(
            r##"
Node:
  type: object
  properties:
    parent: {$ref: "#/components/schemas/Node"}
    children: {type: array, items: {$ref: "#/components/schemas/Node"}}
"##,
        );
        let TypeKind::Struct(s) = &types["Node"].kind else {
            panic!()
        };
        assert_eq!(
            s.fields[0].ty,
            Ty::Boxed(Box::new(Ty::Named("Node".into())))
        );
        assert_eq!(s.fields[1].ty, Ty::Vec(Box::new(Ty::Named("Node".into()))));
    }

    #[test]
    fn mutual_recursion_through_a_union_is_boxed() {
        let (types, _) = lower_test_schemas(
            r##"
Expr:
  oneOf:
    - $ref: "#/components/schemas/Not"
    - type: string
Not:
  type: object
  required: [inner]
  properties:
    inner: {$ref: "#/components/schemas/Expr"}
"##,
        );
        let TypeKind::Struct(s) = &types["Not"].kind else {
            panic!()
        };
        assert!(
            matches!(s.fields[0].ty, Ty::Boxed(_)),
            "{:?}",
            s.fields[0].ty
        );
    }

    #[test]
    fn union_members_leading_back_to_the_union_are_dropped() {
        let (types, _) = lower_test_schemas(
            r##"
Loop:
  oneOf:
    - $ref: "#/components/schemas/Loop"
    - type: string
    - type: integer
"##,
        );
        let TypeKind::Union(u) = &types["Loop"].kind else {
            panic!()
        };
        let kinds: Vec<&Ty> = u.variants.iter().map(|v| &v.ty).collect();
        assert_eq!(kinds, [&Ty::String, &Ty::I64]);
    }
}
