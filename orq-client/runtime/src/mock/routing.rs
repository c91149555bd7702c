//! Routing of the mock server: [`Route`]s by method and path template (percent-decoded,
//! literal text first), and the check that a route's credentials were sent.

use http::{HeaderMap, Method, header};

use crate::mock::incoming::cookies;
use crate::spec::security::{ApiKeyLocation, SecurityScheme};

/// One operation the mock server routes (generated code only).
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct Route {
    pub(crate) operation: &'static str,
    pub(crate) method: &'static str,
    pub(crate) template: &'static str,
    pub(crate) security: &'static [&'static [SecurityScheme]],
    pub(crate) event_stream: bool,
}

impl Route {
    /// The operation `operation` (its `operationId`) at `method` (upper case) and the
    /// path `template` (`/v2/contacts/{id}`), with its security alternatives (OR of
    /// ANDs) as the request builders have them.
    pub const fn new(
        operation: &'static str,
        method: &'static str,
        template: &'static str,
        security: &'static [&'static [SecurityScheme]],
    ) -> Self {
        Route {
            operation,
            method,
            template,
            security,
            event_stream: false,
        }
    }

    /// The event-stream form of an operation that also answers JSON on the same method
    /// and path: it gets the requests that accept `text/event-stream`, the JSON form
    /// the others. Its handler is registered with
    /// [`register_route`](crate::mock::MockServer::register_route).
    pub const fn event_stream(mut self) -> Self {
        self.event_stream = true;
        self
    }
}

/// Whether one of the route's security alternatives has all its credentials present
/// (the mock checks that they were sent, not what they are).
pub(crate) fn authorized(route: &Route, headers: &HeaderMap, query: Option<&str>) -> bool {
    let sent = |scheme: &SecurityScheme| match scheme {
        SecurityScheme::Bearer | SecurityScheme::Basic | SecurityScheme::OAuth2 { .. } => headers
            .get(header::AUTHORIZATION)
            .is_some_and(|v| !v.is_empty()),
        SecurityScheme::ApiKey { name, location, .. } => match location {
            ApiKeyLocation::Header => headers.get(*name).is_some_and(|v| !v.is_empty()),
            ApiKeyLocation::Query => query.is_some_and(|q| {
                url::form_urlencoded::parse(q.as_bytes()).any(|(k, v)| k == *name && !v.is_empty())
            }),
            ApiKeyLocation::Cookie => cookies(headers).any(|(k, v)| k == *name && !v.is_empty()),
        },
    };
    route.security.is_empty()
        || route
            .security
            .iter()
            .any(|alternative| alternative.iter().all(sent))
}

/// The route for `method` and `path`, with its path variables percent-decoded. Routes
/// with more literal text win (`/pets/mine` over `/pets/{id}`); of an operation's JSON
/// and event-stream forms, the one `events` (the request accepts `text/event-stream`)
/// asks for.
pub(crate) fn route<'r>(
    routes: &'r [Route],
    method: &Method,
    path: &str,
    events: bool,
) -> Option<(&'r Route, Vec<(String, String)>)> {
    routes
        .iter()
        .filter(|route| route.method == method.as_str())
        .filter_map(|route| Some((route, match_template(route.template, path)?)))
        .max_by_key(|(route, _)| (literal_len(route.template), route.event_stream == events))
}

/// Whether a request's `Accept` names `text/event-stream`.
pub(crate) fn accepts_events(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.to_ascii_lowercase().contains("text/event-stream"))
}

fn literal_len(template: &str) -> usize {
    let mut inside = false;
    template
        .chars()
        .filter(|&c| {
            match c {
                '{' => inside = true,
                '}' => inside = false,
                _ => return !inside,
            }
            false
        })
        .count()
}

