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
        }
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
/// with more literal text win (`/pets/mine` over `/pets/{id}`).
pub(crate) fn route<'r>(
    routes: &'r [Route],
    method: &Method,
    path: &str,
) -> Option<(&'r Route, Vec<(String, String)>)> {
    routes
        .iter()
        .filter(|route| route.method == method.as_str())
        .filter_map(|route| Some((route, match_template(route.template, path)?)))
        .max_by_key(|(route, _)| literal_len(route.template))
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
        let found = |path| route(ROUTES, &Method::GET, path).map(|(r, _)| r.operation);
        assert_eq!(found("/pets/mine"), Some("mine"));
        assert_eq!(found("/pets/7"), Some("get"));
        assert_eq!(
            route(ROUTES, &Method::POST, "/pets/7").map(|r| r.0.operation),
            None
        );
    }
}
