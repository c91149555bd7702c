//! Percent-encoding of path segments, query components and cookie values.
//!
//! Everything the runtime puts in a URL goes through here, so that a value
//! supplied by a caller can never change the shape of the request: `../admin`
//! stays inside one path segment, `a&b=c` stays inside one query value.

use percent_encoding::{AsciiSet, CONTROLS, NON_ALPHANUMERIC, utf8_percent_encode};

/// Every byte except the RFC 3986 "unreserved" characters (`A-Z a-z 0-9 - . _ ~`).
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Every byte but those RFC 3986 allows in a path as they are: `pchar` (unreserved,
/// sub-delims, `:`, `@`), the `/` between segments and the `%` of escapes.
const NOT_PATH: &AsciiSet = &NOT_UNRESERVED
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@')
    .remove(b'/')
    .remove(b'%');

/// Bytes that RFC 6265 does not allow in a `cookie-octet`.
const NOT_COOKIE_OCTET: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b',').add(b';').add(b'\\');

/// Percent-encodes one path segment: everything but RFC 3986 unreserved
/// characters is escaped, so `/`, `?`, `#`, `%` and spaces cannot escape the
/// segment.
///
/// ```
/// use orq_runtime::__private::encode_path_segment;
/// assert_eq!(encode_path_segment("a/b?c"), "a%2Fb%3Fc");
/// assert_eq!(encode_path_segment("../admin"), "..%2Fadmin");
/// ```
pub fn encode_path_segment(segment: &str) -> String {
    utf8_percent_encode(segment, NOT_UNRESERVED).to_string()
}

/// Percent-encodes a whole path written by a caller: `/` separates segments and a
/// `%XX` escape is kept as written; every other byte a path cannot hold as it is (a
/// space, `?`, `#`, `\`, a `%` that starts no escape, non-ASCII text) is escaped, so
/// the text stays path and never becomes a query or fragment.
pub(crate) fn encode_path(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for (index, piece) in path.split('%').enumerate() {
        if index > 0 {
            let escape =
                piece.len() >= 2 && piece.as_bytes()[..2].iter().all(u8::is_ascii_hexdigit);
            encoded.push_str(if escape { "%" } else { "%25" });
        }
        encoded.extend(utf8_percent_encode(piece, NOT_PATH));
    }
    encoded
}

/// Percent-encodes a query name or value (space becomes `%20`, `+` becomes `%2B`).
pub(crate) fn encode_query_component(component: &str) -> String {
    utf8_percent_encode(component, NOT_UNRESERVED).to_string()
}

/// Builds `a=1&b=2` from raw (unencoded) pairs.
pub(crate) fn encode_query(pairs: &[(&str, &str)]) -> String {
    let mut query = String::new();
    for (name, value) in pairs {
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str(&encode_query_component(name));
        query.push('=');
        query.push_str(&encode_query_component(value));
    }
    query
}

/// Escapes only what RFC 6265 forbids in a cookie value, so opaque tokens are
/// sent unchanged.
pub(crate) fn encode_cookie_value(value: &str) -> String {
    utf8_percent_encode(value, NOT_COOKIE_OCTET).to_string()
}

/// True for `.` and `..` in any spelling a URL parser treats as a dot segment
/// (`%2e`, `.%2E`, ...). Such a segment would be normalised away by the URL
/// parser and let a parameter value walk up the path.
pub(crate) fn is_dot_segment(segment: &str) -> bool {
    // Read as dots, each `.` or `%2e` in either case; checked for every path segment of
    // every call, so without allocating.
    let mut rest = segment.as_bytes();
    let mut dots = 0;
    while !rest.is_empty() && dots < 3 {
        rest = match rest {
            [b'.', tail @ ..] => tail,
            [b'%', b'2', e, tail @ ..] if e.eq_ignore_ascii_case(&b'e') => tail,
            _ => return false,
        };
        dots += 1;
    }
    rest.is_empty() && (dots == 1 || dots == 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_cannot_escape() {
        assert_eq!(encode_path_segment("../admin"), "..%2Fadmin");
        assert_eq!(encode_path_segment("a/b?c#d"), "a%2Fb%3Fc%23d");
        assert_eq!(encode_path_segment("hello world"), "hello%20world");
        assert_eq!(encode_path_segment("100%"), "100%25");
        assert_eq!(encode_path_segment("ü"), "%C3%BC");
        assert_eq!(encode_path_segment("A-z_0.9~"), "A-z_0.9~");
    }

    #[test]
    fn whole_paths_keep_slashes_and_escapes() {
        assert_eq!(encode_path("/v1/items/a:b@c"), "/v1/items/a:b@c");
        assert_eq!(encode_path("/a b?c#d\\e"), "/a%20b%3Fc%23d%5Ce");
        assert_eq!(
            encode_path("/a%2Fb/100%/%zz/ü"),
            "/a%2Fb/100%25/%25zz/%C3%BC"
        );
    }

    #[test]
    fn query_is_strictly_encoded() {
        let pairs = [("q", "a b+c&d=e"), ("x y", "é")];
        assert_eq!(encode_query(&pairs), "q=a%20b%2Bc%26d%3De&x%20y=%C3%A9");
    }

    #[test]
    fn cookie_values_keep_tokens() {
        assert_eq!(encode_cookie_value("abc.DEF-123_=/+"), "abc.DEF-123_=/+");
        assert_eq!(encode_cookie_value("a; b\r\n"), "a%3B%20b%0D%0A");
    }

    #[test]
    fn dot_segments_are_detected() {
        for dot in [".", "..", "%2e", "%2E%2e", ".%2E"] {
            assert!(is_dot_segment(dot), "{dot}");
        }
        for not_dot in ["...", "..%2F", "a.", "", "%2e%2e.", "%2", "%2f", ".a"] {
            assert!(!is_dot_segment(not_dot), "{not_dot}");
        }
    }
}
