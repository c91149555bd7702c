//! [`Reply`]: an answer of the mock server, as handlers write it.

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, StatusCode, header};
use serde::Serialize;

/// An answer of the mock server: a status, headers and a body.
///
/// Handlers return `Err(Reply)` for anything but their operation's success value:
/// a declared error (`Reply::status(404).json(&ApiErrorBody { .. })`), a redirect, a
/// 503 to exercise retries.
#[derive(Clone, Debug)]
pub struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Reply {
    /// An empty answer with `status` (an invalid code becomes 500).
    pub fn status(status: u16) -> Self {
        Reply {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            headers: HeaderMap::new(),
            body: Bytes::new(),
        }
    }

    /// The body as JSON (`content-type: application/json`); a value that does not
    /// serialize turns the answer into a 500 saying why.
    pub fn json<T: Serialize + ?Sized>(self, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.bytes(bytes, "application/json"),
            Err(error) => Reply::message(
                StatusCode::INTERNAL_SERVER_ERROR,
                &format!("the mock reply does not serialize: {error}"),
            ),
        }
    }

    /// The body as text (`content-type: text/plain; charset=utf-8`).
    pub fn text(self, body: impl Into<String>) -> Self {
        self.bytes(body.into(), "text/plain; charset=utf-8")
    }

    /// Raw bytes with their content type.
    pub fn bytes(mut self, body: impl Into<Bytes>, content_type: &str) -> Self {
        if let Ok(value) = HeaderValue::from_str(content_type) {
            self.headers.insert(header::CONTENT_TYPE, value);
        }
        self.body = body.into();
        self
    }

    /// An extra header (ignored if the name or value is not valid in HTTP).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let (Ok(name), Ok(value)) = (
            header::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            self.headers.append(name, value);
        }
        self
    }

    /// `{"message": ...}` with `status`: the mock server's own answers.
    /// Server-sent events (`content-type: text/event-stream`): each item one event whose
    /// `data:` is its JSON, then the `sentinel` as a last event when there is one.
    pub fn json_events<T: Serialize>(self, events: &[T], sentinel: Option<&str>) -> Self {
        let mut data = Vec::with_capacity(events.len());
        for event in events {
            match serde_json::to_string(event) {
                Ok(json) => data.push(json),
                Err(error) => {
                    return Reply::message(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        &format!("the mock event does not serialize: {error}"),
                    );
                }
            }
        }
        self.text_events(&data, sentinel)
    }

    /// Server-sent events (`content-type: text/event-stream`): each item one event with
    /// its text as `data:` (one `data:` line per line of it), then the `sentinel`.
    pub fn text_events<S: AsRef<str>>(self, events: &[S], sentinel: Option<&str>) -> Self {
        let mut body = String::new();
        for event in events.iter().map(AsRef::as_ref).chain(sentinel) {
            for line in event.split('\n') {
                body.push_str("data: ");
                body.push_str(line.trim_end_matches('\r'));
                body.push('\n');
            }
            body.push('\n');
        }
        self.bytes(body, "text/event-stream")
    }

    pub(crate) fn message(status: StatusCode, message: &str) -> Self {
        Reply::status(status.as_u16()).json(&serde_json::json!({ "message": message }))
    }
}
