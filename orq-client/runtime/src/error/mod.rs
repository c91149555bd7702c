//! [`Error`]: the one error type of every generated SDK; `api` holds the declared error
//! responses it carries.

pub(crate) mod api;
pub(crate) mod record;

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

use crate::error::api::{ApiErrorModel, DeclaredStatus, OperationErrors};
use crate::error::record::CallRecord;
use crate::redact::{BodyPreview, RedactedHeaders, snippet};
use crate::validate::violation::ValidationError;

/// The call record of the variants that come from a call, by reference or mutably.
macro_rules! call_of {
    ($error:expr) => {
        match $error {
            Self::Transport { call, .. }
            | Self::Timeout { call, .. }
            | Self::ResponseTooLarge { call, .. }
            | Self::Interrupted { call, .. }
            | Self::Io { call, .. }
            | Self::Api { call, .. }
            | Self::Token { call, .. }
            | Self::Decode { call, .. } => Some(call),
            Self::InvalidRequest(_) | Self::Config(_) | Self::Paging { .. } => None,
        }
    };
}

/// How many characters of a response body the `Display` of an error shows.
const BODY_SNIPPET_CHARS: usize = 200;
/// How many characters of a request id the `Display` of an error shows (ids are
/// UUIDs or shorter; a longer header is cut).
const REQUEST_ID_CHARS: usize = 100;

