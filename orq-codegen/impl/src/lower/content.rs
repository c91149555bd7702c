//! Content by media type: request bodies and responses.

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, RequestBody, Responses, StatusCode};

use super::resolve::Resolver;
use super::types::TypeSpace;
use crate::diag::{Diagnostics, Ptr};
use crate::ir::{Body, Docs, MediaKind, ResponseCase, StatusMatch, Ty, TypeKind};
use crate::load::ITEM_SCHEMA;

/// How a media type is encoded.
pub fn media_kind(media_type: &str) -> MediaKind {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json"
        || essence.ends_with("+json")
        || essence == "*/*"
        || essence == "text/json"
    {
        MediaKind::Json
    } else if essence == "application/x-www-form-urlencoded" {
        MediaKind::Form
    } else if essence == "multipart/form-data" {
        MediaKind::Multipart
    } else if essence == "text/event-stream" {
        MediaKind::EventStream
    } else if essence.starts_with("text/") {
        MediaKind::Text
    } else {
        MediaKind::Bytes
    }
}

/// The media type generated code uses: JSON, then forms, multipart, text, anything else.
fn pick_media<T>(content: &IndexMap<String, T>) -> Option<(&String, &T)> {
    let rank = |m: &str| match media_kind(m) {
        MediaKind::Json if m.starts_with("*/*") => 1,
        MediaKind::Json => 0,
        MediaKind::Form => 2,
        MediaKind::Multipart => 3,
        MediaKind::Text | MediaKind::EventStream => 4,
        _ => 5,
    };
    content.iter().min_by_key(|(m, _)| rank(m))
}

/// The request body of an operation.
pub fn request_body(
    resolver: Resolver<'_>,
    types: &mut TypeSpace<'_>,
    body: &ReferenceOr<RequestBody>,
    op_id: &str,
    at: &Ptr,
    diags: &mut Diagnostics,
) -> Option<Body> {
    let body = resolver.request_body(body, at, diags)?;
    let (media_type, media) = pick_media(&body.content)?;
    let kind = media_kind(media_type);
    let m_at = at.at("content").at(media_type);
    let hint = format!("{op_id} Request Body");
    let mut lower = |types: &mut TypeSpace<'_>, schema| {
        types.lower(schema, &m_at.at("schema"), &hint, 1, diags).ty
    };
    let ty = match (&kind, &media.schema) {
        (MediaKind::Json | MediaKind::Form | MediaKind::Multipart, Some(schema)) => {
            lower(types, schema)
        }
        (MediaKind::Json, None) => Ty::Json,
        (MediaKind::Form, None) => Ty::JsonObject,
        (MediaKind::Multipart, None) => Ty::Multipart,
        (MediaKind::Text, _) => Ty::String,
        _ => Ty::Bytes,
    };
    // A `format: binary` string is a binary body whatever the media type says.
    let (ty, kind) = match ty {
        Ty::Binary => (Ty::Bytes, MediaKind::Bytes),
        ty => (ty, kind),
    };
    // A multipart schema with properties is its model; binary properties are files.
    let ty = match ty {
        Ty::Multipart => Ty::Multipart,
        ty if kind == MediaKind::Multipart && !typed_form(types, &ty) => {
            diags.degrade(
                &m_at.at("schema"),
                "the multipart schema lists no properties",
                "the body is an untyped `Multipart`; describe the parts as properties to get a model",
            );
            Ty::Multipart
        }
        ty => ty,
    };
    let encoding = media
        .encoding
        .iter()
        .filter_map(|(name, e)| Some((name.clone(), e.content_type.clone()?)))
        .collect();
    Some(Body {
        encoding,
        ty,
        media_type: media_type.clone(),
        alternatives: alternatives(&body.content, media_type, &kind),
        kind,
        required: body.required,
        docs: Docs {
            description: body.description.clone(),
            ..Docs::default()
        },
    })
}

/// Whether `parts` is a struct with properties, which then becomes a multipart model:
/// its `format: binary` properties (alone or in arrays) become file parts, whose
/// string limits no longer apply.
fn typed_form(types: &mut TypeSpace<'_>, parts: &Ty) -> bool {
    let Ty::Named(name) = parts else {
        return false;
    };
    let Some(crate::ir::TypeDef {
        kind: TypeKind::Struct(def),
        ..
    }) = types.defs.get_mut(name)
    else {
        return false;
    };
    if def.fields.is_empty() {
        return false;
    }
    for field in &mut def.fields {
        let file = match &field.ty {
            Ty::Binary => Some(Ty::File),
            Ty::Vec(item) if **item == Ty::Binary => Some(Ty::Vec(Box::new(Ty::File))),
            _ => None,
        };
        if let Some(file) = file {
            field.ty = file;
            field.constraints = Default::default();
            field.item_constraints = Default::default();
        }
    }
    true
}

/// Other media types offering the same schema as JSON or as a form, which the caller
/// may pick instead of `chosen` (one per encoding, in document order).
fn alternatives(
    content: &IndexMap<String, openapiv3::MediaType>,
    chosen: &str,
    kind: &MediaKind,
) -> Vec<(String, MediaKind)> {
    let Some(schema) = content.get(chosen).and_then(|m| m.schema.as_ref()) else {
        return Vec::new();
    };
    if !matches!(kind, MediaKind::Json | MediaKind::Form) {
        return Vec::new();
    }
    let mut picked: Vec<(String, MediaKind)> = Vec::new();
    for (other, media) in content {
        let other_kind = media_kind(other);
        let same_schema = media.schema.as_ref() == Some(schema);
        if other != chosen
            && matches!(other_kind, MediaKind::Json | MediaKind::Form)
            && other_kind != *kind
            && same_schema
            && !picked.iter().any(|(_, k)| *k == other_kind)
        {
            picked.push((other.clone(), other_kind));
        }
    }
    picked
}

