//! `$ref`s inside the document to any JSON pointer (RFC 6901), resolved to the node they
//! name, before anything else reads the document.
//!
//! After bundling every `$ref` is local. Lowering resolves `$ref`s to components
//! (`#/components/schemas/Pet`, also dangling ones, which it reports); this pass brings
//! every other `$ref` to that form, or replaces it by its target as JSON Reference says:
//!
//! - a schema, parameter, request body or response named inside another object
//!   (`#/components/schemas/Tag/allOf/0`, `#/paths/~1users/get/parameters/0`) moves into
//!   `components` under a name made from its place (`naming::pointer_name`), and a `$ref`
//!   to it takes its place: the inline use and every `$ref` share one component, so one
//!   Rust type, named once, from its first place;
//! - one named where the OpenAPI model reads nothing (an extension, `#/definitions` of a
//!   3.0 document) is copied into `components`;
//! - a response `$ref` to a request body, or the reverse, is used when the shapes agree
//!   (`description` and `content`): a copy of the right kind, noted;
//! - a `$ref` of a kind `components` does not resolve here (a path item, an operation, a
//!   media type, a header, ...) or standing for a whole map or list
//!   (`properties: {$ref: ..}`) is replaced by a copy of its target (its own keys win over
//!   the target's), which must have the shape of the place;
//! - a `$ref` whose target has another kind, or names nothing, is an error at the `$ref`,
//!   and what it stood for is dropped (a schema becomes any value), one error each.
//!
//! Copies may hold `$ref`s of their own, so the pass repeats until nothing changes (a
//! bounded number of rounds: a `$ref` that keeps leading back to itself is an error).
//! Every move and copy is recorded, so that diagnostics inside them point at the place
//! the spec writes them.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::paths::percent_decode;
use super::places::{Place, Slot, section_mut, slot_of};
use super::{merged, remove_failed};
use crate::diag::{Diagnostics, Ptr};
use crate::limits::{INLINED_REFS, REF_CHAIN};
use crate::load::moves::Moves;
use crate::naming::pointer_name;

/// Resolve every local `$ref` of `doc` that does not name a component as such; returns
/// where parts of the document were moved or copied.
pub fn resolve_local(doc: &mut Value, diags: &mut Diagnostics) -> Moves {
    let mut pass = Pass {
        moves: Moves::default(),
        hoisted: BTreeMap::new(),
        copies: 0,
    };
    // Each round settles one level of `$ref`s reached through others; a chain longer than
    // `REF_CHAIN` is an error, so one more round finds only errors.
    for round in 0..=REF_CHAIN + 1 {
        let mut found = Vec::new();
        collect(doc, Slot::One(Place::Document), &mut Vec::new(), &mut found);
        let plan = pass.plan(doc, found, round > REF_CHAIN, diags);
        if plan.is_empty() {
            break;
        }
        pass.apply(doc, plan, diags);
    }
    pass.moves
}

/// A `$ref` met in the document, where it stands for a node of `slot`.
struct Found {
    at: Ptr,
    slot: Slot,
    reference: String,
}

/// The sections whose components lowering resolves: a `$ref` of these kinds to any
/// other place becomes a `$ref` to a component.
fn hoisted_section(place: Place) -> Option<&'static str> {
    match place {
        Place::Schema | Place::Parameter | Place::RequestBody | Place::Response => place.section(),
        _ => None,
    }
}

