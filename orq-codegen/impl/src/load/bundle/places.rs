//! Where a `$ref` can stand in an OpenAPI document (which kind of object it replaces),
//! and the `components` sections targets are copied into.

use serde_json::{Map, Value};

use super::METHODS;
use crate::diag::Ptr;
use crate::load::walk::{holds_one_schema, holds_schema_entries};

/// The kinds of OpenAPI objects a `$ref` can stand for, by where it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Place {
    Document,
    Components,
    PathItem,
    Operation,
    Parameter,
    Header,
    RequestBody,
    Response,
    MediaType,
    Encoding,
    Callback,
    Example,
    Link,
    SecurityScheme,
    Schema,
}

impl Place {
    /// The `components` section that holds objects of this kind, if any.
    pub(super) fn section(self) -> Option<&'static str> {
        Some(match self {
            Place::Schema => "schemas",
            Place::Parameter => "parameters",
            Place::Header => "headers",
            Place::RequestBody => "requestBodies",
            Place::Response => "responses",
            Place::Callback => "callbacks",
            Place::Example => "examples",
            Place::Link => "links",
            Place::SecurityScheme => "securitySchemes",
            _ => return None,
        })
    }

    /// What the kind is called in diagnostics.
    pub(super) fn noun(self) -> &'static str {
        match self {
            Place::Document => "document",
            Place::Components => "`components` object",
            Place::PathItem => "path item",
            Place::Operation => "operation",
            Place::Parameter => "parameter",
            Place::Header => "header",
            Place::RequestBody => "request body",
            Place::Response => "response",
            Place::MediaType => "media type",
            Place::Encoding => "encoding",
            Place::Callback => "callback",
            Place::Example => "example",
            Place::Link => "link",
            Place::SecurityScheme => "security scheme",
            Place::Schema => "schema",
        }
    }

    pub(super) fn of_section(section: &str) -> Option<Place> {
        Some(match section {
            "schemas" => Place::Schema,
            "parameters" => Place::Parameter,
            "headers" => Place::Header,
            "requestBodies" => Place::RequestBody,
            "responses" => Place::Response,
            "callbacks" => Place::Callback,
            "examples" => Place::Example,
            "links" => Place::Link,
            "securitySchemes" => Place::SecurityScheme,
            "pathItems" => Place::PathItem,
            _ => return None,
        })
    }
}

/// The sections of the spec's `components` that `$ref`s can point into, with their entries.
pub(super) fn component_sections(
    doc: &Value,
) -> impl Iterator<Item = (&'static str, &Map<String, Value>)> {
    doc.get("components")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(section, entries)| {
            let section = Place::of_section(section).and_then(Place::section)?;
            Some((section, entries.as_object()?))
        })
}

/// What the value of `key` in an object of kind `place` holds.
pub(super) enum Child {
    One(Place),
    Map(Place),
    List(Place),
    /// `items`: one schema, or a list of them.
    Items,
    /// `discriminator`: its `mapping` values may be `$ref`s.
    Mapping,
}

pub(super) fn child_place(place: Place, key: &str) -> Option<Child> {
    use Child::*;
    use Place as P;
    Some(match (place, key) {
        (P::Document, "paths" | "webhooks") => Map(P::PathItem),
        (P::Document, "components") => One(P::Components),
        (P::Components, section) => Map(Place::of_section(section)?),
        (P::PathItem, "parameters") | (P::Operation, "parameters") => List(P::Parameter),
        (P::PathItem, method) if METHODS.contains(&method) => One(P::Operation),
        (P::Operation, "requestBody") => One(P::RequestBody),
        (P::Operation, "responses") => Map(P::Response),
        (P::Operation, "callbacks") => Map(P::Callback),
        (P::Callback, _) => One(P::PathItem),
        (P::Parameter | P::Header | P::MediaType, "schema") => One(P::Schema),
        (P::Parameter | P::Header | P::RequestBody | P::Response, "content") => Map(P::MediaType),
        (P::Parameter | P::Header | P::MediaType, "examples") => Map(P::Example),
        (P::Response | P::Encoding, "headers") => Map(P::Header),
        (P::Response, "links") => Map(P::Link),
        (P::MediaType, "encoding") => Map(P::Encoding),
        (P::MediaType, "itemSchema") => One(P::Schema),
        (P::Schema, "items") => Items,
        (P::Schema, "discriminator") => Mapping,
        (P::Schema, keyword) if holds_one_schema(keyword) => One(P::Schema),
        (P::Schema, keyword) if holds_schema_entries(keyword) => {
            if matches!(keyword, "allOf" | "oneOf" | "anyOf" | "prefixItems") {
                List(P::Schema)
            } else {
                Map(P::Schema)
            }
        }
        _ => return None,
    })
}

