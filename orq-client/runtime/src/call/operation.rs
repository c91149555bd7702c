//! The send path every generated request builder shares.
//!
//! A generated builder implements [`Operation`]: how its fields become a
//! [`RequestSpec`], and how a response becomes its success value. Everything
//! between (executing the call, reading status and headers, wrapping the value)
//! lives here once, instead of once per operation in every generated SDK. The
//! asynchronous part is not generic at all; what is generic is a small `poll`
//! per success type, so rustc compiles one state machine for the whole SDK.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::client::core::Core;
use crate::error::Error;
use crate::options::CallOptions;
use crate::request::RequestSpec;
use crate::response::Response;
use crate::response::value::ResponseValue;

/// What an operation's request builder tells the runtime (generated code only).
///
/// A builder owns everything it sends, the client included (a clone of it: one `Arc`
/// increment), so a request, its future and its pages are `'static`: they can be
/// spawned, stored and returned from functions.
pub trait Operation: Sized {
    /// The decoded success value.
    type Output;

    /// The client to send with, the request and the per-call options; or why
    /// nothing can be sent (a parameter breaks a limit of the spec, ...).
    fn request(self) -> Prepared;

    /// The success value of a response, or the error it stands for.
    fn decode(response: Response) -> Result<Self::Output, Error>;
}

/// A call on its way: it owns its client, so it borrows nothing.
pub(crate) type Executing = Pin<Box<dyn Future<Output = Result<Response, Error>> + Send>>;

/// Runs `request` with `core`, which the returned future owns.
pub(crate) fn execute(core: Core, request: RequestSpec, options: CallOptions) -> Executing {
    Box::pin(core.into_execute(request, options))
}

/// What an operation's arguments tell the runtime (generated code only): how they become
/// its request, and how a response becomes its success value.
///
/// An SDK has one generic request builder, `requests::Request<A>` (written by
/// [`__request_type`](crate::__request_type)), which holds an operation's arguments `A`
/// with the client's core and the per-call options. It implements [`Operation`],
/// `IntoFuture`, `send` and the per-call option methods once for every operation, where
/// each operation's builder would otherwise repeat them.
pub trait Endpoint: Sized {
    /// The decoded success value.
    type Output;

    /// The request; or why nothing can be sent (a parameter breaks a limit of the
    /// spec, ...).
    fn request(self) -> Result<RequestSpec, Error>;

    /// The success value of a response, or the error it stands for.
    fn decode(response: Response) -> Result<Self::Output, Error>;
}

/// How an operation turns a response into its value.
type Decode<T> = fn(Response) -> Result<T, Error>;

enum State<T> {
    /// The request could not be built; the error is returned on the first poll.
    Failed(Option<Error>),
    /// The call is on its way; `decode` turns its response into the value.
    Sending(Executing, Decode<T>),
}

/// A call in flight, resolving to the decoded value with the response's status and
/// headers: what `send_with_response()` returns.
#[must_use = "a request does nothing until it is awaited"]
pub struct ResponseFuture<T> {
    state: State<T>,
}

/// A call in flight, resolving to the decoded value: what awaiting a request
/// builder (or `send()`) runs.
#[must_use = "a request does nothing until it is awaited"]
pub struct SendFuture<T> {
    inner: ResponseFuture<T>,
}

/// Start the call `operation` describes (generated code only).
pub fn send<O: Operation>(operation: O) -> ResponseFuture<O::Output> {
    let state = match operation.request() {
        Ok((core, request, options)) => State::Sending(execute(core, request, options), O::decode),
        Err(err) => State::Failed(Some(err)),
    };
    ResponseFuture { state }
}

impl<T> State<T> {
    /// The call's response with the operation's decoder, once it arrives.
    fn poll_response(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Result<(Response, Decode<T>), Error>> {
        match self {
            State::Failed(err) => Poll::Ready(Err(err.take().unwrap_or_else(polled_again))),
            State::Sending(executing, decode) => executing
                .as_mut()
                .poll(cx)
                .map_ok(|response| (response, *decode)),
        }
    }
}

impl<T> Future for ResponseFuture<T> {
    type Output = Result<ResponseValue<T>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Every field is `Unpin` (the executing future is boxed).
        self.get_mut().state.poll_response(cx).map(|result| {
            let (response, decode) = result?;
            let (status, call) = (response.status(), response.call());
            // Copied before `decode` takes the response: the value keeps them.
            let headers = response.headers().clone();
            decode(response).map(|v| ResponseValue::new(status, headers, v).recorded(call))
        })
    }
}

/// A future polled after it completed is a bug of its caller; an error, not a panic.
pub(crate) fn polled_again() -> Error {
    Error::Config("a request future was polled after it completed".into())
}

impl<T> From<ResponseFuture<T>> for SendFuture<T> {
    fn from(inner: ResponseFuture<T>) -> Self {
        SendFuture { inner }
    }
}

