//! [`Response`]: what came back, whatever the status. Its children are the other forms
//! a response takes: a decoded value with its status and headers (`value`), a body read
//! as it arrives (`byte_stream`, `event_stream`, with the `sse` parser).

pub(crate) mod byte_stream;
pub(crate) mod event_stream;
pub(crate) mod sse;
pub(crate) mod value;

use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::error::api::{ApiErrorModel, DeclaredStatus, OperationErrors};
use crate::error::record::CallRecord;
use crate::redact::{RedactedHeaders, bounded_body, snippet};
use crate::response::byte_stream::ByteStream;
use crate::validate::Validate;
use crate::validate::violation::ValidationError;

/// A response: status, headers and the whole body (or, for a request that asked
/// for it, a successful body left unread: [`byte_stream`](Self::byte_stream)).
///
/// [`Core::execute`](crate::__private::Core::execute) returns one for any
/// status; generated code then turns it into a model with
/// [`json`](Self::json) or into an error with [`api_error_json`](Self::api_error_json).
pub struct Response {
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    unread: Option<Unread>,
    call: CallRecord,
}

/// A body left to be read as a stream.
pub(crate) struct Unread {
    pub(crate) response: reqwest::Response,
    pub(crate) idle_timeout: Option<std::time::Duration>,
    pub(crate) limit: u64,
}

impl Response {
    /// Assembles a response (for tests and custom transports).
    pub fn from_parts(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
    ) -> Self {
        Self {
            operation,
            status,
            headers,
            body,
            unread: None,
            call: CallRecord::default(),
        }
    }

    /// The response with what the pipeline recorded about its call.
    pub(crate) fn recorded(mut self, call: CallRecord) -> Self {
        self.call = call;
        self
    }

    /// A response whose body is still on the connection.
    pub(crate) fn unread(operation: &'static str, unread: Unread) -> Self {
        Self {
            operation,
            status: unread.response.status(),
            headers: unread.response.headers().clone(),
            body: Bytes::new(),
            unread: Some(unread),
            call: CallRecord::default(),
        }
    }

    /// The live response of a body left unread (an event stream's); `None` when the
    /// body was read.
    pub(crate) fn take_unread(&mut self) -> Option<reqwest::Response> {
        self.unread.take().map(|unread| unread.response)
    }

    /// The body as a [`ByteStream`](crate::ByteStream): read as it arrives when the
    /// request asked for that, else the body already read.
    pub fn byte_stream(self) -> ByteStream {
        match self.unread {
            Some(unread) => ByteStream::new(
                self.operation,
                unread.response,
                unread.idle_timeout,
                unread.limit,
            ),
            None => ByteStream::from_bytes(
                self.operation,
                self.status,
                self.headers,
                self.body,
                u64::MAX,
            ),
        }
        .recorded(self.call)
    }

    /// What the runtime recorded about the call: its attempts and where its
    /// request id is.
    pub fn call(&self) -> CallRecord {
        self.call
    }

    /// How many attempts the call made (1 when it was not retried).
    pub fn attempts(&self) -> u32 {
        self.call.attempts()
    }

    /// The server's id for the request (see [`Error::request_id`]), if the response
    /// has one.
    pub fn request_id(&self) -> Option<&str> {
        self.call.request_id(&self.headers)
    }

    /// The operation this response belongs to.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw body (empty while it is left unread for [`byte_stream`](Self::byte_stream)).
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// True if the `Content-Type` is JSON (`application/json`, any
    /// `…/…+json`) or missing.
    pub fn is_json(&self) -> bool {
        let Some(content_type) = self.headers.get(http::header::CONTENT_TYPE) else {
            return true;
        };
        let Ok(content_type) = content_type.to_str() else {
            return false;
        };
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        essence == "application/json" || essence.ends_with("+json")
    }

