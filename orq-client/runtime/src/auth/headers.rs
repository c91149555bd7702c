//! Credential headers: every `Authorization` and API-key header value the runtime sends
//! (configured credentials, OAuth2 access tokens, the client authentication of a token
//! request) is built here, marked sensitive so that `http` never prints it and HTTP/2
//! keeps it out of its compression tables.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

use crate::error::Error;

/// `Bearer <token>`, unless the token already carries the prefix (in any case); the
/// token is trimmed.
pub(crate) fn bearer(token: &SecretString) -> Result<HeaderValue, Error> {
    sensitive(bearer_text(token).expose_secret())
}

/// `Basic <base64(user:password)>` (RFC 7617).
pub(crate) fn basic(user: &str, password: &SecretString) -> Result<HeaderValue, Error> {
    let pair = SecretString::from(format!("{user}:{}", password.expose_secret()));
    let value = SecretString::from(format!(
        "Basic {}",
        STANDARD.encode(pair.expose_secret().as_bytes())
    ));
    sensitive(value.expose_secret())
}

/// A secret (an API key, a whole `Authorization` value) as a header value, marked
/// sensitive; the error never quotes it.
pub(crate) fn sensitive(secret: &str) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(secret).map_err(|_| {
        Error::Config("a credential contains characters not allowed in an HTTP header".into())
    })?;
    value.set_sensitive(true);
    Ok(value)
}

fn bearer_text(token: &SecretString) -> SecretString {
    let token = token.expose_secret().trim();
    let has_prefix = token
        .get(..7)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("bearer "));
    SecretString::from(if has_prefix {
        token.to_owned()
    } else {
        format!("Bearer {token}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: HeaderValue) -> String {
        assert!(value.is_sensitive());
        value.to_str().unwrap().to_owned()
    }

    #[test]
    fn bearer_prefix_is_not_doubled() {
        let bearer = |token: &str| text(bearer(&token.into()).unwrap());
        assert_eq!(bearer("abc"), "Bearer abc");
        assert_eq!(bearer(" abc\n"), "Bearer abc");
        assert_eq!(bearer("bearer abc"), "bearer abc");
    }

    #[test]
    fn basic_is_rfc_7617() {
        let value = basic("Aladdin", &"open sesame".into()).unwrap();
        assert_eq!(text(value), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert_eq!(text(basic("", &"".into()).unwrap()), "Basic Og==");
    }

    #[test]
    fn secrets_that_cannot_be_sent_are_refused_without_being_quoted() {
        let error = sensitive("key\r\nX-Injected: 1").unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{error:?}");
        assert!(!error.to_string().contains("Injected"), "{error}");
        assert!(bearer(&"tok\nen".into()).is_err());
    }
}
