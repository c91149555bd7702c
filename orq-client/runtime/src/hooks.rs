//! [`Hook`]: observe or adjust every request a client makes.

use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};

use crate::error::Error;

/// What a hook is told about the attempt it is called for.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct HookContext {
    /// The operation (its `operationId`).
    pub operation: &'static str,
    /// 1 for the first attempt, 2 for the first retry, ...
    pub attempt: u32,
    /// 0 for the request itself, 1 for the first redirect followed, ...
    pub redirect: usize,
    /// The HTTP method.
    pub method: Method,
    /// The URL path, without the query (which may hold an API key).
    pub url_path: String,
}

/// Code run around every attempt of every call, in the order hooks were added.
///
/// All methods do nothing by default. Hooks run synchronously on the task
/// making the call, so keep them quick.
///
/// ```
/// use orq_runtime::{Error, Hook, HookContext};
///
/// struct RequestId;
///
/// impl Hook for RequestId {
///     fn before_request(&self, ctx: &HookContext, req: &mut reqwest::Request) -> Result<(), Error> {
///         let value = format!("{}-{}", ctx.operation, ctx.attempt);
///         req.headers_mut().insert("x-request-id", value.parse().expect("ASCII"));
///         Ok(())
///     }
/// }
/// ```
pub trait Hook: Send + Sync + 'static {
    /// Called before each attempt is sent, after authentication and headers
    /// are applied, and again before each redirect is followed (with
    /// [`HookContext::redirect`] counting them), so a request-signing hook
    /// sees the real target; may change the request. An error ends the call
    /// with that error, without retrying (the `on_error` hooks see it).
    ///
    /// A redirect to another origin carries only content-negotiation
    /// headers: a hook that adds a credential must check `req.url()` first.
    /// The request may carry credentials: do not log its headers or URL query.
    fn before_request(&self, ctx: &HookContext, req: &mut reqwest::Request) -> Result<(), Error> {
        let _ = (ctx, req);
        Ok(())
    }

    /// Called with each response received, including ones that will be retried.
    /// For a successful binary response read as a [`ByteStream`](crate::ByteStream),
    /// `body` is empty: the body is read after the call returns.
    fn after_response(
        &self,
        ctx: &HookContext,
        status: StatusCode,
        headers: &HeaderMap,
        body: &Bytes,
    ) {
        let _ = (ctx, status, headers, body);
    }

    /// Called for each attempt that ended without a response: transport
    /// error, timeout, OAuth2 token failure, a body over the size limit, or
    /// a `before_request` hook's error.
    fn on_error(&self, ctx: &HookContext, err: &Error) {
        let _ = (ctx, err);
    }
}

impl<H: Hook + ?Sized> Hook for Arc<H> {
    fn before_request(&self, ctx: &HookContext, req: &mut reqwest::Request) -> Result<(), Error> {
        (**self).before_request(ctx, req)
    }

    fn after_response(
        &self,
        ctx: &HookContext,
        status: StatusCode,
        headers: &HeaderMap,
        body: &Bytes,
    ) {
        (**self).after_response(ctx, status, headers, body);
    }

    fn on_error(&self, ctx: &HookContext, err: &Error) {
        (**self).on_error(ctx, err);
    }
}