/// Everything that can go wrong in a call.
///
/// The variants tell apart who has to act: [`InvalidRequest`](Self::InvalidRequest)
/// and [`Config`](Self::Config) are fixed in the calling code,
/// [`Transport`](Self::Transport) and [`Timeout`](Self::Timeout) are network
/// trouble (retried per [`RetryConfig`](crate::RetryConfig) before you see
/// them), [`Api`](Self::Api) is the server refusing the request, and
/// [`Decode`](Self::Decode) is a successful response this SDK could not read.
/// No variant loses the response: status and headers are kept, and the
/// first 64 KiB of the raw body ([`MAX_ERROR_BODY_BYTES`](crate::MAX_ERROR_BODY_BYTES)).
///
/// `Debug` redacts sensitive response headers (`set-cookie`, `authorization`...).
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request broke a schema constraint; nothing was sent.
    #[error(transparent)]
    InvalidRequest(#[from] ValidationError),

    /// The client is misconfigured: a bad server URL, a missing environment
    /// variable, a credential that cannot go in a header.
    #[error("configuration error: {0}")]
    Config(String),

    /// No complete response was received: the connection was refused or
    /// dropped, DNS failed, TLS failed...
    #[error("{operation}: {}", transport_message(.source))]
    Transport {
        /// The operation that was called.
        operation: &'static str,
        /// The underlying error (its URL is removed: it may carry an API key).
        source: reqwest::Error,
        /// What the runtime recorded about the call: [`Error::attempts`], [`Error::request_id`].
        call: CallRecord,
    },

    /// An attempt took longer than the per-attempt timeout, or the call ran
    /// out of its retry budget (`BackoffConfig::max_elapsed_time`).
    #[error(
        "{operation}: no complete response within {timeout:?}; raise the per-attempt timeout (`CallOptions::timeout`, `ClientBuilder::timeout`) or the retry budget (`BackoffConfig::max_elapsed_time`)"
    )]
    Timeout {
        /// The operation that was called.
        operation: &'static str,
        /// How long the attempt had: the per-attempt timeout, or what was
        /// left of the call's budget.
        timeout: Duration,
        /// What the runtime recorded about the call: [`Error::attempts`], [`Error::request_id`].
        call: CallRecord,
    },

    /// The response body is larger than the limit
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes),
    /// default 32 MiB): by its `Content-Length`, or counted while reading.
    /// The rest of the body was not read.
    #[error(
        "{operation}: the {status} response is larger than {limit} bytes; raise the limit with `CallOptions::max_response_bytes` or `ClientBuilder::max_response_bytes`"
    )]
    ResponseTooLarge {
        /// The operation that was called.
        operation: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// The response headers (boxed to keep `Result<T, Error>` small).
        headers: Box<HeaderMap>,
        /// The limit, in bytes.
        limit: u64,
        /// What the runtime recorded about the call: [`Error::attempts`], [`Error::request_id`].
        call: CallRecord,
    },

    /// The connection broke while a response body read as it arrives (a
    /// [`ByteStream`](crate::ByteStream) download, an [`EventStream`](crate::EventStream))
    /// was being read, after its headers: the call is not retried (part of the body was
    /// already handed out). The stream ends after this item.
    #[error("{operation}: the {status} response was cut off after {received} bytes: {}", transport_message(.source))]
    Interrupted {
        /// The operation that was called.
        operation: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// The response headers (boxed to keep `Result<T, Error>` small).
        headers: Box<HeaderMap>,
        /// How many bytes of the body were read before the break.
        received: u64,
        /// The underlying error.
        source: reqwest::Error,
        /// What the runtime recorded about the call: [`Error::attempts`], [`Error::request_id`].
        call: CallRecord,
    },

    /// A file could not be read (a request body or file part given by path) or
    /// written (saving a download).
    #[error("{operation}: {source}")]
    Io {
        /// The operation that was called.
        operation: &'static str,
        /// The I/O error, naming the file.
        source: std::io::Error,
        /// What the runtime recorded about the call: [`Error::attempts`], [`Error::request_id`].
        call: CallRecord,
    },

    /// The server answered with an error status (4XX, 5XX) or one the API
    /// does not declare for this operation.
    #[error("{operation}: the server answered {status}{}{}", request_id_note(.call, .headers), body_suffix(.body))]
    Api {
        /// The operation that was called.
        operation: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// The response headers (boxed to keep `Result<T, Error>` small).
        headers: Box<HeaderMap>,
        /// The raw response body: its first 64 KiB ([`MAX_ERROR_BODY_BYTES`](crate::MAX_ERROR_BODY_BYTES)).
        body: Bytes,
        /// The response parsed into the operation's enum of declared error
        /// responses (read it with [`Error::api_error`]): `None` for a status
        /// the operation does not declare, or a declared body that does not
        /// parse.
        model: Option<ApiErrorModel>,
        /// What the runtime recorded about the call: [`Error::attempts`], [`Error::request_id`].
        call: CallRecord,
    },

    /// No OAuth2 access token could be obtained: the token endpoint refused
    /// the client credentials, could not be reached, or answered something
    /// that is not a bearer token. The API itself was not called.
    #[error("OAuth2 token request to {token_url} failed: {message}")]
    Token {
        /// The token endpoint.
        token_url: String,
        /// The token endpoint's status, when it answered.
        status: Option<StatusCode>,
        /// What went wrong, with the OAuth2 `error` and `error_description`
        /// when the endpoint sent them.
        message: String,
        /// The token endpoint's raw error body (never a 2XX body, which may
        /// hold a live token).
        body: Bytes,
        /// Whether another attempt may succeed (what the retry policy reads):
        /// the endpoint refused or reset the connection, timed out, cut its
        /// answer short or answered 5XX. A 4XX, a DNS or TLS failure, or a
        /// credential that cannot be sent is not.
        transient: bool,
        /// What the runtime recorded about the call: [`Error::attempts`], [`Error::request_id`].
        call: CallRecord,
    },

    /// Paging stopped because the server misbehaved: it gave the same next-page
    /// marker (cursor, URL) twice or a page that repeats an earlier one, which would
    /// loop forever, more pages than the page limit, or a next-page URL on another
    /// origin (credentials are never sent there).
    #[error("{operation}: paging stopped: {message}")]
    Paging {
        /// The operation that was called.
        operation: &'static str,
        /// What the server did.
        message: String,
    },

    /// A successful response whose body does not match the expected schema.
    #[error(
        "{operation}: could not decode the {status} response{}{} at `{path}`: {source}{}",
        content_type_note(.headers),
        request_id_note(.call, .headers),
        body_suffix(.body)
    )]
    Decode {
        /// The operation that was called.
        operation: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// The response headers (boxed to keep `Result<T, Error>` small).
        headers: Box<HeaderMap>,
        /// The raw response body: its first 64 KiB ([`MAX_ERROR_BODY_BYTES`](crate::MAX_ERROR_BODY_BYTES)).
        body: Bytes,
        /// JSON path of the value that failed (`.` for the document itself).
        path: String,
        /// What serde_json reported.
        source: serde_json::Error,
        /// What the runtime recorded about the call: [`Error::attempts`], [`Error::request_id`].
        call: CallRecord,
    },
}

impl Error {
    /// A [`Transport`](Self::Transport) error, with the URL (which may hold
    /// an API key in its query) removed from `source`.
    pub(crate) fn transport(operation: &'static str, source: reqwest::Error) -> Self {
        Self::Transport {
            operation,
            source: source.without_url(),
            call: CallRecord::default(),
        }
    }

    /// The error with `call` recorded in it (the variants that come from a call).
    pub(crate) fn recorded(mut self, record: CallRecord) -> Self {
        if let Some(call) = self.call_mut() {
            *call = record;
        }
        self
    }

