//! [`Core::execute`]: URL building, authentication, hooks, redirects,
//! timeouts and retries for one call.

use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http::header::{
    AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, LOCATION, PROXY_AUTHORIZATION, USER_AGENT,
};
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use tracing::Instrument;
use tracing::field::Empty;
use url::Url;

use crate::client::Core;
use crate::encode::{encode_cookie_value, encode_query};
use crate::oauth2::TokenKey;
use crate::request::{RequestSpec, header_pair};
use crate::retry::{Schedule, retry_after};
use crate::{CallOptions, Error, HookContext, Response, RetryConfig, ValidationError};

/// A request with everything but per-attempt changes applied.
struct Prepared {
    operation: &'static str,
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Option<Bytes>,
    /// Headers carrying credentials: dropped when a redirect leaves the origin.
    credential_headers: Vec<HeaderName>,
    /// The OAuth2 token each attempt fetches (or takes from the cache) and
    /// sends as `Authorization: Bearer`.
    oauth2: Option<TokenKey>,
}

impl Prepared {
    fn to_request(&self) -> reqwest::Request {
        let mut request = reqwest::Request::new(self.method.clone(), self.url.clone());
        *request.headers_mut() = self.headers.clone();
        if let Some(body) = &self.body {
            *request.body_mut() = Some(body.clone().into());
        }
        request
    }
}

/// One attempt's response, read to the end.
type Received = (StatusCode, HeaderMap, Bytes);

impl Core {
    /// Sends one operation call and returns its response, whatever the status.
    ///
    /// In order: refuses requests that failed while being built
    /// ([`Error::InvalidRequest`], nothing sent); joins the server URL (with
    /// its base path), the path and the encoded query; applies the default
    /// headers, `User-Agent`, the request's headers and cookies, the
    /// credentials of the first satisfied security alternative, then the
    /// per-call headers; then for each attempt runs the hooks, sends,
    /// follows redirects (dropping credentials when one leaves the origin)
    /// and reads the whole body within the per-attempt timeout.
    ///
    /// Retries follow [`CallOptions::retries`] if given, else the client's
    /// [`RetryConfig`] for idempotent methods (GET, HEAD, PUT, DELETE,
    /// OPTIONS, TRACE), and for others only if the config or the request
    /// allows it. Once no retry is left, the last response is returned as
    /// `Ok` even for 4XX/5XX (generated code decides what is an error); the
    /// last transport error or timeout is returned as `Err`.
    ///
    /// Each call runs in an `orq.call` tracing span with the operation,
    /// method, URL path (never the query), final status, attempts and
    /// duration; no credential is ever recorded.
    pub async fn execute(
        &self,
        request: RequestSpec,
        options: CallOptions,
    ) -> Result<Response, Error> {
        let span = tracing::info_span!(
            "orq.call",
            operation = request.operation,
            method = %request.method,
            path = Empty,
            status = Empty,
            attempts = Empty,
            duration_ms = Empty,
        );
        // The span is passed down rather than read back with
        // `Span::current()`, which subscribers without span tracking answer
        // with a disabled span.
        self.run(request, options, span.clone())
            .instrument(span)
            .await
    }

