//! [`CallOptions`]: per-call overrides.

use std::fmt;
use std::time::Duration;

use crate::retry::RetryConfig;

/// Overrides for a single call; every field defaults to "use the client's".
///
/// ```
/// use std::time::Duration;
/// use orq_runtime::{CallOptions, RetryConfig};
///
/// let options = CallOptions::new()
///     .retries(RetryConfig::none())
///     .timeout(Duration::from_secs(5))
///     .header("x-request-id", "42");
/// assert_eq!(options.headers.len(), 1);
/// ```
///
/// `Debug` shows header names but not their values.
#[derive(Clone, Default)]
pub struct CallOptions {
    /// Retry policy for this call. When set it applies whatever the HTTP
    /// method, unlike the client-wide policy which skips non-idempotent ones.
    pub retries: Option<RetryConfig>,
    /// Timeout of each attempt of this call.
    pub timeout: Option<Duration>,
    /// Extra headers; they replace headers of the same name set by the client.
    pub headers: Vec<(String, String)>,
    /// Largest response body this call reads, in bytes.
    pub max_response_bytes: Option<u64>,
    /// The idempotency key of this call, sent in the client's idempotency key header
    /// (`Idempotency-Key` by default) whatever the method and retry policy, and the
    /// same on every attempt. Without it, a call that may be retried gets a UUID v4
    /// (see [`ClientBuilder::idempotency_key_header`](crate::ClientBuilder::idempotency_key_header)).
    pub idempotency_key: Option<String>,
}

impl CallOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Uses `retries` for this call.
    pub fn retries(mut self, retries: RetryConfig) -> Self {
        self.retries = Some(retries);
        self
    }

    /// Uses `timeout` for each attempt of this call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Reads response bodies of up to `bytes` for this call (a large
    /// download); larger ones fail with
    /// [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge).
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.max_response_bytes = Some(bytes);
        self
    }

    /// Sends `key` as this call's idempotency key, on every attempt (an invalid header
    /// value fails the call with [`Error::InvalidRequest`](crate::Error::InvalidRequest)
    /// before anything is sent).
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Adds a header; invalid names or values fail the call with
    /// [`Error::InvalidRequest`](crate::Error::InvalidRequest) before anything is sent.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

impl fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("CallOptions")
            .field("retries", &self.retries)
            .field("timeout", &self.timeout)
            .field("headers", &header_names)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("idempotency_key", &self.idempotency_key)
            .finish()
    }
}
