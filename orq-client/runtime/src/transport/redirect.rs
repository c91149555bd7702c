//! Redirects: which ones are followed, and what a request that leaves the origin keeps
//! (content negotiation only: never credentials, custom headers or, unless asked, the body).

use http::header::{
    ACCEPT, ACCEPT_ENCODING, ACCEPT_LANGUAGE, CONTENT_LENGTH, CONTENT_TYPE, LOCATION, USER_AGENT,
};
use http::{HeaderMap, HeaderName, Method, StatusCode};

/// Headers sent along when a redirect leaves the origin: content
/// negotiation and the user agent. Everything else (credentials, default
/// and per-call headers, headers added by hooks) may be a secret.
const CROSS_ORIGIN_HEADERS: [HeaderName; 4] =
    [ACCEPT, ACCEPT_ENCODING, ACCEPT_LANGUAGE, USER_AGENT];

/// Whether a response with `status` and `headers` is a redirect [`follow`] may follow
/// (the request it needs is worth having at hand).
pub(crate) fn is_redirect(status: StatusCode, headers: &HeaderMap) -> bool {
    matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308) && headers.contains_key(LOCATION)
}

/// The request to send after a response with `status` and `headers` (a redirect or
/// not) and whether it leaves
/// the origin (scheme, host or port), or `None` to return the response as it
/// is. A request leaving the origin keeps only [`CROSS_ORIGIN_HEADERS`],
/// and a 307/308 that would carry the body to another origin is not followed
/// unless `body_across_origins`.
pub(crate) fn follow(
    mut previous: reqwest::Request,
    status: StatusCode,
    headers: &HeaderMap,
    body_across_origins: bool,
) -> Option<(reqwest::Request, bool)> {
    if !is_redirect(status, headers) {
        return None;
    }
    let location = headers.get(LOCATION)?.to_str().ok()?;
    let next = previous.url().join(location).ok()?;
    if !matches!(next.scheme(), "http" | "https") {
        return None;
    }
    let to_get = (status == StatusCode::SEE_OTHER && previous.method() != Method::HEAD)
        || (matches!(status.as_u16(), 301 | 302) && previous.method() == Method::POST);
    if to_get {
        *previous.method_mut() = Method::GET;
        *previous.body_mut() = None;
        previous.headers_mut().remove(CONTENT_TYPE);
        previous.headers_mut().remove(CONTENT_LENGTH);
    }
    let cross_origin = next.origin() != previous.url().origin();
    if cross_origin {
        let keeps_body = previous.body().is_some();
        if keeps_body && !body_across_origins {
            return None;
        }
        let headers = std::mem::take(previous.headers_mut());
        let body_headers = [CONTENT_TYPE, CONTENT_LENGTH];
        let body_headers = if keeps_body { &body_headers[..] } else { &[] };
        for name in CROSS_ORIGIN_HEADERS.iter().chain(body_headers) {
            for value in headers.get_all(name) {
                previous.headers_mut().append(name.clone(), value.clone());
            }
        }
    }
    *previous.url_mut() = next;
    Some((previous, cross_origin))
}

#[cfg(test)]
mod tests {
    use http::header::AUTHORIZATION;
    use url::Url;

    use super::*;

    fn request(method: Method, url: &str, body: Option<&'static str>) -> reqwest::Request {
        let mut request = reqwest::Request::new(method, Url::parse(url).unwrap());
        let headers = request.headers_mut();
        headers.insert(ACCEPT, "application/json".parse().unwrap());
        headers.insert(AUTHORIZATION, "Bearer secret".parse().unwrap());
        headers.insert("x-api-key", "key".parse().unwrap());
        if let Some(body) = body {
            headers.insert(CONTENT_TYPE, "text/plain".parse().unwrap());
            headers.insert(CONTENT_LENGTH, body.len().into());
            *request.body_mut() = Some(body.into());
        }
        request
    }

    fn redirect(
        previous: reqwest::Request,
        status: u16,
        location: &str,
        body_across_origins: bool,
    ) -> Option<(reqwest::Request, bool)> {
        let mut headers = HeaderMap::new();
        headers.insert(LOCATION, location.parse().unwrap());
        let status = StatusCode::from_u16(status).unwrap();
        follow(previous, status, &headers, body_across_origins)
    }

    #[test]
    fn only_redirect_statuses_with_an_http_location_are_followed() {
        let get = || request(Method::GET, "https://api.example/v1/a", None);
        assert!(redirect(get(), 200, "/b", false).is_none());
        assert!(redirect(get(), 304, "/b", false).is_none());
        assert!(redirect(get(), 302, "ftp://api.example/b", false).is_none());
        assert!(follow(get(), StatusCode::FOUND, &HeaderMap::new(), false).is_none());
        let (next, cross_origin) = redirect(get(), 302, "b?x=1", false).unwrap();
        assert_eq!(next.url().as_str(), "https://api.example/v1/b?x=1");
        assert!(!cross_origin);
        // Same origin: every header stays.
        assert_eq!(next.headers()[AUTHORIZATION], "Bearer secret");
    }

    #[test]
    fn see_other_and_a_post_moved_become_a_get_without_body() {
        for status in [301, 302, 303] {
            let post = request(Method::POST, "https://api.example/a", Some("form"));
            let (next, _) = redirect(post, status, "/b", false).unwrap();
            assert_eq!(next.method(), Method::GET, "{status}");
            assert!(next.body().is_none(), "{status}");
            assert!(!next.headers().contains_key(CONTENT_TYPE), "{status}");
            assert!(!next.headers().contains_key(CONTENT_LENGTH), "{status}");
        }
        let head = request(Method::HEAD, "https://api.example/a", None);
        assert_eq!(
            redirect(head, 303, "/b", false).unwrap().0.method(),
            Method::HEAD
        );
        let put = request(Method::PUT, "https://api.example/a", Some("doc"));
        let (next, _) = redirect(put, 307, "/b", false).unwrap();
        assert_eq!(next.method(), Method::PUT);
        assert!(next.body().is_some());
    }

    #[test]
    fn leaving_the_origin_keeps_only_content_negotiation() {
        let get = request(Method::GET, "https://api.example/a", None);
        let (next, cross_origin) = redirect(get, 302, "https://cdn.example/a", false).unwrap();
        assert!(cross_origin);
        let names: Vec<_> = next.headers().keys().map(HeaderName::as_str).collect();
        assert_eq!(names, ["accept"]);
        // Another port or scheme is another origin too.
        let get = request(Method::GET, "https://api.example/a", None);
        assert!(redirect(get, 302, "http://api.example/a", false).unwrap().1);
    }

    #[test]
    fn a_body_crosses_origins_only_when_allowed() {
        let put = || request(Method::PUT, "https://api.example/a", Some("doc"));
        assert!(redirect(put(), 307, "https://other.example/a", false).is_none());
        let (next, _) = redirect(put(), 308, "https://other.example/a", true).unwrap();
        let mut names: Vec<_> = next.headers().keys().map(HeaderName::as_str).collect();
        names.sort_unstable();
        assert_eq!(names, ["accept", "content-length", "content-type"]);
        assert!(next.body().is_some());
    }
}
