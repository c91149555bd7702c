//! What `Debug` output and errors may show of a request or response: sensitive header
//! values hidden, bodies cut to a bounded, readable snippet.

use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, HeaderName};

/// How many bytes of a response body [`Error::Api`](crate::Error::Api) and [`Error::Decode`](crate::Error::Decode)
/// keep: 64 KiB, far more than any error document, while an error held
/// (or logged) never pins a large body in memory.
pub const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// The first [`MAX_ERROR_BODY_BYTES`] of `body`, copied when it is longer
/// so the rest can be freed.
pub(crate) fn bounded_body(body: Bytes) -> Bytes {
    if body.len() <= MAX_ERROR_BODY_BYTES {
        body
    } else {
        Bytes::copy_from_slice(&body[..MAX_ERROR_BODY_BYTES])
    }
}

/// Header names whose values are credentials or session state.
pub(crate) fn is_sensitive_header(name: &HeaderName) -> bool {
    is_sensitive_name(name.as_str())
}

/// Header or query parameter names whose values are credentials or session state: what
/// `http` and reqwest hide (`authorization`, `proxy-authorization`, `cookie`,
/// `set-cookie`), their challenges (`www-authenticate`, `proxy-authenticate`), and the
/// names APIs commonly give credentials (`x-api-key`, `x-auth-token`,
/// `ocp-apim-subscription-key`, `x-session-id`, `x-hub-signature`, `?key=`, ...). Hiding
/// too much costs a `Debug` line some detail; hiding too little leaks a secret. The
/// API-key headers a spec names are marked sensitive where they are built, whatever
/// their name.
pub(crate) fn is_sensitive_name(name: &str) -> bool {
    const PARTS: [&str; 12] = [
        "auth",
        "cookie",
        "token",
        "secret",
        "password",
        "passwd",
        "session",
        "credential",
        "signature",
        "api-key",
        "apikey",
        "api_key",
    ];
    let name = name.to_ascii_lowercase();
    PARTS.iter().any(|part| name.contains(part))
        // `x-functions-key`, `ocp-apim-subscription-key`, `?key=`; not an idempotency key.
        || (name.ends_with("key") && !name.contains("idempotency"))
}

/// Debug view of headers with credential values hidden.
pub(crate) struct RedactedHeaders<'a>(pub(crate) &'a HeaderMap);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if is_sensitive_header(name) || value.is_sensitive() {
                map.entry(name, &"<redacted>");
            } else {
                map.entry(name, value);
            }
        }
        map.finish()
    }
}

pub(crate) struct BodyPreview<'a>(pub(crate) &'a Bytes);

impl fmt::Debug for BodyPreview<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} ({} bytes)", snippet(self.0, 1_000), self.0.len())
    }
}

/// The start of a body as text: lossy UTF-8, whitespace runs collapsed, at
/// most `max_chars` characters.
pub(crate) fn snippet(body: &[u8], max_chars: usize) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out = String::new();
    let mut words = text.split_whitespace();
    let mut count = 0;
    let mut truncated = false;
    'words: for (index, word) in words.by_ref().enumerate() {
        for ch in (index > 0).then_some(' ').into_iter().chain(word.chars()) {
            if count == max_chars {
                truncated = true;
                break 'words;
            }
            out.push(ch);
            count += 1;
        }
    }
    if truncated {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_is_short_and_lossy() {
        assert_eq!(snippet(b"  a\n\n b  ", 10), "a b");
        assert_eq!(snippet(&[b'a', 0xff, b'b'], 10), "a\u{fffd}b");
        let long = "x".repeat(500);
        let short = snippet(long.as_bytes(), 200);
        assert_eq!(short.chars().count(), 201);
        assert!(short.ends_with('…'));
    }

    #[test]
    fn credential_headers_are_hidden() {
        let mut headers = HeaderMap::new();
        headers.insert("set-cookie", "session=abc".parse().unwrap());
        headers.insert("x-api-key", "key-1".parse().unwrap());
        headers.insert("content-type", "text/plain".parse().unwrap());
        let mut marked: http::HeaderValue = "opaque-1".parse().unwrap();
        marked.set_sensitive(true);
        headers.insert("x-custom", marked);
        let debug = format!("{:?}", RedactedHeaders(&headers));
        for secret in ["abc", "key-1", "opaque-1"] {
            assert!(!debug.contains(secret), "{debug}");
        }
        assert!(debug.contains("text/plain"), "{debug}");
        for name in [
            "X-Authorization",
            "key",
            "x-functions-key",
            "X-Session-Id",
            "client_secret",
        ] {
            assert!(is_sensitive_name(name), "{name}");
        }
        for name in [
            "content-type",
            "idempotency-key",
            "x-request-id",
            "etag",
            "limit",
        ] {
            assert!(!is_sensitive_name(name), "{name}");
        }
    }

    #[test]
    fn error_bodies_are_bounded() {
        let small = Bytes::from_static(b"short");
        assert_eq!(bounded_body(small.clone()), small);
        let large = Bytes::from(vec![b'x'; MAX_ERROR_BODY_BYTES + 1]);
        assert_eq!(bounded_body(large).len(), MAX_ERROR_BODY_BYTES);
    }
}
