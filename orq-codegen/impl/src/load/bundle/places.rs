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

/// Where a document keeps its reusable objects: OpenAPI 3 in `components`, Swagger 2.0
/// in `definitions`, `parameters`, `responses` and `securityDefinitions` at the top.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Layout {
    OpenApi3,
    Swagger2,
}

impl Layout {
    /// The layout of a document (Swagger 2.0 when it says `swagger`).
    pub(super) fn of(doc: &Value) -> Layout {
        if doc.get("swagger").is_some() {
            Layout::Swagger2
        } else {
            Layout::OpenApi3
        }
    }

    /// The path of the section holding objects of `section` (named as in OpenAPI 3's
    /// `components`); `None` where the layout has none (Swagger 2.0 request bodies,
    /// headers, ...), so targets of that kind are copied in place.
    pub(super) fn section_path(self, section: &str) -> Option<Vec<&str>> {
        match self {
            Layout::OpenApi3 => Some(vec!["components", section]),
            Layout::Swagger2 => Some(vec![match section {
                "schemas" => "definitions",
                "parameters" => "parameters",
                "responses" => "responses",
                "securitySchemes" => "securityDefinitions",
                _ => return None,
            }]),
        }
    }
}

/// The sections of the spec's reusable objects that `$ref`s can point into, with their
/// entries (by their OpenAPI 3 `components` names).
pub(super) fn component_sections(
    doc: &Value,
    layout: Layout,
) -> impl Iterator<Item = (&'static str, &Map<String, Value>)> {
    const SECTIONS: [&str; 9] = [
        "schemas",
        "parameters",
        "headers",
        "requestBodies",
        "responses",
        "callbacks",
        "examples",
        "links",
        "securitySchemes",
    ];
    SECTIONS.into_iter().filter_map(move |section| {
        let path = layout.section_path(section)?;
        let entries = path.iter().try_fold(doc, |node, key| node.get(key))?;
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
        // Swagger 2.0's reusable objects.
        (P::Document, "definitions") => Map(P::Schema),
        (P::Document, "parameters") => Map(P::Parameter),
        (P::Document, "responses") => Map(P::Response),
        (P::Document, "securityDefinitions") => Map(P::SecurityScheme),
        (P::Response, "schema") => One(P::Schema),
        (P::Parameter | P::Header, "items") => Items,
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

/// The `$ref` to the entry `name` of `section` in a document of `layout`.
pub(super) fn entry_ref(layout: Layout, section: &str, name: &str) -> Option<String> {
    let path = layout.section_path(section)?;
    let at = path.iter().fold(Ptr::root(), |p, key| p.at(key));
    Some(at.at(name).to_string())
}

/// `components.<section>` of the document, created when missing.
pub(super) fn section_mut<'a>(
    doc: &'a mut Value,
    section: &str,
) -> Option<&'a mut Map<String, Value>> {
    layout_section_mut(doc, Layout::OpenApi3, section)
}

/// The section holding `section`'s objects in a document of `layout`, created when
/// missing; `None` when the layout has no such section or a node on the way is not a
/// mapping.
pub(super) fn layout_section_mut<'a>(
    doc: &'a mut Value,
    layout: Layout,
    section: &str,
) -> Option<&'a mut Map<String, Value>> {
    let path = layout.section_path(section)?;
    let mut node = doc;
    for key in path {
        node = node
            .as_object_mut()?
            .entry(key)
            .or_insert_with(|| Value::Object(Map::new()));
    }
    node.as_object_mut()
}

/// `#` followed by the fragment: the pointer as diagnostics print it.
pub(super) fn pointer_string(fragment: &str) -> String {
    format!("#{fragment}")
}

/// The fragment (a JSON pointer such as `/components/schemas/Pet`) as a [`Ptr`].
pub(super) fn fragment_ptr(fragment: &str) -> Ptr {
    Ptr::from_ref(&pointer_string(fragment)).unwrap_or_default()
}
