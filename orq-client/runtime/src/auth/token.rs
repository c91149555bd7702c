//! OAuth2 access tokens of the client-credentials grant: the cache that fetches,
//! caches and refreshes them for a client.
//!
//! The token endpoint is the `tokenUrl` of the scheme's `clientCredentials`
//! flow (relative URLs are resolved against the server URL) unless
//! [`ClientCredentials::token_url`] overrides it. A token is requested with
//! `grant_type=client_credentials` and the scopes the operation's security
//! requirement lists (or [`ClientCredentials::scopes`]), cached per token
//! URL and scope set, refreshed shortly before `expires_in` runs out, and
//! refreshed once more when the API answers 401 with a cached token.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use http::{HeaderValue, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use tracing::Instrument;
use url::Url;

use crate::auth::client_credentials::ClientCredentials;
use crate::auth::headers::basic;
use crate::error::Error;
use crate::error::record::CallRecord;
use crate::transport::classify::is_transient;
use crate::transport::read::{ReadError, read_limited};

/// A token is refreshed this long before it expires, at most (a tenth of its
/// lifetime for short-lived tokens).
const REFRESH_MARGIN: Duration = Duration::from_secs(30);

/// Which token a request needs: where to get it and with which scopes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct TokenKey {
    pub(crate) token_url: Url,
    /// Space-separated, sorted, deduplicated.
    pub(crate) scope: String,
}

impl TokenKey {
    pub(crate) fn new(token_url: Url, scopes: &[&str]) -> Self {
        let mut scopes: Vec<&str> = scopes.iter().copied().filter(|s| !s.is_empty()).collect();
        scopes.sort_unstable();
        scopes.dedup();
        Self {
            token_url,
            scope: scopes.join(" "),
        }
    }
}

struct Cached {
    token: SecretString,
    refresh_at: Option<Instant>,
}

/// A token and its lifetime, or why there is none.
type Fetched = Result<(SecretString, Option<Duration>), TokenFailure>;

/// One token fetch: every caller needing the same token meanwhile waits for
/// it and shares its result, a failure included.
type Flight = Arc<tokio::sync::OnceCell<Fetched>>;

/// What the cache knows about one token.
#[derive(Default)]
struct Slot {
    cached: Option<Cached>,
    flight: Option<Flight>,
}

/// A failed token fetch, shared by the callers that waited for it.
#[derive(Clone)]
struct TokenFailure {
    status: Option<StatusCode>,
    message: String,
    body: Bytes,
    /// Whether another attempt may succeed: the endpoint could not be
    /// reached or answered 5XX, not a refusal, a misconfiguration, DNS or TLS.
    transient: bool,
}

/// Token responses are a few hundred bytes (a JWT a few kilobytes); a
/// larger one is refused without being read.
const MAX_TOKEN_RESPONSE_BYTES: u64 = 64 * 1024;

/// Access tokens of one client, shared by all its clones: cached per token
/// URL and scope set, each fetched by one request at a time (other keys are
/// fetched meanwhile).
pub(crate) struct TokenSource {
    credentials: ClientCredentials,
    slots: Mutex<BTreeMap<TokenKey, Slot>>,
}

/// The part of a token response we use (RFC 6749 section 5.1).
#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default)]
    expires_in: Option<serde_json::Value>,
}

/// An error response (RFC 6749 section 5.2).
#[derive(Deserialize)]
struct TokenErrorResponse {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

impl TokenSource {
    pub(crate) fn new(credentials: ClientCredentials) -> Self {
        Self {
            credentials,
            slots: Mutex::new(BTreeMap::new()),
        }
    }

