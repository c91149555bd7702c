//! [`ClientBuilder`]: how a client is configured and built, from code, the environment
//! or another client ([`Core::to_builder`]).

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue};
use secrecy::SecretString;
use url::Url;

use crate::auth::Credentials;
use crate::auth::client_credentials::ClientCredentials;
use crate::auth::token::TokenSource;
#[cfg(feature = "blocking")]
use crate::client::blocking::BlockingRuntime;
use crate::client::config::{
    ClientInfo, Config, DEFAULT_CONNECT_TIMEOUT, DEFAULT_IDEMPOTENCY_KEY_HEADER,
    DEFAULT_MAX_REDIRECTS, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, EnvCredential,
};
use crate::client::core::{Core, FromCore};
use crate::error::Error;
use crate::error::record::RequestIdHeader;
use crate::hooks::{AsyncHook, DynAsyncHook, Hook};
use crate::retry::RetryConfig;
use crate::transport::tls::http_builder;
use crate::wire::headers::{header_pair, overlay};

/// Configures and builds a client `C` (a generated SDK client such as `Orq`).
///
/// ```no_run
/// # use orq_runtime::{ClientBuilder, RetryConfig};
/// # use orq_runtime::__private::{ClientInfo, Core, EnvCredential};
/// # const INFO: ClientInfo = ClientInfo {
/// #     default_server_url: "https://api.example.com",
/// #     env_prefix: "EXAMPLE",
/// #     env_credential: EnvCredential::Bearer,
/// #     user_agent: "example-sdk/1.0",
/// #     security: &[],
/// #     request_id_header: None,
/// # };
/// # fn main() -> Result<(), orq_runtime::Error> {
/// let client: Core = ClientBuilder::new(INFO)
///     .from_env()? // EXAMPLE_API_KEY, optional EXAMPLE_SERVER_URL
///     .retry(RetryConfig::none())
///     .timeout(std::time::Duration::from_secs(10))
///     .build()?;
/// # Ok(()) }
/// ```
///
/// Defaults: the spec's first server URL, [`RetryConfig::default()`] (or
/// the spec's `x-speakeasy-retries`), a per-attempt timeout of 60 s, a 10 s
/// connect timeout, up to 10 redirects, responses up to 32 MiB.
/// Credentials are held as [`SecretString`]s and never printed: `Debug` only
/// says which ones are set.
pub struct ClientBuilder<C> {
    info: ClientInfo,
    credentials: Credentials,
    server_url: Option<String>,
    retry: Option<RetryConfig>,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    max_response_bytes: u64,
    redirect_body_across_origins: bool,
    http: Option<reqwest::Client>,
    hooks: Vec<Arc<dyn Hook>>,
    async_hooks: Vec<Arc<dyn DynAsyncHook>>,
    default_headers: Vec<(String, String)>,
    /// The default headers of the client this builder was made from, checked already;
    /// `default_headers` replace those of the same name.
    inherited_headers: HeaderMap,
    user_agent: Option<String>,
    max_redirects: usize,
    request_id_header: Option<&'static str>,
    idempotency_header: Option<String>,
    idempotency_keys: bool,
    /// The blocking runtime of the client this builder was made from, which drives
    /// the connections of the pool it shares.
    #[cfg(feature = "blocking")]
    blocking: Option<Arc<BlockingRuntime>>,
    client: PhantomData<fn() -> C>,
}

impl<C: FromCore> ClientBuilder<C> {
    /// A builder with the SDK's defaults and no credentials.
    pub fn new(info: ClientInfo) -> Self {
        Self {
            info,
            credentials: Credentials::default(),
            server_url: None,
            retry: None,
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            redirect_body_across_origins: false,
            http: None,
            hooks: Vec::new(),
            async_hooks: Vec::new(),
            default_headers: Vec::new(),
            inherited_headers: HeaderMap::new(),
            user_agent: None,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            request_id_header: None,
            idempotency_header: None,
            idempotency_keys: true,
            #[cfg(feature = "blocking")]
            blocking: None,
            client: PhantomData,
        }
    }

    /// Authenticates with `Authorization: Bearer <token>` (a `Bearer ` prefix
    /// already in `token` is not doubled).
    pub fn bearer(mut self, token: impl Into<String>) -> Self {
        self.credentials.bearer = Some(SecretString::from(token.into()));
        self
    }

    /// Authenticates with HTTP basic auth.
    pub fn basic(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials.basic = Some((user.into(), SecretString::from(password.into())));
        self
    }

