//! The credentials a client was built with, and which of them satisfy an operation's
//! security schemes.

pub(crate) mod client_credentials;
pub(crate) mod headers;
pub(crate) mod token;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use http::{HeaderMap, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

use crate::auth::token::TokenSource;
use crate::error::Error;
use crate::spec::security::{ApiKeyLocation, SecurityScheme};

/// The credentials a client was built with. Never printed.
#[derive(Clone, Default)]
pub(crate) struct Credentials {
    pub(crate) bearer: Option<SecretString>,
    pub(crate) basic: Option<(String, SecretString)>,
    pub(crate) api_key: Option<SecretString>,
    pub(crate) api_keys: BTreeMap<String, SecretString>,
    pub(crate) oauth2: Option<Arc<TokenSource>>,
    /// `Authorization: Bearer` made from `bearer` when the client is built
    /// ([`with_headers`](Self::with_headers)): a call clones it (a reference count)
    /// instead of formatting and copying the token again.
    pub(crate) bearer_header: Option<HeaderValue>,
}

/// The credentials of one request that go elsewhere than its headers; secrets stay
/// [`SecretString`]s until the query or cookie that carries them is built.
#[derive(Debug, Default)]
pub(crate) struct AppliedAuth {
    pub(crate) query: Vec<(&'static str, SecretString)>,
    pub(crate) cookies: Vec<(&'static str, SecretString)>,
    /// An OAuth2 token to fetch (token URL, scopes) and send as `Authorization`.
    pub(crate) oauth2: Option<(String, &'static [&'static str])>,
}

impl Credentials {
    /// Checks that every secret can be sent in a header, without showing it.
    pub(crate) fn check(&self) -> Result<(), Error> {
        let mut secrets: Vec<(&str, &SecretString)> = Vec::new();
        secrets.extend(self.bearer.as_ref().map(|s| ("the bearer token", s)));
        secrets.extend(
            self.basic
                .as_ref()
                .map(|(_, s)| ("the basic-auth password", s)),
        );
        secrets.extend(self.api_key.as_ref().map(|s| ("the API key", s)));
        for (what, secret) in secrets {
            ensure_header_safe(what, secret.expose_secret())?;
        }
        for (scheme, secret) in &self.api_keys {
            ensure_header_safe(
                &format!("the API key for `{scheme}`"),
                secret.expose_secret(),
            )?;
        }
        if let Some(oauth2) = &self.oauth2 {
            oauth2.check()?;
        }
        if let Some((user, _)) = &self.basic {
            if user.contains(':') {
                return Err(Error::Config(
                    "the basic-auth user name must not contain `:`".into(),
                ));
            }
            ensure_header_safe("the basic-auth user name", user)?;
        }
        Ok(())
    }

    /// These credentials with their header values made once, for a client being built
    /// (what a builder carried over from another client is made again).
    pub(crate) fn with_headers(mut self) -> Result<Self, Error> {
        self.bearer_header = self.bearer.as_ref().map(headers::bearer).transpose()?;
        Ok(self)
    }

    fn api_key_for(&self, scheme: &str) -> Option<&SecretString> {
        self.api_keys.get(scheme).or(self.api_key.as_ref())
    }

    /// The token URL client credentials would use for an OAuth2 scheme.
    fn oauth2_token_url(&self, declared: Option<&str>) -> Option<String> {
        self.oauth2.as_ref()?.token_url(declared).map(str::to_owned)
    }

    fn satisfies(&self, scheme: &SecurityScheme) -> bool {
        match scheme {
            SecurityScheme::Bearer => self.bearer.is_some(),
            SecurityScheme::OAuth2 { token_url, .. } => {
                self.oauth2_token_url(*token_url).is_some() || self.bearer.is_some()
            }
            SecurityScheme::Basic => self.basic.is_some(),
            SecurityScheme::ApiKey { scheme, .. } => self.api_key_for(scheme).is_some(),
        }
    }

