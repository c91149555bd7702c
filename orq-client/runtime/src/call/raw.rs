//! [`RawRequest`]: a call to an endpoint the spec does not describe, made through the
//! same pipeline as every operation (server URL, credentials, retries, hooks, limits).

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;

use http::Method;
use serde::Serialize;

use crate::client::core::Core;
use crate::error::Error;
use crate::options::CallOptions;
use crate::request::RequestSpec;
use crate::response::Response;
use crate::validate::violation::Violation;
use crate::wire::body::Body;
use crate::wire::encode::{encode_path, encode_path_segment, is_dot_segment};

/// The operation name of a [`RawRequest`] unless [`RawRequest::operation`] gives one:
/// what errors and the `orq.call` tracing span show.
const OPERATION: &str = "request";

/// The future of a [`RawRequest`]: the response of a 2XX status, else the error.
pub type RawResponseFuture = Pin<Box<dyn Future<Output = Result<Response, Error>> + Send>>;

/// A request to an endpoint the spec does not describe (a new or undocumented one),
/// sent like every operation of the client: to its server URL (after its base path),
/// with its default headers, `User-Agent` and credentials, following its retry policy,
/// hooks, timeouts, redirect rules and response limit. Made by a generated client's
/// `request(method, path)` ([`Core::request`]).
///
/// Awaiting it (or [`send`](Self::send)) gives the [`Response`] of a 2XX status: its
/// [`status`](Response::status), [`headers`](Response::headers), and the body as
/// [`bytes`](Response::bytes), [`text`](Response::text) or
/// [`json`](Response::json)`::<T>()` (a `serde_json::Value` when there is no type for
/// it). Any other status is an [`Error::Api`] keeping status, headers and body, as for
/// operations.
///
/// ```no_run
/// # use orq_runtime::__private::Core;
/// # async fn example(client: &Core) -> Result<(), orq_runtime::Error> {
/// use orq_runtime::http::Method;
/// use orq_runtime::serde_json::{Value, json};
///
/// let created: Value = client
///     .request(Method::POST, "/v2/beta/labels")
///     .query("dry_run", true)
///     .header("x-feature", "labels")
///     .json(&json!({ "name": "vip" }))
///     .await?
///     .json()?;
/// # Ok(()) }
/// ```
///
/// **Credentials**: the security requirement most of the spec's operations use (its
/// default), satisfied by the credentials the client was built with, exactly as for
/// an operation declaring it: bearer or basic `Authorization`, API keys in the
/// header, query or cookie the spec names, OAuth2 client-credential tokens.
/// [`without_credentials`](Self::without_credentials) sends none.
///
/// **Path**: `path` is appended to the server URL's base path. `/` separates segments
/// and `%XX` escapes are kept as written; every other character a URL path cannot
/// hold (a space, `?`, `#`, `\`, non-ASCII text, a `%` that starts no escape) is
/// percent-encoded, so the path never grows a query or a fragment: add those with
/// [`query`](Self::query). A `.` or `..` segment is refused before anything is sent.
/// Put values that may hold `/` (ids, names) in with
/// [`path_segment`](Self::path_segment), which encodes them whole.
///
/// **Retries**: the client's policy for the method (GET, PUT, DELETE, ... by default;
/// POST and PATCH only with [`RetryConfig::retry_non_idempotent`](crate::RetryConfig::retry_non_idempotent)
/// or a per-call [`retries`](Self::retries)). A POST or PATCH that may be retried
/// gets an idempotency key.
#[must_use = "a request does nothing until it is awaited"]
pub struct RawRequest {
    core: Core,
    request: RequestSpec,
    options: CallOptions,
    /// Why nothing can be sent (a body that does not serialize), reported by `send`.
    failed: Option<Error>,
}

impl Core {
    /// A request to an endpoint the spec does not describe, at `path` on the
    /// client's server, sent with its credentials, retries, hooks and limits; see
    /// [`RawRequest`].
    pub fn request(&self, method: Method, path: &str) -> RawRequest {
        let mut request = RequestSpec::new(method, OPERATION, encode_path(path));
        request.security(self.config.info.security);
        RawRequest {
            core: self.clone(),
            request,
            options: CallOptions::default(),
            failed: None,
        }
    }
}

impl RawRequest {
    __call_option_methods!();

    /// Appends one path segment holding `value` whole: every character but the
    /// unreserved ones (`A-Z a-z 0-9 - . _ ~`) is percent-encoded, so `a/b?c` stays one
    /// segment. A value of `.` or `..` is refused before anything is sent, an empty
    /// one too (it would call another endpoint).
    pub fn path_segment(mut self, value: impl AsRef<str>) -> Self {
        let value = value.as_ref();
        if value.is_empty() || is_dot_segment(value) {
            self.request.deferred.push(Violation::new(
                "path",
                "pathSegment",
                format!("a path segment may not be empty, `.` or `..` (got `{value}`)"),
            ));
        }
        let path = self.request.path.to_mut();
        if !path.ends_with('/') {
            path.push('/');
        }
        path.push_str(&encode_path_segment(value));
        self
    }

    /// Adds a query parameter (name and value percent-encoded). Repeat it for a
    /// parameter with several values.
    pub fn query(mut self, name: &str, value: impl ToString) -> Self {
        self.request.query(name, value);
        self
    }

    /// Sends `body` as JSON (`Content-Type: application/json`). A value that cannot
    /// be encoded fails the call with [`Error::InvalidRequest`] before anything is
    /// sent.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        if let Err(error) = self.request.json(body) {
            self.failed = Some(error);
        }
        self
    }

    /// Sends `body` (bytes, a string, a file, a stream: see [`Body`]) with the content
    /// type `content_type`. A body read from a stream is sent once: the call is not
    /// retried.
    pub fn body(mut self, body: impl Into<Body>, content_type: &str) -> Self {
        self.request.body(body, content_type);
        self
    }

    /// Names the call in errors and in the `orq.call` tracing span (default
    /// `request`).
    pub fn operation(mut self, name: &'static str) -> Self {
        self.request.operation = name;
        self
    }

    /// Sends no credentials (for a public endpoint of an API whose operations need
    /// them).
    pub fn without_credentials(mut self) -> Self {
        self.request.security(&[]);
        self
    }

    /// Sends the request: the [`Response`] of a 2XX status, else the error (a 4XX or
    /// 5XX is [`Error::Api`], after the retries the policy allows).
    pub fn send(self) -> RawResponseFuture {
        let RawRequest {
            core,
            request,
            options,
            failed,
        } = self;
        Box::pin(async move {
            if let Some(error) = failed {
                return Err(error);
            }
            let response = core.into_execute(request, options).await?;
            if response.status().is_success() {
                Ok(response)
            } else {
                Err(response.api_error_untyped())
            }
        })
    }

    /// Sends the request and waits for it (feature `blocking`): [`send`](Self::send)
    /// on the client's runtime of blocking calls, as `SendBlocking` does for operations.
    #[cfg(feature = "blocking")]
    pub fn send_blocking(self) -> Result<Response, Error> {
        let core = self.core.clone();
        core.block_on(move |blocking| {
            let mut request = self;
            request.core = blocking;
            request.send()
        })?
    }
}

impl IntoFuture for RawRequest {
    type Output = Result<Response, Error>;
    type IntoFuture = RawResponseFuture;

    fn into_future(self) -> Self::IntoFuture {
        self.send()
    }
}

impl fmt::Debug for RawRequest {
    /// The request's parts without values: they may be secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawRequest")
            .field("request", &self.request)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}
