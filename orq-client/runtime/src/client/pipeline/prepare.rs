//! A call's request before its attempts: the URL (server URL and base path, the path,
//! the encoded query with API keys), the headers in their layers (defaults, user agent,
//! the operation's, credentials, cookies, the body's type, per-call, the idempotency
//! key), the OAuth2 token it needs, and its limits. They are made once while the call
//! is prepared and given to its first attempt; a retry (or a redirect's resend) has
//! them made again the same way, so that no attempt copies them in case another comes.

use std::borrow::Cow;
use std::time::Duration;

use http::header::{CONTENT_LENGTH, CONTENT_TYPE, COOKIE, USER_AGENT};
use http::{HeaderMap, HeaderName, HeaderValue, Method};
use secrecy::ExposeSecret;
use url::Url;

use crate::auth::token::TokenKey;
use crate::client::config::Config;
use crate::client::pipeline::policy::is_idempotent;
use crate::error::Error;
use crate::error::record::CallRecord;
use crate::options::CallOptions;
use crate::request::{RequestSpec, SuccessBody};
use crate::spec::security::SecurityScheme;
use crate::validate::violation::ValidationError;
use crate::wire::body::Body;
use crate::wire::endpoint::{join, with_query};
use crate::wire::headers::{cookie_header, header_pair, overlay};

/// A call's request, prepared: what each of its attempts sends.
pub(crate) struct Outgoing {
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    pub(crate) body: Option<Body>,
    /// What becomes of a 2XX body.
    pub(crate) success_body: SuccessBody,
    /// Whether redirects are followed (not when a redirect is the operation's answer).
    pub(crate) follow_redirects: bool,
    /// The per-attempt timeout, which a streamed body applies to each chunk.
    pub(crate) timeout: Option<Duration>,
    /// The OAuth2 token each attempt fetches (or takes from the cache) and
    /// sends as `Authorization: Bearer`.
    pub(crate) oauth2: Option<TokenKey>,
    /// Largest response body read, in bytes.
    pub(crate) max_response_bytes: u64,
    /// The URL's path, which hooks are shown; empty for a client without hooks.
    pub(crate) hook_path: String,
    /// What the URL and headers are made of.
    layers: Layers,
    /// The URL and headers of the next attempt: made while preparing (a request that
    /// cannot be made is refused before anything is sent) and taken by the first
    /// attempt; the later ones have them made again.
    ready: Option<(Url, HeaderMap)>,
}

/// What a request's URL and headers are made of, besides the client's settings: the
/// operation's path, query, headers, cookies, security and body type, then the call's
/// headers and idempotency key.
struct Layers {
    path: Cow<'static, str>,
    encoded_query: Option<String>,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    cookies: Vec<(String, String)>,
    security: &'static [&'static [SecurityScheme]],
    content_type: Option<HeaderValue>,
    call_headers: HeaderMap,
    idempotency_key: Option<(HeaderName, HeaderValue)>,
    /// Whether the method is idempotent (if not, a key may be added).
    idempotent: bool,
}

/// Headers the transport adds to a request as it sends it (`Host`, `Accept`,
/// `Content-Length`): room is made for them.
const TRANSPORT_HEADERS: usize = 3;

/// An OAuth2 token a request needs: its token URL as the spec gives it, and the scopes.
type OAuth2Need = Option<(String, &'static [&'static str])>;

impl Layers {
    /// The URL and headers on `config`'s client, and the OAuth2 token they need.
    fn make(&self, config: &Config) -> Result<(Url, HeaderMap, OAuth2Need), Error> {
        // Made as large as the request needs: a map the transport has to grow is
        // rehashed into a new allocation on the way.
        let mut headers = HeaderMap::with_capacity(self.expected_headers(config));
        for (name, value) in &config.default_headers {
            headers.append(name.clone(), value.clone());
        }
        if !headers.contains_key(USER_AGENT) {
            headers.insert(USER_AGENT, config.user_agent.clone());
        }
        overlay(&mut headers, &self.headers);
        let auth = config.credentials.apply(self.security, &mut headers)?;
        if let Some(cookie) = cookie_header(&self.cookies, &auth.cookies)? {
            headers.insert(COOKIE, cookie);
        }
        if let Some(content_type) = &self.content_type {
            headers.insert(CONTENT_TYPE, content_type.clone());
        }
        overlay(&mut headers, &self.call_headers);
        if let Some((name, key)) = &self.idempotency_key {
            headers.insert(name.clone(), key.clone());
        }

        let query: Vec<(&str, &str)> = self
            .query
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .chain(
                auth.query
                    .iter()
                    .map(|(name, key)| (*name, key.expose_secret())),
            )
            .collect();
        let url = match &self.path {
            Cow::Borrowed(literal) => config.urls.literal(&config.server_url, literal),
            Cow::Owned(path) => join(&config.server_url, path),
        };
        let url = with_query(url, self.encoded_query.as_deref(), &query);
        Ok((url, headers, auth.oauth2))
    }
}