    /// Applies the first alternative whose schemes are all configured; none
    /// configured means the request goes out without credentials. Credential headers
    /// are put in `request_headers` (replacing those of the same name), marked
    /// sensitive; the rest is returned.
    pub(crate) fn apply(
        &self,
        alternatives: &[&[SecurityScheme]],
        request_headers: &mut HeaderMap,
    ) -> Result<AppliedAuth, Error> {
        let mut applied = AppliedAuth::default();
        let Some(chosen) = alternatives
            .iter()
            .find(|schemes| schemes.iter().all(|s| self.satisfies(s)))
        else {
            return Ok(applied);
        };
        for scheme in chosen.iter() {
            match scheme {
                SecurityScheme::OAuth2 {
                    token_url, scopes, ..
                } if self.oauth2_token_url(*token_url).is_some() => {
                    applied.oauth2 = self.oauth2_token_url(*token_url).map(|url| (url, *scopes));
                }
                SecurityScheme::Bearer | SecurityScheme::OAuth2 { .. } => {
                    if let Some(token) = &self.bearer {
                        let value = match &self.bearer_header {
                            Some(value) => value.clone(),
                            None => headers::bearer(token)?,
                        };
                        request_headers.insert(http::header::AUTHORIZATION, value);
                    }
                }
                SecurityScheme::Basic => {
                    if let Some((user, password)) = &self.basic {
                        let value = headers::basic(user, password)?;
                        request_headers.insert(http::header::AUTHORIZATION, value);
                    }
                }
                SecurityScheme::ApiKey {
                    scheme,
                    name,
                    location,
                } => {
                    let Some(key) = self.api_key_for(scheme) else {
                        continue;
                    };
                    match location {
                        ApiKeyLocation::Header => {
                            let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                                Error::Config(format!(
                                    "API key scheme `{scheme}`: `{name}` is not a valid header name"
                                ))
                            })?;
                            let value = headers::sensitive(key.expose_secret())?;
                            request_headers.insert(header, value);
                        }
                        ApiKeyLocation::Query => applied.query.push((name, key.clone())),
                        ApiKeyLocation::Cookie => applied.cookies.push((name, key.clone())),
                    }
                }
            }
        }
        Ok(applied)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const REDACTED: &str = "<redacted>";
        let api_key_schemes: Vec<&str> = self.api_keys.keys().map(String::as_str).collect();
        f.debug_struct("Credentials")
            .field("bearer", &self.bearer.as_ref().map(|_| REDACTED))
            .field("basic_user", &self.basic.as_ref().map(|(user, _)| user))
            .field("basic_password", &self.basic.as_ref().map(|_| REDACTED))
            .field("api_key", &self.api_key.as_ref().map(|_| REDACTED))
            .field("api_key_schemes", &api_key_schemes)
            .field("oauth2", &self.oauth2)
            .finish()
    }
}

fn ensure_header_safe(what: &str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::Config(format!("{what} is empty")));
    }
    if HeaderValue::from_str(value).is_err() {
        return Err(Error::Config(format!(
            "{what} contains characters not allowed in an HTTP header (control characters, line breaks or non-ASCII)"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER_KEY: SecurityScheme = SecurityScheme::ApiKey {
        scheme: "headerKey",
        name: "X-Api-Key",
        location: ApiKeyLocation::Header,
    };
    const QUERY_KEY: SecurityScheme = SecurityScheme::ApiKey {
        scheme: "queryKey",
        name: "api_key",
        location: ApiKeyLocation::Query,
    };

    #[test]
    fn first_satisfied_alternative_wins() {
        let credentials = Credentials {
            api_keys: [("queryKey".to_owned(), SecretString::from("q-secret"))].into(),
            ..Credentials::default()
        };
        let alternatives: &[&[SecurityScheme]] = &[&[SecurityScheme::Bearer], &[QUERY_KEY]];
        let mut headers = HeaderMap::new();
        let applied = credentials.apply(alternatives, &mut headers).unwrap();
        assert!(headers.is_empty());
        let [(name, key)] = applied.query.as_slice() else {
            panic!("{applied:?}")
        };
        assert_eq!((*name, key.expose_secret()), ("api_key", "q-secret"));
        // What carries secrets into a request never shows them.
        let debug = format!("{applied:?}");
        assert!(!debug.contains("q-secret"), "{debug}");
    }

    #[test]
    fn all_schemes_of_an_alternative_are_required() {
        let credentials = Credentials {
            bearer: Some("t".into()),
            ..Credentials::default()
        };
        let both: &[&[SecurityScheme]] = &[&[SecurityScheme::Bearer, HEADER_KEY]];
        let mut headers = HeaderMap::new();
        credentials.apply(both, &mut headers).unwrap();
        assert!(headers.is_empty());
        let generic = Credentials {
            api_key: Some("k".into()),
            ..credentials
        };
        generic.apply(both, &mut headers).unwrap();
        assert_eq!(headers.len(), 2);
        assert!(headers.values().all(HeaderValue::is_sensitive));
    }

    #[test]
    fn debug_is_redacted_and_bad_secrets_rejected() {
        let credentials = Credentials {
            bearer: Some("tok-123".into()),
            basic: Some(("ada".into(), "pw-456".into())),
            ..Credentials::default()
        };
        let debug = format!("{credentials:?}");
        assert!(
            !debug.contains("tok-123") && !debug.contains("pw-456"),
            "{debug}"
        );
        let bad = Credentials {
            bearer: Some("tok\r\nX: y".into()),
            ..Credentials::default()
        };
        let message = bad.check().unwrap_err().to_string();
        assert!(
            message.contains("bearer token") && !message.contains("X: y"),
            "{message}"
        );
    }
}
