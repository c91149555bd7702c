//! Blocking calls (cargo feature `blocking`): every request builder gets
//! [`send_blocking`](SendBlocking::send_blocking), run on a current-thread tokio
//! runtime the client owns.
//!
//! The runtime is created on the first blocking call and shared by every clone of
//! the client (it lives next to the connection pool). Calls from several threads at
//! once are fine: they take turns driving the runtime's I/O. Async calls and blocking
//! calls can be mixed on one client, as long as the blocking ones are made outside
//! any async runtime.

use std::sync::OnceLock;

use crate::__private::Operation;
use crate::{Error, ResponseValue};

/// The runtime of a client's blocking calls, created on first use.
#[derive(Default)]
pub(crate) struct BlockingRuntime {
    runtime: OnceLock<tokio::runtime::Runtime>,
}

impl BlockingRuntime {
    /// Runs `future` to completion on the client's runtime; an `Error::Config` when
    /// called from inside an async runtime, where blocking the thread could deadlock it.
    fn block_on<F: std::future::Future>(&self, future: F) -> Result<F::Output, Error> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::Config(
                "a blocking call was made from inside an async runtime; `.await` the request \
                 instead of calling `send_blocking` (or move the call to `spawn_blocking`)"
                    .into(),
            ));
        }
        let runtime = match self.runtime.get() {
            Some(runtime) => runtime,
            None => {
                let built = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|error| {
                        Error::Config(format!(
                            "cannot start the runtime of blocking calls: {error}"
                        ))
                    })?;
                // Another thread may have won the race; its runtime is used, ours dropped.
                let _ = self.runtime.set(built);
                self.runtime.get().ok_or_else(|| {
                    Error::Config("the runtime of blocking calls is not available".into())
                })?
            }
        };
        Ok(runtime.block_on(future))
    }
}

impl Drop for BlockingRuntime {
    fn drop(&mut self) {
        // Dropping a runtime inside another one panics in tokio; a client last used for
        // blocking calls may well be dropped in async code.
        if let Some(runtime) = self.runtime.take()
            && tokio::runtime::Handle::try_current().is_ok()
        {
            runtime.shutdown_background();
        }
    }
}

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
pub trait SendBlocking<'a>: Operation<'a> {
    /// Send the request and wait for it; the decoded success value.
    fn send_blocking(self) -> Result<Self::Output, Error> {
        self.send_with_response_blocking()
            .map(ResponseValue::into_inner)
    }

    /// Send the request and wait for it; the success value with the response status
    /// and headers.
    fn send_with_response_blocking(self) -> Result<ResponseValue<Self::Output>, Error>;
}

impl<'a, O: Operation<'a>> SendBlocking<'a> for O {
    fn send_with_response_blocking(self) -> Result<ResponseValue<Self::Output>, Error> {
        let (core, request, options) = self.request()?;
        core.inner.blocking.block_on(async move {
            let response = core.execute(request, options).await?;
            let status = response.status();
            let headers = response.headers().clone();
            O::decode(response).map(|value| ResponseValue::new(status, headers, value))
        })?
    }
}
