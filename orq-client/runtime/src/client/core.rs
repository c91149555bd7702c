//! [`Core`]: the configured runtime every generated client wraps, and the one entry
//! point of a call ([`Core::execute`], run by the pipeline).

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use url::Url;

use crate::client::config::Config;
use crate::client::pipeline;
use crate::error::Error;
use crate::options::CallOptions;
use crate::request::RequestSpec;
use crate::response::Response;
use crate::retry::RetryConfig;

/// Implemented by generated clients: wraps a [`Core`].
pub trait FromCore {
    /// Wraps a configured core.
    fn from_core(core: Core) -> Self;
}

impl FromCore for Core {
    fn from_core(core: Core) -> Self {
        core
    }
}

/// The configured runtime shared by all clones of a generated client.
///
/// Cheap to clone (an `Arc`). `Debug` never shows credentials or default
/// header values.
#[derive(Clone)]
pub struct Core {
    pub(crate) config: Arc<Config>,
}

impl Core {
    /// The server URL requests go to.
    pub fn server_url(&self) -> &Url {
        &self.config.server_url
    }

    /// The client-wide retry policy.
    pub fn retry_config(&self) -> &RetryConfig {
        &self.config.retry
    }

    /// The per-attempt timeout, if any.
    pub fn timeout(&self) -> Option<Duration> {
        self.config.timeout
    }

    /// Runs the future `call` makes on the client's runtime of blocking calls and waits
    /// for its output (feature `blocking`). `call` gets a core configured as this one
    /// (credentials, token cache and hooks shared) with the HTTP client of blocking calls
    /// and no blocking runtime of its own: the call never holds the client's.
    #[cfg(feature = "blocking")]
    pub(crate) fn block_on<F>(&self, call: impl FnOnce(Core) -> F) -> Result<F::Output, Error>
    where
        F: std::future::Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let config = &self.config;
        config.blocking.run(|http| {
            let http = http.unwrap_or(&config.http).clone();
            call(Core {
                config: Arc::new(config.with_http(http)),
            })
        })
    }

    /// The underlying HTTP client.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.config.http
    }

    /// Sends one operation call and returns its response, whatever the status.
    ///
    /// In order: refuses requests that failed while being built
    /// ([`Error::InvalidRequest`](crate::Error::InvalidRequest), nothing sent); joins the server URL (with
    /// its base path), the path and the encoded query; applies the default
    /// headers, `User-Agent`, the request's headers and cookies, the
    /// credentials of the first satisfied security alternative, then the
    /// per-call headers; then for each attempt runs the hooks, sends,
    /// follows redirects (running the hooks again for each, and sending only
    /// content-negotiation headers when one leaves the origin) and reads the
    /// body up to the size limit (or, for a request with
    /// [`stream_response`](RequestSpec::stream_response), leaves a 2XX body
    /// unread for a [`ByteStream`](crate::ByteStream) or an
    /// [`EventStream`](crate::EventStream)).
    ///
    /// A body that cannot be sent again (a stream, an open file) makes one
    /// attempt: no retry and no OAuth2 refresh follow it. Files given by path
    /// are opened again for each attempt.
    ///
    /// Retries follow [`CallOptions::retries`](crate::CallOptions::retries) if given, else the client's
    /// [`RetryConfig`](crate::RetryConfig) if one was set with
    /// [`ClientBuilder::retry`](crate::ClientBuilder::retry), else the
    /// spec's `x-speakeasy-retries`, else [`RetryConfig::default()`](crate::RetryConfig::default); see
    /// [`RetryConfig`](crate::RetryConfig) for which methods each applies to. Once no retry is
    /// left, the last response is returned as `Ok` even for 4XX/5XX
    /// (generated code decides what is an error); the last transport error
    /// or timeout is returned as `Err`. The whole call, token fetches and
    /// retries included, ends by the retry budget
    /// ([`BackoffConfig::max_elapsed_time`](crate::BackoffConfig::max_elapsed_time)),
    /// or by the per-attempt timeout when it does not retry.
    ///
    /// A request that is not idempotent by its method and may be retried carries
    /// an idempotency key, the same on every attempt (see
    /// [`ClientBuilder::idempotency_key_header`](crate::ClientBuilder::idempotency_key_header)).
    /// The response, or the error, records the attempts made
    /// ([`Response::attempts`](crate::Response::attempts), [`Error::attempts`](crate::Error::attempts)).
    ///
    /// Each call runs in an `orq.call` tracing span with the operation,
    /// method, path template (never the concrete path or the query), final
    /// status, attempts, duration and the response's request id; no credential
    /// is ever recorded.
    ///
    /// The request is prepared when this is called; nothing is sent, and the call's
    /// clock does not start, until the future is polled.
    pub fn execute(
        &self,
        request: RequestSpec,
        options: CallOptions,
    ) -> impl Future<Output = Result<Response, Error>> + Send + 'static {
        pipeline::execute(Arc::clone(&self.config), request, options)
    }

    /// [`execute`](Self::execute), taking the client.
    pub(crate) fn into_execute(
        self,
        request: RequestSpec,
        options: CallOptions,
    ) -> impl Future<Output = Result<Response, Error>> + Send + 'static {
        pipeline::execute(self.config, request, options)
    }
}

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = &self.config;
        f.debug_struct("Core")
            .field("server_url", &config.server_url.as_str())
            .field("credentials", &config.credentials)
            .field("retry", &config.retry)
            .field("timeout", &config.timeout)
            .field("hooks", &(config.hooks.len() + config.async_hooks.len()))
            .field(
                "default_headers",
                &config
                    .default_headers
                    .keys()
                    .map(|name| name.as_str())
                    .collect::<Vec<_>>(),
            )
            .field("user_agent", &config.user_agent)
            .field("max_redirects", &config.max_redirects)
            .finish()
    }
}
