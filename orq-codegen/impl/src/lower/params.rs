//! Parameters, and the path template they fill.

use std::collections::BTreeSet;

use openapiv3::{Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr};

use super::resolve::Resolver;
use super::types::TypeSpace;
use crate::diag::{Diagnostics, Ptr};
use crate::ir::{Docs, Note, NoteKind, Param, ParamLocation, PathSegment, PathTemplate, Ty};
use crate::naming::{REQUEST_ITEMS, Scope, snake_name};

/// The parameters of an operation: the path item's, overridden by the operation's own
/// with the same name and location; required ones first, each group in document order.
pub fn parameters(
    resolver: Resolver<'_>,
    types: &mut TypeSpace<'_>,
    (shared, path_at): (&[ReferenceOr<Parameter>], &Ptr),
    own: &[ReferenceOr<Parameter>],
    op_id: &str,
    at: &Ptr,
    diags: &mut Diagnostics,
) -> Vec<Param> {
    let mut merged: Vec<(&Parameter, Ptr)> = Vec::new();
    for (i, p) in shared.iter().enumerate() {
        let p_at = path_at.at("parameters").at(i);
        if let Some(p) = resolver.parameter(p, &p_at, diags) {
            merged.push((p, p_at));
        }
    }
    for (i, p) in own.iter().enumerate() {
        let p_at = at.at("parameters").at(i);
        if let Some(p) = resolver.parameter(p, &p_at, diags) {
            let key = (location(p), &p.parameter_data_ref().name);
            merged.retain(|(q, _)| (location(q), &q.parameter_data_ref().name) != key);
            merged.push((p, p_at));
        }
    }
    let mut scope = Scope::with_reserved(REQUEST_ITEMS);
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (p, p_at) in merged {
        let data = p.parameter_data_ref();
        let loc = location(p);
        if !seen.insert((loc, data.name.clone())) {
            diags.degrade(
                &p_at,
                format!(
                    "parameter `{}` is declared twice: the first declaration is used",
                    data.name
                ),
                "remove the duplicate declaration",
            );
            continue;
        }
        let lowered = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => types.lower(
                schema,
                &p_at.at("schema"),
                &format!("{op_id} {}", data.name),
                1,
                diags,
            ),
            ParameterSchemaOrContent::Content(_) => {
                diags.degrade(
                    &p_at.at("content"),
                    format!(
                        "parameter `{}` uses `content` instead of `schema`: it is left out (send it with `.header(..)` or in the path yourself)",
                        data.name
                    ),
                    "describe the parameter with `schema` to get a typed argument",
                );
                continue;
            }
        };
        let docs = Docs {
            description: data.description.clone(),
            example: data.example.as_ref().map(|e| e.to_string()),
            ..lowered.docs
        };
        let (explode, deep_object) = match p {
            Parameter::Query { style, .. } => (
                data.explode.unwrap_or(matches!(style, QueryStyle::Form)),
                matches!(style, QueryStyle::DeepObject),
            ),
            Parameter::Cookie { .. } => (data.explode.unwrap_or(true), false),
            _ => (data.explode.unwrap_or(false), false),
        };
        let delimiter = match p {
            Parameter::Query {
                style: QueryStyle::SpaceDelimited,
                ..
            } => Some(' '),
            Parameter::Query {
                style: QueryStyle::PipeDelimited,
                ..
            } => Some('|'),
            _ => None,
        };
        out.push(Param {
            rust_name: scope.claim_field(param_name(&data.name, loc, &seen)),
            wire_name: data.name.clone(),
            location: loc,
            required: data.required || loc == ParamLocation::Path,
            ty: lowered.ty,
            docs,
            constraints: lowered.constraints,
            explode,
            deep_object,
            delimiter,
            origin: p_at,
        });
    }
    // Required parameters come first so positional arguments read naturally.
    out.sort_by_key(|p| !p.required);
    out
}

/// `id` in the query and `id` in a header become `id` and `id_header`.
fn param_name(wire: &str, loc: ParamLocation, seen: &BTreeSet<(ParamLocation, String)>) -> String {
    let base = snake_name(wire);
    let twin = seen
        .iter()
        .any(|(l, name)| *l != loc && snake_name(name) == base);
    if twin {
        format!("{base}_{}", loc.as_str())
    } else {
        base
    }
}

