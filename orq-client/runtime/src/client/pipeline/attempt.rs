//! One attempt of a call: the OAuth2 token, the hooks, the exchange with the server
//! (redirects followed, the hooks run again for each), the body read within its limit
//! or left unread, all within the attempt's time; its outcome shown to the hooks.

use std::future::Future;
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
    outgoing: &mut Outgoing,
    ctx: &HookContext,
    limit: Option<(Instant, Duration)>,
) -> (Result<Received, Failure>, Option<SecretString>) {
    let mut token = None;
    let mut last = Seen::new(ctx);
    let operation = outgoing.operation;
    let outcome = {
        // Pinned here and only borrowed by the deadline: the attempt's future holds one
        // copy of it, with or without one.
        let mut work = std::pin::pin!(async {
            // The token first: a call that cannot have one opens no file.
            // Most calls find it cached; a fetch waits in a future of its own.
            if let (Some(key), Some(source)) = (&outgoing.oauth2, &config.credentials.oauth2) {
                token = Some(match source.cached(key) {
                    Some(cached) => cached,
                    None => Box::pin(source.token(&config.http, key)).await?,
                });
            }
            // Made in a block of its own: a local that was borrowed is kept in the
            // future until its scope ends, and this one is given away before the wait.
            let request = {
                let mut request = outgoing.next_request(config).await?;
                if let Some(token) = &token {
                    request.headers_mut().insert(AUTHORIZATION, bearer(token)?);
                }
                run_hooks(config, ctx, &mut request)?;
                request
            };
            let request = match config.async_hooks.is_empty() {
                true => request,
                false => Box::pin(run_async_hooks(config, ctx, request)).await?,
            };
            exchange(config, request, outgoing, token.as_ref(), &mut last).await
        });
        match limit {
            Some((deadline, timeout)) => config
                .timers
                .within(deadline, work.as_mut())
                .await
                .unwrap_or_else(|| {
                    Err(Failure::from(Error::Timeout {
                        operation,
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
                hook.after_response(last.get(), *status, headers, body);
            }
        }
        Err(failure) => {
            tracing::debug!(attempt = ctx.attempt, error = %failure.error, "attempt failed");
            for hook in &config.hooks {
                hook.on_error(last.get(), &failure.error);
            }
        }
    }
    (outcome, token)
}

/// The context the hooks of an attempt see: the attempt's, or once a redirect is
/// followed, a copy telling which (boxed: most attempts follow none).
struct Seen<'a> {
    attempt: &'a HookContext,
    redirected: Option<Box<HookContext>>,
}

impl<'a> Seen<'a> {
    fn new(attempt: &'a HookContext) -> Self {
        Seen {
            attempt,
            redirected: None,
        }
    }

    fn get(&self) -> &HookContext {
        self.redirected.as_deref().unwrap_or(self.attempt)
    }

    /// The copy, made at the first redirect.
    fn to_mut(&mut self) -> &mut HookContext {
        let attempt = self.attempt;
        self.redirected
            .get_or_insert_with(|| Box::new(attempt.clone()))
    }
}

/// A hook's error: it ends the call.
fn hook_failed(error: Error) -> Failure {
    Failure {
        error,
        ends_call: true,
    }
}

/// Runs every `before_request` hook on `request`; an error ends the call.
fn run_hooks(
    config: &Config,
    ctx: &HookContext,
    request: &mut reqwest::Request,
) -> Result<(), Failure> {
    for hook in &config.hooks {
        hook.before_request(ctx, request).map_err(hook_failed)?;
    }
    Ok(())
}

/// Runs every async hook on `request` (after [`run_hooks`]); an error ends the call.
/// The caller boxes this future, so that the request waits there, not in the future of
/// every call.
async fn run_async_hooks(
    config: &Config,
    ctx: &HookContext,
    mut request: reqwest::Request,
) -> Result<reqwest::Request, Failure> {
    for hook in &config.async_hooks {
        let hooked = hook.before_request_boxed(ctx, &mut request);
        hooked.await.map_err(hook_failed)?;
    }
    Ok(request)
}

/// How the request to redirect is had again once the one sent is gone.
enum Resend {
    /// A copy made before sending.
    Copy(Box<reqwest::Request>),
    /// Made again from the call's request and the OAuth2 token: what was sent when no
    /// hook could change it and the body is in memory (a copy would be the same).
    Rebuild,
}

/// The error of a failed exchange with the server.
fn transport_error(operation: &'static str, error: reqwest::Error) -> Error {
    match FileChanged::find(&error) {
        // A file sent by path changed size: the call fails, it is not retried.
        Some(source) => Error::Io {
            operation,
            source,
            call: CallRecord::default(),
        },
        None => Error::transport(operation, error),
    }
}

/// Sends `request` (the attempt's, carrying `token`) now; the future follows redirects
/// and reads the final body (or leaves a 2XX body unread, as the request asks). `ctx`
/// becomes that of each redirect followed. Sent before the future is made, the request
/// is not held in it.
fn exchange<'a>(
    config: &'a Config,
    request: reqwest::Request,
    outgoing: &'a mut Outgoing,
    token: Option<&'a SecretString>,
    ctx: &'a mut Seen<'_>,
) -> impl Future<Output = Result<Received, Failure>> + Send + 'a {
    // Most responses are no redirect: the request is not copied before every send.
    let rebuildable = config.hooks.is_empty()
        && config.async_hooks.is_empty()
        && outgoing
            .body
            .as_ref()
            .is_none_or(|body| body.as_bytes().is_some());
    let resend = match outgoing.follow_redirects && config.max_redirects > 0 {
        false => None,
        true if rebuildable => Some(Resend::Rebuild),
        true => request.try_clone().map(|copy| Resend::Copy(Box::new(copy))),
    };
    let sent = config.http.execute(request);
    async move {
        let operation = outgoing.operation;
        // In a block: the response it looks at is not kept in the future while the
        // body is read.
        let response = {
            let response = sent
                .await
                .map_err(|error| transport_error(operation, error))?;
            match resend {
                Some(resend) if is_redirect(response.status(), response.headers()) => {
                    // Boxed: what following takes is not carried by every call.
                    let following =
                        follow_redirects(config, outgoing, token, ctx, resend, response);
                    Box::pin(following).await?
                }
                _ => response,
            }
        };
        Ok(finish(response, outgoing).await?)
    }
}

/// Follows the redirect `response` is (the request it answers is had again by
/// `resend`), and those that follow it, up to the client's limit; runs the hooks again
/// for each. The last response: one that is no redirect, or one not followed.
async fn follow_redirects(
    config: &Config,
    outgoing: &mut Outgoing,
    token: Option<&SecretString>,
    ctx: &mut Seen<'_>,
    mut resend: Resend,
    mut response: reqwest::Response,
) -> Result<reqwest::Response, Failure> {
    let mut redirects = 0;
    loop {
        let previous = match resend {
            Resend::Copy(previous) => *previous,
            Resend::Rebuild => {
                let mut previous = outgoing.next_request(config).await?;
                if let Some(token) = token {
                    previous.headers_mut().insert(AUTHORIZATION, bearer(token)?);
                }
                previous
            }
        };
        let across = config.redirect_body_across_origins;
        let Some((mut next, cross_origin)) =
            follow(previous, response.status(), response.headers(), across)
        else {
            return Ok(response);
        };
        tracing::debug!(
            status = response.status().as_u16(),
            cross_origin,
            "following redirect"
        );
        redirects += 1;
        let redirected = ctx.to_mut();
        redirected.redirect = redirects;
        next.url().path().clone_into(&mut redirected.url_path);
        run_hooks(config, redirected, &mut next)?;
        let next = run_async_hooks(config, redirected, next).await?;
        let again = match redirects < config.max_redirects {
            true => next.try_clone().map(|copy| Resend::Copy(Box::new(copy))),
            false => None,
        };
        response = config
            .http
            .execute(next)
            .await
            .map_err(|error| transport_error(outgoing.operation, error))?;
        match again {
            Some(again) if is_redirect(response.status(), response.headers()) => resend = again,
            _ => return Ok(response),
        }
    }
}

/// The end of an exchange: a 2XX body left unread when the request asks for a stream,
/// else the body read to the end, refusing bodies larger than the limit. A broken
/// connection while reading is a [`Error::Transport`], which the retry policy may
/// retry: nothing of the body was handed out yet.
fn finish(
    mut response: reqwest::Response,
    outgoing: &Outgoing,
) -> impl Future<Output = Result<Received, Error>> + Send + '_ {
    let unread = outgoing.success_body == SuccessBody::Unread && response.status().is_success();
    let (operation, limit) = (outgoing.operation, outgoing.max_response_bytes);
    // The response is read where it is, not moved into another future, and keeps its
    // headers until the end.
    async move {
        if unread {
            let head = (response.status(), response.headers().clone());
            return Ok((head.0, head.1, Payload::Unread(response)));
        }
        let read = read_limited(&mut response, limit).await;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        match read {
            Ok(body) => Ok((status, headers, Payload::Read(body))),
            Err(ReadError::TooLarge) => Err(Error::ResponseTooLarge {
                operation,
                status,
                headers: Box::new(headers),
                limit,
                call: CallRecord::default(),
            }),
            Err(ReadError::Transport(error)) => Err(Error::transport(operation, error)),
            // `read_limited` sets no idle limit: the attempt's deadline bounds it.
            Err(ReadError::Idle(timeout)) => Err(Error::Timeout {
                operation,
                timeout,
                call: CallRecord::default(),
            }),
        }
    }
}
