//! Blocking calls (cargo feature `blocking`): every request builder gets
//! [`send_blocking`](SendBlocking::send_blocking), run on a current-thread tokio
//! runtime the client owns.
//!
//! The runtime is created on the first blocking call and shared by every clone of
//! the client (it lives next to the connection pool). Calls from several threads at
//! once are fine: they take turns driving the runtime's I/O. Async calls and blocking
//! calls can be mixed on one client, as long as the blocking ones are made outside
//! any async runtime.

use crate::call::operation::Operation;
use crate::error::Error;
use crate::response::value::ResponseValue;

/// Blocking sends for every request builder (feature `blocking`): bring it into scope
/// with `use orq_runtime::SendBlocking;` (or the SDK's re-export).
///
/// ```ignore
/// use orq_client::SendBlocking;
/// let contact = orq.contacts().create(body).send_blocking()?;
/// ```
///
/// Per-call options set on the builder apply as with `.await`. Called from inside an
/// async runtime (a `#[tokio::main]`, a task), it returns [`Error::Config`] instead of
/// blocking the runtime's thread; use `.await` there, or `tokio::task::spawn_blocking`.
pub trait SendBlocking: Operation {
    /// Send the request and wait for it; the decoded success value.
    fn send_blocking(self) -> Result<Self::Output, Error> {
        self.send_with_response_blocking()
            .map(ResponseValue::into_inner)
    }

    /// Send the request and wait for it; the success value with the response status
    /// and headers.
    fn send_with_response_blocking(self) -> Result<ResponseValue<Self::Output>, Error>;
}

impl<O: Operation> SendBlocking for O {
    fn send_with_response_blocking(self) -> Result<ResponseValue<Self::Output>, Error> {
        let (core, request, options) = self.request()?;
        core.config.blocking.block_on(async {
            let response = core.execute(request, options).await?;
            let status = response.status();
            let headers = response.headers().clone();
            O::decode(response).map(|value| ResponseValue::new(status, headers, value))
        })?
    }
}
