//! [`Core::execute`]: URL building, authentication, hooks, redirects,
//! timeouts and retries for one call.

use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http::header::{
    ACCEPT, ACCEPT_ENCODING, ACCEPT_LANGUAGE, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE,
    LOCATION, USER_AGENT,
};
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use tracing::Instrument;
use tracing::field::Empty;
use url::Url;

use crate::body::Body;
use crate::client::Core;
use crate::encode::{encode_cookie_value, encode_query};
use crate::oauth2::TokenKey;
use crate::request::{RequestSpec, header_pair};
use crate::response::Unread;
use crate::retry::{Schedule, SpecRetries, retry_after};
use crate::{CallOptions, Error, HookContext, Response, RetryConfig, ValidationError};

/// A request with everything but per-attempt changes applied.
struct Prepared {
    operation: &'static str,
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Option<Body>,
    /// Leave a 2XX body unread (see [`RequestSpec::stream_response`]).
    stream_response: bool,
    /// The per-attempt timeout, which a streamed body applies to each chunk.
    timeout: Option<Duration>,
    /// The OAuth2 token each attempt fetches (or takes from the cache) and
    /// sends as `Authorization: Bearer`.
    oauth2: Option<TokenKey>,
    /// Largest response body read, in bytes.
    max_response_bytes: u64,
    /// Whether a success response is handed back unread (an event stream).
    open_success: bool,
}

impl Prepared {
    /// The request of one attempt: files of the body are opened (again), a
    /// stream is taken.
    async fn to_request(&self) -> Result<reqwest::Request, Error> {
        let mut request = reqwest::Request::new(self.method.clone(), self.url.clone());
        *request.headers_mut() = self.headers.clone();
        if let Some(body) = &self.body {
            let (body, length) = body.open().await.map_err(|source| Error::Io {
                operation: self.operation,
                source,
            })?;
            if let Some(length) = length {
                request.headers_mut().insert(CONTENT_LENGTH, length.into());
            }
            *request.body_mut() = Some(body);
        }
        Ok(request)
    }

    /// Whether another attempt can send the body again.
    fn replayable(&self) -> bool {
        self.body.as_ref().is_none_or(Body::is_replayable)
    }
}

/// One attempt's response: read to the end, or a 2XX left unread for a stream.
type Received = (StatusCode, HeaderMap, Payload);

/// A response body as an attempt leaves it.
enum Payload {
    /// Read to the end.
    Read(Bytes),
    /// A success whose body is still on the wire (an event stream, a download).
    Unread(reqwest::Response),
}

/// What [`Core::open`] gives back (generated code only).
#[derive(Debug)]
pub enum Opened {
    /// A success, its body unread: the stream of the call.
    Stream {
        /// The operation called.
        operation: &'static str,
        /// The live response.
        response: reqwest::Response,
    },
    /// Any other status, its body read as by [`Core::execute`] (or, for a request
    /// with [`stream_response`](RequestSpec::stream_response), a download left unread).
    Complete(Response),
}

/// How an attempt failed: `ends_call` for failures no retry may follow (a
/// hook refused the request).
struct Failure {
    error: Error,
    ends_call: bool,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Self {
            error,
            ends_call: false,
        }
    }
}

/// Headers sent along when a redirect leaves the origin: content
/// negotiation and the user agent. Everything else (credentials, default
/// and per-call headers, headers added by hooks) may be a secret.
const CROSS_ORIGIN_HEADERS: [HeaderName; 4] =
    [ACCEPT, ACCEPT_ENCODING, ACCEPT_LANGUAGE, USER_AGENT];

