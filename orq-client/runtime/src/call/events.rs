//! The send path of operations whose success is a stream of server-sent events: the
//! call runs like any other up to and including the status check, then the response
//! is read event by event as an [`EventStream`].

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use http::HeaderValue;
use http::header::ACCEPT;

use crate::call::operation::{Prepared, polled_again};
use crate::client::core::Core;
use crate::error::Error;
use crate::options::CallOptions;
use crate::request::{RequestSpec, SuccessBody};
use crate::response::Response;
use crate::response::event_stream::{EventStream, IdleTimeout, StreamSettings};

/// What the request builder of an event-stream operation tells the runtime
/// (generated code only).
pub trait EventOperation<'a>: Sized {
    /// The type of each event's data.
    type Data;

    /// How this call reads its events (sentinel, idle timeout, size limit).
    fn settings(&self) -> StreamSettings;

    /// The client, the request and the per-call options; or why nothing can be sent.
    fn request(self) -> Prepared<'a>;

    /// The stream over a success response.
    fn events(
        operation: &'static str,
        response: reqwest::Response,
        settings: StreamSettings,
    ) -> EventStream<Self::Data>;

    /// The error a response of any other status stands for.
    fn error(response: Response) -> Error;
}

/// The settings of an operation's stream: the spec's sentinel (generated code only).
pub fn stream_settings(sentinel: Option<&str>) -> StreamSettings {
    StreamSettings {
        sentinel: sentinel.map(str::to_owned),
        ..StreamSettings::default()
    }
}

type Opening<'a> = Pin<Box<dyn Future<Output = Result<Response, Error>> + Send + 'a>>;

/// How a stream is made from the opened response.
struct Readers<T> {
    events: fn(&'static str, reqwest::Response, StreamSettings) -> EventStream<T>,
    error: fn(Response) -> Error,
}

enum State<'a, T> {
    Failed(Option<Error>),
    Opening(Opening<'a>, Readers<T>, Option<StreamSettings>),
}

/// A call of an event-stream operation until its response headers arrive; resolves to
/// the [`EventStream`] of the events, or the call's error (4XX/5XX as
/// [`Error::Api`], after the retries the call allows).
#[must_use = "a request does nothing until it is awaited"]
pub struct EventFuture<'a, T> {
    state: State<'a, T>,
}

/// Start the call `operation` describes (generated code only). Events may wait as long
/// as the call's per-attempt timeout between them unless the caller set another idle
/// timeout (or none).
pub fn open_events<'a, O: EventOperation<'a>>(operation: O) -> EventFuture<'a, O::Data> {
    let mut settings = operation.settings();
    let state = match operation.request() {
        Ok((core, request, options)) => {
            if settings.idle_timeout == IdleTimeout::PerAttempt {
                settings.idle_timeout = options
                    .timeout
                    .or(core.timeout())
                    .map_or(IdleTimeout::Never, IdleTimeout::After);
            }
            let readers = Readers {
                events: O::events,
                error: O::error,
            };
            State::Opening(open(core, request, options), readers, Some(settings))
        }
        Err(err) => State::Failed(Some(err)),
    };
    EventFuture { state }
}

/// The call of an event stream: everything up to and including the status check is
/// that of any call (hooks, credentials, redirects, retries of 429/5XX), and the
/// per-attempt timeout bounds the wait for the headers. A success is handed back with
/// its body unread (hooks' `after_response` see an empty body); any other status is
/// read as usual. The request says `Accept: text/event-stream` unless it names another
/// `Accept`.
fn open<'a>(core: &'a Core, mut request: RequestSpec, options: CallOptions) -> Opening<'a> {
    if !request.headers.contains_key(ACCEPT) {
        request
            .headers
            .insert(ACCEPT, HeaderValue::from_static("text/event-stream"));
    }
    request.success_body = SuccessBody::Unread;
    Box::pin(core.execute(request, options))
}

impl<T> Future for EventFuture<'_, T> {
    type Output = Result<EventStream<T>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Every field is `Unpin` (the opening future is boxed).
        match &mut self.get_mut().state {
            State::Failed(err) => Poll::Ready(Err(err.take().unwrap_or_else(polled_again))),
            State::Opening(opening, readers, settings) => match opening.as_mut().poll(cx) {
                Poll::Pending => Poll::Pending,
                Poll::Ready(Err(err)) => Poll::Ready(Err(err)),
                Poll::Ready(Ok(mut response)) => Poll::Ready(match response.take_unread() {
                    Some(live) => match settings.take() {
                        Some(settings) => {
                            let events = (readers.events)(response.operation(), live, settings);
                            Ok(events.recorded(response.call()))
                        }
                        None => Err(polled_again()),
                    },
                    // Any status but a success was read whole.
                    None => Err((readers.error)(response)),
                }),
            },
        }
    }
}

impl<T> std::fmt::Debug for EventFuture<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match self.state {
            State::Failed(_) => "failed",
            State::Opening(..) => "opening",
        };
        f.debug_struct("EventFuture")
            .field("state", &state)
            .finish()
    }
}

/// The methods of an event-stream operation's request builder (generated code only):
/// per-call options, stream settings, `send` and `IntoFuture` resolving to the
/// [`EventStream`]. The builder has `options: CallOptions` and `events: StreamSettings`
/// fields and implements [`EventOperation`] with `$data` as its data.
#[doc(hidden)]
#[macro_export]
macro_rules! __event_request_builder {
    ($(#[$attr:meta])* $name:ident => $data:ty) => {
        $(#[$attr])*
        impl<'a> $name<'a> {
            $crate::__call_option_methods!();

            /// The longest wait between two chunks of the stream (default: the
            /// per-attempt timeout); a longer gap ends the stream with `Error::Timeout`.
            /// `stream_settings` with `IdleTimeout::Never` waits forever.
            #[inline]
            pub fn idle_timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.events.idle_timeout = $crate::IdleTimeout::After(timeout);
                self
            }

            /// How this call reads its events: idle timeout, terminal sentinel, largest event.
            #[inline]
            pub fn stream_settings(mut self, settings: $crate::StreamSettings) -> Self {
                self.events = settings;
                self
            }

            /// Send the request; once the response headers arrive, the stream of its
            /// events (dropping it closes the connection).
            #[inline]
            pub fn send(self) -> $crate::EventFuture<'a, $data> {
                $crate::__private::open_events(self)
            }
        }

        $(#[$attr])*
        impl<'a> ::std::future::IntoFuture for $name<'a> {
            type Output =
                ::std::result::Result<$crate::EventStream<$data>, $crate::Error>;
            type IntoFuture = $crate::EventFuture<'a, $data>;

            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                $crate::__private::open_events(self)
            }
        }
    };
}
