//! Responses read as streams: server-sent events (`text/event-stream`), and the pages
//! of list operations (`x-speakeasy-pagination`, declared `Link` headers).

use openapiv3::{Responses, StatusCode};
use serde_json::Value;

use super::content::{event_data, media_kind};
use super::resolve::Resolver;
use super::types::TypeSpace;
use crate::diag::{Diagnostics, Ptr};
use crate::ir::{
    Body, Events, MediaKind, Note, NoteKind, Paging, Param, ParamLocation, Presence, ResponseCase,
    StatusMatch, Ty, TypeKind,
};

/// The extension naming the event data that ends a stream.
const SENTINEL: &str = "x-speakeasy-sse-sentinel";

/// How the operation's events are read, when every success is the same event stream.
/// An event stream next to other successes is read whole as text instead.
pub fn events(
    resolver: Resolver<'_>,
    op: &openapiv3::Operation,
    success: &mut [ResponseCase],
    at: &Ptr,
    notes: &mut Vec<Note>,
    diags: &mut Diagnostics,
) -> Option<Events> {
    if !success.iter().any(|c| c.kind == MediaKind::EventStream) {
        return None;
    }
    let first = success.first().and_then(|c| c.ty.clone());
    let one_stream = success
        .iter()
        .all(|c| c.kind == MediaKind::EventStream && c.ty == first);
    let data = match first {
        Some(data) if one_stream => data,
        _ => {
            for case in success.iter_mut() {
                if case.kind == MediaKind::EventStream {
                    case.kind = MediaKind::Text;
                    case.ty = Some(Ty::String);
                }
            }
            return None;
        }
    };
    let json = data != Ty::String;
    let declared = match op.extensions.get(SENTINEL) {
        Some(value) => Some((value, at.at(SENTINEL))),
        None => media_sentinel(resolver, &op.responses, at, diags),
    };
    let sentinel = match declared {
        None => json.then(|| "[DONE]".to_owned()),
        Some((Value::String(text), _)) if !text.is_empty() => Some(text.clone()),
        Some((Value::Null | Value::Bool(false), _)) => None,
        Some((other, value_at)) => {
            notes.push(Note {
                at: value_at,
                kind: NoteKind::IgnoredExtension {
                    name: SENTINEL.to_owned(),
                    reason: format!(
                        "it must be a non-empty string, not `{other}`; {}",
                        if json {
                            "`[DONE]` ends the stream"
                        } else {
                            "no data ends the stream"
                        }
                    ),
                },
            });
            json.then(|| "[DONE]".to_owned())
        }
    };
    Some(Events {
        data,
        json,
        sentinel,
    })
}

/// The event stream a success offers next to JSON on the same status (`application/json`
/// and `text/event-stream`, chosen by a flag in the body, as OpenAI's `/chat/completions`
/// does), as the success of the operation's event-stream form. The JSON is what
/// `content::responses` reads for the operation itself.
pub fn stream_alternative(
    resolver: Resolver<'_>,
    types: &mut TypeSpace<'_>,
    responses: &Responses,
    op_id: &str,
    at: &Ptr,
    diags: &mut Diagnostics,
) -> Option<ResponseCase> {
    for (code, response) in &responses.responses {
        let status = match code {
            StatusCode::Code(n @ 200..=299) => StatusMatch::Exact(*n),
            StatusCode::Range(2) => StatusMatch::Range(2),
            _ => continue,
        };
        let r_at = at.at("responses").at(code);
        let Some(response) = resolver.response(response, &r_at, diags) else {
            continue;
        };
        let kinds: Vec<MediaKind> = response.content.keys().map(|m| media_kind(m)).collect();
        if !kinds.contains(&MediaKind::Json) {
            continue;
        }
        let Some((media_type, media)) = response
            .content
            .iter()
            .find(|(m, _)| media_kind(m) == MediaKind::EventStream)
        else {
            continue;
        };
        let m_at = r_at.at("content").at(media_type);
        let hint = format!("{op_id} Response");
        return Some(ResponseCase {
            status,
            ty: Some(event_data(types, media, &m_at, &hint, diags)),
            kind: MediaKind::EventStream,
            description: response.description.clone(),
        });
    }
    None
}

/// The body's boolean `stream` property, which an operation's event-stream form sets to
/// `true`: its Rust field name and presence.
pub fn stream_flag(types: &TypeSpace<'_>, body: Option<&Body>) -> Option<(String, Presence)> {
    let Ty::Named(name) = &body?.ty else {
        return None;
    };
    let TypeKind::Struct(s) = &types.defs.get(name)?.kind else {
        return None;
    };
    s.fields
        .iter()
        .find(|f| f.json_name == "stream" && f.ty == Ty::Bool && !f.read_only)
        .map(|f| (f.rust_name.clone(), f.presence))
}