/// What one round does.
#[derive(Default)]
struct Plan {
    /// `$ref`s set to another target.
    rewrite: Vec<(Ptr, String)>,
    /// Nodes moved into `components` (section, name), a `$ref` left in their place.
    moves: Vec<(Vec<String>, &'static str, String)>,
    /// Nodes copied into `components` (section, name), converted from one kind to another.
    hoist_copies: Vec<(Vec<String>, &'static str, String, Option<Place>)>,
    /// `$ref`s replaced by a copy of their target.
    copies: Vec<(Ptr, Vec<String>)>,
    /// `$ref`s that could not be followed, with whether each stood for a schema.
    failed: Vec<(Ptr, bool)>,
}

impl Plan {
    fn is_empty(&self) -> bool {
        self.rewrite.is_empty()
            && self.moves.is_empty()
            && self.hoist_copies.is_empty()
            && self.copies.is_empty()
            && self.failed.is_empty()
    }
}

struct Pass {
    moves: Moves,
    /// (target pointer, section) -> the component it became.
    hoisted: BTreeMap<(String, &'static str), String>,
    /// How many targets were copied in place so far.
    copies: usize,
}

impl Pass {
    fn plan(
        &mut self,
        doc: &Value,
        found: Vec<Found>,
        last_round: bool,
        diags: &mut Diagnostics,
    ) -> Plan {
        let mut plan = Plan::default();
        for f in found {
            if names_component(&f) {
                continue;
            }
            let Some(target) = fragment_tokens(&f.reference) else {
                continue;
            };
            let schema = f.slot == Slot::One(Place::Schema);
            let mut fail = |plan: &mut Plan, message: String, help: &str| {
                diags.error(&f.at.at("$ref"), message, help);
                plan.failed.push((f.at.clone(), schema));
            };
            // A component as such: lowering resolves it (and reports it when it is missing).
            if let Slot::One(place) = f.slot
                && let Some(section) = place.section()
                && target.len() == 3
                && target[0] == "components"
                && target[1] == section
            {
                // Written as lowering reads it (`%20` decoded, `~1` for `/`).
                let canonical = pointer_text(&target);
                if canonical != f.reference {
                    plan.rewrite.push((f.at.clone(), canonical));
                }
                continue;
            }
            let reference = &f.reference;
            let Some(node) = get(doc, &target) else {
                fail(
                    &mut plan,
                    format!("`$ref` `{reference}` names nothing in the document"),
                    "fix the JSON pointer after `#` so that it names the object meant (`~1` stands for `/`, `~0` for `~`)",
                );
                continue;
            };
            // A copy of something that holds its own `$ref` would never end; a schema that
            // holds a `$ref` to itself is recursion, which types hold.
            let at: Vec<String> = f.at.tokens().collect();
            let copied = !matches!(f.slot, Slot::One(place) if hoisted_section(place).is_some());
            if last_round || at == target || (copied && at.starts_with(&target)) {
                fail(
                    &mut plan,
                    format!("`$ref` `{reference}` leads back to itself"),
                    "point the `$ref` at the object itself, not at a `$ref` that leads back here or at something that holds this `$ref`",
                );
                continue;
            }
            // A `$ref` to a `$ref`: follow it (next round looks at where it leads).
            if let Some(next) = only_ref(node) {
                plan.rewrite.push((f.at.clone(), next.to_string()));
                continue;
            }
            let found_slot = slot_of(doc, &target);
            let fits = |wanted: Slot| found_slot.is_none_or(|s| s == wanted);
            match f.slot {
                Slot::One(place) if hoisted_section(place).is_some() => {
                    let section = hoisted_section(place).unwrap_or_default();
                    let converted = match found_slot {
                        Some(Slot::One(kind)) if kind == place => None,
                        None => None,
                        Some(Slot::One(kind @ (Place::Response | Place::RequestBody)))
                            if matches!(place, Place::Response | Place::RequestBody) =>
                        {
                            Some(kind)
                        }
                        Some(other) => {
                            fail(
                                &mut plan,
                                format!(
                                    "`$ref` `{reference}` names {}, where {} belongs",
                                    other.describe(),
                                    f.slot.describe()
                                ),
                                &point_at(f.slot),
                            );
                            continue;
                        }
                    };
                    let key = (pointer_text(&target), section);
                    let name = match self.hoisted.get(&key) {
                        Some(name) => name.clone(),
                        None => {
                            let name = free_name(
                                doc,
                                section,
                                &self.hoisted,
                                &component_hint(doc, &target),
                            );
                            self.hoisted.insert(key, name.clone());
                            if converted.is_some() || found_slot.is_none() {
                                plan.hoist_copies.push((
                                    target.clone(),
                                    section,
                                    name.clone(),
                                    converted,
                                ));
                            } else {
                                plan.moves.push((target.clone(), section, name.clone()));
                            }
                            name
                        }
                    };
                    if let Some(kind) = converted {
                        let headers = if place == Place::RequestBody {
                            " (its headers and links are not)"
                        } else {
                            ""
                        };
                        diags.degrade(
                            &f.at.at("$ref"),
                            format!(
                                "{} `$ref` names a {} (`{reference}`): its description and content are used as the {}{headers}",
                                capitalized(place.noun()),
                                kind.noun(),
                                place.noun(),
                            ),
                            format!("point the `$ref` at `#/components/{section}/...`"),
                        );
                    }
                    let entry = Ptr::root().at("components").at(section).at(&name);
                    plan.rewrite.push((f.at.clone(), entry.to_string()));
                }
                slot => {
                    let shape_fits = match slot {
                        Slot::List(_) => node.is_array(),
                        _ => node.is_object(),
                    };
                    if !fits(slot) || !shape_fits {
                        let what = match found_slot {
                            Some(other) => other.describe(),
                            None if node.is_array() => "a list".to_string(),
                            None if node.is_object() => "a map".to_string(),
                            None => format!("the value `{node}`"),
                        };
                        fail(
                            &mut plan,
                            format!(
                                "`$ref` `{reference}` names {what}, where {} belongs",
                                slot.describe()
                            ),
                            &point_at(slot),
                        );
                        continue;
                    }
                    self.copies += 1;
                    if self.copies > INLINED_REFS {
                        if self.copies == INLINED_REFS + 1 {
                            diags.error(
                                &f.at.at("$ref"),
                                format!("more than {INLINED_REFS} `$ref`s are replaced by copies of their targets; `{reference}` is not followed"),
                                "refer to fewer copies of the same objects (copies that refer to copies multiply)",
                            );
                        }
                        plan.failed.push((f.at.clone(), schema));
                        continue;
                    }
                    plan.copies.push((f.at.clone(), target));
                }
            }
        }
        plan
    }

    fn apply(&mut self, doc: &mut Value, plan: Plan, diags: &mut Diagnostics) {
        for (at, to) in &plan.rewrite {
            if let Some(Value::Object(map)) = doc.pointer_mut(&json_pointer(at)) {
                map.insert("$ref".into(), Value::String(to.clone()));
            }
        }
        // Deepest first: a part moved out of a part moved later goes along as its `$ref`,
        // and every pointer still names what it named when planned.
        let mut moves = plan.moves;
        moves.sort_by_key(|(target, ..)| std::cmp::Reverse(target.len()));
        // What this round moved, to find copies' sources where they are now.
        let mut round = Moves::default();
        for (target, section, name) in moves {
            let target_ptr = pointer_text(&target);
            let entry = Ptr::root().at("components").at(section).at(&name);
            if doc.pointer(&target_ptr[1..]).is_none()
                || !insert(doc, section, &name, Value::Null, diags)
            {
                continue;
            }
            let reference = Value::Object(Map::from_iter([(
                "$ref".to_string(),
                Value::String(entry.to_string()),
            )]));
            let moved = doc
                .pointer_mut(&target_ptr[1..])
                .map(|node| std::mem::replace(node, reference))
                .unwrap_or_default();
            insert(doc, section, &name, moved, diags);
            self.moves.record(entry.to_string(), target_ptr.clone());
            round.record(entry.to_string(), target_ptr);
        }
        for (target, section, name, converted) in plan.hoist_copies {
            let source = where_now(&round, &pointer_text(&target));
            let Some(node) = doc.pointer(&source[1..]) else {
                continue;
            };
            let copy = match converted {
                Some(from) => convert(node, from, Place::of_section(section).unwrap_or(from)),
                None => node.clone(),
            };
            let entry = Ptr::root().at("components").at(section).at(&name);
            if insert(doc, section, &name, copy, diags) {
                self.moves.record(entry.to_string(), source);
            }
        }
        for (at, target) in plan.copies {
            let source = where_now(&round, &pointer_text(&target));
            let at = where_now(&round, &at.to_string());
            let Some(copy) = doc.pointer(&source[1..]).cloned() else {
                continue;
            };
            if let Some(node) = doc.pointer_mut(&at[1..]) {
                *node = merged(copy, node);
                self.moves.record(at, source);
            }
        }
        remove_failed(doc, plan.failed);
    }
}

/// Every `$ref` of the document where the OpenAPI model reads an object (not in
/// examples, extensions or other data), in document order. `path` is where `node` is; a
/// pointer is only made for the `$ref`s found, so a document without any costs one walk.
fn collect<'v>(node: &'v Value, slot: Slot, path: &mut Vec<Token<'v>>, out: &mut Vec<Found>) {
    if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
        let at = path.iter().fold(Ptr::root(), |at, token| match token {
            Token::Key(key) => at.at(key),
            Token::Index(i) => at.at(i),
        });
        out.push(Found {
            at,
            slot,
            reference: reference.to_string(),
        });
        return;
    }
    match node {
        Value::Object(map) => {
            for (key, child) in map {
                if let Some(inner) = slot.child(key, child) {
                    path.push(Token::Key(key));
                    collect(child, inner, path, out);
                    path.pop();
                }
            }
        }
        Value::Array(items) if matches!(slot, Slot::List(_)) => {
            for (i, child) in items.iter().enumerate() {
                // The items of a list all have its kind, whatever their index.
                if let Some(inner) = slot.child("", child) {
                    path.push(Token::Index(i));
                    collect(child, inner, path, out);
                    path.pop();
                }
            }
        }
        _ => {}
    }
}

/// A step of the path `collect` is at.
enum Token<'v> {
    Key(&'v str),
    Index(usize),
}

/// Set every `$ref` of the document where the OpenAPI model reads an object to what
/// `to` says, where it says something.
pub fn retarget_refs(doc: &mut Value, to: &dyn Fn(&str) -> Option<String>) {
    retarget(doc, Slot::One(Place::Document), to);
}

fn retarget(node: &mut Value, slot: Slot, to: &dyn Fn(&str) -> Option<String>) {
    if let Some(Value::String(reference)) = node.get_mut("$ref") {
        if let Some(target) = to(reference) {
            *reference = target;
        }
        return;
    }
    match node {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if let Some(inner) = slot.child(key, child) {
                    retarget(child, inner, to);
                }
            }
        }
        Value::Array(items) if matches!(slot, Slot::List(_)) => {
            for child in items.iter_mut() {
                if let Some(inner) = slot.child("", child) {
                    retarget(child, inner, to);
                }
            }
        }
        _ => {}
    }
}