impl Core {
    /// Sends one operation call and returns its response, whatever the status.
    ///
    /// In order: refuses requests that failed while being built
    /// ([`Error::InvalidRequest`], nothing sent); joins the server URL (with
    /// its base path), the path and the encoded query; applies the default
    /// headers, `User-Agent`, the request's headers and cookies, the
    /// credentials of the first satisfied security alternative, then the
    /// per-call headers; then for each attempt runs the hooks, sends,
    /// follows redirects (running the hooks again for each, and sending only
    /// content-negotiation headers when one leaves the origin) and reads the
    /// body up to the size limit (or, for a request with
    /// [`stream_response`](RequestSpec::stream_response), leaves a 2XX body
    /// unread for a [`ByteStream`](crate::ByteStream)).
    ///
    /// A body that cannot be sent again (a stream, an open file) makes one
    /// attempt: no retry and no OAuth2 refresh follow it. Files given by path
    /// are opened again for each attempt.
    ///
    /// Retries follow [`CallOptions::retries`] if given, else the client's
    /// [`RetryConfig`] if one was set with
    /// [`ClientBuilder::retry`](crate::ClientBuilder::retry), else the
    /// spec's `x-speakeasy-retries`, else [`RetryConfig::default()`]; see
    /// [`RetryConfig`] for which methods each applies to. Once no retry is
    /// left, the last response is returned as `Ok` even for 4XX/5XX
    /// (generated code decides what is an error); the last transport error
    /// or timeout is returned as `Err`. The whole call, token fetches and
    /// retries included, ends by the retry budget
    /// ([`BackoffConfig::max_elapsed_time`](crate::BackoffConfig::max_elapsed_time)),
    /// or by the per-attempt timeout when it does not retry.
    ///
    /// Each call runs in an `orq.call` tracing span with the operation,
    /// method, path template (never the concrete path or the query), final
    /// status, attempts and duration; no credential is ever recorded.
    pub async fn execute(
        &self,
        request: RequestSpec,
        options: CallOptions,
    ) -> Result<Response, Error> {
        match self.instrumented(request, options, false).await? {
            Opened::Complete(response) => Ok(response),
            // Only `open` leaves bodies unread.
            Opened::Stream { .. } => Err(Error::Config("a response body was left unread".into())),
        }
    }

    /// [`execute`](Self::execute) for a response read as it arrives (server-sent
    /// events): everything up to and including the status check is the same (hooks,
    /// credentials, redirects, retries of 429/5XX), and the per-attempt timeout bounds
    /// the wait for the headers. A success is handed back with its body unread (hooks'
    /// `after_response` see an empty body); any other status is read as usual. The
    /// request says `Accept: text/event-stream` unless it names another `Accept`.
    pub async fn open(
        &self,
        mut request: RequestSpec,
        options: CallOptions,
    ) -> Result<Opened, Error> {
        if !request.headers.contains_key(ACCEPT) {
            request
                .headers
                .insert(ACCEPT, HeaderValue::from_static("text/event-stream"));
        }
        self.instrumented(request, options, true).await
    }

    async fn instrumented(
        &self,
        request: RequestSpec,
        options: CallOptions,
        open_success: bool,
    ) -> Result<Opened, Error> {
        let span = tracing::info_span!(
            "orq.call",
            operation = request.operation,
            method = %request.method,
            path_template = request.template,
            status = Empty,
            attempts = Empty,
            duration_ms = Empty,
        );
        // The span is passed down rather than read back with
        // `Span::current()`, which subscribers without span tracking answer
        // with a disabled span.
        self.run(request, options, open_success, span.clone())
            .instrument(span)
            .await
    }

