//! The runtime of a client's blocking calls (cargo feature `blocking`): a
//! current-thread tokio runtime created on the first blocking call and shared by every
//! clone of the client (it lives next to the connection pool).

use std::sync::OnceLock;

use crate::error::Error;

/// The runtime of a client's blocking calls, created on first use.
#[derive(Default)]
pub(crate) struct BlockingRuntime {
    runtime: OnceLock<tokio::runtime::Runtime>,
}

impl BlockingRuntime {
    /// Runs `future` to completion on the client's runtime; an `Error::Config` when
    /// called from inside an async runtime, where blocking the thread could deadlock it.
    pub(crate) fn block_on<F: std::future::Future>(&self, future: F) -> Result<F::Output, Error> {
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
