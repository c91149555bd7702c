//! Responses read as streams: server-sent events (`text/event-stream`).

use openapiv3::Responses;
use serde_json::Value;

use super::resolve::Resolver;
use crate::diag::{Diagnostics, Ptr};
use crate::ir::{Events, MediaKind, Note, NoteKind, ResponseCase, Ty};

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
            if super::content::media_kind(media_type) == MediaKind::EventStream
                && let Some(value) = media.extensions.get(SENTINEL)
            {
                return Some((value, r_at.at("content").at(media_type).at(SENTINEL)));
            }
        }
    }
    None
}