impl Layers {
    /// How many headers the request is sent with, about (one for the credentials, one
    /// for a key a method that is not idempotent may get).
    fn expected_headers(&self, config: &Config) -> usize {
        let ours = 1
            + usize::from(!self.security.is_empty())
            + usize::from(!self.cookies.is_empty())
            + usize::from(self.content_type.is_some())
            + usize::from(self.idempotency_key.is_some() || !self.idempotent);
        config.default_headers.len()
            + self.headers.len()
            + self.call_headers.len()
            + ours
            + TRANSPORT_HEADERS
    }
}

impl Outgoing {
    /// The request of one attempt on `config`'s client: the URL and headers made while
    /// preparing, or made again; files of the body are opened (again), a stream is taken.
    pub(crate) async fn next_request(
        &mut self,
        config: &Config,
    ) -> Result<reqwest::Request, Error> {
        // Opened first: the request is not held while files open.
        let body = match &self.body {
            Some(body) => Some(body.open().await.map_err(|source| Error::Io {
                operation: self.operation,
                source,
                call: CallRecord::default(),
            })?),
            None => None,
        };
        let (url, headers) = match self.ready.take() {
            Some(ready) => ready,
            None => {
                let (url, headers, _) = self.layers.make(config)?;
                (url, headers)
            }
        };
        let mut request = reqwest::Request::new(self.method.clone(), url);
        *request.headers_mut() = headers;
        if let Some((body, length)) = body {
            // The transport announces the length of bytes in memory itself, but not
            // that of a stream (files) nor an empty body's, which a POST still needs.
            let announced = body.as_bytes().is_some_and(|bytes| !bytes.is_empty());
            if let Some(length) = length.filter(|_| !announced) {
                request.headers_mut().insert(CONTENT_LENGTH, length.into());
            }
            *request.body_mut() = Some(body);
        }
        Ok(request)
    }

    /// Whether another attempt can send the body again.
    pub(crate) fn replayable(&self) -> bool {
        self.body.as_ref().is_none_or(Body::is_replayable)
    }

    /// Whether the request carries a header named `name` (before its first attempt).
    pub(crate) fn has_header(&self, name: &HeaderName) -> bool {
        self.ready
            .as_ref()
            .is_some_and(|(_, headers)| headers.contains_key(name))
    }

    /// Sends `key` as the `name` header of every attempt, replacing one of that name.
    pub(crate) fn set_idempotency_key(&mut self, name: HeaderName, key: HeaderValue) {
        if let Some((_, headers)) = &mut self.ready {
            headers.insert(name.clone(), key.clone());
        }
        self.layers.idempotency_key = Some((name, key));
    }
}