    fn call_mut(&mut self) -> Option<&mut CallRecord> {
        call_of!(self)
    }

    /// What the runtime recorded about the call this error ended: its attempts and
    /// where its request id is. `None` for errors that no call ended with (nothing
    /// was sent: [`InvalidRequest`](Self::InvalidRequest), [`Config`](Self::Config);
    /// or paging stopped between calls: [`Paging`](Self::Paging)).
    pub fn call(&self) -> Option<CallRecord> {
        call_of!(self).copied()
    }

    /// How many attempts the call made before ending with this error: 1 when it was
    /// not retried, 3 after two retries; 0 when nothing was sent (see
    /// [`call`](Self::call)). An error read from a stream after the call
    /// ([`Interrupted`](Self::Interrupted), ...) reports the attempts of the call that
    /// opened it.
    pub fn attempts(&self) -> u32 {
        self.call().map_or(0, |call| call.attempts())
    }

    /// The server's id for the request, to quote to the API's support: the response
    /// header the client names
    /// ([`ClientBuilder::request_id_header`](crate::ClientBuilder::request_id_header)),
    /// else the first of [`REQUEST_ID_HEADERS`](crate::REQUEST_ID_HEADERS)
    /// (`x-request-id`, `request-id`, ...). `None` without a response, or when the
    /// response has none. Shown by `Display` for [`Api`](Self::Api) and
    /// [`Decode`](Self::Decode) errors, and recorded in the call's tracing span.
    pub fn request_id(&self) -> Option<&str> {
        self.call()?.request_id(self.headers()?)
    }