    /// Checks the client id and secret without showing the secret.
    pub(crate) fn check(&self) -> Result<(), Error> {
        let credentials = &self.credentials;
        if credentials.client_id.trim().is_empty() {
            return Err(Error::Config("the OAuth2 client id is empty".into()));
        }
        if credentials.client_secret.expose_secret().is_empty() {
            return Err(Error::Config("the OAuth2 client secret is empty".into()));
        }
        if credentials.client_id.contains(|c: char| c.is_control())
            || credentials
                .client_secret
                .expose_secret()
                .contains(|c: char| c.is_control())
        {
            return Err(Error::Config(
                "the OAuth2 client id or secret contains control characters".into(),
            ));
        }
        Ok(())
    }

    /// The token URL for a scheme whose flow says `declared` (the settings
    /// win); `None` when neither names one.
    pub(crate) fn token_url<'a>(&'a self, declared: Option<&'a str>) -> Option<&'a str> {
        self.credentials
            .token_url
            .as_deref()
            .or(declared.filter(|url| !url.trim().is_empty()))
    }

    /// The key of the token for an operation requiring `scopes`.
    pub(crate) fn key(
        &self,
        token_url: &str,
        scopes: &[&'static str],
        server_url: &Url,
    ) -> Result<TokenKey, Error> {
        let url = server_url.join(token_url).map_err(|error| {
            Error::Config(format!(
                "OAuth2 token URL {token_url:?} is invalid: {error}"
            ))
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::Config(format!(
                "OAuth2 token URL {token_url:?} must use http or https"
            )));
        }
        Ok(match &self.credentials.scopes {
            Some(own) => {
                let own: Vec<&str> = own.iter().map(String::as_str).collect();
                TokenKey::new(url, &own)
            }
            None => TokenKey::new(url, scopes),
        })
    }

    fn slots(&self) -> std::sync::MutexGuard<'_, BTreeMap<TokenKey, Slot>> {
        self.slots.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The cached token for `key`, while it is not due for a refresh: what most calls
    /// find, without waiting (nor copying the key).
    pub(crate) fn cached(&self, key: &TokenKey) -> Option<SecretString> {
        let slots = self.slots();
        let cached = slots.get(key)?.cached.as_ref()?;
        let fresh = cached.refresh_at.is_none_or(|at| Instant::now() < at);
        fresh.then(|| cached.token.clone())
    }

    /// A valid token for `key`: the cached one, or a new one from the token
    /// endpoint. Callers arriving while it is fetched wait for that fetch
    /// and share its result: N calls with bad credentials make one request.
    pub(crate) async fn token(
        &self,
        http: &reqwest::Client,
        key: &TokenKey,
    ) -> Result<SecretString, Error> {
        let flight = {
            let mut slots = self.slots();
            let slot = slots.entry(key.clone()).or_default();
            if let Some(cached) = &slot.cached
                && cached.refresh_at.is_none_or(|at| Instant::now() < at)
            {
                return Ok(cached.token.clone());
            }
            slot.flight.get_or_insert_with(Flight::default).clone()
        };
        // If the caller running the fetch gives up (its deadline), a waiter
        // takes over: no fetch is ever abandoned with callers waiting.
        let fetched = flight.get_or_init(|| self.fetch(http, key)).await.clone();
        {
            let mut slots = self.slots();
            let slot = slots.entry(key.clone()).or_default();
            if slot
                .flight
                .as_ref()
                .is_some_and(|f| Arc::ptr_eq(f, &flight))
            {
                slot.flight = None;
                if let Ok((token, lifetime)) = &fetched {
                    let refresh_at = lifetime.map(|lifetime| {
                        let margin = REFRESH_MARGIN.min(lifetime / 10);
                        Instant::now() + lifetime.saturating_sub(margin)
                    });
                    slot.cached = Some(Cached {
                        token: token.clone(),
                        refresh_at,
                    });
                }
            }
        }
        fetched
            .map(|(token, _)| token)
            .map_err(|failure| Error::Token {
                token_url: key.token_url.to_string(),
                status: failure.status,
                message: failure.message,
                body: failure.body,
                transient: failure.transient,
                call: CallRecord::default(),
            })
    }

    /// Forgets `stale` (the API refused it), unless another call already
    /// replaced it.
    pub(crate) fn invalidate(&self, key: &TokenKey, stale: &SecretString) {
        let mut slots = self.slots();
        if let Some(slot) = slots.get_mut(key)
            && slot
                .cached
                .as_ref()
                .is_some_and(|cached| cached.token.expose_secret() == stale.expose_secret())
        {
            slot.cached = None;
        }
    }

    /// One token request, in an `orq.oauth2_token` span (token URL path,
    /// scope, status; never the secret or the token).
    async fn fetch(&self, http: &reqwest::Client, key: &TokenKey) -> Fetched {
        let span = tracing::info_span!(
            "orq.oauth2_token",
            token_url = %key.token_url.path(),
            scope = %key.scope,
            status = tracing::field::Empty,
        );
        self.request_token(http, key, &span)
            .instrument(span.clone())
            .await
    }

    async fn request_token(
        &self,
        http: &reqwest::Client,
        key: &TokenKey,
        span: &tracing::Span,
    ) -> Fetched {
        let failure = |status: Option<StatusCode>, message: String, body: Bytes| {
            tracing::debug!(?status, %message, "token request failed");
            TokenFailure {
                status,
                message,
                body,
                transient: status.is_some_and(|s| s.is_server_error()),
            }
        };
        let credentials = &self.credentials;
        let mut form = vec![("grant_type", "client_credentials")];
        if !key.scope.is_empty() {
            form.push(("scope", key.scope.as_str()));
        }
        if credentials.secret_in_body {
            form.push(("client_id", credentials.client_id.as_str()));
            form.push(("client_secret", credentials.client_secret.expose_secret()));
        }
        let mut request = reqwest::Request::new(http::Method::POST, key.token_url.clone());
        let headers = request.headers_mut();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if !credentials.secret_in_body {
            // RFC 6749 section 2.3.1: both parts form-encoded, then basic auth.
            let encode = |text: &str| {
                url::form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>()
            };
            let secret = SecretString::from(encode(credentials.client_secret.expose_secret()));
            let value = basic(&encode(&credentials.client_id), &secret).map_err(|_| {
                failure(
                    None,
                    "the OAuth2 client id cannot be sent in a header".into(),
                    Bytes::new(),
                )
            })?;
            headers.insert(AUTHORIZATION, value);
        }
        let body = SecretString::from(
            url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&form)
                .finish(),
        );
        *request.body_mut() = Some(body.expose_secret().to_owned().into());

        let mut response = http.execute(request).await.map_err(|error| TokenFailure {
            // Refused, reset or timed out: worth another attempt; DNS or TLS: not.
            transient: is_transient(&error),
            ..failure(
                None,
                format!(
                    "no response from the token endpoint: {}",
                    error.without_url()
                ),
                Bytes::new(),
            )
        })?;
        let status = response.status();
        span.record("status", status.as_u16());
        let cut_short = |why: String| TokenFailure {
            transient: true,
            ..failure(
                Some(status),
                format!("the token response was cut short: {why}"),
                Bytes::new(),
            )
        };
        let body = match read_limited(&mut response, MAX_TOKEN_RESPONSE_BYTES).await {
            Ok(body) => body,
            Err(ReadError::TooLarge) => {
                return Err(failure(
                    Some(status),
                    format!("the token response is larger than {MAX_TOKEN_RESPONSE_BYTES} bytes"),
                    Bytes::new(),
                ));
            }
            Err(ReadError::Transport(error)) => {
                return Err(cut_short(error.without_url().to_string()));
            }
            Err(ReadError::Idle(timeout)) => {
                return Err(cut_short(format!("nothing arrived for {timeout:?}")));
            }
        };
        if !status.is_success() {
            let message = match serde_json::from_slice::<TokenErrorResponse>(&body) {
                Ok(TokenErrorResponse {
                    error,
                    error_description: Some(description),
                }) => format!("the token endpoint answered {status}: {error}: {description}"),
                Ok(TokenErrorResponse { error, .. }) => {
                    format!("the token endpoint answered {status}: {error}")
                }
                Err(_) => format!("the token endpoint answered {status}"),
            };
            return Err(failure(Some(status), message, body));
        }
        // A success body may hold a live token: neither it nor serde's
        // message (which can quote a value) is kept, only where it broke.
        let parsed: TokenResponse = match serde_json::from_slice(&body) {
            Ok(parsed) => parsed,
            Err(error) => {
                return Err(failure(
                    Some(status),
                    format!(
                        "the token response is not an OAuth2 token ({:?} error at line {} column {})",
                        error.classify(),
                        error.line(),
                        error.column()
                    ),
                    Bytes::new(),
                ));
            }
        };
        if let Some(kind) = &parsed.token_type
            && !kind.eq_ignore_ascii_case("bearer")
        {
            return Err(failure(
                Some(status),
                format!(
                    "the token endpoint issued a `{kind}` token; only bearer tokens are supported"
                ),
                Bytes::new(),
            ));
        }
        if parsed.access_token.is_empty() || HeaderValue::from_str(&parsed.access_token).is_err() {
            return Err(failure(
                Some(status),
                "the token endpoint issued an empty token or one that cannot go in a header".into(),
                Bytes::new(),
            ));
        }
        // `expires_in` is a number of seconds; some servers send it as a string.
        let lifetime = match &parsed.expires_in {
            Some(serde_json::Value::Number(n)) => n.as_f64(),
            Some(serde_json::Value::String(s)) => s.trim().parse::<f64>().ok(),
            _ => None,
        }
        .filter(|seconds| seconds.is_finite() && *seconds >= 0.0)
        .map(|seconds| Duration::from_secs_f64(seconds.min(10.0 * 365.0 * 86_400.0)));
        tracing::debug!(expires_in_s = lifetime.map(|l| l.as_secs()), "token issued");
        Ok((SecretString::from(parsed.access_token), lifetime))
    }
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self.slots().values().filter(|s| s.cached.is_some()).count();
        f.debug_struct("TokenSource")
            .field("credentials", &self.credentials)
            .field("cached_tokens", &cached)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sort_and_dedupe_scopes() {
        let url = Url::parse("https://auth.example/token").unwrap();
        let key = TokenKey::new(url.clone(), &["write", "read", "write", ""]);
        assert_eq!(key.scope, "read write");
        assert_eq!(key, TokenKey::new(url, &["read", "write"]));
    }

    #[test]
    fn relative_token_urls_resolve_against_the_server() {
        let source = TokenSource::new(ClientCredentials::new("id", "secret"));
        let server = Url::parse("http://127.0.0.1:8080/api/v2").unwrap();
        let url = source.token_url(Some("/oauth/token")).unwrap();
        let key = source.key(url, &["read"], &server).unwrap();
        assert_eq!(key.token_url.as_str(), "http://127.0.0.1:8080/oauth/token");
        assert_eq!(source.token_url(Some("")), None);
        let fixed = TokenSource::new(
            ClientCredentials::new("id", "secret")
                .token_url("https://auth.example/t")
                .scopes(["admin"]),
        );
        let key = fixed
            .key("https://auth.example/t", &["read"], &server)
            .unwrap();
        assert_eq!(key.scope, "admin");
        assert!(fixed.key("ftp://auth.example/t", &[], &server).is_err());
    }

    #[test]
    fn debug_hides_the_secret() {
        let source = TokenSource::new(ClientCredentials::new("id", "s3cr3t-value"));
        let debug = format!("{source:?}");
        assert!(!debug.contains("s3cr3t-value"), "{debug}");
        assert!(debug.contains("\"id\""), "{debug}");
    }
}
