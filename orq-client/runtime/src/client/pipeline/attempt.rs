//! One attempt of a call: the OAuth2 token, the hooks, the exchange with the server
//! (redirects followed, the hooks run again for each), the body read within its limit
//! or left unread, all within the attempt's time; its outcome shown to the hooks.

use std::borrow::Cow;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::AUTHORIZATION;
use http::{HeaderMap, StatusCode};
use secrecy::SecretString;

use crate::auth::headers::bearer;
use crate::client::config::Config;
use crate::client::pipeline::prepare::Outgoing;
use crate::error::Error;
use crate::error::record::CallRecord;
use crate::hooks::HookContext;
use crate::request::SuccessBody;
use crate::transport::read::{ReadError, read_limited};
use crate::transport::redirect::{follow, is_redirect};
use crate::wire::body::FileChanged;

/// One attempt's response: status, headers and the body as the attempt left it.
pub(crate) type Received = (StatusCode, HeaderMap, Payload);

/// A response body as an attempt leaves it.
pub(crate) enum Payload {
    /// Read to the end.
    Read(Bytes),
    /// A success whose body is still on the wire (an event stream, a download).
    Unread(reqwest::Response),
}

/// How an attempt failed: `ends_call` for failures no retry may follow (a
/// hook refused the request).
pub(crate) struct Failure {
    pub(crate) error: Error,
    pub(crate) ends_call: bool,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Self {
            error,
            ends_call: false,
        }
    }
}

/// One attempt: OAuth2 token, hooks, send, redirects and body, all by
/// `limit` (a deadline and the time it allows). Also returns the OAuth2
/// token it sent, if any. Every failure is shown to the `on_error` hooks; they and
/// the `after_response` hooks see the context of the last request sent (after a
/// redirect: its count and the path it went to).
pub(crate) async fn run_attempt(
    config: &Config,
    outgoing: &Outgoing,
    ctx: &HookContext,
    limit: Option<(Instant, Duration)>,
) -> (Result<Received, Failure>, Option<SecretString>) {
    let mut token = None;
    // Copied only when a redirect changes it.
    let mut last = Cow::Borrowed(ctx);
    let outcome = {
        // Pinned here and only borrowed by the timeout: the attempt's future holds one
        // copy of it, with or without a deadline.
        let mut work = std::pin::pin!(async {
            let mut request = outgoing.to_request().await?;
            if let (Some(key), Some(source)) = (&outgoing.oauth2, &config.credentials.oauth2) {
                let fresh = source.token(&config.http, key).await?;
                request.headers_mut().insert(AUTHORIZATION, bearer(&fresh)?);
                token = Some(fresh);
            }
            run_hooks(config, ctx, &mut request).await?;
            exchange(config, request, outgoing, token.as_ref(), &mut last).await
        });
        match limit {
            Some((deadline, timeout)) => tokio::time::timeout_at(deadline.into(), work.as_mut())
                .await
                .unwrap_or_else(|_| {
                    Err(Failure::from(Error::Timeout {
                        operation: outgoing.operation,
                        timeout,
                        call: CallRecord::default(),
                    }))
                }),
            None => work.await,
        }
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
            for hook in &config.hooks {
                hook.after_response(&last, *status, headers, body);
            }
        }
        Err(failure) => {
            tracing::debug!(attempt = ctx.attempt, error = %failure.error, "attempt failed");
            for hook in &config.hooks {
                hook.on_error(&last, &failure.error);
            }
        }
    }
    (outcome, token)
}

/// Runs every `before_request` hook, then every async hook; an error ends the call.
async fn run_hooks(
    config: &Config,
    ctx: &HookContext,
    request: &mut reqwest::Request,
) -> Result<(), Failure> {
    let ends_call = |error| Failure {
        error,
        ends_call: true,
    };
    for hook in &config.hooks {
        hook.before_request(ctx, request).map_err(ends_call)?;
    }
    for hook in &config.async_hooks {
        hook.before_request_boxed(ctx, request)
            .await
            .map_err(ends_call)?;
    }
    Ok(())
}