    async fn run(
        &self,
        request: RequestSpec,
        options: CallOptions,
        open_success: bool,
        span: tracing::Span,
    ) -> Result<Opened, Error> {
        let started = Instant::now();
        let retry = self.policy_for(&request, &options);
        let timeout = options.timeout.or(self.inner.timeout);
        let mut prepared = self.prepare(request, options, timeout)?;
        prepared.open_success = open_success;
        // One deadline for the whole call: the retry budget, or the
        // per-attempt timeout for a call that does not retry.
        let call_deadline = match retry.backoff_config() {
            Some(backoff) => Some(started + backoff.max_elapsed_time),
            None => timeout.map(|timeout| started + timeout),
        };

        let mut schedule = Schedule::new(&retry, started);
        let mut attempt = 0;
        let mut token_refreshed = false;
        let result = loop {
            attempt += 1;
            let ctx = HookContext {
                operation: prepared.operation,
                attempt,
                redirect: 0,
                method: prepared.method.clone(),
                url_path: prepared.url.path().to_owned(),
            };
            // The first attempt's clock starts with the call's, so a call that
            // does not retry reports its own timeout.
            let now = if attempt == 1 {
                started
            } else {
                Instant::now()
            };
            let limit = attempt_limit(now, timeout, call_deadline);
            let (outcome, token) = self.attempt(&prepared, &ctx, limit).await;
            // A body read from a stream is gone after one attempt: nothing is retried.
            let replayable = prepared.replayable();
            let outcome = match outcome {
                Err(Failure {
                    error,
                    ends_call: true,
                }) => break Err(error),
                other => other.map_err(|failure| failure.error),
            };
            let time_left = call_deadline.is_none_or(|deadline| Instant::now() < deadline);
            // A 401 with a cached OAuth2 token: the server may have revoked
            // it early. Fetch a fresh one and try again, once per call.
            if let (Ok((StatusCode::UNAUTHORIZED, ..)), Some(token), Some(key)) =
                (&outcome, &token, &prepared.oauth2)
                && !token_refreshed
                && time_left
                && replayable
            {
                token_refreshed = true;
                if let Some(source) = &self.inner.credentials.oauth2 {
                    source.invalidate(key, token);
                }
                tracing::info!(attempt, "401 with an OAuth2 token: fetching a new token");
                continue;
            }
            let wants_retry = match &outcome {
                Ok((status, headers, _)) => retry
                    .retries_status(*status)
                    .then(|| retry_after(headers, SystemTime::now())),
                Err(error) => {
                    (retry.retries_connection_errors() && is_retryable(error)).then_some(None)
                }
            };
            if wants_retry.is_some() && !replayable {
                tracing::info!(
                    attempt,
                    "not retried: the request body was a stream, sent once"
                );
            }
            let delay = wants_retry
                .filter(|_| replayable)
                .and_then(|hint| schedule.as_mut()?.next_delay(hint));
            let Some(delay) = delay else {
                break outcome;
            };
            match &outcome {
                Ok((status, ..)) => tracing::info!(
                    attempt,
                    status = status.as_u16(),
                    delay_ms = delay.as_millis() as u64,
                    "retrying"
                ),
                Err(error) => {
                    tracing::info!(attempt, %error, delay_ms = delay.as_millis() as u64, "retrying")
                }
            }
            tokio::time::sleep(delay).await;
        };

        span.record("attempts", attempt);
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        match &result {
            Ok((status, ..)) => {
                span.record("status", status.as_u16());
            }
            Err(error) => tracing::debug!(%error, "call failed"),
        }
        let operation = prepared.operation;
        result.map(|(status, headers, payload)| match payload {
            Payload::Read(body) => {
                Opened::Complete(Response::from_parts(operation, status, headers, body))
            }
            // A download: the response keeps its body unread for a `ByteStream`.
            Payload::Unread(response) if !prepared.open_success => {
                Opened::Complete(Response::unread(
                    operation,
                    Unread {
                        response,
                        idle_timeout: prepared.timeout,
                        limit: prepared.max_response_bytes,
                    },
                ))
            }
            Payload::Unread(response) => Opened::Stream {
                operation,
                response,
            },
        })
    }

    /// The retry policy of this call (see [`Core::execute`]).
    fn policy_for(&self, request: &RequestSpec, options: &CallOptions) -> RetryConfig {
        if let Some(retries) = &options.retries {
            return retries.clone();
        }
        let idempotent = matches!(
            request.method,
            Method::GET
                | Method::HEAD
                | Method::PUT
                | Method::DELETE
                | Method::OPTIONS
                | Method::TRACE
        );
        let spec = request.spec_retries.as_ref();
        let spec_allows = spec.is_some_and(SpecRetries::is_enabled);
        let client_wide = &self.inner.retry;
        if self.inner.retry_set {
            // The caller's client-wide policy replaces the spec's, except that
            // it retries a POST or PATCH only when told to or when the spec
            // says the operation is safe to repeat.
            return if idempotent || spec_allows || client_wide.retries_non_idempotent() {
                client_wide.clone()
            } else {
                RetryConfig::none()
            };
        }
        match spec {
            Some(spec) => spec.to_config(),
            None if idempotent => client_wide.clone(),
            None => RetryConfig::none(),
        }
    }

