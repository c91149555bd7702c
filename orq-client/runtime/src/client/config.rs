//! [`Config`]: what a client was built with, and the defaults of what it can be built with.

use std::sync::Arc;
use std::time::Duration;

use http::{HeaderMap, HeaderValue};
use url::Url;

use crate::auth::Credentials;
#[cfg(feature = "blocking")]
use crate::client::blocking::BlockingRuntime;
use crate::hooks::Hook;
use crate::retry::RetryConfig;

/// Per-attempt timeout unless [`ClientBuilder::timeout`](crate::ClientBuilder::timeout) says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Connect timeout of the built-in HTTP client.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Redirects followed per attempt unless [`ClientBuilder::max_redirects`](crate::ClientBuilder::max_redirects) says otherwise.
pub const DEFAULT_MAX_REDIRECTS: usize = 10;
/// Largest response body read unless [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)
/// says otherwise: 32 MiB. JSON APIs answer in kilobytes (a page of a list
/// is rarely over a few megabytes), so this leaves room for the largest
/// honest answers while a broken or hostile server cannot make the client
/// buffer gigabytes.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 32 * 1024 * 1024;

/// What a client was built with, shared by all its clones (behind an `Arc` in
/// [`Core`](crate::__private::Core)); what every call's pipeline reads.
pub(crate) struct Config {
    pub(crate) http: reqwest::Client,
    pub(crate) server_url: Url,
    pub(crate) credentials: Credentials,
    pub(crate) retry: RetryConfig,
    /// Whether `retry` was set by the caller (it then replaces spec policies).
    pub(crate) retry_set: bool,
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_response_bytes: u64,
    pub(crate) redirect_body_across_origins: bool,
    pub(crate) hooks: Vec<Arc<dyn Hook>>,
    pub(crate) default_headers: HeaderMap,
    pub(crate) user_agent: HeaderValue,
    pub(crate) max_redirects: usize,
    /// The runtime of blocking calls, created by the first one.
    #[cfg(feature = "blocking")]
    pub(crate) blocking: BlockingRuntime,
}