/// Whether a `$ref` names a component of its place's kind, written as lowering reads it
/// (`#/components/schemas/Pet`): most `$ref`s, checked without allocating.
fn names_component(f: &Found) -> bool {
    let Slot::One(place) = f.slot else {
        return false;
    };
    let Some(section) = place.section() else {
        return false;
    };
    f.reference
        .strip_prefix("#/components/")
        .and_then(|rest| rest.strip_prefix(section))
        .and_then(|rest| rest.strip_prefix('/'))
        .is_some_and(|name| !name.is_empty() && !name.contains(['/', '%']))
}

/// The tokens of a local `$ref`'s JSON pointer, percent-decoded; `None` for a `$ref`
/// that is not local (bundling reported those) or not a pointer.
fn fragment_tokens(reference: &str) -> Option<Vec<String>> {
    let fragment = percent_decode(reference.strip_prefix('#')?);
    if fragment.is_empty() {
        // The whole document: never an object of the kinds a `$ref` stands for.
        return Some(Vec::new());
    }
    let ptr = Ptr::from_ref(&format!("#{fragment}"))?;
    Some(ptr.tokens().collect())
}

fn get<'v>(doc: &'v Value, tokens: &[String]) -> Option<&'v Value> {
    if tokens.is_empty() {
        return None;
    }
    doc.pointer(&pointer_text(tokens)[1..])
}