    /// Uses `value` for every apiKey security scheme (header, query or cookie,
    /// as the spec says) that has no key of its own from [`api_key_for`](Self::api_key_for).
    pub fn api_key(mut self, value: impl Into<String>) -> Self {
        self.credentials.api_key = Some(SecretString::from(value.into()));
        self
    }

    /// Uses `value` for the apiKey scheme named `scheme` in the spec's
    /// `components.securitySchemes`.
    pub fn api_key_for(mut self, scheme: impl Into<String>, value: impl Into<String>) -> Self {
        self.credentials
            .api_keys
            .insert(scheme.into(), SecretString::from(value.into()));
        self
    }

    /// Authenticates OAuth2 operations with the client-credentials grant:
    /// the runtime POSTs `grant_type=client_credentials` (and the scopes the
    /// operation requires) to the scheme's `tokenUrl`, caches the token,
    /// refreshes it before `expires_in` runs out and once more when the API
    /// answers 401. Shorthand for
    /// `oauth2(ClientCredentials::new(client_id, client_secret))`.
    pub fn oauth2_client_credentials(
        self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.oauth2(ClientCredentials::new(client_id, client_secret))
    }

    /// Authenticates OAuth2 operations with the client-credentials grant,
    /// with a token URL or scopes of your own (see [`ClientCredentials`]).
    /// OAuth2 operations use these before a [`bearer`](Self::bearer) token.
    pub fn oauth2(mut self, credentials: ClientCredentials) -> Self {
        self.credentials.oauth2 = Some(Arc::new(TokenSource::new(credentials)));
        self
    }

    /// Sends requests to `url` instead of the spec's server. A base path is
    /// kept (`https://host/api/v2` + `/contacts`). Plain `http://` is
    /// accepted, for local servers and tests: credentials then travel
    /// unencrypted.
    pub fn server_url(mut self, url: impl Into<String>) -> Self {
        self.server_url = Some(url.into());
        self
    }

    /// The client-wide retry policy (see [`RetryConfig`] for the defaults
    /// and which methods it applies to). It replaces the policies the spec
    /// declares with `x-speakeasy-retries`.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Largest response body read, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`], 32 MiB). A larger body, announced by
    /// `Content-Length` or counted while reading, fails the call with
    /// [`Error::ResponseTooLarge`]. Per call: [`CallOptions::max_response_bytes`](crate::CallOptions::max_response_bytes).
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Follows a 307/308 redirect to another origin with the request body
    /// (default: such a redirect is returned as it is, since the body may
    /// hold data meant only for the API).
    pub fn redirect_body_across_origins(mut self, follow: bool) -> Self {
        self.redirect_body_across_origins = follow;
        self
    }

    /// Timeout of each attempt: sending the request and reading the whole
    /// response. Default 60 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// No per-attempt timeout (calls can then wait forever on a stalled server).
    pub fn no_timeout(mut self) -> Self {
        self.timeout = None;
        self
    }

    /// Connect timeout of the built-in HTTP client. Default 10 s. Ignored
    /// with [`reqwest_client`](Self::reqwest_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Uses your own `reqwest::Client` (proxies, TLS roots, pools...).
    ///
    /// Build it with `redirect(reqwest::redirect::Policy::none())` to keep
    /// the runtime's redirect handling, which sends only content-negotiation
    /// headers (no credentials, default, per-call or hook headers, no body)
    /// on cross-origin redirects and runs the hooks again; reqwest's own
    /// policy removes only `Authorization` and `Cookie`.
    pub fn reqwest_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Adds a hook, run after those added before it.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// Adds a hook that can await (sign with a remote key, fetch a header from a
    /// vault): run before each attempt and redirect after every [`Hook`], in the
    /// order added. See [`AsyncHook`].
    pub fn async_hook(mut self, hook: impl AsyncHook) -> Self {
        self.async_hooks.push(Arc::new(hook));
        self
    }

    /// Sends a header with every request (checked by [`build`](Self::build)). On a
    /// builder made by [`to_builder`](Core::to_builder), it replaces the inherited
    /// default header of the same name.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// Reads the server's request id ([`Error::request_id`],
    /// [`ResponseValue::request_id`](crate::ResponseValue::request_id)) from the
    /// response header `name` first, before the usual ones
    /// ([`REQUEST_ID_HEADERS`](crate::REQUEST_ID_HEADERS): `x-request-id`,
    /// `request-id`, ...). Replaces the header the spec names, if any. A name that is
    /// not a valid header name fails [`build`](Self::build).
    pub fn request_id_header(mut self, name: &'static str) -> Self {
        self.request_id_header = Some(name);
        self
    }