    fn prepare(
        &self,
        request: RequestSpec,
        options: CallOptions,
        timeout: Option<Duration>,
    ) -> Result<Prepared, Error> {
        if !request.deferred.is_empty() {
            return Err(ValidationError::new(request.deferred).into());
        }
        let mut call_headers = HeaderMap::new();
        for (name, value) in &options.headers {
            let (name, value) = header_pair(name, value)?;
            call_headers.append(name, value);
        }
        let auth = self.inner.credentials.apply(request.security)?;
        let oauth2 = match (&auth.oauth2, &self.inner.credentials.oauth2) {
            (Some((token_url, scopes)), Some(source)) => {
                Some(source.key(token_url, scopes, &self.inner.server_url)?)
            }
            _ => None,
        };

        let mut url = self.inner.server_url.clone();
        let path = format!("{}{}", url.path().trim_end_matches('/'), request.path);
        url.set_path(&path);
        let query: Vec<(&str, &str)> = request
            .query
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .chain(
                auth.query
                    .iter()
                    .map(|(name, key)| (*name, key.expose_secret())),
            )
            .collect();
        if query.is_empty() {
            url.set_query(None);
        } else {
            let encoded = SecretString::from(encode_query(&query));
            url.set_query(Some(encoded.expose_secret()));
        }

        let mut headers = self.inner.default_headers.clone();
        if !headers.contains_key(USER_AGENT) {
            headers.insert(USER_AGENT, self.inner.user_agent.clone());
        }
        overlay(&mut headers, &request.headers);
        for (name, value) in auth.headers {
            headers.insert(name, value);
        }
        if let Some(cookie) = cookie_header(&request.cookies, &auth.cookies)? {
            headers.insert(COOKIE, cookie);
        }
        let body = request.body.map(|(body, content_type)| {
            headers.insert(CONTENT_TYPE, content_type);
            body
        });
        overlay(&mut headers, &call_headers);

        Ok(Prepared {
            operation: request.operation,
            method: request.method,
            url,
            headers,
            body,
            stream_response: request.stream_response,
            timeout,
            oauth2,
            max_response_bytes: options
                .max_response_bytes
                .unwrap_or(self.inner.max_response_bytes),
            open_success: false,
        })
    }

    /// One attempt: OAuth2 token, hooks, send, redirects and body, all by
    /// `limit` (a deadline and the time it allows). Also returns the OAuth2
    /// token it sent, if any. Every failure is shown to the `on_error` hooks.
    async fn attempt(
        &self,
        prepared: &Prepared,
        ctx: &HookContext,
        limit: Option<(Instant, Duration)>,
    ) -> (Result<Received, Failure>, Option<SecretString>) {
        let mut token = None;
        let work = async {
            let mut request = prepared.to_request().await?;
            if let (Some(key), Some(source)) = (&prepared.oauth2, &self.inner.credentials.oauth2) {
                let fresh = source.token(&self.inner.http, key).await?;
                request
                    .headers_mut()
                    .insert(AUTHORIZATION, sensitive_bearer(&fresh)?);
                token = Some(fresh);
            }
            self.run_hooks(ctx, &mut request)?;
            self.exchange(request, prepared, ctx).await
        };
        let outcome = match limit {
            Some((deadline, timeout)) => tokio::time::timeout_at(deadline.into(), work)
                .await
                .unwrap_or_else(|_| {
                    Err(Failure::from(Error::Timeout {
                        operation: prepared.operation,
                        timeout,
                    }))
                }),
            None => work.await,
        };
        match &outcome {
            Ok((status, headers, payload)) => {
                // A body left unread for a stream is shown to hooks as empty.
                let empty = Bytes::new();
                let body = match payload {
                    Payload::Read(body) => body,
                    Payload::Unread(_) => &empty,
                };
                tracing::debug!(
                    attempt = ctx.attempt,
                    status = status.as_u16(),
                    bytes = body.len(),
                    "response"
                );
                for hook in &self.inner.hooks {
                    hook.after_response(ctx, *status, headers, body);
                }
            }
            Err(failure) => {
                tracing::debug!(attempt = ctx.attempt, error = %failure.error, "attempt failed");
                for hook in &self.inner.hooks {
                    hook.on_error(ctx, &failure.error);
                }
            }
        }
        (outcome, token)
    }

    /// Runs every `before_request` hook; an error ends the call.
    fn run_hooks(&self, ctx: &HookContext, request: &mut reqwest::Request) -> Result<(), Failure> {
        for hook in &self.inner.hooks {
            hook.before_request(ctx, request).map_err(|error| Failure {
                error,
                ends_call: true,
            })?;
        }
        Ok(())
    }