    /// Decodes the body as JSON into `T`.
    ///
    /// A body that does not match fails with [`Error::Decode`], which keeps
    /// the status, headers, raw body and the JSON path of the value that did
    /// not fit. Bodies labelled with a non-JSON content type are still tried,
    /// since servers mislabel JSON; if they fail, the error names the
    /// content type.
    pub fn json<T: DeserializeOwned>(self) -> Result<T, Error> {
        // Most bodies fit: read without tracking the path, which costs on every value;
        // one that does not is read again to say where.
        if let Ok(value) = serde_json::from_slice(&self.body) {
            return Ok(value);
        }
        let mut deserializer = serde_json::Deserializer::from_slice(&self.body);
        match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Ok(value) => match deserializer.end() {
                Ok(()) => Ok(value),
                Err(trailing) => Err(self.decode_error(".".to_owned(), trailing)),
            },
            Err(error) => {
                let path = error.path().to_string();
                Err(self.decode_error(path, error.into_inner()))
            }
        }
    }

    /// [`json`](Self::json), then checks the value against the spec's limits.
    /// What the server broke is logged (`tracing` at `warn`) and the value is
    /// returned as received: a client never rejects data for the server's
    /// mistakes.
    #[doc(hidden)]
    pub fn json_checked<T: DeserializeOwned + Validate>(self) -> Result<T, Error> {
        let operation = self.operation;
        let value = self.json::<T>()?;
        let mut violations = Vec::new();
        value.validate_at("", &mut violations);
        if !violations.is_empty() {
            let violations = ValidationError::new(violations);
            tracing::warn!(
                operation,
                %violations,
                "response does not meet the spec's limits; kept as received"
            );
        }
        Ok(value)
    }

    /// Turns the response into [`Error::Api`] with its declared error
    /// response: the JSON body parsed into `T` and wrapped by `variant` (a
    /// variant of the operation's error enum). A body that does not parse
    /// leaves the model `None`; the raw body is kept either way.
    pub fn api_error_json<T, E>(self, variant: fn(T) -> E) -> Error
    where
        T: DeserializeOwned,
        E: fmt::Debug + Send + Sync + 'static,
    {
        let model = serde_json::from_slice::<T>(&self.body)
            .ok()
            .map(|value| ApiErrorModel::new(variant(value)));
        self.into_api_error(model)
    }

    /// [`api_error_json`](Self::api_error_json) for a text body: `None` when
    /// it is not UTF-8.
    pub fn api_error_text<E>(self, variant: fn(String) -> E) -> Error
    where
        E: fmt::Debug + Send + Sync + 'static,
    {
        let model = std::str::from_utf8(&self.body)
            .ok()
            .map(|text| ApiErrorModel::new(variant(text.to_owned())));
        self.into_api_error(model)
    }

    /// Turns the response into [`Error::Api`] with `value`, the declared
    /// error response that has no body to parse (or one kept only raw).
    pub fn api_error_as<E>(self, value: E) -> Error
    where
        E: fmt::Debug + Send + Sync + 'static,
    {
        self.into_api_error(Some(ApiErrorModel::new(value)))
    }

    /// Turns the response into [`Error::Api`] with its declared error response
    /// parsed into the operation's error enum `E` (the variant of its status).
    #[doc(hidden)]
    #[inline]
    pub fn api_error_enum<E: ErrorResponses>(self) -> Error {
        E::api_error(self)
    }

    /// The response itself when its status is a success (2XX), else the error it
    /// stands for, decoded by [`api_error_enum`](Self::api_error_enum) (`E = ()`: an
    /// operation without declared errors): the whole `match` of an operation whose
    /// successes all decode alike.
    #[doc(hidden)]
    #[inline]
    pub fn success_or<E: ErrorResponses>(self) -> Result<Self, Error> {
        match self.status.as_u16() {
            200..=299 => Ok(self),
            _ => Err(E::api_error(self)),
        }
    }

    /// Turns the response into [`Error::Api`] without a parsed model.
    pub fn api_error_untyped(self) -> Error {
        self.into_api_error(None)
    }

    /// Accepts an empty response; any body is ignored.
    pub fn empty(self) -> Result<(), Error> {
        Ok(())
    }

    /// The body as text; invalid UTF-8 fails with [`Error::Decode`].
    pub fn text(self) -> Result<String, Error> {
        match std::str::from_utf8(&self.body) {
            Ok(text) => Ok(text.to_owned()),
            Err(error) => {
                let message = format!("the body is not valid UTF-8: {error}");
                let source = <serde_json::Error as serde::de::Error>::custom(message);
                Err(self.decode_error(".".to_owned(), source))
            }
        }
    }

    /// The raw body.
    pub fn bytes(self) -> Bytes {
        self.body
    }

    fn into_api_error(self, model: Option<ApiErrorModel>) -> Error {
        Error::Api {
            operation: self.operation,
            status: self.status,
            headers: Box::new(self.headers),
            body: bounded_body(self.body),
            model,
            call: self.call,
        }
    }

    fn decode_error(self, path: String, source: serde_json::Error) -> Error {
        Error::Decode {
            operation: self.operation,
            status: self.status,
            headers: Box::new(self.headers),
            body: bounded_body(self.body),
            path,
            source,
            call: self.call,
        }
    }
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field(
                "body",
                &format_args!(
                    "{:?} ({} bytes)",
                    snippet(&self.body, 1_000),
                    self.body.len()
                ),
            )
            .finish()
    }
}