    /// The header that carries idempotency keys (default `Idempotency-Key`,
    /// [`DEFAULT_IDEMPOTENCY_KEY_HEADER`](crate::DEFAULT_IDEMPOTENCY_KEY_HEADER)),
    /// checked by [`build`](Self::build).
    ///
    /// Every POST or PATCH (any method but GET, HEAD, PUT, DELETE, OPTIONS and TRACE)
    /// made while a retry policy is in force gets a key of its own, a UUID v4 made
    /// once per call, so that every attempt carries the same key and the server can
    /// tell a retry from a new request. A key the call already carries (a default
    /// header, a per-call header, a header parameter of the operation) is never
    /// replaced by a generated one; [`CallOptions::idempotency_key`](crate::CallOptions::idempotency_key)
    /// sets one for a call (over a default header of that name). Calls that cannot be
    /// retried (no policy, a streamed body) get none.
    pub fn idempotency_key_header(mut self, name: impl Into<String>) -> Self {
        self.idempotency_header = Some(name.into());
        self
    }

    /// Whether calls that may be retried get an idempotency key of their own (default
    /// `true`, see [`idempotency_key_header`](Self::idempotency_key_header)). Keys set
    /// per call are sent either way.
    pub fn idempotency_keys(mut self, enabled: bool) -> Self {
        self.idempotency_keys = enabled;
        self
    }

    /// Replaces the SDK's `User-Agent`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// How many redirects an attempt follows; 0 returns 3xx responses as they are.
    pub fn max_redirects(mut self, max: usize) -> Self {
        self.max_redirects = max;
        self
    }