    /// Sends `request`, follows redirects and reads the final body.
    async fn exchange(
        &self,
        mut request: reqwest::Request,
        prepared: &Prepared,
        ctx: &HookContext,
    ) -> Result<Received, Failure> {
        let transport = |error| Error::transport(prepared.operation, error);
        let mut redirects = 0;
        loop {
            let resend = if redirects < self.inner.max_redirects {
                request.try_clone()
            } else {
                None
            };
            let response = self.inner.http.execute(request).await.map_err(transport)?;
            let next = resend.and_then(|previous| {
                follow(previous, &response, self.inner.redirect_body_across_origins)
            });
            if let Some((mut next, cross_origin)) = next {
                tracing::debug!(
                    status = response.status().as_u16(),
                    cross_origin,
                    "following redirect"
                );
                redirects += 1;
                let ctx = HookContext {
                    redirect: redirects,
                    url_path: next.url().path().to_owned(),
                    ..ctx.clone()
                };
                self.run_hooks(&ctx, &mut next)?;
                request = next;
                continue;
            }
            if (prepared.open_success || prepared.stream_response) && response.status().is_success()
            {
                return Ok((
                    response.status(),
                    response.headers().clone(),
                    Payload::Unread(response),
                ));
            }
            return Ok(read_body(response, prepared).await?);
        }
    }
}

/// Reads a response to the end, refusing bodies larger than the limit.
async fn read_body(response: reqwest::Response, prepared: &Prepared) -> Result<Received, Error> {
    let status = response.status();
    let headers = response.headers().clone();
    match read_limited(response, prepared.max_response_bytes).await {
        Ok(body) => Ok((status, headers, Payload::Read(body))),
        Err(ReadError::TooLarge) => Err(Error::ResponseTooLarge {
            operation: prepared.operation,
            status,
            headers: Box::new(headers),
            limit: prepared.max_response_bytes,
        }),
        Err(ReadError::Transport(error)) => Err(Error::transport(prepared.operation, error)),
    }
}

/// Why a body could not be read.
pub(crate) enum ReadError {
    /// Longer than the limit: by its `Content-Length`, or counted.
    TooLarge,
    /// The connection failed while reading.
    Transport(reqwest::Error),
}

/// The whole body of `response`, if it is at most `limit` bytes: refused
/// by its `Content-Length` before reading, else counted while reading and
/// dropped (closing the connection) once past the limit.
pub(crate) async fn read_limited(
    mut response: reqwest::Response,
    limit: u64,
) -> Result<Bytes, ReadError> {
    let declared = response.content_length();
    if declared.is_some_and(|length| length > limit) {
        return Err(ReadError::TooLarge);
    }
    // The declared length (within the limit) is reserved at once, so the
    // body is not copied while it grows. Otherwise the buffer doubles until
    // it would pass half the limit, then takes the whole limit: at worst 1.5
    // times the limit is in use, while that last growth copies.
    let limit_bytes = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut body = Vec::with_capacity(declared.unwrap_or(0) as usize);
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Transport)? {
        let needed = body.len() + chunk.len();
        if needed > limit_bytes {
            return Err(ReadError::TooLarge);
        }
        if needed > body.capacity() {
            let doubled = needed.max(body.capacity() * 2);
            let grown = if doubled > limit_bytes / 2 {
                limit_bytes
            } else {
                doubled
            };
            body.reserve_exact(grown - body.len());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(body))
}

/// The request to send after a redirect `response` and whether it leaves
/// the origin (scheme, host or port), or `None` to return the response as it
/// is. A request leaving the origin keeps only [`CROSS_ORIGIN_HEADERS`],
/// and a 307/308 that would carry the body to another origin is not followed
/// unless `body_across_origins`.
fn follow(
    mut previous: reqwest::Request,
    response: &reqwest::Response,
    body_across_origins: bool,
) -> Option<(reqwest::Request, bool)> {
    let status = response.status();
    if !matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    let location = response.headers().get(LOCATION)?.to_str().ok()?;
    let next = previous.url().join(location).ok()?;
    if !matches!(next.scheme(), "http" | "https") {
        return None;
    }
    let to_get = (status == StatusCode::SEE_OTHER && previous.method() != Method::HEAD)
        || (matches!(status.as_u16(), 301 | 302) && previous.method() == Method::POST);
    if to_get {
        *previous.method_mut() = Method::GET;
        *previous.body_mut() = None;
        previous.headers_mut().remove(CONTENT_TYPE);
        previous.headers_mut().remove(CONTENT_LENGTH);
    }
    let cross_origin = next.origin() != previous.url().origin();
    if cross_origin {
        let keeps_body = previous.body().is_some();
        if keeps_body && !body_across_origins {
            return None;
        }
        let headers = std::mem::take(previous.headers_mut());
        let body_headers = [CONTENT_TYPE, CONTENT_LENGTH];
        let body_headers = if keeps_body { &body_headers[..] } else { &[] };
        for name in CROSS_ORIGIN_HEADERS.iter().chain(body_headers) {
            for value in headers.get_all(name) {
                previous.headers_mut().append(name.clone(), value.clone());
            }
        }
    }
    *previous.url_mut() = next;
    Some((previous, cross_origin))
}