/// How an operation's error enum is read from a response whose status is not a
/// success (generated code only: the runtime's `error_enum!` writes the impl from the
/// enum's statuses, so an operation's `decode` only names the enum).
#[doc(hidden)]
pub trait ErrorResponses {
    /// The response as [`Error::Api`], its declared error response parsed into the
    /// enum's variant for its status.
    fn api_error(response: Response) -> Error;
}

/// An operation without declared error responses: every error is untyped.
impl ErrorResponses for () {
    #[inline]
    fn api_error(response: Response) -> Error {
        response.api_error_untyped()
    }
}

/// An operation whose declared error responses have no body: a declared status is
/// kept as [`DeclaredStatus`], any other is untyped.
impl<O: OperationErrors + 'static> ErrorResponses for DeclaredStatus<O> {
    fn api_error(response: Response) -> Error {
        match DeclaredStatus::<O>::declared(response.status) {
            Some(declared) => response.api_error_as(declared),
            None => response.api_error_untyped(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn response(content_type: Option<&str>, body: &'static str) -> Response {
        let mut headers = HeaderMap::new();
        if let Some(content_type) = content_type {
            headers.insert(http::header::CONTENT_TYPE, content_type.parse().unwrap());
        }
        Response::from_parts(
            "op",
            StatusCode::OK,
            headers,
            Bytes::from_static(body.as_bytes()),
        )
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        count: u32,
    }

    #[test]
    fn a_declared_bodiless_status_is_kept_as_declared_status_of_its_operation() {
        struct GetThing;
        impl OperationErrors for GetThing {
            const OPERATION_ID: &'static str = "op";
            type Error = DeclaredStatus<GetThing>;
            const STATUSES: &'static [std::ops::RangeInclusive<u16>] = &[404..=404, 500..=599];
        }
        // Another operation with the same id shape but its own type: never confused.
        struct OtherThing;
        impl OperationErrors for OtherThing {
            const OPERATION_ID: &'static str = "other";
            type Error = DeclaredStatus<OtherThing>;
            const STATUSES: &'static [std::ops::RangeInclusive<u16>] = &[0..=999];
        }
        let answer = |status: u16| {
            let mut response = response(Some("text/html"), "<h1>no</h1>");
            response.status = StatusCode::from_u16(status).unwrap();
            response
        };
        for (status, declared) in [
            (404, true),
            (503, true),
            (500, true),
            (400, false),
            (409, false),
        ] {
            let error = DeclaredStatus::<GetThing>::api_error(answer(status));
            // Nothing is lost either way: status and raw body.
            assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
            assert_eq!(error.raw_body().map(|b| &b[..]), Some(&b"<h1>no</h1>"[..]));
            let read = DeclaredStatus::<GetThing>::from_error(&error);
            assert_eq!(
                read.map(|d| d.status().as_u16()),
                declared.then_some(status),
                "{status}"
            );
            assert!(DeclaredStatus::<OtherThing>::from_error(&error).is_none());
            match DeclaredStatus::<GetThing>::try_from_error(error) {
                Ok(d) => assert!(declared && d.status() == status),
                Err(error) => assert!(!declared && error.status().is_some()),
            }
        }
        let error = DeclaredStatus::<GetThing>::api_error(answer(404));
        let debug = format!("{error:?}");
        assert!(
            debug.contains("DeclaredStatus { operation: \"op\", status: 404 }"),
            "{debug}"
        );
        let declared = *DeclaredStatus::<GetThing>::from_error(&error).unwrap();
        assert_eq!(declared, declared.clone());
    }

    #[test]
    fn json_content_types() {
        assert!(response(None, "").is_json());
        assert!(response(Some("application/json; charset=utf-8"), "").is_json());
        assert!(response(Some("application/problem+json"), "").is_json());
        assert!(!response(Some("text/html"), "").is_json());
    }

    #[test]
    fn decode_error_has_path() {
        let error = response(
            Some("application/json"),
            r#"{"items": [{"count": 1}, {"count": "x"}]}"#,
        )
        .json::<std::collections::BTreeMap<String, Vec<Item>>>()
        .unwrap_err();
        let Error::Decode { path, .. } = &error else {
            panic!("{error:?}")
        };
        assert_eq!(path, "items[1].count");
    }

    #[test]
    fn trailing_garbage_is_a_decode_error() {
        let error = response(None, r#"{"count": 1} trailing"#)
            .json::<Item>()
            .unwrap_err();
        assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    }

    #[test]
    fn text_and_bytes() {
        assert_eq!(response(None, "héllo").text().unwrap(), "héllo");
        assert_eq!(response(None, "x").bytes(), Bytes::from_static(b"x"));
        let bad = Response::from_parts(
            "op",
            StatusCode::OK,
            HeaderMap::new(),
            Bytes::from_static(&[0xff]),
        );
        assert!(matches!(bad.text(), Err(Error::Decode { .. })));
    }
}