/// A sentinel declared on a success's `text/event-stream` media type.
fn media_sentinel<'a>(
    resolver: Resolver<'a>,
    responses: &'a Responses,
    at: &Ptr,
    diags: &mut Diagnostics,
) -> Option<(&'a Value, Ptr)> {
    for (code, response) in &responses.responses {
        let r_at = at.at("responses").at(code);
        let Some(response) = resolver.response(response, &r_at, diags) else {
            continue;
        };
        for (media_type, media) in &response.content {
            if media_kind(media_type) == MediaKind::EventStream
                && let Some(value) = media.extensions.get(SENTINEL)
            {
                return Some((value, r_at.at("content").at(media_type).at(SENTINEL)));
            }
        }
    }
    None
}

/// The extension describing how an operation pages.
const PAGINATION: &str = "x-speakeasy-pagination";

/// How the operation pages: its `x-speakeasy-pagination`, else a `Link` header a success
/// declares when the body is a list. An extension this generator cannot follow is a
/// note (the operation works, without paging), never an error.
pub fn paging(
    resolver: Resolver<'_>,
    op: &openapiv3::Operation,
    params: &[Param],
    success: &[ResponseCase],
    at: &Ptr,
    notes: &mut Vec<Note>,
    diags: &mut Diagnostics,
) -> Option<Paging> {
    let Some(value) = op.extensions.get(PAGINATION) else {
        let list = matches!(success, [case] if matches!(case.ty, Some(Ty::Vec(_))) && case.kind == MediaKind::Json);
        return (list && declares_link(resolver, &op.responses, at, diags))
            .then_some(Paging::LinkHeader);
    };
    match read_paging(value, params) {
        Ok(paging) => Some(paging),
        Err(reason) => {
            notes.push(Note {
                at: at.at(PAGINATION),
                kind: NoteKind::IgnoredExtension {
                    name: PAGINATION.to_owned(),
                    reason: format!("{reason}; the operation is not paged"),
                },
            });
            None
        }
    }
}

/// Whether a 2XX response declares a `Link` header.
fn declares_link(
    resolver: Resolver<'_>,
    responses: &Responses,
    at: &Ptr,
    diags: &mut Diagnostics,
) -> bool {
    responses.responses.iter().any(|(code, response)| {
        let success = matches!(
            code,
            openapiv3::StatusCode::Code(200..=299) | openapiv3::StatusCode::Range(2)
        );
        success
            && resolver
                .response(response, &at.at("responses").at(code), diags)
                .is_some_and(|r| r.headers.keys().any(|h| h.eq_ignore_ascii_case("link")))
    })
}

/// The paging rule an `x-speakeasy-pagination` value describes, or why it cannot be
/// followed.
fn read_paging(value: &Value, params: &[Param]) -> Result<Paging, String> {
    let kind = value
        .get("type")
        .and_then(Value::as_str)
        .ok_or("it has no `type`")?;
    let output = |name: &str| -> Result<Option<String>, String> {
        match value.get("outputs").and_then(|o| o.get(name)) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(path)) if supported_path(path) => Ok(Some(path.clone())),
            Some(other) => Err(format!(
                "`outputs.{name}` ({other}) is not a JSONPath of `.name`, `['name']` and `[n]` steps"
            )),
        }
    };
    let required = |name: &str| output(name)?.ok_or_else(|| format!("`outputs.{name}` is missing"));
    let mut inputs: Vec<(String, String)> = Vec::new();
    for input in value
        .get("inputs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (Some(name), Some(role)) = (
            input.get("name").and_then(Value::as_str),
            input.get("type").and_then(Value::as_str),
        ) else {
            return Err("an input has no `name` or `type`".to_owned());
        };
        match input.get("in").and_then(Value::as_str) {
            Some("parameters") | None => {}
            Some(other) => {
                return Err(format!(
                    "the input `{name}` is in `{other}`; only query parameters are supported"
                ));
            }
        }
        if !params
            .iter()
            .any(|p| p.wire_name == name && p.location == ParamLocation::Query)
        {
            return Err(format!(
                "the input `{name}` is not a query parameter of the operation"
            ));
        }
        inputs.push((role.to_owned(), name.to_owned()));
    }
    let input = |role: &str| {
        inputs
            .iter()
            .find(|(r, _)| r == role)
            .map(|(_, n)| n.clone())
    };
    match kind {
        "offsetLimit" => {
            let results = required("results")?;
            let limit = input("limit");
            match (input("offset"), input("page")) {
                (Some(param), _) => Ok(Paging::Offset {
                    param,
                    limit,
                    results,
                }),
                (None, Some(param)) => Ok(Paging::Page {
                    param,
                    limit,
                    results,
                    num_pages: output("numPages")?,
                }),
                (None, None) => {
                    Err("an `offsetLimit` rule needs an `offset` or `page` input".to_owned())
                }
            }
        }
        "cursor" => Ok(Paging::Cursor {
            param: input("cursor").ok_or("a `cursor` rule needs a `cursor` input")?,
            next: required("nextCursor")?,
            results: output("results")?,
        }),
        "url" => Ok(Paging::Url {
            next: required("nextUrl")?,
            results: output("results")?,
        }),
        other => Err(format!(
            "the type `{other}` is not `offsetLimit`, `cursor` or `url`"
        )),
    }
}

