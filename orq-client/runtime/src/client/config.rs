//! [`Config`]: what a client was built with, the facts about its SDK it starts from
//! ([`ClientInfo`]), and the defaults of what it can be built with.

use std::sync::Arc;
use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue};
use url::Url;

use crate::auth::Credentials;
#[cfg(feature = "blocking")]
use crate::client::blocking::BlockingRuntime;
use crate::error::record::RequestIdHeader;
use crate::hooks::{DynAsyncHook, Hook};
use crate::retry::RetryConfig;
use crate::spec::security::SecurityScheme;
use crate::transport::deadline::Timers;
use crate::wire::endpoint::Joined;

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
/// The header carrying the idempotency key of a call that may be retried, unless
/// [`ClientBuilder::idempotency_key_header`](crate::ClientBuilder::idempotency_key_header)
/// names another: `Idempotency-Key`, as the IETF draft, Stripe, Adyen and PayPal-style
/// APIs name it.
pub const DEFAULT_IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";

/// Which credential `{PREFIX}_API_KEY` holds, for [`ClientBuilder::from_env`](crate::ClientBuilder::from_env).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnvCredential {
    /// A bearer token ([`ClientBuilder::bearer`](crate::ClientBuilder::bearer)).
    Bearer,
    /// An API key for every apiKey scheme ([`ClientBuilder::api_key`](crate::ClientBuilder::api_key)).
    ApiKey,
    /// The API takes no credential from the environment.
    None,
}

/// Facts about a generated SDK, emitted as a constant by the generator.
#[derive(Clone, Copy, Debug)]
pub struct ClientInfo {
    /// The first server URL of the spec.
    pub default_server_url: &'static str,
    /// Prefix of the environment variables read by
    /// [`ClientBuilder::from_env`](crate::ClientBuilder::from_env): `ORQ` reads `ORQ_API_KEY`, `ORQ_SERVER_URL`.
    pub env_prefix: &'static str,
    /// What `{PREFIX}_API_KEY` holds.
    pub env_credential: EnvCredential,
    /// The `User-Agent` sent with every request.
    pub user_agent: &'static str,
    /// The security requirement of requests to endpoints the spec does not describe
    /// ([`Core::request`](crate::__private::Core::request)): the one most of its
    /// operations use (the spec's default, unless most operations override it).
    pub security: &'static [&'static [SecurityScheme]],
    /// The response header holding the server's request id when the spec names one
    /// (else the usual ones are read, [`REQUEST_ID_HEADERS`](crate::REQUEST_ID_HEADERS)).
    pub request_id_header: Option<&'static str>,
}

/// What a client was built with, shared by all its clones (behind an `Arc` in
/// [`Core`](crate::__private::Core)); what every call's pipeline reads.
pub(crate) struct Config {
    /// The facts about the SDK the client was built from.
    pub(crate) info: ClientInfo,
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
    /// Hooks that await, run after `hooks` before each attempt and redirect.
    pub(crate) async_hooks: Vec<Arc<dyn DynAsyncHook>>,
    pub(crate) default_headers: HeaderMap,
    pub(crate) user_agent: HeaderValue,
    pub(crate) max_redirects: usize,
    /// The response header read first for request ids: the builder's, else the spec's.
    pub(crate) request_id_header: Option<RequestIdHeader>,
    /// The header of idempotency keys.
    pub(crate) idempotency_header: HeaderName,
    /// Whether calls that may be retried get an idempotency key of their own.
    pub(crate) idempotency_keys: bool,
    /// The timers of attempt deadlines, kept for reuse (per runtime).
    pub(crate) timers: Arc<Timers>,
    /// The URLs of literal paths on `server_url`, joined once.
    pub(crate) urls: Arc<Joined>,
    /// The runtime of blocking calls, created by the first one; shared with the clients
    /// derived from this one, which share its connection pool.
    #[cfg(feature = "blocking")]
    pub(crate) blocking: Arc<BlockingRuntime>,
}

impl Config {
    /// The same configuration with another HTTP client (the one of blocking calls), and
    /// no runtime of blocking calls of its own. Credentials (and the OAuth2 token cache)
    /// and hooks are shared.
    #[cfg(feature = "blocking")]
    pub(crate) fn with_http(&self, http: reqwest::Client) -> Config {
        Config {
            info: self.info,
            http,
            server_url: self.server_url.clone(),
            credentials: self.credentials.clone(),
            retry: self.retry.clone(),
            retry_set: self.retry_set,
            timeout: self.timeout,
            max_response_bytes: self.max_response_bytes,
            redirect_body_across_origins: self.redirect_body_across_origins,
            hooks: self.hooks.clone(),
            async_hooks: self.async_hooks.clone(),
            default_headers: self.default_headers.clone(),
            user_agent: self.user_agent.clone(),
            max_redirects: self.max_redirects,
            request_id_header: self.request_id_header,
            idempotency_header: self.idempotency_header.clone(),
            idempotency_keys: self.idempotency_keys,
            timers: self.timers.clone(),
            urls: self.urls.clone(),
            blocking: Arc::default(),
        }
    }
}
