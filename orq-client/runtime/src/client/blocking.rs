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

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::client::config::Config;
use crate::client::core::Core;
use crate::error::Error;
use crate::options::CallOptions;
use crate::request::RequestSpec;
use crate::response::Response;
use crate::transport::tls::http_builder;

/// The runtime of a client's blocking calls, and the client they run on; both created on
/// first use.
#[derive(Default)]
pub(crate) struct BlockingRuntime {
    /// The connect timeout of the built-in HTTP client, to build another like it for
    /// blocking calls; `None` when the caller gave their own client (then shared).
    own_pool: Option<Duration>,
    started: OnceLock<Started>,
}

struct Started {
    runtime: tokio::runtime::Runtime,
    /// The client as configured, with the HTTP client of blocking calls.
    core: Core,
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

    /// Runs the call of `request` on the blocking runtime and waits for its response.
    /// A panic in the call (a hook's) is resumed on the calling thread.
    pub(crate) fn execute(
        &self,
        config: &Config,
        request: RequestSpec,
        options: CallOptions,
    ) -> Result<Response, Error> {
        let started = self.start(config)?;
        let core = started.core.clone();
        let call = started
            .runtime
            .spawn(async move { core.execute(request, options).await });
        // The call's outcome, a panic included, handed to this thread.
        let (done, outcome) = std::sync::mpsc::sync_channel(1);
        started.runtime.spawn(async move {
            let _ = done.send(call.await);
        });
        match outcome.recv() {
            Ok(Ok(response)) => response,
            Ok(Err(error)) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
            Ok(Err(_)) | Err(_) => Err(Error::Config(
                "the runtime of blocking calls stopped before the call ended".into(),
            )),
        }
    }

    fn start(&self, config: &Config) -> Result<&Started, Error> {
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
            Some(connect_timeout) => http_builder()
                .connect_timeout(connect_timeout)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|error| config_error(&error))?,
            None => config.http.clone(),
        };
        let core = Core {
            config: Arc::new(config.with_http(http)),
        };
        // Another thread may have won the race; its runtime is used, ours dropped
        // (in the background: this may be async code).
        if let Err(lost) = self.started.set(Started { runtime, core }) {
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
        // code (or on a thread of its own runtime).
        if let Some(started) = self.started.take() {
            started.runtime.shutdown_background();
        }
    }
}