/// Whether the runtime's JSONPath subset reads `path`: `$`, then `.name`, `['name']`,
/// `["name"]` and `[n]` (negative from the end) steps.
fn supported_path(path: &str) -> bool {
    let Some(mut rest) = path.trim().strip_prefix('$') else {
        return false;
    };
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            if end == 0 {
                return false;
            }
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let Some(end) = after.find(']') else {
                return false;
            };
            let key = after[..end].trim();
            let quoted = ['\'', '"']
                .iter()
                .any(|q| key.len() >= 2 && key.starts_with(*q) && key.ends_with(*q));
            if !quoted && key.parse::<i64>().is_err() {
                return false;
            }
            rest = &after[end + 1..];
        } else {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(name: &str) -> Param {
        Param {
            rust_name: name.to_owned(),
            wire_name: name.to_owned(),
            location: ParamLocation::Query,
            required: false,
            ty: Ty::String,
            docs: Default::default(),
            constraints: Default::default(),
            explode: true,
            deep_object: false,
            delimiter: None,
            origin: Ptr::root(),
        }
    }

    fn read(yaml: &str) -> Result<Paging, String> {
        let value: Value = serde_yaml::from_str(yaml).unwrap();
        read_paging(&value, &[query("offset"), query("limit"), query("after")])
    }

    #[test]
    fn the_speakeasy_rules_are_read() {
        assert_eq!(
            read(
                "type: offsetLimit\ninputs: [{name: offset, in: parameters, type: offset}, {name: limit, in: parameters, type: limit}]\noutputs: {results: $.data}"
            ),
            Ok(Paging::Offset {
                param: "offset".into(),
                limit: Some("limit".into()),
                results: "$.data".into()
            })
        );
        assert_eq!(
            read(
                "type: cursor\ninputs: [{name: after, in: parameters, type: cursor}]\noutputs: {nextCursor: \"$.meta['next']\"}"
            ),
            Ok(Paging::Cursor {
                param: "after".into(),
                next: "$.meta['next']".into(),
                results: None
            })
        );
        assert_eq!(
            read("type: url\noutputs: {nextUrl: $.links.next, results: $.items}"),
            Ok(Paging::Url {
                next: "$.links.next".into(),
                results: Some("$.items".into())
            })
        );
    }

    #[test]
    fn what_cannot_be_followed_says_why() {
        for (yaml, reason) in [
            ("type: keyset", "the type `keyset`"),
            ("[1, 2]", "no `type`"),
            (
                "type: cursor\ninputs: [{name: since, in: parameters, type: cursor}]\noutputs: {nextCursor: $.next}",
                "`since` is not a query parameter",
            ),
            (
                "type: cursor\ninputs: [{name: after, in: requestBody, type: cursor}]\noutputs: {nextCursor: $.next}",
                "only query parameters",
            ),
            (
                "type: offsetLimit\ninputs: [{name: offset, type: offset}]\noutputs: {results: \"$.data[?(@.x)]\"}",
                "not a JSONPath",
            ),
            (
                "type: offsetLimit\ninputs: [{name: limit, type: limit}]\noutputs: {results: $.data}",
                "needs an `offset` or `page`",
            ),
            ("type: url\noutputs: {}", "`outputs.nextUrl` is missing"),
        ] {
            let error = read(yaml).unwrap_err();
            assert!(error.contains(reason), "{yaml}: {error}");
        }
    }
}