/// The request `request` stands for on this client, with the call's `options` and its
/// per-attempt `timeout`; refuses a request that failed while it was built
/// ([`Error::InvalidRequest`], nothing is sent) or whose URL and headers cannot be made.
pub(crate) fn prepare(
    config: &Config,
    request: RequestSpec,
    options: CallOptions,
    timeout: Option<Duration>,
) -> Result<Outgoing, Error> {
    if !request.deferred.is_empty() {
        return Err(ValidationError::new(request.deferred).into());
    }
    let mut call_headers = HeaderMap::new();
    for (name, value) in &options.headers {
        let (name, value) = header_pair(name, value)?;
        call_headers.append(name, value);
    }
    let (body, content_type) = request.body.unzip();
    let layers = Layers {
        path: request.path,
        encoded_query: request.encoded_query,
        query: request.query,
        headers: request.headers,
        cookies: request.cookies,
        security: request.security,
        content_type,
        call_headers,
        idempotency_key: None,
        idempotent: is_idempotent(&request.method),
    };
    let (url, headers, oauth2) = layers.make(config)?;
    let oauth2 = match (oauth2, &config.credentials.oauth2) {
        (Some((token_url, scopes)), Some(source)) => {
            Some(source.key(&token_url, scopes, &config.server_url)?)
        }
        _ => None,
    };
    let hooked = !config.hooks.is_empty() || !config.async_hooks.is_empty();
    Ok(Outgoing {
        operation: request.operation,
        method: request.method,
        body,
        success_body: request.success_body,
        follow_redirects: request.follow_redirects,
        timeout,
        oauth2,
        max_response_bytes: options
            .max_response_bytes
            .unwrap_or(config.max_response_bytes),
        hook_path: match hooked {
            true => url.path().to_owned(),
            false => String::new(),
        },
        layers,
        ready: Some((url, headers)),
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use http::HeaderValue;
    use http::header::AUTHORIZATION;

    use super::*;
    use crate::auth::Credentials;
    use crate::retry::RetryConfig;
    use crate::spec::security::{ApiKeyLocation, SecurityScheme};

    const QUERY_KEY: SecurityScheme = SecurityScheme::ApiKey {
        scheme: "queryKey",
        name: "api_key",
        location: ApiKeyLocation::Query,
    };
    const COOKIE_KEY: SecurityScheme = SecurityScheme::ApiKey {
        scheme: "cookieKey",
        name: "sid",
        location: ApiKeyLocation::Cookie,
    };

    fn config(credentials: Credentials, default_headers: &[(&str, &str)]) -> Config {
        let mut headers = HeaderMap::new();
        for (name, value) in default_headers {
            let (name, value) = header_pair(name, value).unwrap();
            headers.append(name, value);
        }
        Config {
            info: crate::client::config::ClientInfo {
                default_server_url: "https://api.example/v2/",
                env_prefix: "UNIT",
                env_credential: crate::client::config::EnvCredential::None,
                user_agent: "sdk/1.0",
                security: &[],
                request_id_header: None,
            },
            http: reqwest::Client::new(),
            server_url: Url::parse("https://api.example/v2/").unwrap(),
            credentials,
            retry: RetryConfig::default(),
            retry_set: false,
            timeout: None,
            max_response_bytes: 1024,
            redirect_body_across_origins: false,
            hooks: Vec::new(),
            async_hooks: Vec::new(),
            default_headers: headers,
            user_agent: HeaderValue::from_static("sdk/1.0"),
            max_redirects: 10,
            request_id_header: None,
            idempotency_header: http::HeaderName::from_static("idempotency-key"),
            idempotency_keys: true,
            timers: Default::default(),
            urls: Default::default(),
            #[cfg(feature = "blocking")]
            blocking: Default::default(),
        }
    }

    fn names(headers: &HeaderMap) -> Vec<&str> {
        headers.keys().map(|name| name.as_str()).collect()
    }

    /// The URL and headers made while preparing.
    fn ready(outgoing: &Outgoing) -> &(Url, HeaderMap) {
        outgoing.ready.as_ref().unwrap()
    }

    #[test]
    fn header_layers_apply_in_order_and_the_call_has_the_last_word() {
        let config = config(
            Credentials {
                bearer: Some("tok".into()),
                ..Credentials::default()
            },
            &[
                ("x-tenant", "default"),
                ("x-trace", "client"),
                ("user-agent", "mine/2"),
            ],
        );
        let mut request = RequestSpec::new(Method::POST, "op", "/pets".into());
        request.header("x-trace", "operation").unwrap();
        request.body(bytes::Bytes::from_static(b"{}"), "application/json");
        request.security(&[&[SecurityScheme::Bearer]]);
        let options = CallOptions::new()
            .header("x-tenant", "call")
            .header("content-type", "application/merge-patch+json");
        let outgoing = prepare(&config, request, options, None).unwrap();
        let (_, headers) = ready(&outgoing);
        assert_eq!(headers["x-tenant"], "call");
        assert_eq!(headers["x-trace"], "operation");
        // A default `User-Agent` replaces the SDK's.
        assert_eq!(headers[USER_AGENT], "mine/2");
        assert_eq!(headers[CONTENT_TYPE], "application/merge-patch+json");
        assert_eq!(headers[AUTHORIZATION], "Bearer tok");
        assert!(headers[AUTHORIZATION].is_sensitive());
        assert_eq!(outgoing.max_response_bytes, 1024);
        assert!(outgoing.replayable());
    }

    #[test]
    fn api_keys_go_in_the_query_and_cookies_they_belong_to() {
        let config = config(
            Credentials {
                api_key: Some("k-1".into()),
                ..Credentials::default()
            },
            &[],
        );
        let mut request = RequestSpec::new(Method::GET, "op", "/pets".into());
        request.query("limit", 5).cookie("lang", "fr");
        request.security(&[&[QUERY_KEY, COOKIE_KEY]]);
        let options = CallOptions::new().max_response_bytes(7);
        let outgoing = prepare(&config, request, options, None).unwrap();
        let (url, headers) = ready(&outgoing);
        assert_eq!(url.query(), Some("limit=5&api_key=k-1"));
        assert_eq!(headers[COOKIE], "lang=fr; sid=k-1");
        assert!(headers[COOKIE].is_sensitive());
        assert_eq!(names(headers), ["user-agent", "cookie"]);
        assert_eq!(outgoing.max_response_bytes, 7);
    }

    #[test]
    fn a_request_that_failed_while_built_or_a_bad_call_header_sends_nothing() {
        let config = config(Credentials::default(), &[]);
        let broken = RequestSpec::new(Method::GET, "op", "/files/..".into());
        let error = prepare(&config, broken, CallOptions::new(), None)
            .err()
            .unwrap();
        assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
        let request = RequestSpec::new(Method::GET, "op", "/x".into());
        let options = CallOptions::new().header("x-bad", "a\r\nb: c");
        let error = prepare(&config, request, options, None).err().unwrap();
        assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    }

    #[test]
    fn oauth2_operations_name_their_token() {
        let source = crate::auth::token::TokenSource::new(
            crate::auth::client_credentials::ClientCredentials::new("id", "secret"),
        );
        let config = config(
            Credentials {
                oauth2: Some(Arc::new(source)),
                ..Credentials::default()
            },
            &[],
        );
        let mut request = RequestSpec::new(Method::GET, "op", "/x".into());
        request.security(&[&[SecurityScheme::OAuth2 {
            scheme: "oauth",
            token_url: Some("/oauth/token"),
            scopes: &["write", "read"],
        }]]);
        let outgoing = prepare(&config, request, CallOptions::new(), None).unwrap();
        assert!(!ready(&outgoing).1.contains_key(AUTHORIZATION));
        let key = outgoing.oauth2.unwrap();
        assert_eq!(key.token_url.as_str(), "https://api.example/oauth/token");
        assert_eq!(key.scope, "read write");
    }

    #[tokio::test]
    async fn every_attempt_sends_what_the_first_sent() {
        let config = config(
            Credentials {
                api_key: Some("k-1".into()),
                ..Credentials::default()
            },
            &[("x-tenant", "default")],
        );
        let mut request = RequestSpec::new(Method::POST, "op", "/pets".into());
        request.query("limit", 5).cookie("lang", "fr");
        request.header("x-trace", "operation").unwrap();
        request.security(&[&[QUERY_KEY, COOKIE_KEY]]);
        request.body(bytes::Bytes::from_static(b"{}"), "application/json");
        let options = CallOptions::new().header("x-tenant", "call");
        let mut outgoing = prepare(&config, request, options, None).unwrap();
        let key = HeaderValue::from_static("key-1");
        outgoing.set_idempotency_key(HeaderName::from_static("idempotency-key"), key);
        let first = outgoing.next_request(&config).await.unwrap();
        // Taken by the first attempt, made again for the second.
        assert!(outgoing.ready.is_none());
        let second = outgoing.next_request(&config).await.unwrap();
        assert_eq!(first.url(), second.url());
        assert_eq!(first.headers(), second.headers());
        assert_eq!(first.headers()["idempotency-key"], "key-1");
        assert_eq!(first.headers()["x-tenant"], "call");
        assert_eq!(
            first.body().and_then(reqwest::Body::as_bytes),
            second.body().and_then(reqwest::Body::as_bytes)
        );
        // Bytes in memory: their length is the transport's to write.
        assert!(!first.headers().contains_key(CONTENT_LENGTH));
    }
}