impl<T> Future for SendFuture<T> {
    type Output = Result<T, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Only the value is returned: the headers are not copied out of the response.
        let state = &mut self.get_mut().inner.state;
        state.poll_response(cx).map(|result| {
            let (response, decode) = result?;
            decode(response)
        })
    }
}

impl<T> std::fmt::Debug for ResponseFuture<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match self.state {
            State::Failed(_) => "failed",
            State::Sending(..) => "sending",
        };
        f.debug_struct("ResponseFuture")
            .field("state", &state)
            .finish()
    }
}

impl<T> std::fmt::Debug for SendFuture<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("SendFuture").field(&self.inner).finish()
    }
}

/// What `Operation::request` returns: the client to send with, the request and the
/// per-call options, or why nothing can be sent.
pub type Prepared = Result<(Core, RequestSpec, CallOptions), Error>;

/// The SDK's request builder (generated code only, once per SDK, in its `requests`
/// module): `Request<A>` holds an operation's arguments `A` ([`Endpoint`]) with the
/// client's core and the per-call options, and has for every operation at once the
/// per-call option methods, `send`, `send_with_response`, [`Operation`] and
/// `IntoFuture`. Each operation's builder is `pub type ContactsCreate =
/// Request<ContactsCreateArgs>` with its setters in an `impl ContactsCreate` of its own
/// (an inherent impl of one instantiation, allowed because `Request` is the SDK's type).
#[doc(hidden)]
#[macro_export]
macro_rules! __request_type {
    () => {
        /// A request of one operation: its arguments, the client and the per-call
        /// options. Each operation's builder type in this module is this type with the
        /// operation's arguments, and has the operation's setters; the per-call options
        /// (retries, timeout, headers, idempotency key) are here, the same for every
        /// operation. `.await` a request, or call `send` or `send_with_response`.
        #[must_use = "a request does nothing until it is awaited"]
        #[derive(Clone, Debug)]
        pub struct Request<A> {
            core: $crate::__private::Core,
            args: A,
            options: $crate::CallOptions,
        }

        impl<A: $crate::__private::Endpoint> Request<A> {
            #[inline]
            fn with(core: &$crate::__private::Core, args: A) -> Self {
                Request {
                    core: ::std::clone::Clone::clone(core),
                    args,
                    options: ::std::default::Default::default(),
                }
            }

            $crate::__call_option_methods!();

            /// Send the request; the decoded success value.
            #[inline]
            pub fn send(self) -> $crate::SendFuture<A::Output> {
                $crate::__private::send(self).into()
            }

            /// Send the request; the success value with the response status and headers.
            #[inline]
            pub fn send_with_response(self) -> $crate::ResponseFuture<A::Output> {
                $crate::__private::send(self)
            }
        }

        impl<A: $crate::__private::Endpoint> $crate::__private::Operation for Request<A> {
            type Output = A::Output;

            #[inline]
            fn request(self) -> $crate::__private::Prepared {
                let request = $crate::__private::Endpoint::request(self.args)?;
                ::std::result::Result::Ok((self.core, request, self.options))
            }

            #[inline]
            fn decode(
                response: $crate::Response,
            ) -> ::std::result::Result<A::Output, $crate::Error> {
                A::decode(response)
            }
        }

        impl<A: $crate::__private::Endpoint> ::std::future::IntoFuture for Request<A> {
            type Output = ::std::result::Result<A::Output, $crate::Error>;
            type IntoFuture = $crate::SendFuture<A::Output>;

            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                $crate::__private::send(self).into()
            }
        }
    };
}

/// The per-call option methods of every request builder (generated code only): the
/// builder has an `options: CallOptions` field.
#[doc(hidden)]
#[macro_export]
macro_rules! __call_option_methods {
    () => {
        /// Per-call options: retries, timeout, extra headers, idempotency key (replaces
        /// earlier ones).
        #[inline]
        pub fn options(mut self, options: $crate::CallOptions) -> Self {
            self.options = options;
            self
        }

        /// Retry settings for this call only (also for non-idempotent methods).
        #[inline]
        pub fn retries(mut self, retries: $crate::RetryConfig) -> Self {
            self.options.retries = ::std::option::Option::Some(retries);
            self
        }

        /// Timeout of each attempt of this call.
        #[inline]
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.options.timeout = ::std::option::Option::Some(timeout);
            self
        }

        /// The idempotency key of this call, the same on every attempt (without it, a
        /// POST or PATCH that may be retried gets a UUID v4).
        #[inline]
        pub fn idempotency_key(
            mut self,
            key: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            self.options.idempotency_key = ::std::option::Option::Some(key.into());
            self
        }

        /// An extra header for this call (CR/LF are refused when sending).
        #[inline]
        pub fn header(
            mut self,
            name: impl ::std::convert::Into<::std::string::String>,
            value: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            self.options.headers.push((name.into(), value.into()));
            self
        }
    };
}