/// How the request to redirect is had again once the one sent is gone.
enum Resend {
    /// A copy made before sending.
    Copy(Box<reqwest::Request>),
    /// Made again from the call's request and the OAuth2 token: what was sent when no
    /// hook could change it and the body is in memory (a copy would be the same).
    Rebuild,
}

/// Sends `request` (the attempt's, carrying `token`), follows redirects and reads the
/// final body (or leaves a 2XX body unread, as the request asks). `ctx` becomes that of
/// each redirect followed.
async fn exchange(
    config: &Config,
    mut request: reqwest::Request,
    outgoing: &Outgoing,
    token: Option<&SecretString>,
    ctx: &mut Cow<'_, HookContext>,
) -> Result<Received, Failure> {
    let transport = |error: reqwest::Error| match FileChanged::find(&error) {
        // A file sent by path changed size: the call fails, it is not retried.
        Some(source) => Error::Io {
            operation: outgoing.operation,
            source,
            call: CallRecord::default(),
        },
        None => Error::transport(outgoing.operation, error),
    };
    // Most responses are no redirect: the request is not copied before every send.
    let rebuildable = config.hooks.is_empty()
        && config.async_hooks.is_empty()
        && outgoing
            .body
            .as_ref()
            .is_none_or(|body| body.as_bytes().is_some());
    let mut redirects = 0;
    loop {
        let resend = match outgoing.follow_redirects && redirects < config.max_redirects {
            false => None,
            true if redirects == 0 && rebuildable => Some(Resend::Rebuild),
            true => request.try_clone().map(|copy| Resend::Copy(Box::new(copy))),
        };
        let response = config.http.execute(request).await.map_err(transport)?;
        let previous = match resend {
            Some(_) if !is_redirect(response.status(), response.headers()) => None,
            Some(Resend::Copy(previous)) => Some(*previous),
            Some(Resend::Rebuild) => {
                let mut previous = outgoing.to_request().await?;
                if let Some(token) = token {
                    previous.headers_mut().insert(AUTHORIZATION, bearer(token)?);
                }
                Some(previous)
            }
            None => None,
        };
        let next = previous.and_then(|previous| {
            let across = config.redirect_body_across_origins;
            follow(previous, response.status(), response.headers(), across)
        });
        if let Some((mut next, cross_origin)) = next {
            tracing::debug!(
                status = response.status().as_u16(),
                cross_origin,
                "following redirect"
            );
            redirects += 1;
            let ctx = ctx.to_mut();
            ctx.redirect = redirects;
            next.url().path().clone_into(&mut ctx.url_path);
            run_hooks(config, ctx, &mut next).await?;
            request = next;
            continue;
        }
        if outgoing.success_body == SuccessBody::Unread && response.status().is_success() {
            return Ok((
                response.status(),
                response.headers().clone(),
                Payload::Unread(response),
            ));
        }
        return Ok(read_body(response, outgoing).await?);
    }
}

/// Reads a response to the end, refusing bodies larger than the limit. A broken
/// connection here is a [`Error::Transport`], which the retry policy may retry: nothing
/// of the body was handed out yet.
async fn read_body(
    mut response: reqwest::Response,
    outgoing: &Outgoing,
) -> Result<Received, Error> {
    let status = response.status();
    // Taken, not copied: reading the body needs none of them (its length comes from the
    // body's size hint).
    let headers = std::mem::take(response.headers_mut());
    let limit = outgoing.max_response_bytes;
    match read_limited(response, limit).await {
        Ok(body) => Ok((status, headers, Payload::Read(body))),
        Err(ReadError::TooLarge) => Err(Error::ResponseTooLarge {
            operation: outgoing.operation,
            status,
            headers: Box::new(headers),
            limit,
            call: CallRecord::default(),
        }),
        Err(ReadError::Transport(error)) => Err(Error::transport(outgoing.operation, error)),
        // `read_limited` sets no idle limit: the attempt's deadline bounds it.
        Err(ReadError::Idle(timeout)) => Err(Error::Timeout {
            operation: outgoing.operation,
            timeout,
            call: CallRecord::default(),
        }),
    }
}