/// The `Cookie` header of a request: its cookie parameters, then the
/// credential cookies (marked sensitive).
fn cookie_header(
    params: &[(String, String)],
    credentials: &[(&'static str, SecretString)],
) -> Result<Option<HeaderValue>, Error> {
    if params.is_empty() && credentials.is_empty() {
        return Ok(None);
    }
    let pairs = params
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .chain(
            credentials
                .iter()
                .map(|(name, key)| (*name, key.expose_secret())),
        );
    let mut text = String::new();
    for (name, value) in pairs {
        if !text.is_empty() {
            text.push_str("; ");
        }
        text.push_str(name);
        text.push('=');
        text.push_str(&encode_cookie_value(value));
    }
    let text = SecretString::from(text);
    let mut value = HeaderValue::from_str(text.expose_secret())
        .map_err(|_| Error::Config("a cookie could not be encoded".into()))?;
    value.set_sensitive(!credentials.is_empty());
    Ok(Some(value))
}

/// When an attempt starting at `now` must end, and the time that allows:
/// the per-attempt `timeout`, or what is left before the call's deadline if
/// that comes first.
fn attempt_limit(
    now: Instant,
    timeout: Option<Duration>,
    call_deadline: Option<Instant>,
) -> Option<(Instant, Duration)> {
    let own = timeout.map(|timeout| (now + timeout, timeout));
    let left = call_deadline.map(|deadline| (deadline, deadline.saturating_duration_since(now)));
    match (own, left) {
        (Some(own), Some(left)) => Some(if own.0 <= left.0 { own } else { left }),
        (own, left) => own.or(left),
    }
}

/// `Bearer <token>`, marked sensitive.
fn sensitive_bearer(token: &SecretString) -> Result<HeaderValue, Error> {
    let text = SecretString::from(format!("Bearer {}", token.expose_secret()));
    let mut value = HeaderValue::from_str(text.expose_secret())
        .map_err(|_| Error::Config("the OAuth2 token cannot go in a header".into()))?;
    value.set_sensitive(true);
    Ok(value)
}

/// Replaces the headers of `target` named in `layer` by `layer`'s values.
fn overlay(target: &mut HeaderMap, layer: &HeaderMap) {
    for name in layer.keys() {
        target.remove(name);
    }
    for (name, value) in layer {
        target.append(name.clone(), value.clone());
    }
}

/// Failures worth another attempt: no response because the connection was
/// refused, reset or closed, a response cut short, or a timeout. DNS and TLS
/// failures (a wrong host name, a bad certificate) do not heal by waiting.
fn is_retryable(error: &Error) -> bool {
    match error {
        Error::Timeout { .. } => true,
        // The token endpoint was unreachable or failing, not refusing.
        Error::Token { transient, .. } => *transient,
        Error::Transport { source, .. } => is_transient(source),
        _ => false,
    }
}

/// True for a reqwest error caused by a connection that broke or timed out.
pub(crate) fn is_transient(error: &reqwest::Error) -> bool {
    if error.is_timeout() || error.is_body() || error.is_decode() {
        return true;
    }
    let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(error);
    while let Some(error) = cause {
        if let Some(io) = error.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            // A TLS failure is an `InvalidData` I/O error wrapping a rustls
            // error; DNS failures are `Other`: neither is listed here.
            return matches!(
                io.kind(),
                ConnectionRefused
                    | ConnectionReset
                    | ConnectionAborted
                    | NotConnected
                    | BrokenPipe
                    | TimedOut
                    | UnexpectedEof
                    | Interrupted
            );
        }
        if let Some(hyper) = error.downcast_ref::<hyper::Error>()
            && (hyper.is_incomplete_message() || hyper.is_closed() || hyper.is_canceled())
        {
            return true;
        }
        cause = error.source();
    }
    false
}