    async fn run(
        &self,
        request: RequestSpec,
        options: CallOptions,
        span: tracing::Span,
    ) -> Result<Response, Error> {
        let started = Instant::now();
        let retry = self.policy_for(&request, &options);
        let timeout = options.timeout.or(self.inner.timeout);
        let prepared = self.prepare(request, options)?;
        span.record("path", prepared.url.path());

        let mut schedule = Schedule::new(&retry, started);
        let mut attempt = 0;
        let mut token_refreshed = false;
        let result = loop {
            attempt += 1;
            let ctx = HookContext {
                operation: prepared.operation,
                attempt,
                method: prepared.method.clone(),
                url_path: prepared.url.path().to_owned(),
            };
            let (outcome, token) = self.attempt(&prepared, &ctx, timeout).await;
            // A 401 with a cached OAuth2 token: the server may have revoked
            // it early. Fetch a fresh one and try again, once per call.
            if let (Ok((StatusCode::UNAUTHORIZED, ..)), Some(token), Some(key)) =
                (&outcome, &token, &prepared.oauth2)
            {
                if !token_refreshed {
                    token_refreshed = true;
                    if let Some(source) = &self.inner.credentials.oauth2 {
                        source.invalidate(key, token);
                    }
                    tracing::info!(attempt, "401 with an OAuth2 token: fetching a new token");
                    continue;
                }
            }
            let wants_retry = match &outcome {
                Ok((status, headers, _)) => retry
                    .retries_status(*status)
                    .then(|| retry_after(headers, SystemTime::now())),
                Err(error) => {
                    (retry.retries_connection_errors() && is_retryable(error)).then_some(None)
                }
            };
            let delay = wants_retry.and_then(|hint| schedule.as_mut()?.next_delay(hint));
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
        result.map(|(status, headers, body)| {
            Response::from_parts(prepared.operation, status, headers, body)
        })
    }

    /// The retry policy of this call (see [`Core::execute`]).
    fn policy_for(&self, request: &RequestSpec, options: &CallOptions) -> RetryConfig {
        if let Some(retries) = &options.retries {
            return retries.clone();
        }
        let client_wide = &self.inner.retry;
        let idempotent = matches!(
            request.method,
            Method::GET
                | Method::HEAD
                | Method::PUT
                | Method::DELETE
                | Method::OPTIONS
                | Method::TRACE
        );
        if idempotent || request.retry_non_idempotent || client_wide.retries_non_idempotent() {
            client_wide.clone()
        } else {
            RetryConfig::none()
        }
    }

    fn prepare(&self, request: RequestSpec, options: CallOptions) -> Result<Prepared, Error> {
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
        let mut query = request.query;
        query.extend(auth.query);
        let encoded = encode_query(&query);
        url.set_query(if query.is_empty() {
            None
        } else {
            Some(&encoded)
        });

        let mut headers = self.inner.default_headers.clone();
        if !headers.contains_key(USER_AGENT) {
            headers.insert(USER_AGENT, self.inner.user_agent.clone());
        }
        overlay(&mut headers, &request.headers);
        let mut credential_headers = Vec::new();
        if oauth2.is_some() {
            credential_headers.push(AUTHORIZATION);
        }
        for (name, value) in auth.headers {
            credential_headers.push(name.clone());
            headers.insert(name, value);
        }
        let has_credential_cookie = !auth.cookies.is_empty();
        let cookies: Vec<String> = request
            .cookies
            .iter()
            .chain(&auth.cookies)
            .map(|(name, value)| format!("{name}={}", encode_cookie_value(value)))
            .collect();
        if !cookies.is_empty() {
            let mut value = HeaderValue::from_str(&cookies.join("; "))
                .map_err(|_| Error::Config("a cookie could not be encoded".into()))?;
            value.set_sensitive(has_credential_cookie);
            headers.insert(COOKIE, value);
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
            credential_headers,
            oauth2,
        })
    }

