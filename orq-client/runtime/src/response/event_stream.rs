//! [`EventStream`]: a `text/event-stream` response read as typed events, each decoded as
//! it completes (the parsing rules are in `response::sse`).

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use http::{HeaderMap, StatusCode};

use crate::error::Error;
use crate::response::sse::{Parser, RawEvent};
use crate::transport::read::{Chunks, ReadError};

/// One server-sent event, its data decoded into `T`.
#[derive(Clone, Debug, PartialEq)]
pub struct Event<T> {
    /// The event type (`event:`), `message` when the server gives none.
    pub event: String,
    /// The event's data (`data:` lines joined with `\n`), decoded.
    pub data: T,
    /// The last event id the server set (`id:`), which also applies to later events.
    pub id: Option<String>,
    /// The reconnection time the server asked for (`retry:`), if this event set one.
    pub retry: Option<Duration>,
}

/// How a typed event stream reads its response.
#[derive(Clone, Debug)]
pub struct StreamSettings {
    /// The longest wait for the next bytes; `None`: wait forever.
    pub idle_timeout: Option<Duration>,
    /// Event data that ends the stream cleanly (`[DONE]` for LLM chat completions).
    pub sentinel: Option<String>,
    /// The largest event accepted, in bytes; a larger one ends the stream with
    /// [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge).
    pub max_event_bytes: usize,
}

impl Default for StreamSettings {
    fn default() -> Self {
        StreamSettings {
            idle_timeout: None,
            sentinel: Some("[DONE]".to_owned()),
            max_event_bytes: 16 * 1024 * 1024,
        }
    }
}

/// Decodes one event's data; on failure, the JSON path of the bad value and the error.
type Decoder<T> = fn(&str) -> Result<T, (String, serde_json::Error)>;

/// A stream of server-sent events, each `Result<Event<T>, Error>`.
///
/// An event whose data does not decode is an `Err(Error::Decode)` item carrying the raw
/// data, and the stream goes on. A broken connection ([`Error::Interrupted`], with the
/// status, headers and bytes received), an idle timeout ([`Error::Timeout`]) and an
/// oversized event ([`Error::ResponseTooLarge`]) end it. Dropping the stream closes the
/// connection.
pub struct EventStream<T> {
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    body: Chunks,
    /// Bytes of the body read so far.
    received: u64,
    parser: Parser,
    ready: std::collections::VecDeque<RawEvent>,
    settings: StreamSettings,
    decode: Decoder<T>,
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
            serde_path_to_error::deserialize(&mut json)
                .map_err(|err| (err.path().to_string(), err.into_inner()))
        })
    }

    fn new(
        operation: &'static str,
        response: reqwest::Response,
        settings: StreamSettings,
        decode: Decoder<T>,
    ) -> Self {
        EventStream {
            operation,
            status: response.status(),
            headers: response.headers().clone(),
            body: Chunks::new(response, settings.idle_timeout),
            received: 0,
            parser: Parser::default(),
            ready: Default::default(),
            settings,
            decode,
        }
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
                body: Bytes::from(raw.data),
                source,
            }),
        })
    }

    fn close(&mut self) {
        self.body.close();
        self.ready.clear();
    }

    /// The error that ends the stream (an event larger than the limit included).
    fn failed(&self, error: ReadError) -> Error {
        let limit = self.settings.max_event_bytes as u64;
        let (operation, status) = (self.operation, self.status);
        error.after_headers(operation, status, &self.headers, self.received, limit)
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
            if let Some(raw) = this.ready.pop_front() {
                return Poll::Ready(this.item(raw));
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
            let mut events = Vec::new();
            let fed = this
                .parser
                .feed(&chunk, this.settings.max_event_bytes, &mut events);
            this.ready.extend(events);
            if fed.is_err() {
                this.close();
                return Poll::Ready(Some(Err(this.failed(ReadError::TooLarge))));
            }
        }
    }
}