/// `#/a/b~1c` for the tokens `a`, `b/c`.
fn pointer_text(tokens: &[String]) -> String {
    tokens.iter().fold(Ptr::root(), |p, t| p.at(t)).to_string()
}

/// The pointer as `serde_json` reads it (`/a/b`, without `#`).
fn json_pointer(at: &Ptr) -> String {
    at.to_string()[1..].to_string()
}

/// Where something this round's moves may have carried away is now.
fn where_now(round: &Moves, pointer: &str) -> String {
    round
        .forward(pointer)
        .unwrap_or_else(|| pointer.to_string())
}

/// The target of a node that is only a `$ref`.
fn only_ref(node: &Value) -> Option<&str> {
    let map = node.as_object()?;
    (map.len() == 1).then(|| map.get("$ref")?.as_str())?
}

/// The words a component made from the node at `target` is named by: its pointer, with
/// the operation's `operationId` in place of its path and method when it is inside one.
fn component_hint(doc: &Value, target: &[String]) -> String {
    if let [paths, path, method, rest @ ..] = target
        && paths == "paths"
        && let Some(id) = doc
            .get("paths")
            .and_then(|p| p.get(path))
            .and_then(|item| item.get(method))
            .and_then(|op| op.get("operationId"))
            .and_then(Value::as_str)
    {
        let mut tokens = vec![id.to_string()];
        tokens.extend(rest.iter().cloned());
        return pointer_name(&tokens);
    }
    pointer_name(target)
}

