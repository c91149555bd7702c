//! Header and cookie values as they go on the wire: parsed and checked (no value can
//! inject another header), merged layer over layer, cookies joined into one `Cookie`.

use http::{HeaderMap, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

use crate::error::Error;
use crate::validate::violation::{ValidationError, Violation};
use crate::wire::encode::encode_cookie_value;

/// Parses a header name and value, refusing anything that could inject
/// another header.
pub(crate) fn header_pair(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), Error> {
    let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
        ValidationError::single(Violation::new(
            format!("header {name:?}"),
            "headerName",
            "is not a valid HTTP header name",
        ))
    })?;
    Ok((header_name, header_value(name, value)?))
}

/// Parses the value of header `name`, refusing anything that could inject another
/// header.
pub(crate) fn header_value(name: &str, value: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(value).map_err(|_| {
        ValidationError::single(Violation::new(
            format!("header {name}"),
            "headerValue",
            "contains characters not allowed in an HTTP header value (CR, LF, other control characters or non-ASCII)",
        ))
        .into()
    })
}

/// RFC 6265 cookie names are RFC 7230 tokens.
pub(crate) fn is_cookie_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// The `Cookie` header of a request: its cookie parameters, then the
/// credential cookies (marked sensitive).
pub(crate) fn cookie_header(
    params: &[(String, String)],
    credentials: &[(&'static str, SecretString)],
) -> Result<Option<HeaderValue>, Error> {
    if params.is_empty() && credentials.is_empty() {
        return Ok(None);
    }
    let pairs = params
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .chain(
            credentials
                .iter()
                .map(|(name, key)| (*name, key.expose_secret())),
        );
    let mut text = String::new();
    for (name, value) in pairs {
        if !text.is_empty() {
            text.push_str("; ");
        }
        text.push_str(name);
        text.push('=');
        text.push_str(&encode_cookie_value(value));
    }
    let text = SecretString::from(text);
    let mut value = HeaderValue::from_str(text.expose_secret())
        .map_err(|_| Error::Config("a cookie could not be encoded".into()))?;
    value.set_sensitive(!credentials.is_empty());
    Ok(Some(value))
}

/// Replaces the headers of `target` named in `layer` by `layer`'s values.
pub(crate) fn overlay(target: &mut HeaderMap, layer: &HeaderMap) {
    for name in layer.keys() {
        target.remove(name);
    }
    for (name, value) in layer {
        target.append(name.clone(), value.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            let (name, value) = header_pair(name, value).unwrap();
            map.append(name, value);
        }
        map
    }

    #[test]
    fn header_pairs_refuse_injection() {
        let error = header_pair("X-Note", "a\r\nInjected: 1").unwrap_err();
        assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
        assert!(error.to_string().contains("header X-Note"), "{error}");
        assert!(header_pair("bad name", "v").is_err());
        assert!(header_pair("X-Ok", "fine value").is_ok());
    }

    #[test]
    fn cookie_names_are_tokens() {
        assert!(is_cookie_name("session_id") && is_cookie_name("a.b-c!"));
        for bad in ["", "a b", "a=b", "a;b", "caf\u{e9}"] {
            assert!(!is_cookie_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn a_layer_replaces_every_value_of_the_names_it_sets() {
        let mut target = map(&[("accept", "a/b"), ("x-tag", "1"), ("x-tag", "2")]);
        overlay(
            &mut target,
            &map(&[("x-tag", "3"), ("x-tag", "4"), ("x-new", "n")]),
        );
        let tags: Vec<_> = target.get_all("x-tag").iter().collect();
        assert_eq!(tags, ["3", "4"]);
        assert_eq!(target["accept"], "a/b");
        assert_eq!(target["x-new"], "n");
    }

    #[test]
    fn cookies_join_params_then_credentials_and_hide_credentials() {
        assert_eq!(cookie_header(&[], &[]).unwrap(), None);
        let params = [("lang".to_owned(), "fr ca;x".to_owned())];
        let plain = cookie_header(&params, &[]).unwrap().unwrap();
        assert_eq!(plain, "lang=fr%20ca%3Bx");
        assert!(!plain.is_sensitive());
        let key = [("sid", SecretString::from("k-1"))];
        let both = cookie_header(&params, &key).unwrap().unwrap();
        assert_eq!(both, "lang=fr%20ca%3Bx; sid=k-1");
        assert!(both.is_sensitive());
    }
}
