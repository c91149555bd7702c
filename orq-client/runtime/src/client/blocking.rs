//! The runtime of a client's blocking calls (cargo feature `blocking`), created on the
//! first blocking call and shared by every clone of the client.
//!
//! Why a runtime of its own, driven by a thread of its own, and a pool of its own: a
//! connection's I/O is driven by the runtime that opened it. Blocking calls used to run
//! on a runtime driven only while a blocking call waited, with the connection pool
//! shared with async calls; a connection a blocking call opened went back to the pool,
//! and the next async call that took it waited on I/O nobody drove (until its timeout,
//! or forever without one). Now the runtime of blocking calls is always driven (one
//! worker thread), so whatever it opened stays alive, and with the built-in HTTP client
//! blocking calls have their own pool, so that they never depend on the caller's runtime
//! either. The calling thread only waits for the result: a blocking call works from a
//! plain thread, from `tokio::task::spawn_blocking` and, holding that thread meanwhile,
//! from async code.

use std::future::Future;
use std::sync::OnceLock;
use std::time::Duration;

use crate::error::Error;
use crate::transport::tls::http_builder;

/// The runtime of a client's blocking calls, and the HTTP client they use; both created
/// on first use.
#[derive(Default)]
pub(crate) struct BlockingRuntime {
    /// The connect timeout of the built-in HTTP client, to build another like it for
    /// blocking calls; `None` when the caller gave their own client (then shared).
    own_pool: Option<Duration>,
    started: OnceLock<Started>,
}

struct Started {
    runtime: tokio::runtime::Runtime,
    /// The HTTP client of blocking calls, when it is not the client's own.
    http: Option<reqwest::Client>,
}

impl BlockingRuntime {
    /// For a client whose built-in HTTP client connects within `connect_timeout`
    /// (`Some`: blocking calls get a pool of their own) or that uses the caller's (`None`).
    pub(crate) fn new(connect_timeout: Option<Duration>) -> Self {
        BlockingRuntime {
            own_pool: connect_timeout,
            started: OnceLock::new(),
        }
    }

    /// Runs the future `call` makes on the runtime of blocking calls and waits for its
    /// output. `call` gets the HTTP client of blocking calls (`None`: the client's own).
    /// A panic in the future (a hook's) is resumed on the calling thread.
    pub(crate) fn run<F>(
        &self,
        call: impl FnOnce(Option<&reqwest::Client>) -> F,
    ) -> Result<F::Output, Error>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let started = self.start()?;
        let call = started.runtime.spawn(call(started.http.as_ref()));
        // The call's outcome, a panic included, handed to this thread.
        let (done, outcome) = std::sync::mpsc::sync_channel(1);
        started.runtime.spawn(async move {
            let _ = done.send(call.await);
        });
        match outcome.recv() {
            Ok(Ok(output)) => Ok(output),
            Ok(Err(error)) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
            Ok(Err(_)) | Err(_) => Err(Error::Config(
                "the runtime of blocking calls stopped before the call ended".into(),
            )),
        }
    }

    fn start(&self) -> Result<&Started, Error> {
        if let Some(started) = self.started.get() {
            return Ok(started);
        }
        let config_error = |error: &dyn std::fmt::Display| {
            Error::Config(format!("cannot start blocking calls: {error}"))
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("orq-blocking")
            .enable_all()
            .build()
            .map_err(|error| config_error(&error))?;
        let http = match self.own_pool {
            Some(connect_timeout) => Some(
                http_builder()
                    .connect_timeout(connect_timeout)
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .map_err(|error| config_error(&error))?,
            ),
            None => None,
        };
        // Another thread may have won the race; its runtime is used, ours dropped
        // (in the background: this may be async code).
        if let Err(lost) = self.started.set(Started { runtime, http }) {
            lost.runtime.shutdown_background();
        }
        self.started
            .get()
            .ok_or_else(|| Error::Config("the runtime of blocking calls is not available".into()))
    }
}

impl Drop for BlockingRuntime {
    fn drop(&mut self) {
        // Without waiting for its thread: dropping a runtime inside another one panics in
        // tokio, and a client last used for blocking calls may well be dropped in async
        // code.
        if let Some(started) = self.started.take() {
            started.runtime.shutdown_background();
        }
    }
}
