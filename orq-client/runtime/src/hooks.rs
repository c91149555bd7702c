//! [`Hook`]: observe or adjust every request a client makes; [`AsyncHook`]: adjust it
//! with work that awaits.

use std::future::Future;
use std::pin::Pin;
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

/// A hook that can await before each attempt is sent: sign the request with a key
/// held by a remote service, fetch a header from a vault, wait for a rate limiter.
///
/// It runs after every [`Hook::before_request`] (so a signature covers what those
/// added), in the order async hooks were added, before each attempt and again before
/// each redirect followed (see [`Hook::before_request`] about redirects to another
/// origin). Its time counts against the attempt's timeout and the call's retry
/// budget. An error ends the call, without retrying; the `on_error` hooks see it.
/// Added with [`ClientBuilder::async_hook`](crate::ClientBuilder::async_hook).
///
/// ```
/// use orq_runtime::{AsyncHook, Error, HookContext};
///
/// struct Signer;
///
/// impl AsyncHook for Signer {
///     async fn before_request(
///         &self,
///         ctx: &HookContext,
///         req: &mut reqwest::Request,
///     ) -> Result<(), Error> {
///         // e.g. `let signature = kms.sign(digest).await?;`
///         let signature = format!("sig-{}-{}", ctx.operation, ctx.attempt);
///         let value = signature.parse().map_err(|_| Error::Config("bad signature".into()))?;
///         req.headers_mut().insert("x-signature", value);
///         Ok(())
///     }
/// }
/// ```
pub trait AsyncHook: Send + Sync + 'static {
    /// Called before each attempt and redirect, after the [`Hook`]s; may change the
    /// request. The future must be `Send`: the call may move between threads.
    fn before_request(
        &self,
        ctx: &HookContext,
        req: &mut reqwest::Request,
    ) -> impl Future<Output = Result<(), Error>> + Send;
}

impl<H: AsyncHook> AsyncHook for Arc<H> {
    fn before_request(
        &self,
        ctx: &HookContext,
        req: &mut reqwest::Request,
    ) -> impl Future<Output = Result<(), Error>> + Send {
        (**self).before_request(ctx, req)
    }
}

/// The future of an [`AsyncHook`], boxed so that hooks of any type share one list.
pub(crate) type HookFuture<'a> = Pin<Box<dyn Future<Output = Result<(), Error>> + Send + 'a>>;

/// [`AsyncHook`] in a form a client can hold whatever the hook's type (its future boxed).
pub(crate) trait DynAsyncHook: Send + Sync {
    fn before_request_boxed<'a>(
        &'a self,
        ctx: &'a HookContext,
        req: &'a mut reqwest::Request,
    ) -> HookFuture<'a>;
}

impl<H: AsyncHook> DynAsyncHook for H {
    fn before_request_boxed<'a>(
        &'a self,
        ctx: &'a HookContext,
        req: &'a mut reqwest::Request,
    ) -> HookFuture<'a> {
        Box::pin(self.before_request(ctx, req))
    }
}