/// What the node at a place must be: one object of a kind, or a map or list of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Slot {
    One(Place),
    Map(Place),
    List(Place),
}

impl Slot {
    /// The slot of `key`'s value in a node of this slot (`child` is that value, which
    /// decides whether `items` is one schema or a list); `None` where the OpenAPI model
    /// reads no object (data, extensions, unknown keys).
    pub(super) fn child(self, key: &str, child: &Value) -> Option<Slot> {
        Some(match self {
            Slot::Map(place) | Slot::List(place) => Slot::One(place),
            Slot::One(place) => match child_place(place, key)? {
                Child::One(p) => Slot::One(p),
                Child::Map(p) => Slot::Map(p),
                Child::List(p) => Slot::List(p),
                Child::Items if child.is_array() => Slot::List(Place::Schema),
                Child::Items => Slot::One(Place::Schema),
                Child::Mapping => return None,
            },
        })
    }

    /// What the slot holds, for diagnostics (`a parameter`, `a map of schemas`).
    pub(super) fn describe(self) -> String {
        let plural = |p: Place| match p.noun() {
            "`components` object" => "`components` objects".to_string(),
            noun => format!("{noun}s"),
        };
        match self {
            Slot::One(p) => format!("a {}", p.noun()),
            Slot::Map(p) => format!("a map of {}", plural(p)),
            Slot::List(p) => format!("a list of {}", plural(p)),
        }
    }
}

/// The slot of the node at `tokens` in `doc`; `None` when nothing is there or the
/// OpenAPI model reads no object there (an extension, example data, ...).
pub(super) fn slot_of(doc: &Value, tokens: &[String]) -> Option<Slot> {
    let mut slot = Slot::One(Place::Document);
    let mut node = doc;
    for token in tokens {
        node = match node {
            Value::Object(map) => map.get(token)?,
            Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
        slot = slot.child(token, node)?;
    }
    Some(slot)
}

/// `node`'s `$ref` set to `reference`, its other keys kept.
pub(super) fn set_ref(node: &mut Value, reference: String) {
    if let Value::Object(map) = node {
        map.insert("$ref".into(), Value::String(reference));
    }
}

pub(super) fn component_ref(section: &str, name: &str) -> String {
    Ptr::root()
        .at("components")
        .at(section)
        .at(name)
        .to_string()
}

/// `components.<section>` of the document, created when missing.
pub(super) fn section_mut<'a>(
    doc: &'a mut Value,
    section: &str,
) -> Option<&'a mut Map<String, Value>> {
    let root = doc.as_object_mut()?;
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()?;
    components
        .entry(section)
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
}

/// `#` followed by the fragment: the pointer as diagnostics print it.
pub(super) fn pointer_string(fragment: &str) -> String {
    format!("#{fragment}")
}

/// The fragment (a JSON pointer such as `/components/schemas/Pet`) as a [`Ptr`].
pub(super) fn fragment_ptr(fragment: &str) -> Ptr {
    Ptr::from_ref(&pointer_string(fragment)).unwrap_or_default()
}
