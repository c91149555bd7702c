//! [`EventStream`]: a `text/event-stream` response read as typed events, each decoded as
//! it is taken (the parsing rules, and what they bound, are in `response::sse`).

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Buf, Bytes};
use futures_core::Stream;
use http::{HeaderMap, StatusCode};

use crate::error::Error;
use crate::error::record::CallRecord;
use crate::redact::bounded_body;
use crate::response::sse::{Parser, RawEvent};
use crate::transport::read::{Chunks, ReadError};

/// One server-sent event, its data decoded into `T`.
#[derive(Clone, Debug, PartialEq)]
pub struct Event<T> {
    /// The event type (`event:`), `message` when the server gives none.
    pub event: String,
    /// The event's data (`data:` lines joined with `\n`), decoded.
    pub data: T,
    /// The last event id the server set (`id:`), which also applies to later events (one
    /// string shared by them). An `id:` over 4 KiB is ignored, like one with a NUL: the
    /// id before it stays.
    pub id: Option<Arc<str>>,
    /// The reconnection time the server asked for (`retry:`), if this event set one; at
    /// most ten minutes (a longer one is taken as ten minutes).
    pub retry: Option<Duration>,
}

/// How long an event stream waits for its next bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum IdleTimeout {
    /// The per-attempt timeout of the call that opened the stream (the default); a stream
    /// made directly from a response ([`EventStream::json`]) has none and waits forever.
    #[default]
    PerAttempt,
    /// Wait forever (a stream quiet for hours between events).
    Never,
    /// Wait at most this long; a longer gap ends the stream with
    /// [`Error::Timeout`](crate::Error::Timeout).
    After(Duration),
}

/// How a typed event stream reads its response.
#[derive(Clone, Debug)]
pub struct StreamSettings {
    /// The longest wait for the next bytes (by default the call's per-attempt timeout).
    pub idle_timeout: IdleTimeout,
    /// Event data that ends the stream cleanly (`[DONE]` for LLM chat completions).
    pub sentinel: Option<String>,
    /// The largest event accepted, in bytes (its lines, a comment or a line still being
    /// read included); a larger one ends the stream with
    /// [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge), after the events before it.
    pub max_event_bytes: usize,
}

impl Default for StreamSettings {
    fn default() -> Self {
        StreamSettings {
            idle_timeout: IdleTimeout::PerAttempt,
            sentinel: Some("[DONE]".to_owned()),
            max_event_bytes: 16 * 1024 * 1024,
        }
    }
}

/// Decodes one event's data; on failure, the JSON path of the bad value and the error.
type Decoder<T> = fn(&str) -> Result<T, (String, serde_json::Error)>;

/// A stream of server-sent events, each `Result<Event<T>, Error>`.
///
/// An event whose data does not decode (trailing data after its JSON included) is an
/// `Err(Error::Decode)` item carrying the raw data (its first 64 KiB), and the stream
/// goes on. A broken connection ([`Error::Interrupted`], with the status, headers and
/// bytes received), an idle timeout ([`Error::Timeout`]) and an oversized event
/// ([`Error::ResponseTooLarge`]) end it, after the events before them. Dropping the
/// stream closes the connection.
///
/// Events are parsed as they are taken: a chunk holding thousands of events costs one
/// event at a time. The SDK does not reconnect by itself; to resume where a stream
/// ended, call the operation again with a `Last-Event-ID` header of
/// [`last_event_id`](Self::last_event_id), after waiting [`retry`](Self::retry) if the
/// server asked for it.
pub struct EventStream<T> {
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    body: Chunks,
    /// Bytes of the body read so far.
    received: u64,
    parser: Parser,
    /// What is left of the last chunk read, not parsed yet.
    unparsed: Bytes,
    settings: StreamSettings,
    decode: Decoder<T>,
    call: CallRecord,
}

impl<T> std::fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("open", &self.body.is_open())
            .finish_non_exhaustive()
    }
}

impl<T> EventStream<T> {
    /// Events whose data is JSON, decoded into `T`.
    pub fn json(
        operation: &'static str,
        response: reqwest::Response,
        settings: StreamSettings,
    ) -> Self
    where
        T: serde::de::DeserializeOwned,
    {
        Self::new(operation, response, settings, |data| {
            let mut json = serde_json::Deserializer::from_str(data);
            let value = serde_path_to_error::deserialize(&mut json)
                .map_err(|err| (err.path().to_string(), err.into_inner()))?;
            // Data after the JSON value is no event of this type either.
            json.end().map_err(|err| (".".to_owned(), err))?;
            Ok(value)
        })
    }

