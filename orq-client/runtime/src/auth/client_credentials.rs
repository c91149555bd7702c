//! [`ClientCredentials`]: the settings of the OAuth2 client-credentials grant.

use std::fmt;

use secrecy::SecretString;

/// OAuth2 client-credentials settings, for
/// [`ClientBuilder::oauth2`](crate::ClientBuilder::oauth2).
///
/// ```
/// use orq_runtime::ClientCredentials;
///
/// let credentials = ClientCredentials::new("my-client", "my-secret")
///     .scopes(["read", "write"]);
/// assert!(!format!("{credentials:?}").contains("my-secret"));
/// ```
///
/// The secret is a [`SecretString`]: `Debug` never shows it.
#[derive(Clone)]
pub struct ClientCredentials {
    pub(crate) client_id: String,
    pub(crate) client_secret: SecretString,
    pub(crate) token_url: Option<String>,
    pub(crate) scopes: Option<Vec<String>>,
    pub(crate) secret_in_body: bool,
}

impl ClientCredentials {
    /// A client id and secret issued by the authorization server.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: SecretString::from(client_secret.into()),
            token_url: None,
            scopes: None,
            secret_in_body: false,
        }
    }

    /// Requests tokens from `url` instead of the spec's `tokenUrl` (needed
    /// when the spec declares no client-credentials flow, or an empty one).
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// Requests these scopes for every operation, instead of the scopes each
    /// operation's security requirement lists.
    pub fn scopes(mut self, scopes: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// Sends `client_id` and `client_secret` in the form body
    /// (`client_secret_post`) instead of HTTP basic auth (the default, which
    /// every server must accept per RFC 6749 section 2.3.1).
    pub fn secret_in_body(mut self, in_body: bool) -> Self {
        self.secret_in_body = in_body;
        self
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("token_url", &self.token_url)
            .field("scopes", &self.scopes)
            .field("secret_in_body", &self.secret_in_body)
            .finish()
    }
}
