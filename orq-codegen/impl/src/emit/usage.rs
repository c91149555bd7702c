//! What emit needs to know about how named types are used, computed once per SDK in
//! linear passes over the type graph:
//!
//! - which types have checks of their own or hold types that do (only those get a
//!   `Validate` impl, and only values of those are checked);
//! - which types only responses carry (those get no builder unless asked for: nothing
//!   in the SDK sends them).

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Api, Constraints, Ty, TypeKind};

/// The facts emit reads, by Rust type name.
#[derive(Debug, Default)]
pub struct Usage {
    /// Types whose `Validate` impl has something to do.
    pub checked: BTreeSet<String>,
    /// Types responses carry (success and error bodies, transitively) and no request
    /// does (bodies and parameters, transitively).
    pub only_responses: BTreeSet<String>,
    /// Models sent as typed `multipart/form-data` bodies (they implement `MultipartForm`).
    pub multipart_forms: BTreeSet<String>,
}

/// The named types `t` holds directly (through `Vec`, maps, boxes and `Option`).
fn named<'t>(t: &'t Ty, out: &mut Vec<&'t str>) {
    match t {
        Ty::Named(name) => out.push(name),
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Boxed(inner) | Ty::Nullable(inner) => {
            named(inner, out)
        }
        _ => {}
    }
}

/// Whether `t` holds a `Uri`, whose `Validate` checks that it parses as a URL.
fn holds_uri(t: &Ty) -> bool {
    match t {
        Ty::Url => true,
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Boxed(inner) | Ty::Nullable(inner) => {
            holds_uri(inner)
        }
        _ => false,
    }
}

/// Whether limits on a value of `t` are checked (the rules of `types::value_checks`,
/// without the walk into named types: `resolved` is `t` with aliases resolved).
fn limits_apply(t: &Ty, c: &Constraints, items: &Constraints) -> bool {
    if c.is_empty() && items.is_empty() {
        return false;
    }
    match t {
        Ty::F32 | Ty::F64 | Ty::Bool => !c.allowed.is_empty() || numeric(c),
        Ty::String => {
            c.email || c.min_length.is_some() || c.max_length.is_some() || c.pattern.is_some()
        }
        Ty::Url => c.min_length.is_some() || c.max_length.is_some() || c.pattern.is_some(),
        Ty::I8 | Ty::I16 | Ty::I32 | Ty::I64 | Ty::U8 | Ty::U16 | Ty::U32 | Ty::U64 => numeric(c),
        Ty::Vec(_) => {
            c.min_items.is_some() || c.max_items.is_some() || c.unique_items || !items.is_empty()
        }
        Ty::Map(_) | Ty::JsonObject => c.min_properties.is_some() || c.max_properties.is_some(),
        _ => false,
    }
}

fn numeric(c: &Constraints) -> bool {
    c.minimum.is_some() || c.maximum.is_some() || c.multiple_of.is_some()
}

impl Usage {
    /// The facts of `api`.
    pub fn of(api: &Api) -> Self {
        // `Option<T>` checks its value as a `T`; aliases check the aliased value.
        let resolve = |t: &Ty| -> Ty {
            let mut t = match t {
                Ty::Nullable(inner) => inner.as_ref().clone(),
                t => t.clone(),
            };
            for _ in 0..crate::limits::REF_CHAIN {
                let Ty::Named(name) = &t else { break };
                match api.types.get(name).map(|d| &d.kind) {
                    Some(TypeKind::Alias(inner, _)) => t = inner.clone(),
                    _ => break,
                }
            }
            t
        };
        // Edges of the type graph, and the types with checks of their own.
        let mut holds: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let mut own = BTreeSet::new();
        for (name, def) in &api.types {
            let mut refs = Vec::new();
            let mut checks = false;
            match &def.kind {
                TypeKind::Struct(s) => {
                    for f in &s.fields {
                        named(&f.ty, &mut refs);
                        let t = resolve(&f.ty);
                        checks |=
                            holds_uri(&t) || limits_apply(&t, &f.constraints, &f.item_constraints);
                    }
                    if let Some(t) = &s.additional {
                        named(t, &mut refs);
                    }
                }
                TypeKind::Union(u) => {
                    for v in &u.variants {
                        named(&v.ty, &mut refs);
                        let t = resolve(&v.ty);
                        checks |=
                            holds_uri(&t) || limits_apply(&t, &v.constraints, &v.item_constraints);
                    }
                }
                TypeKind::Alias(t, _) => named(t, &mut refs),
                TypeKind::Enum(_) => {}
            }
            if checks {
                own.insert(name.as_str());
            }
            holds.insert(name, refs);
        }
        // A type is checked when it, or anything it holds, has checks: walk the
        // reversed edges from the types with checks of their own.
        let mut held_by: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (&holder, refs) in &holds {
            for &r in refs {
                held_by.entry(r).or_default().push(holder);
            }
        }
        let checked = reach(own, &held_by);
        // Types requests carry: from bodies and parameters, along the edges.
        let mut roots = Vec::new();
        for op in &api.operations {
            for p in &op.params {
                named(&p.ty, &mut roots);
            }
            if let Some(body) = &op.body {
                named(&body.ty, &mut roots);
            }
        }
        let in_requests = reach(roots.into_iter().collect(), &holds);
        let mut roots = Vec::new();
        for op in &api.operations {
            for case in op.success.iter().chain(&op.errors) {
                if let Some(t) = &case.ty {
                    named(t, &mut roots);
                }
            }
        }
        let in_responses = reach(roots.into_iter().collect(), &holds);
        Usage {
            checked: checked.into_iter().map(str::to_string).collect(),
            only_responses: in_responses
                .difference(&in_requests)
                .map(|s| s.to_string())
                .collect(),
            multipart_forms: api
                .operations
                .iter()
                .filter_map(|op| op.body.as_ref())
                .filter(|b| b.kind == crate::ir::MediaKind::Multipart)
                .filter_map(|b| match &b.ty {
                    Ty::Named(name) => Some(name.clone()),
                    _ => None,
                })
                .collect(),
        }
    }
}

/// Everything reachable from `start` along `edges` (each node visited once).
fn reach<'n>(start: BTreeSet<&'n str>, edges: &BTreeMap<&str, Vec<&'n str>>) -> BTreeSet<&'n str> {
    let mut seen = start.clone();
    let mut todo: Vec<&str> = start.into_iter().collect();
    while let Some(n) = todo.pop() {
        for &m in edges.get(n).into_iter().flatten() {
            if seen.insert(m) {
                todo.push(m);
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::test_ctx_parts;

    #[test]
    fn only_types_with_checks_inside_are_checked_and_response_only_types_are_found() {
        let (api, _) = test_ctx_parts(
            r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    post:
      operationId: make
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Outer'}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Reply'}
components:
  schemas:
    Outer:
      type: object
      properties:
        inner: {$ref: '#/components/schemas/Inner'}
        plain: {$ref: '#/components/schemas/Plain'}
    Inner:
      type: object
      properties:
        name: {type: string, maxLength: 3}
    Plain:
      type: object
      properties:
        note: {type: string}
    Reply:
      type: object
      properties:
        plain: {$ref: '#/components/schemas/Plain'}
        extra: {$ref: '#/components/schemas/Extra'}
    Extra: {type: object, properties: {n: {type: integer}}}
    Unused: {type: object, properties: {n: {type: integer}}}
"#,
        );
        let usage = Usage::of(&api);
        let set = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        assert_eq!(usage.checked, set(&["Inner", "Outer"]));
        assert_eq!(usage.only_responses, set(&["Extra", "Reply"]));
    }
}
