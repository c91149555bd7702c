//! `$ref`s to components, resolved in one place: the component name a reference
//! spells, and the component it leads to (following components that are themselves
//! `$ref`s).

use indexmap::IndexMap;
use openapiv3::{Components, OpenAPI, Parameter, ReferenceOr, RequestBody, Response};

use crate::diag::{Diagnostics, Ptr};
use crate::limits::REF_CHAIN;

/// The kinds of components a `$ref` can point at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `#/components/schemas/`.
    Schema,
    /// `#/components/parameters/`.
    Parameter,
    /// `#/components/responses/`.
    Response,
    /// `#/components/requestBodies/`.
    RequestBody,
}

impl Kind {
    /// The section of `components` that holds this kind.
    pub fn section(self) -> &'static str {
        match self {
            Kind::Schema => "schemas",
            Kind::Parameter => "parameters",
            Kind::Response => "responses",
            Kind::RequestBody => "requestBodies",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Kind::Schema => "schema",
            Kind::Parameter => "parameter",
            Kind::Response => "response",
            Kind::RequestBody => "request body",
        }
    }

    fn prefix(self) -> String {
        format!("#/components/{}/", self.section())
    }
}

/// The component name a local `$ref` to `kind` spells, unescaped
/// (`#/components/schemas/A~1B` is `A/B`); `None` for any other reference (one into a
/// component, `#/components/schemas/A/properties/b`, which loading has already turned
/// into a `$ref` to a component of its own).
pub fn component_name(reference: &str, kind: Kind) -> Option<String> {
    let name = reference.strip_prefix(&kind.prefix())?;
    (!name.contains('/')).then(|| name.replace("~1", "/").replace("~0", "~"))
}

/// The `$ref` naming the component `name` of `kind`.
pub fn reference_to(kind: Kind, name: &str) -> String {
    format!(
        "{}{}",
        kind.prefix(),
        name.replace('~', "~0").replace('/', "~1")
    )
}

/// Resolves `$ref`s to the components of one document.
#[derive(Clone, Copy)]
pub struct Resolver<'a> {
    components: Option<&'a Components>,
}

impl<'a> Resolver<'a> {
    /// A resolver for `api`'s components.
    pub fn new(api: &'a OpenAPI) -> Self {
        Resolver {
            components: api.components.as_ref(),
        }
    }

    /// A parameter, or the one its `$ref` leads to.
    pub fn parameter(
        self,
        item: &'a ReferenceOr<Parameter>,
        at: &Ptr,
        diags: &mut Diagnostics,
    ) -> Option<&'a Parameter> {
        self.resolve(item, Kind::Parameter, |c| &c.parameters, at, diags)
    }

    /// A response, or the one its `$ref` leads to.
    pub fn response(
        self,
        item: &'a ReferenceOr<Response>,
        at: &Ptr,
        diags: &mut Diagnostics,
    ) -> Option<&'a Response> {
        self.resolve(item, Kind::Response, |c| &c.responses, at, diags)
    }

    /// A request body, or the one its `$ref` leads to.
    pub fn request_body(
        self,
        item: &'a ReferenceOr<RequestBody>,
        at: &Ptr,
        diags: &mut Diagnostics,
    ) -> Option<&'a RequestBody> {
        self.resolve(item, Kind::RequestBody, |c| &c.request_bodies, at, diags)
    }

    fn resolve<T>(
        self,
        item: &'a ReferenceOr<T>,
        kind: Kind,
        section: impl Fn(&'a Components) -> &'a IndexMap<String, ReferenceOr<T>>,
        at: &Ptr,
        diags: &mut Diagnostics,
    ) -> Option<&'a T> {
        let mut current = item;
        let mut first_reference: Option<&str> = None;
        for _ in 0..REF_CHAIN {
            let reference = match current {
                ReferenceOr::Item(found) => return Some(found),
                ReferenceOr::Reference { reference } => reference,
            };
            first_reference.get_or_insert(reference);
            let next = component_name(reference, kind)
                .and_then(|name| section(self.components?).get(&name));
            match next {
                Some(next) => current = next,
                None => {
                    let (noun, section) = (kind.noun(), kind.section());
                    diags.error(
                        &at.at("$ref"),
                        format!("{noun} `$ref` `{reference}` does not resolve to a {noun} in `components.{section}`"),
                        format!("fix the `$ref` or define the {noun} under `components.{section}`"),
                    );
                    return None;
                }
            }
        }
        let noun = kind.noun();
        diags.error(
            &at.at("$ref"),
            format!(
                "{noun} `$ref` `{}` leads to more than {REF_CHAIN} `$ref`s in a row (or to itself)",
                first_reference.unwrap_or_default()
            ),
            format!("point the `$ref` at the {noun} itself"),
        );
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn api(yaml: &str) -> OpenAPI {
        serde_yaml::from_str(yaml).expect("valid test document")
    }

    #[test]
    fn names_round_trip_with_escapes() {
        let reference = reference_to(Kind::Schema, "a/b~c");
        assert_eq!(reference, "#/components/schemas/a~1b~0c");
        assert_eq!(
            component_name(&reference, Kind::Schema).as_deref(),
            Some("a/b~c")
        );
        assert_eq!(component_name(&reference, Kind::Parameter), None);
        assert_eq!(
            component_name("#/components/schemas/A/properties/b", Kind::Schema),
            None
        );
        assert_eq!(component_name("other.yaml#/X", Kind::Schema), None);
    }

    #[test]
    fn follows_components_that_are_references_and_stops_at_cycles() {
        let api = api(r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  parameters:
    Limit: {name: limit, in: query, schema: {type: integer}}
    PageSize: {$ref: "#/components/parameters/Limit"}
    Loop: {$ref: "#/components/parameters/Loop"}
"##);
        let resolver = Resolver::new(&api);
        let mut diags = Diagnostics::new(Path::new("x.yaml"));
        let at = Ptr::root().at("paths");
        let via = ReferenceOr::ref_("#/components/parameters/PageSize");
        let found = resolver.parameter(&via, &at, &mut diags);
        assert_eq!(
            found.map(|p| p.parameter_data_ref().name.as_str()),
            Some("limit")
        );
        assert!(diags.is_empty());
        let looped = ReferenceOr::ref_("#/components/parameters/Loop");
        assert!(resolver.parameter(&looped, &at, &mut diags).is_none());
        let dangling = ReferenceOr::ref_("#/components/parameters/Nope");
        assert!(resolver.parameter(&dangling, &at, &mut diags).is_none());
        let found: Vec<String> = diags.into_vec().into_iter().map(|d| d.message).collect();
        assert!(found[0].contains("more than 32"), "{found:?}");
        assert!(found[1].contains("does not resolve"), "{found:?}");
    }
}