    /// True for a response with status 404 Not Found.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// True for a response with status 429 Too Many Requests (after the retries the
    /// policy allowed; its `Retry-After` is in [`headers`](Self::headers)).
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(StatusCode::TOO_MANY_REQUESTS)
    }

    /// True for a response with a 4XX status: the request needs fixing (or the
    /// resource is gone, or the caller may not do this).
    pub fn is_client_error(&self) -> bool {
        self.status().is_some_and(|status| status.is_client_error())
    }

    /// True for a response with a 5XX status: the server failed (after the retries
    /// the policy allowed).
    pub fn is_server_error(&self) -> bool {
        self.status().is_some_and(|status| status.is_server_error())
    }

    /// True when the connection failed: no complete response
    /// ([`Transport`](Self::Transport)), or a body read as it arrives was cut off
    /// ([`Interrupted`](Self::Interrupted)). Timeouts are [`is_timeout`](Self::is_timeout).
    pub fn is_transport(&self) -> bool {
        matches!(self, Self::Transport { .. } | Self::Interrupted { .. })
    }

    /// The operation the error belongs to, when a call was made.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Self::Transport { operation, .. }
            | Self::Timeout { operation, .. }
            | Self::Api { operation, .. }
            | Self::Decode { operation, .. }
            | Self::Interrupted { operation, .. }
            | Self::Io { operation, .. }
            | Self::ResponseTooLarge { operation, .. }
            | Self::Paging { operation, .. } => Some(operation),
            Self::InvalidRequest(_) | Self::Config(_) | Self::Token { .. } => None,
        }
    }

    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api { status, .. }
            | Self::Decode { status, .. }
            | Self::Interrupted { status, .. }
            | Self::ResponseTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The response headers, when a response was received.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Self::Api { headers, .. }
            | Self::Decode { headers, .. }
            | Self::Interrupted { headers, .. }
            | Self::ResponseTooLarge { headers, .. } => Some(&**headers),
            _ => None,
        }
    }

    /// The raw response body (its first 64 KiB), when a response was received.
    pub fn raw_body(&self) -> Option<&Bytes> {
        match self {
            Self::Api { body, .. } | Self::Decode { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The declared error response of operation `O`, parsed into its enum
    /// (`err.api_error::<requests::ContactsCreate>()` gives a
    /// `&requests::ContactsCreateError`): `None` if this is not an
    /// [`Api`](Self::Api) error of `O` (another operation's, whatever its
    /// types), if the status is one `O` does not declare, or if the body of
    /// a declared status does not parse (the raw body is still in
    /// [`raw_body`](Self::raw_body)).
    pub fn api_error<O: OperationErrors>(&self) -> Option<&O::Error> {
        match self {
            Self::Api {
                operation,
                model: Some(model),
                ..
            } if *operation == O::OPERATION_ID => model.downcast_ref(),
            _ => None,
        }
    }

    /// [`api_error`](Self::api_error) by value: the parsed error response of
    /// operation `O`, or the error itself, unchanged, when there is none.
    pub fn into_api_error<O: OperationErrors>(self) -> Result<O::Error, Self> {
        match self {
            Self::Api {
                operation,
                status,
                headers,
                body,
                model: Some(model),
                call,
            } if operation == O::OPERATION_ID => model.downcast().map_err(|model| Self::Api {
                operation,
                status,
                headers,
                body,
                model: Some(model),
                call,
            }),
            other => Err(other),
        }
    }

    /// The violations, for an [`InvalidRequest`](Self::InvalidRequest).
    pub fn validation(&self) -> Option<&ValidationError> {
        match self {
            Self::InvalidRequest(error) => Some(error),
            _ => None,
        }
    }

    /// True for a [`Timeout`](Self::Timeout), and for a transport error that a
    /// caller-supplied `reqwest::Client` reported as a timeout.
    pub fn is_timeout(&self) -> bool {
        match self {
            Self::Timeout { .. } => true,
            Self::Transport { source, .. } => source.is_timeout(),
            _ => false,
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidRequest(error) => f.debug_tuple("InvalidRequest").field(error).finish(),
            Self::Config(message) => f.debug_tuple("Config").field(message).finish(),
            Self::Paging { operation, message } => f
                .debug_struct("Paging")
                .field("operation", operation)
                .field("message", message)
                .finish(),
            Self::Transport {
                operation,
                source,
                call,
            } => f
                .debug_struct("Transport")
                .field("operation", operation)
                .field("source", source)
                .field("call", call)
                .finish(),
            Self::Timeout {
                operation,
                timeout,
                call,
            } => f
                .debug_struct("Timeout")
                .field("operation", operation)
                .field("timeout", timeout)
                .field("call", call)
                .finish(),
            Self::ResponseTooLarge {
                operation,
                status,
                headers,
                limit,
                call,
            } => f
                .debug_struct("ResponseTooLarge")
                .field("operation", operation)
                .field("status", status)
                .field("headers", &RedactedHeaders(headers))
                .field("limit", limit)
                .field("call", call)
                .finish(),
            Self::Interrupted {
                operation,
                status,
                headers,
                received,
                source,
                call,
            } => f
                .debug_struct("Interrupted")
                .field("operation", operation)
                .field("status", status)
                .field("headers", &RedactedHeaders(headers))
                .field("received", received)
                .field("source", source)
                .field("call", call)
                .finish(),
            Self::Io {
                operation,
                source,
                call,
            } => f
                .debug_struct("Io")
                .field("operation", operation)
                .field("source", source)
                .field("call", call)
                .finish(),
            Self::Token {
                token_url,
                status,
                message,
                body,
                transient,
                call,
            } => f
                .debug_struct("Token")
                .field("token_url", token_url)
                .field("status", status)
                .field("message", message)
                .field("body", &BodyPreview(body))
                .field("transient", transient)
                .field("call", call)
                .finish(),
            Self::Api {
                operation,
                status,
                headers,
                body,
                model,
                call,
            } => f
                .debug_struct("Api")
                .field("operation", operation)
                .field("status", status)
                .field("headers", &RedactedHeaders(headers))
                .field("body", &BodyPreview(body))
                .field("model", model)
                .field("call", call)
                .finish(),
            Self::Decode {
                operation,
                status,
                headers,
                body,
                path,
                source,
                call,
            } => f
                .debug_struct("Decode")
                .field("operation", operation)
                .field("status", status)
                .field("headers", &RedactedHeaders(headers))
                .field("body", &BodyPreview(body))
                .field("path", path)
                .field("source", source)
                .field("call", call)
                .finish(),
        }
    }
}

fn body_suffix(body: &Bytes) -> String {
    let text = snippet(body, BODY_SNIPPET_CHARS);
    if text.is_empty() {
        String::new()
    } else {
        format!(": {text}")
    }
}

/// ` (request id …)` when the response has one: what the API's support asks for.
fn request_id_note(call: &CallRecord, headers: &HeaderMap) -> String {
    match call.request_id(headers) {
        Some(id) => format!(" (request id {})", snippet(id.as_bytes(), REQUEST_ID_CHARS)),
        None => String::new(),
    }
}

fn content_type_note(headers: &HeaderMap) -> String {
    match headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    {
        Some(content_type) => format!(" (content-type `{content_type}`)"),
        None => String::new(),
    }
}

fn transport_message(source: &reqwest::Error) -> String {
    let what = if source.is_connect() {
        "could not connect to the server"
    } else if source.is_body() || source.is_decode() {
        "the connection failed while reading the response"
    } else if source.is_timeout() {
        "the HTTP client timed out"
    } else {
        "the request failed"
    };
    // reqwest's own message is terse; the cause chain says what happened.
    let mut message = format!("{what}: {source}");
    let mut cause = std::error::Error::source(source);
    while let Some(error) = cause {
        message.push_str(": ");
        message.push_str(&error.to_string());
        cause = error.source();
    }
    message
}

/// Reading a [`DeclaredStatus`] out of an [`Error`], as a generated error enum's
/// `from_error` does (here, next to [`Error`], which `error::api` sits below).
impl<O: OperationErrors<Error = Self>> DeclaredStatus<O> {
    /// The declared status in `error`: `None` if `error` is not an `Error::Api` of
    /// this operation, or if its status is one the spec does not declare.
    #[inline]
    pub fn from_error(error: &Error) -> Option<&Self> {
        error.api_error::<O>()
    }

    /// [`from_error`](Self::from_error) by value: the declared status, or `error`
    /// itself, unchanged, when there is none.
    #[inline]
    pub fn try_from_error(error: Error) -> Result<Self, Error> {
        error.into_api_error::<O>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_error_display_and_helpers() {
        #[derive(Debug, PartialEq)]
        struct Model {
            code: u32,
        }
        struct GetContact;
        impl OperationErrors for GetContact {
            const OPERATION_ID: &'static str = "get_contact";
            type Error = Model;
        }
        struct ListContacts;
        impl OperationErrors for ListContacts {
            const OPERATION_ID: &'static str = "list_contacts";
            type Error = String;
        }
        let mut headers = HeaderMap::new();
        headers.insert("set-cookie", "session=abc".parse().unwrap());
        headers.insert("x-request-id", "req-42".parse().unwrap());
        let error = Error::Api {
            operation: "get_contact",
            status: StatusCode::NOT_FOUND,
            headers: Box::new(headers),
            body: Bytes::from_static(b"{\"message\": \"no such contact\"}"),
            model: Some(ApiErrorModel::new(Model { code: 7 })),
            call: CallRecord::new(3, None),
        };
        assert_eq!(
            error.to_string(),
            "get_contact: the server answered 404 Not Found (request id req-42): {\"message\": \"no such contact\"}"
        );
        assert_eq!(error.request_id(), Some("req-42"));
        assert_eq!(error.attempts(), 3);
        assert!(error.is_not_found() && error.is_client_error());
        assert!(!error.is_server_error() && !error.is_rate_limited() && !error.is_transport());
        assert_eq!(error.api_error::<GetContact>(), Some(&Model { code: 7 }));
        assert_eq!(error.api_error::<ListContacts>(), None);
        let Error::Api {
            model: Some(model), ..
        } = &error
        else {
            unreachable!()
        };
        assert!(
            model.type_name().ends_with("::Model"),
            "{}",
            model.type_name()
        );
        assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
        assert!(!error.is_timeout());
        let debug = format!("{error:?}");
        assert!(!debug.contains("session=abc"), "{debug}");
        assert!(debug.contains("Model { code: 7 }"), "{debug}");
    }

    #[test]
    fn status_helpers_and_calls_without_a_response() {
        let api = |status: StatusCode| Error::Api {
            operation: "op",
            status,
            headers: Box::default(),
            body: Bytes::new(),
            model: None,
            call: CallRecord::new(1, None),
        };
        let limited = api(StatusCode::TOO_MANY_REQUESTS);
        assert!(limited.is_rate_limited() && limited.is_client_error());
        assert!(!limited.is_not_found());
        let unavailable = api(StatusCode::SERVICE_UNAVAILABLE);
        assert!(unavailable.is_server_error() && !unavailable.is_client_error());
        assert_eq!(unavailable.request_id(), None);
        // No response: no status, no request id, but the attempts are known.
        let timeout = Error::Timeout {
            operation: "op",
            timeout: Duration::from_secs(1),
            call: CallRecord::default(),
        }
        .recorded(CallRecord::new(4, None));
        assert_eq!(timeout.attempts(), 4);
        assert!(timeout.is_timeout() && !timeout.is_transport() && !timeout.is_server_error());
        assert_eq!(timeout.request_id(), None);
        // Nothing was sent.
        let config = Error::Config("bad".into()).recorded(CallRecord::new(2, None));
        assert_eq!((config.attempts(), config.call()), (0, None));
    }

    #[test]
    fn validation_converts() {
        let error: Error =
            ValidationError::single(crate::validate::violation::Violation::missing("name")).into();
        assert_eq!(
            error.to_string(),
            "invalid request: name: is required but was not set"
        );
        assert!(error.validation().is_some());
    }
}