    /// Reads the credential from `{PREFIX}_API_KEY` (required unless the SDK
    /// takes none) and the server from `{PREFIX}_SERVER_URL` (optional).
    /// With both `{PREFIX}_CLIENT_ID` and `{PREFIX}_CLIENT_SECRET` set, OAuth2
    /// client credentials are configured ([`oauth2_client_credentials`](Self::oauth2_client_credentials))
    /// and `{PREFIX}_API_KEY` becomes optional.
    ///
    /// Fails with [`Error::Config`] naming the missing variable.
    pub fn from_env(self) -> Result<Self, Error> {
        self.from_env_with(|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env) with another source of variables
    /// (a config file, a secrets manager, a test).
    pub fn from_env_with(
        mut self,
        mut lookup: impl FnMut(&str) -> Option<String>,
    ) -> Result<Self, Error> {
        let prefix = self.info.env_prefix;
        let mut read = |suffix: &str| {
            let name = format!("{prefix}_{suffix}");
            let value = lookup(&name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty());
            (name, value)
        };
        let oauth2 = match (read("CLIENT_ID"), read("CLIENT_SECRET")) {
            ((_, Some(id)), (_, Some(secret))) => Some((id, secret)),
            _ => None,
        };
        if self.info.env_credential != EnvCredential::None {
            let (name, value) = read("API_KEY");
            match value {
                Some(value) => {
                    self = match self.info.env_credential {
                        EnvCredential::Bearer => self.bearer(value),
                        EnvCredential::ApiKey | EnvCredential::None => self.api_key(value),
                    }
                }
                None if oauth2.is_some() => {}
                None => {
                    return Err(Error::Config(format!(
                        "environment variable {name} is not set"
                    )));
                }
            }
        }
        if let Some((id, secret)) = oauth2 {
            self = self.oauth2_client_credentials(id, secret);
        }
        if let (_, Some(url)) = read("SERVER_URL") {
            self = self.server_url(url);
        }
        Ok(self)
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<C, Error> {
        let server_url = parse_server_url(
            self.server_url
                .as_deref()
                .unwrap_or(self.info.default_server_url),
        )?;
        self.credentials.check()?;
        let mut added = HeaderMap::new();
        for (name, value) in &self.default_headers {
            let (name, value) = header_pair(name, value)
                .map_err(|error| Error::Config(format!("default header: {error}")))?;
            added.append(name, value);
        }
        let mut default_headers = self.inherited_headers;
        overlay(&mut default_headers, &added);
        let request_id_header = match self.request_id_header.or(self.info.request_id_header) {
            Some(name) => {
                header_name("request id header", name)?;
                RequestIdHeader::intern(name)
            }
            None => None,
        };
        let idempotency_header = header_name(
            "idempotency key header",
            self.idempotency_header
                .as_deref()
                .unwrap_or(DEFAULT_IDEMPOTENCY_KEY_HEADER),
        )?;
        let user_agent = self.user_agent.as_deref().unwrap_or(self.info.user_agent);
        let user_agent = HeaderValue::from_str(user_agent).map_err(|_| {
            Error::Config(format!(
                "user agent {user_agent:?} is not a valid header value"
            ))
        })?;
        // Blocking calls get a pool of their own, unless the caller gave their client.
        #[cfg(feature = "blocking")]
        let blocking = self.blocking.unwrap_or_else(|| {
            Arc::new(BlockingRuntime::new(
                self.http.is_none().then_some(self.connect_timeout),
            ))
        });
        let http = match self.http {
            Some(http) => http,
            None => http_builder()
                .connect_timeout(self.connect_timeout)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|error| Error::Config(format!("cannot build the HTTP client: {error}")))?,
        };
        let core = Core {
            config: Arc::new(Config {
                info: self.info,
                http,
                server_url,
                credentials: self.credentials.with_headers()?,
                retry_set: self.retry.is_some(),
                retry: self.retry.unwrap_or_default(),
                timeout: self.timeout,
                max_response_bytes: self.max_response_bytes,
                redirect_body_across_origins: self.redirect_body_across_origins,
                hooks: self.hooks,
                async_hooks: self.async_hooks,
                default_headers,
                user_agent,
                max_redirects: self.max_redirects,
                request_id_header,
                idempotency_header,
                idempotency_keys: self.idempotency_keys,
                timers: Arc::default(),
                urls: Arc::default(),
                #[cfg(feature = "blocking")]
                blocking,
            }),
        };
        Ok(C::from_core(core))
    }
}

impl Core {
    /// A builder holding this client's settings (credentials, server URL, retries,
    /// timeouts, limits, hooks, default headers) and its HTTP client: change what
    /// differs and [`build`](ClientBuilder::build) a client that shares this one's
    /// connection pool, OAuth2 token cache and hooks. This client is not changed.
    ///
    /// A [`default_header`](ClientBuilder::default_header) replaces the inherited one
    /// of the same name; [`hook`](ClientBuilder::hook)s are added after the inherited
    /// ones. [`connect_timeout`](ClientBuilder::connect_timeout) does not apply: the
    /// HTTP client is shared (give another with
    /// [`reqwest_client`](ClientBuilder::reqwest_client)).
    pub fn to_builder<C: FromCore>(&self) -> ClientBuilder<C> {
        let config = &self.config;
        ClientBuilder {
            info: config.info,
            credentials: config.credentials.clone(),
            server_url: Some(config.server_url.to_string()),
            retry: config.retry_set.then(|| config.retry.clone()),
            timeout: config.timeout,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_response_bytes: config.max_response_bytes,
            redirect_body_across_origins: config.redirect_body_across_origins,
            http: Some(config.http.clone()),
            hooks: config.hooks.clone(),
            async_hooks: config.async_hooks.clone(),
            default_headers: Vec::new(),
            inherited_headers: config.default_headers.clone(),
            // Built from a `&str`, so always UTF-8.
            user_agent: std::str::from_utf8(config.user_agent.as_bytes())
                .ok()
                .map(str::to_owned),
            max_redirects: config.max_redirects,
            request_id_header: config.request_id_header.and_then(RequestIdHeader::name),
            idempotency_header: Some(config.idempotency_header.to_string()),
            idempotency_keys: config.idempotency_keys,
            #[cfg(feature = "blocking")]
            blocking: Some(config.blocking.clone()),
            client: PhantomData,
        }
    }
}

/// `name` as a header name, or a configuration error saying which setting is wrong.
fn header_name(what: &str, name: &str) -> Result<HeaderName, Error> {
    HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::Config(format!("{what} {name:?} is not a valid header name")))
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = (self.inherited_headers.keys())
            .map(HeaderName::as_str)
            .chain(self.default_headers.iter().map(|(name, _)| name.as_str()))
            .collect();
        f.debug_struct("ClientBuilder")
            .field(
                "server_url",
                &self
                    .server_url
                    .as_deref()
                    .unwrap_or(self.info.default_server_url),
            )
            .field("credentials", &self.credentials)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("custom_http_client", &self.http.is_some())
            .field("hooks", &(self.hooks.len() + self.async_hooks.len()))
            .field("default_headers", &header_names)
            .field("request_id_header", &self.request_id_header)
            .field("idempotency_header", &self.idempotency_header)
            .field("idempotency_keys", &self.idempotency_keys)
            .finish()
    }
}