    /// One attempt: OAuth2 token, hooks, send, redirects and body, each
    /// within `timeout`. Also returns the OAuth2 token it sent, if any.
    async fn attempt(
        &self,
        prepared: &Prepared,
        ctx: &HookContext,
        timeout: Option<Duration>,
    ) -> (Result<Received, Error>, Option<SecretString>) {
        let mut request = prepared.to_request();
        let mut token = None;
        let mut outcome = Ok(());
        if let (Some(key), Some(source)) = (&prepared.oauth2, &self.inner.credentials.oauth2) {
            let fetch = source.token(&self.inner.http, key);
            outcome = within(timeout, prepared.operation, fetch)
                .await
                .and_then(|fresh| {
                    let value = sensitive_bearer(&fresh)?;
                    request.headers_mut().insert(AUTHORIZATION, value);
                    token = Some(fresh);
                    Ok(())
                });
        }
        let outcome = match outcome {
            Ok(()) => {
                for hook in &self.inner.hooks {
                    if let Err(error) = hook.before_request(ctx, &mut request) {
                        return (Err(error), token);
                    }
                }
                let exchange = self.exchange(request, prepared);
                within(timeout, prepared.operation, exchange).await
            }
            Err(error) => Err(error),
        };
        match &outcome {
            Ok((status, headers, body)) => {
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
            Err(error) => {
                tracing::debug!(attempt = ctx.attempt, %error, "attempt failed");
                for hook in &self.inner.hooks {
                    hook.on_error(ctx, error);
                }
            }
        }
        (outcome, token)
    }

    /// Sends `request`, follows redirects and reads the final body.
    async fn exchange(
        &self,
        mut request: reqwest::Request,
        prepared: &Prepared,
    ) -> Result<Received, Error> {
        let transport = |error| Error::transport(prepared.operation, error);
        let mut redirects = 0;
        loop {
            let resend = if redirects < self.inner.max_redirects {
                request.try_clone()
            } else {
                None
            };
            let response = self.inner.http.execute(request).await.map_err(transport)?;
            if let Some(next) = resend
                .and_then(|previous| follow(previous, &response, &prepared.credential_headers))
            {
                tracing::debug!(
                    status = response.status().as_u16(),
                    to = next.url().path(),
                    "following redirect"
                );
                redirects += 1;
                request = next;
                continue;
            }
            let status = response.status();
            let headers = response.headers().clone();
            let body = response.bytes().await.map_err(transport)?;
            return Ok((status, headers, body));
        }
    }
}

/// The request to send after a redirect `response`, or `None` to return the
/// response as it is. Credentials are dropped when the target is another
/// origin (scheme, host or port), as browsers do.
fn follow(
    mut previous: reqwest::Request,
    response: &reqwest::Response,
    credential_headers: &[HeaderName],
) -> Option<reqwest::Request> {
    let status = response.status();
    if !matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    let location = response.headers().get(LOCATION)?.to_str().ok()?;
    let next = previous.url().join(location).ok()?;
    if !matches!(next.scheme(), "http" | "https") {
        return None;
    }
    if next.origin() != previous.url().origin() {
        let headers = previous.headers_mut();
        for name in credential_headers
            .iter()
            .chain(&[AUTHORIZATION, PROXY_AUTHORIZATION, COOKIE])
        {
            headers.remove(name);
        }
    }
    let to_get = (status == StatusCode::SEE_OTHER && previous.method() != Method::HEAD)
        || (matches!(status.as_u16(), 301 | 302) && previous.method() == Method::POST);
    if to_get {
        *previous.method_mut() = Method::GET;
        *previous.body_mut() = None;
        previous.headers_mut().remove(CONTENT_TYPE);
        previous.headers_mut().remove(CONTENT_LENGTH);
    }
    *previous.url_mut() = next;
    Some(previous)
}

/// Runs `work` within `timeout`, a timeout becoming [`Error::Timeout`].
async fn within<T>(
    timeout: Option<Duration>,
    operation: &'static str,
    work: impl Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    match timeout {
        Some(timeout) => tokio::time::timeout(timeout, work)
            .await
            .unwrap_or(Err(Error::Timeout { operation, timeout })),
        None => work.await,
    }
}

/// `Bearer <token>`, marked sensitive.
fn sensitive_bearer(token: &SecretString) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose_secret()))
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

/// Failures worth another attempt: no response, or a response cut short.
fn is_retryable(error: &Error) -> bool {
    match error {
        Error::Timeout { .. } => true,
        // The token endpoint was unreachable or failing, not refusing.
        Error::Token { status, .. } => status.is_none_or(|s| s.is_server_error()),
        Error::Transport { source, .. } => !source.is_builder() && !source.is_redirect(),
        _ => false,
    }
}