/// The declared responses: successes (2XX, or `default` when no 2XX is declared) and
/// errors, each sorted by status.
pub fn responses(
    resolver: Resolver<'_>,
    types: &mut TypeSpace<'_>,
    responses: &Responses,
    op_id: &str,
    at: &Ptr,
    diags: &mut Diagnostics,
) -> (Vec<ResponseCase>, Vec<ResponseCase>) {
    let mut all: Vec<(StatusMatch, &ReferenceOr<openapiv3::Response>, Ptr)> = Vec::new();
    for (code, r) in &responses.responses {
        let status = match code {
            StatusCode::Code(n) => StatusMatch::Exact(*n),
            StatusCode::Range(n) => StatusMatch::Range(*n),
        };
        all.push((status, r, at.at(code)));
    }
    if let Some(r) = &responses.default {
        all.push((StatusMatch::Default, r, at.at("default")));
    }
    // An operation that declares no 2XX but a 3XX answers with the redirect (DocSpace's
    // OAuth2 consent: a 302 whose `Location` carries the code): it is its success, not
    // followed. Beside a 2XX, a 3XX leads to the answer (Box's download redirects to the
    // content), so it is followed as any redirect.
    let answers_redirect = !all.iter().any(|(s, ..)| s.is_success());
    let is_success = |s: &StatusMatch| s.is_success() || (answers_redirect && s.is_redirect());
    let has_success = all.iter().any(|(s, ..)| is_success(s));
    let many_success = all.iter().filter(|(s, ..)| is_success(s)).count() > 1;
    let (mut success, mut errors) = (Vec::new(), Vec::new());
    for (status, r, r_at) in all {
        let Some(response) = resolver.response(r, &r_at, diags) else {
            continue;
        };
        let as_success = is_success(&status) || (!has_success && status == StatusMatch::Default);
        let hint = match (as_success, status) {
            (true, StatusMatch::Exact(n)) if many_success => format!("{op_id} Response {n}"),
            (true, _) => format!("{op_id} Response"),
            (false, StatusMatch::Exact(n)) => format!("{op_id} Error {n}"),
            (false, StatusMatch::Range(n)) => format!("{op_id} Error {n}XX"),
            (false, StatusMatch::Default) => format!("{op_id} Error"),
        };
        let (ty, kind) = match pick_media(&response.content) {
            None => (None, MediaKind::Empty),
            Some((media_type, media)) => {
                let kind = media_kind(media_type);
                let m_at = r_at.at("content").at(media_type);
                let ty = match (&kind, &media.schema) {
                    (MediaKind::Json, Some(schema)) => {
                        types.lower(schema, &m_at.at("schema"), &hint, 1, diags).ty
                    }
                    (MediaKind::Json, None) => Ty::Json,
                    (MediaKind::Text, _) => Ty::String,
                    (MediaKind::EventStream, _) => event_data(types, media, &m_at, &hint, diags),
                    _ => Ty::ByteStream,
                };
                // `type: string, format: binary` is raw bytes whatever the media type
                // says (`*/*`, or JSON by mistake): a JSON decoder cannot read it.
                match ty {
                    Ty::Binary => (Some(Ty::ByteStream), MediaKind::Bytes),
                    ty => (Some(ty), kind),
                }
            }
        };
        let case = ResponseCase {
            status,
            ty,
            kind,
            description: response.description.clone(),
        };
        if as_success {
            success.push(case)
        } else {
            errors.push(case)
        }
    }
    success.sort_by_key(|c| c.status);
    errors.sort_by_key(|c| c.status);
    (success, errors)
}

/// The type of each event's data in a `text/event-stream` response: its `itemSchema`,
/// else its schema; `String` (text data) when that is a string or absent.
pub(super) fn event_data(
    types: &mut TypeSpace<'_>,
    media: &openapiv3::MediaType,
    at: &Ptr,
    hint: &str,
    diags: &mut Diagnostics,
) -> Ty {
    let item = media.extensions.get(ITEM_SCHEMA).and_then(|value| {
        serde_json::from_value::<ReferenceOr<openapiv3::Schema>>(value.clone()).ok()
    });
    let (schema, schema_at) = match (&item, &media.schema) {
        (Some(item), _) => (item, at.at("itemSchema")),
        (None, Some(schema)) => (schema, at.at("schema")),
        (None, None) => return Ty::String,
    };
    types
        .lower(schema, &schema_at, &format!("{hint} Event"), 1, diags)
        .ty
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_kinds_follow_the_essence() {
        assert_eq!(
            media_kind("application/json; charset=utf-8"),
            MediaKind::Json
        );
        assert_eq!(media_kind("application/problem+json"), MediaKind::Json);
        assert_eq!(
            media_kind("Application/X-WWW-Form-Urlencoded"),
            MediaKind::Form
        );
        assert_eq!(media_kind("multipart/form-data"), MediaKind::Multipart);
        assert_eq!(media_kind("text/csv"), MediaKind::Text);
        assert_eq!(
            media_kind("text/event-stream; charset=utf-8"),
            MediaKind::EventStream
        );
        assert_eq!(media_kind("image/png"), MediaKind::Bytes);
    }

    #[test]
    fn json_is_preferred_then_forms() {
        let content: IndexMap<String, ()> = [
            "text/plain",
            "application/x-www-form-urlencoded",
            "*/*",
            "application/json",
        ]
        .into_iter()
        .map(|m| (m.to_string(), ()))
        .collect();
        assert_eq!(
            pick_media(&content).map(|(m, _)| m.as_str()),
            Some("application/json")
        );
    }
}
