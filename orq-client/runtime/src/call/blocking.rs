//! Blocking calls (cargo feature `blocking`): every request builder gets
//! [`send_blocking`](SendBlocking::send_blocking), run on a tokio runtime the client
//! owns (one thread of its own, created on the first blocking call and shared by every
//! clone of the client; see `client::blocking`).
//!
//! Calls from several threads at once are fine. Async calls and blocking calls can be
//! mixed on one client: with the built-in HTTP client, blocking calls have a connection
//! pool of their own; with yours, they share it, which works since the runtime of
//! blocking calls keeps driving the connections it opened.

use crate::call::operation::Operation;
use crate::error::Error;
use crate::response::Response;
use crate::response::value::ResponseValue;

/// Blocking sends for every request builder (feature `blocking`): bring it into scope
/// with `use orq_runtime::SendBlocking;` (or the SDK's re-export).
///
/// ```ignore
/// use orq_client::SendBlocking;
/// let contact = orq.contacts().create(body).send_blocking()?;
/// ```
///
/// Per-call options set on the builder apply as with `.await`; hooks run on the client's
/// blocking thread. It works from a plain thread and from `tokio::task::spawn_blocking`.
/// Called from async code (a `#[tokio::main]`, a task) it also completes, but it holds
/// that thread, and on a current-thread runtime every task of it, until the call ends:
/// `.await` the request there instead.
pub trait SendBlocking: Operation {
    /// Send the request and wait for it; the decoded success value.
    fn send_blocking(self) -> Result<Self::Output, Error> {
        // Only the value is returned: the headers are not copied out of the response.
        Self::decode(response_blocking(self)?)
    }

    /// Send the request and wait for it; the success value with the response status
    /// and headers.
    fn send_with_response_blocking(self) -> Result<ResponseValue<Self::Output>, Error>;
}

impl<O: Operation> SendBlocking for O {
    fn send_with_response_blocking(self) -> Result<ResponseValue<Self::Output>, Error> {
        let response = response_blocking(self)?;
        let (status, call) = (response.status(), response.call());
        let headers = response.headers().clone();
        O::decode(response).map(|value| ResponseValue::new(status, headers, value).recorded(call))
    }
}

/// The response of `operation`'s call, made on its client's runtime of blocking calls.
fn response_blocking<O: Operation>(operation: O) -> Result<Response, Error> {
    let (core, request, options) = operation.request()?;
    core.block_on(|core| core.into_execute(request, options))?
}