fn location(p: &Parameter) -> ParamLocation {
    match p {
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

/// Parse a path template into literal text and `{variables}`; `None` (reported) when a
/// `{` is not closed.
pub fn parse_template(path: &str, at: &Ptr, diags: &mut Diagnostics) -> Option<PathTemplate> {
    let mut segments = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            diags.error(
                at,
                format!("path `{path}` has an unclosed `{{`"),
                "close every `{` in the path template",
            );
            return None;
        };
        if start > 0 {
            segments.push(PathSegment::Literal(rest[..start].to_string()));
        }
        segments.push(PathSegment::Variable(
            rest[start + 1..start + len].to_string(),
        ));
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        segments.push(PathSegment::Literal(rest.to_string()));
    }
    Some(PathTemplate {
        raw: path.to_string(),
        segments,
    })
}

/// Template variables that no parameter declares become required string path
/// parameters; declared path parameters that the template does not use are dropped.
/// Both are noted, as real specs have them.
pub fn match_template(template: &PathTemplate, params: &mut Vec<Param>, at: &Ptr) -> Vec<Note> {
    let declared: BTreeSet<String> = params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .map(|p| p.wire_name.clone())
        .collect();
    // Real specs often leave path parameters undeclared: each becomes a required string
    // parameter, noted on the operation.
    let mut notes = Vec::new();
    let mut scope = Scope::with_reserved(REQUEST_ITEMS);
    for p in params.iter() {
        scope.claim_field(p.rust_name.clone());
    }
    let mut inferred = BTreeSet::new();
    for name in template.variables() {
        if declared.contains(name) || !inferred.insert(name) {
            continue;
        }
        notes.push(Note {
            at: at.clone(),
            kind: NoteKind::InferredPathParam { name: name.into() },
        });
        params.push(Param {
            rust_name: scope.claim_field(snake_name(name)),
            wire_name: name.to_string(),
            location: ParamLocation::Path,
            required: true,
            ty: Ty::String,
            docs: Docs::default(),
            constraints: Default::default(),
            explode: false,
            deep_object: false,
            delimiter: None,
            origin: at.clone(),
        });
    }
    params.sort_by_key(|p| !p.required);
    let used: BTreeSet<&str> = template.variables().collect();
    params.retain(|p| {
        let unused = p.location == ParamLocation::Path && !used.contains(p.wire_name.as_str());
        if unused {
            notes.push(Note {
                at: p.origin.clone(),
                kind: NoteKind::UnusedPathParam {
                    name: p.wire_name.clone(),
                    path: template.raw.clone(),
                },
            });
        }
        !unused
    });
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn parsed(path: &str) -> Option<PathTemplate> {
        parse_template(path, &Ptr::root(), &mut Diagnostics::new(Path::new("x")))
    }

    #[test]
    fn templates_split_into_literals_and_variables() {
        let t = parsed("/people/{userid}/photo.{format}").unwrap();
        assert_eq!(
            t.segments,
            [
                PathSegment::Literal("/people/".into()),
                PathSegment::Variable("userid".into()),
                PathSegment::Literal("/photo.".into()),
                PathSegment::Variable("format".into()),
            ]
        );
        assert_eq!(t.variables().collect::<Vec<_>>(), ["userid", "format"]);
        assert_eq!(
            parsed("/").unwrap().segments,
            [PathSegment::Literal("/".into())]
        );
        assert_eq!(
            parsed("{a}{b}").unwrap().segments,
            [
                PathSegment::Variable("a".into()),
                PathSegment::Variable("b".into())
            ]
        );
    }

    #[test]
    fn an_unclosed_brace_is_reported() {
        let mut diags = Diagnostics::new(Path::new("x"));
        assert!(parse_template("/a/{b", &Ptr::root(), &mut diags).is_none());
        assert!(diags.into_vec()[0].message.contains("unclosed"));
    }

    #[test]
    fn twins_in_other_locations_get_a_suffix() {
        let seen = BTreeSet::from([
            (ParamLocation::Query, "id".to_string()),
            (ParamLocation::Header, "Id".to_string()),
        ]);
        assert_eq!(param_name("Id", ParamLocation::Header, &seen), "id_header");
        assert_eq!(param_name("other", ParamLocation::Query, &seen), "other");
    }
}