    fn new(
        operation: &'static str,
        response: reqwest::Response,
        settings: StreamSettings,
        decode: Decoder<T>,
    ) -> Self {
        let idle = match settings.idle_timeout {
            IdleTimeout::After(timeout) => Some(timeout),
            IdleTimeout::PerAttempt | IdleTimeout::Never => None,
        };
        EventStream {
            operation,
            status: response.status(),
            headers: response.headers().clone(),
            body: Chunks::new(response, idle),
            received: 0,
            parser: Parser::default(),
            unparsed: Bytes::new(),
            settings,
            decode,
            call: CallRecord::default(),
        }
    }

    /// The stream with what the pipeline recorded about its call.
    pub(crate) fn recorded(mut self, call: CallRecord) -> Self {
        self.call = call;
        self
    }

    /// The server's id for the request (see
    /// [`Error::request_id`](crate::Error::request_id)), if the response has one.
    pub fn request_id(&self) -> Option<&str> {
        self.call.request_id(&self.headers)
    }

    /// How many attempts the call that opened the stream made.
    pub fn attempts(&self) -> u32 {
        self.call.attempts()
    }

    /// The next event: `None` once the stream has ended (the sentinel, the end of the
    /// body, or after an error that ends it). The same as `StreamExt::next`, without
    /// importing a stream extension trait.
    pub async fn next(&mut self) -> Option<Result<Event<T>, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The response status (a success: errors are returned before a stream exists).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The last event id the server set (`id:`, at most 4 KiB), so far: what a
    /// `Last-Event-ID` header carries when the stream is opened again.
    pub fn last_event_id(&self) -> Option<&str> {
        self.parser.last_id().map(|id| &**id)
    }

    /// The last reconnection time the server asked for (`retry:`), so far: how long to
    /// wait before opening the stream again. At most ten minutes.
    pub fn retry(&self) -> Option<Duration> {
        self.parser.reconnect()
    }

    fn item(&mut self, raw: RawEvent) -> Option<Result<Event<T>, Error>> {
        if self.settings.sentinel.as_deref() == Some(raw.data.as_str()) {
            self.close();
            return None;
        }
        Some(match (self.decode)(&raw.data) {
            Ok(data) => Ok(Event {
                event: raw.event,
                data,
                id: raw.id,
                retry: raw.retry,
            }),
            Err((path, source)) => Err(Error::Decode {
                operation: self.operation,
                status: self.status,
                headers: Box::new(self.headers.clone()),
                path,
                body: bounded_body(Bytes::from(raw.data)),
                source,
                call: self.call,
            }),
        })
    }

    fn close(&mut self) {
        self.body.close();
        self.unparsed.clear();
    }

    /// The error that ends the stream (an event larger than the limit included).
    fn failed(&self, error: ReadError) -> Error {
        let limit = self.settings.max_event_bytes as u64;
        let (operation, status) = (self.operation, self.status);
        error
            .after_headers(operation, status, &self.headers, self.received, limit)
            .recorded(self.call)
    }
}

impl EventStream<String> {
    /// Events whose data is text, kept as it is.
    pub fn text(
        operation: &'static str,
        response: reqwest::Response,
        settings: StreamSettings,
    ) -> Self {
        Self::new(operation, response, settings, |data| Ok(data.to_owned()))
    }
}

impl<T> Stream for EventStream<T> {
    type Item = Result<Event<T>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // Every field is Unpin (the read future is boxed), so the stream is too.
        let this = Pin::into_inner(self);
        loop {
            let mut input: &[u8] = &this.unparsed;
            let parsed = this
                .parser
                .next_event(&mut input, this.settings.max_event_bytes);
            let used = this.unparsed.len() - input.len();
            this.unparsed.advance(used);
            match parsed {
                Ok(Some(raw)) => return Poll::Ready(this.item(raw)),
                Ok(None) => {}
                Err(_) => {
                    this.close();
                    return Poll::Ready(Some(Err(this.failed(ReadError::TooLarge))));
                }
            }
            // The end of the body: an unfinished event is dropped.
            let Some(result) = std::task::ready!(this.body.poll_chunk(cx)) else {
                return Poll::Ready(None);
            };
            let chunk = match result {
                Ok(chunk) => chunk,
                Err(error) => {
                    this.close();
                    return Poll::Ready(Some(Err(this.failed(error))));
                }
            };
            this.received += chunk.len() as u64;
            this.unparsed = chunk;
        }
    }
}