/// Matches `path` against `template` segment by segment; a variable takes the text up to
/// the next literal of its segment. The variables, percent-decoded.
fn match_template(template: &str, path: &str) -> Option<Vec<(String, String)>> {
    let template: Vec<&str> = template.trim_end_matches('/').split('/').collect();
    let path: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    if template.len() != path.len() {
        return None;
    }
    let mut variables = Vec::new();
    for (pattern, segment) in template.iter().zip(&path) {
        match_segment(pattern, segment, &mut variables)?;
    }
    Some(variables)
}

fn match_segment(pattern: &str, segment: &str, out: &mut Vec<(String, String)>) -> Option<()> {
    let decode = |text: &str| {
        percent_encoding::percent_decode_str(text)
            .decode_utf8()
            .ok()
            .map(|t| t.into_owned())
    };
    let mut rest = segment;
    let mut pattern = pattern;
    loop {
        match pattern.find('{') {
            None => return (decode(rest)? == pattern).then_some(()),
            Some(open) => {
                let literal = &pattern[..open];
                rest = rest.strip_prefix(literal)?;
                let close = open + pattern[open..].find('}')?;
                let name = &pattern[open + 1..close];
                pattern = &pattern[close + 1..];
                // The variable ends where the next literal of the segment begins.
                let next = pattern.find('{').map_or(pattern, |at| &pattern[..at]);
                let end = if next.is_empty() {
                    if pattern.is_empty() {
                        rest.len()
                    } else {
                        return None;
                    }
                } else {
                    rest.find(next)?
                };
                let value = decode(&rest[..end])?;
                if value.is_empty() {
                    return None;
                }
                out.push((name.to_owned(), value));
                rest = &rest[end..];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use http::Method;

    use super::*;

    #[test]
    fn templates_match_segment_by_segment_with_percent_decoding() {
        assert_eq!(
            match_template("/v2/contacts/{id}", "/v2/contacts/a%20b"),
            Some(vec![("id".into(), "a b".into())])
        );
        assert_eq!(match_template("/v2/contacts/{id}", "/v2/contacts"), None);
        assert_eq!(match_template("/v2/contacts/{id}", "/v2/contacts/"), None);
        assert_eq!(
            match_template("/files/{name}.{ext}", "/files/report.pdf"),
            Some(vec![
                ("name".into(), "report".into()),
                ("ext".into(), "pdf".into())
            ])
        );
        assert_eq!(match_template("/a/b", "/a/c"), None);
        assert_eq!(match_template("/a/b", "/a/b/"), Some(vec![]));
    }

    #[test]
    fn literal_routes_win_over_variables() {
        const ROUTES: &[Route] = &[
            Route::new("get", "GET", "/pets/{id}", &[]),
            Route::new("mine", "GET", "/pets/mine", &[]),
        ];
        let found = |path| route(ROUTES, &Method::GET, path, false).map(|(r, _)| r.operation);
        assert_eq!(found("/pets/mine"), Some("mine"));
        assert_eq!(found("/pets/7"), Some("get"));
        assert_eq!(
            route(ROUTES, &Method::POST, "/pets/7", false).map(|r| r.0.operation),
            None
        );
    }

    #[test]
    fn the_accept_header_picks_the_json_or_the_event_stream_form() {
        const ROUTES: &[Route] = &[
            Route::new("chat", "POST", "/chat", &[]),
            Route::new("chat", "POST", "/chat", &[]).event_stream(),
            Route::new("other", "POST", "/other", &[]).event_stream(),
        ];
        let form = |path, accept: &str| {
            let mut headers = HeaderMap::new();
            if let Ok(value) = http::HeaderValue::from_str(accept) {
                headers.insert(header::ACCEPT, value);
            }
            route(ROUTES, &Method::POST, path, accepts_events(&headers))
                .map(|(r, _)| (r.operation, r.event_stream))
        };
        assert_eq!(form("/chat", "application/json"), Some(("chat", false)));
        assert_eq!(form("/chat", ""), Some(("chat", false)));
        assert_eq!(form("/chat", "Text/Event-Stream"), Some(("chat", true)));
        // A route of one form takes every request.
        assert_eq!(form("/other", "application/json"), Some(("other", true)));
    }
}