/// `hint`, or the first numbered form of it, free in `components.<section>`.
fn free_name(
    doc: &Value,
    section: &str,
    hoisted: &BTreeMap<(String, &'static str), String>,
    hint: &str,
) -> String {
    let existing = doc
        .get("components")
        .and_then(|c| c.get(section))
        .and_then(Value::as_object);
    let taken = |name: &str| {
        existing.is_some_and(|e| e.contains_key(name))
            || hoisted.iter().any(|((_, s), n)| *s == section && n == name)
    };
    std::iter::once(hint.to_string())
        .chain((2..).map(|n| format!("{hint}_{n}")))
        .find(|name| !taken(name))
        .unwrap_or_else(|| hint.to_string())
}

/// Put `node` in `components.<section>` as `name`; false (reported) when `components`
/// cannot hold it.
fn insert(
    doc: &mut Value,
    section: &str,
    name: &str,
    node: Value,
    diags: &mut Diagnostics,
) -> bool {
    match section_mut(doc, section) {
        Some(entries) => {
            entries.insert(name.to_string(), node);
            true
        }
        None => {
            diags.error(
                &Ptr::root().at("components"),
                format!("`components` (or its `{section}`) is not a mapping, so what `$ref`s name inside other objects cannot be added to it"),
                "make `components` and its sections mappings",
            );
            false
        }
    }
}

/// A request body read as a response, or the reverse: the keys both have, and the
/// description a response needs.
fn convert(node: &Value, from: Place, to: Place) -> Value {
    let Value::Object(map) = node else {
        return node.clone();
    };
    let keeps = |key: &str| match to {
        Place::Response => matches!(key, "description" | "content" | "headers" | "links"),
        Place::RequestBody => matches!(key, "description" | "content" | "required"),
        _ => from == to,
    };
    let mut out: Map<String, Value> = map
        .iter()
        .filter(|(key, _)| keeps(key) || key.starts_with("x-"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if to == Place::Response && !out.get("description").is_some_and(Value::is_string) {
        out.insert("description".into(), Value::String(String::new()));
    }
    Value::Object(out)
}

/// The help of a `$ref` whose target does not fit its place.
fn point_at(slot: Slot) -> String {
    match slot {
        Slot::One(place) if let Some(section) = place.section() => format!(
            "point the `$ref` at {}, such as `#/components/{section}/<Name>`",
            slot.describe()
        ),
        _ => format!("point the `$ref` at {}", slot.describe()),
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::Path;

    /// The document after the pass, the problems as printed, and the moves.
    fn resolved(mut doc: Value) -> (Value, Vec<String>, Moves) {
        let mut diags = Diagnostics::new(Path::new("t.yaml"));
        let moves = resolve_local(&mut doc, &mut diags);
        let problems = diags.into_vec().iter().map(|d| d.to_string()).collect();
        (doc, problems, moves)
    }

    fn api(paths: Value, components: Value) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths, "components": components})
    }

    fn ok(body: Value) -> Value {
        json!({"200": {"description": "ok", "content": {"application/json": {"schema": body}}}})
    }

    #[test]
    fn a_schema_named_inside_another_becomes_one_component_for_every_use() {
        let doc = api(
            json!({"/owner": {"get": {"operationId": "owner", "responses": ok(json!({"$ref": "#/components/schemas/Pet/properties/owner"}))}}}),
            json!({"schemas": {
                "Pet": {"type": "object", "properties": {
                    "owner": {"type": "object", "properties": {"name": {"type": "string", "pattern": "(?<"}}},
                    "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Tag/allOf/0"}}
                }},
                "Tag": {"allOf": [{"type": "object", "properties": {"name": {"type": "string"}}}]}
            }}),
        );
        let (doc, problems, moves) = resolved(doc);
        assert!(problems.is_empty(), "{problems:#?}");
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["Pet"]["properties"]["owner"],
            json!({"$ref": "#/components/schemas/Pet_owner"})
        );
        assert_eq!(schemas["Pet_owner"]["properties"]["name"]["type"], "string");
        assert_eq!(
            doc["paths"]["/owner"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/Pet_owner"})
        );
        assert_eq!(
            schemas["Tag"]["allOf"][0],
            json!({"$ref": "#/components/schemas/Tag_allOf_0"})
        );
        assert_eq!(
            schemas["Pet"]["properties"]["tags"]["items"],
            json!({"$ref": "#/components/schemas/Tag_allOf_0"})
        );
        // Problems inside a moved schema are reported where the spec has it.
        assert_eq!(
            moves.back("#/components/schemas/Pet_owner/properties/name/pattern"),
            "#/components/schemas/Pet/properties/owner/properties/name/pattern"
        );
    }

    #[test]
    fn parameters_and_schemas_inside_operations_are_shared_and_named_by_the_operation() {
        let doc = api(
            json!({
                "/a": {"get": {
                    "operationId": "listA",
                    "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                    "responses": ok(json!({"type": "object", "properties": {"n": {"type": "integer"}}}))
                }},
                "/b": {"get": {
                    "parameters": [{"$ref": "#/paths/~1a/get/parameters/0"}],
                    "responses": ok(json!({"$ref": "#/paths/~1a/get/responses/200/content/application~1json/schema"}))
                }}
            }),
            json!({}),
        );
        let (doc, problems, _) = resolved(doc);
        assert!(problems.is_empty(), "{problems:#?}");
        assert_eq!(doc["components"]["parameters"]["listA_0"]["name"], "q");
        assert_eq!(
            doc["paths"]["/a"]["get"]["parameters"][0],
            json!({"$ref": "#/components/parameters/listA_0"})
        );
        assert_eq!(
            doc["paths"]["/b"]["get"]["parameters"][0],
            json!({"$ref": "#/components/parameters/listA_0"})
        );
        assert!(doc["components"]["schemas"]["listA_Response_200"]["properties"]["n"].is_object());
    }

    #[test]
    fn refs_standing_for_maps_lists_and_path_items_are_replaced_by_their_targets() {
        let doc = json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "x-shared": {
                "props": {"id": {"type": "integer"}, "name": {"type": "string"}},
                "params": [{"name": "page", "in": "query", "schema": {"type": "integer"}}]
            },
            "paths": {
                "/a": {"get": {"parameters": {"$ref": "#/x-shared/params"}, "responses": {"$ref": "#/x-responses"}}},
                "/b": {"$ref": "#/paths/~1a", "summary": "the same as /a"}
            },
            "x-responses": {"204": {"description": "done"}},
            "components": {"schemas": {"Item": {
                "type": "object",
                "properties": {"$ref": "#/x-shared/props", "extra": {"type": "boolean"}}
            }}}
        });
        let (doc, problems, moves) = resolved(doc);
        assert!(problems.is_empty(), "{problems:#?}");
        let props = &doc["components"]["schemas"]["Item"]["properties"];
        assert_eq!(
            props,
            &json!({"id": {"type": "integer"}, "name": {"type": "string"}, "extra": {"type": "boolean"}})
        );
        let a = &doc["paths"]["/a"]["get"];
        assert_eq!(a["parameters"][0]["name"], "page");
        assert_eq!(a["responses"]["204"]["description"], "done");
        assert_eq!(doc["paths"]["/b"]["get"], *a);
        assert_eq!(doc["paths"]["/b"]["summary"], "the same as /a");
        assert_eq!(moves.back("#/paths/~1b/get"), "#/paths/~1a/get");
    }

    #[test]
    fn a_response_ref_to_a_request_body_is_used_noted_and_a_wrong_kind_is_an_error() {
        let doc = api(
            json!({"/a": {"post": {
                "parameters": [{"$ref": "#/components/schemas/Pet"}],
                "requestBody": {"$ref": "#/components/responses/Pet"},
                "responses": {
                    "200": {"$ref": "#/components/requestBodies/Pet"},
                    "404": {"$ref": "#/components/responses/Missing/x"}
                }
            }}}),
            json!({
                "schemas": {"Pet": {"type": "object"}},
                "requestBodies": {"Pet": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}},
                "responses": {"Pet": {"description": "a pet", "headers": {"X-Rate": {"schema": {"type": "integer"}}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}}
            }),
        );
        let (doc, problems, _) = resolved(doc);
        let op = &doc["paths"]["/a"]["post"];
        assert_eq!(
            op["responses"]["200"],
            json!({"$ref": "#/components/responses/Pet_2"})
        );
        assert_eq!(
            doc["components"]["responses"]["Pet_2"],
            json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}, "description": ""})
        );
        assert_eq!(
            op["requestBody"],
            json!({"$ref": "#/components/requestBodies/Pet_2"})
        );
        assert_eq!(
            doc["components"]["requestBodies"]["Pet_2"]["description"],
            "a pet"
        );
        assert!(
            doc["components"]["requestBodies"]["Pet_2"]
                .get("headers")
                .is_none()
        );
        // The parameter that named a schema, and the response that named nothing, are gone.
        assert_eq!(op["parameters"], json!([]));
        assert!(op["responses"].get("404").is_none());
        assert_eq!(problems.len(), 4, "{problems:#?}");
        assert!(problems[0].starts_with("t.yaml at #/paths/~1a/post/parameters/0/$ref: `$ref` `#/components/schemas/Pet` names a schema, where a parameter belongs"), "{problems:#?}");
        assert!(problems[1].starts_with("t.yaml at #/paths/~1a/post/requestBody/$ref: Request body `$ref` names a response (`#/components/responses/Pet`): its description and content are used as the request body (its headers and links are not)"), "{problems:#?}");
        assert!(problems[2].starts_with("t.yaml at #/paths/~1a/post/responses/200/$ref: Response `$ref` names a request body"), "{problems:#?}");
        assert!(
            problems[3].contains(
                "`$ref` `#/components/responses/Missing/x` names nothing in the document"
            ),
            "{problems:#?}"
        );
    }

    #[test]
    fn a_schema_named_inside_another_may_refer_to_itself() {
        let doc = api(
            json!({}),
            json!({"schemas": {"Tree": {"type": "object", "properties": {"node": {
                "type": "object",
                "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree/properties/node"}}}
            }}}}}),
        );
        let (doc, problems, _) = resolved(doc);
        assert!(problems.is_empty(), "{problems:#?}");
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["Tree"]["properties"]["node"],
            json!({"$ref": "#/components/schemas/Tree_node"})
        );
        assert_eq!(
            schemas["Tree_node"]["properties"]["children"]["items"],
            json!({"$ref": "#/components/schemas/Tree_node"})
        );
    }

    #[test]
    fn dangling_pointers_and_cycles_are_errors_and_chains_are_followed() {
        let doc = api(
            json!({
                "/a": {"$ref": "#/paths/~1b"},
                "/b": {"$ref": "#/paths/~1a"},
                "/c": {"get": {"responses": {"200": {"description": "ok", "callbacks": {}}}, "callbacks": {"again": {"$ref": "#/paths/~1c"}}}}
            }),
            json!({"schemas": {
                "A": {"type": "object", "properties": {
                    "b": {"$ref": "#/components/schemas/A/properties/c"},
                    "c": {"$ref": "#/components/schemas/B/properties/d"},
                    "gone": {"$ref": "#/components/schemas/B/properties/nope"},
                    "spaced": {"$ref": "#/components/schemas/My%20B"}
                }},
                "B": {"type": "object", "properties": {"d": {"type": "string", "enum": ["x"]}}},
                "My B": {"type": "string"}
            }}),
        );
        let (doc, problems, _) = resolved(doc);
        let a = &doc["components"]["schemas"]["A"]["properties"];
        assert_eq!(a["b"], json!({"$ref": "#/components/schemas/B_d"}));
        assert_eq!(a["c"], json!({"$ref": "#/components/schemas/B_d"}));
        assert_eq!(a["gone"], json!({}));
        assert_eq!(a["spaced"], json!({"$ref": "#/components/schemas/My B"}));
        let cycles = problems
            .iter()
            .filter(|p| p.contains("leads back to itself"))
            .count();
        assert_eq!(cycles, 3, "{problems:#?}");
        assert!(
            problems
                .iter()
                .any(|p| p.contains("B/properties/nope` names nothing")),
            "{problems:#?}"
        );
        assert!(doc["paths"].get("/a").is_none() && doc["paths"].get("/b").is_none());
    }
}