fn parse_server_url(raw: &str) -> Result<Url, Error> {
    let url = Url::parse(raw)
        .map_err(|error| Error::Config(format!("server URL {raw:?} is invalid: {error}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::Config(format!(
            "server URL {raw:?} must use http or https"
        )));
    }
    if url.host().is_none() {
        return Err(Error::Config(format!("server URL {raw:?} has no host")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::Config(
            "server URL must not contain credentials; use `basic(user, password)`".into(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config(format!(
            "server URL {raw:?} must not have a query or fragment"
        )));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    const INFO: ClientInfo = ClientInfo {
        default_server_url: "https://api.example.com/v2",
        env_prefix: "UNIT",
        env_credential: EnvCredential::Bearer,
        user_agent: "unit/1.0",
        security: &[],
        request_id_header: None,
    };

    fn builder() -> ClientBuilder<Core> {
        ClientBuilder::new(INFO)
    }

    #[test]
    fn server_urls_are_checked() {
        assert_eq!(
            builder().build().unwrap().server_url().as_str(),
            "https://api.example.com/v2"
        );
        assert!(
            builder()
                .server_url("http://127.0.0.1:8080")
                .build()
                .is_ok()
        );
        for bad in [
            "not a url",
            "ftp://host",
            "https://u:p@host",
            "https://host/?q=1",
            "mailto:x@y",
        ] {
            let error = builder().server_url(bad).build().unwrap_err();
            assert!(matches!(error, Error::Config(_)), "{bad}: {error:?}");
        }
    }

    #[test]
    fn from_env_reads_prefixed_variables() {
        let env = |name: &str| match name {
            "UNIT_API_KEY" => Some(" tok-from-env \n".to_owned()),
            "UNIT_SERVER_URL" => Some("http://localhost:1234".to_owned()),
            _ => None,
        };
        let core = builder().from_env_with(env).unwrap().build().unwrap();
        assert_eq!(core.server_url().as_str(), "http://localhost:1234/");
        assert!(format!("{core:?}").contains("bearer: Some(\"<redacted>\")"));

        let error = builder().from_env_with(|_| None).unwrap_err();
        assert_eq!(
            error.to_string(),
            "configuration error: environment variable UNIT_API_KEY is not set"
        );

        let none = ClientInfo {
            env_credential: EnvCredential::None,
            ..INFO
        };
        assert!(
            ClientBuilder::<Core>::new(none)
                .from_env_with(|_| None)
                .is_ok()
        );
    }

    #[test]
    fn from_env_reads_oauth2_client_credentials() {
        let env = |name: &str| match name {
            "UNIT_CLIENT_ID" => Some("app".to_owned()),
            "UNIT_CLIENT_SECRET" => Some("secret-from-env".to_owned()),
            _ => None,
        };
        let core = builder().from_env_with(env).unwrap().build().unwrap();
        let debug = format!("{core:?}");
        assert!(debug.contains("client_id: \"app\""), "{debug}");
        assert!(!debug.contains("secret-from-env"), "{debug}");
        // Without both, the API key stays required.
        let only_id = |name: &str| (name == "UNIT_CLIENT_ID").then(|| "app".to_owned());
        assert!(builder().from_env_with(only_id).is_err());
        let empty_secret = builder().oauth2_client_credentials("app", "").build();
        assert!(matches!(empty_secret, Err(Error::Config(_))));
    }

    #[test]
    fn bad_default_headers_fail_the_build() {
        let error = builder()
            .default_header("x-a", "1\r\n2")
            .build()
            .unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{error:?}");
    }

    #[test]
    fn debug_is_redacted() {
        let builder = builder()
            .bearer("tok-secret-1")
            .basic("ada", "pw-secret-2")
            .api_key("key-secret-3")
            .api_key_for("other", "key-secret-4")
            .default_header("x-custom-auth", "hdr-secret-5");
        let debug = format!("{builder:?}");
        let core = builder.build().unwrap();
        let core_debug = format!("{core:?}");
        let derived = core.to_builder::<Core>();
        let derived_debug = format!("{derived:?}");
        assert!(derived_debug.contains("x-custom-auth"), "{derived_debug}");
        let derived_core_debug = format!("{:?}", derived.build().unwrap());
        for text in [debug, core_debug, derived_debug, derived_core_debug] {
            assert!(!text.contains("secret-"), "{text}");
        }
    }
}
