//! [`RequestSpec`]: one operation call, as generated code describes it. Its children
//! are the setters generated code calls to fill one in: parameters in their styles
//! (`params`) and form bodies (`forms`).

pub(crate) mod forms;
pub(crate) mod params;

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method};
use serde::Serialize;

use crate::error::Error;
use crate::retry::SpecRetries;
use crate::spec::security::SecurityScheme;
use crate::validate::violation::{ValidationError, Violation};
use crate::values::read_only::writing_request;
use crate::wire::body::Body;
use crate::wire::encode::is_dot_segment;
use crate::wire::headers::{header_pair, is_cookie_name};

/// What becomes of the body of a successful (2XX) response; any other status is
/// always read whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SuccessBody {
    /// Read whole, within the response limit.
    Read,
    /// Left on the connection, to be read as it arrives: a
    /// [`ByteStream`](crate::ByteStream) (a download) or an
    /// [`EventStream`](crate::EventStream).
    Unread,
}

/// The parts of a request that generated code fills in; the runtime adds the
/// server URL, credentials, default headers and retries.
///
/// Problems found while filling it in (a bad header value, a body that does
/// not serialize) surface as [`Error::InvalidRequest`] before anything is sent.
pub struct RequestSpec {
    pub(crate) method: Method,
    pub(crate) operation: &'static str,
    pub(crate) template: Option<&'static str>,
    /// Generated code's literal paths are borrowed (their URL is joined once per
    /// client); paths with parameters are owned.
    pub(crate) path: Cow<'static, str>,
    /// A query already encoded, sent as it is before `query`: the query of a next-page
    /// URL, kept exactly as the server wrote it (a `+` stays a `+`).
    pub(crate) encoded_query: Option<String>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: HeaderMap,
    pub(crate) cookies: Vec<(String, String)>,
    pub(crate) body: Option<(Body, HeaderValue)>,
    /// What becomes of a successful response's body.
    pub(crate) success_body: SuccessBody,
    /// Whether redirects are followed; see [`redirect_is_answer`](Self::redirect_is_answer).
    pub(crate) follow_redirects: bool,
    pub(crate) security: &'static [&'static [SecurityScheme]],
    pub(crate) spec_retries: Option<SpecRetries>,
    pub(crate) deferred: Vec<Violation>,
}

impl RequestSpec {
    /// A request for `operation` at a path without parameters: its template
    /// is its path (one call instead of [`new`](Self::new) and
    /// [`template`](Self::template) with the same text).
    pub fn at(method: Method, operation: &'static str, path: &'static str) -> Self {
        let mut spec = match path.starts_with('/') {
            true => Self::with_path(method, operation, Cow::Borrowed(path)),
            false => Self::new(method, operation, path.to_owned()),
        };
        // Not `template`: a path that is its own template has no parameter to be empty.
        spec.template = Some(path);
        spec
    }

    /// A request for `operation` at `path`, relative to the server URL.
    ///
    /// `path` must already be percent-encoded: generated code passes each
    /// parameter through
    /// [`encode_path_segment`](crate::__private::encode_path_segment). A
    /// parameter that is exactly `.` or `..` is refused, since URL parsing
    /// would remove it and change the endpoint.
    pub fn new(method: Method, operation: &'static str, path: String) -> Self {
        let path = if path.starts_with('/') {
            path
        } else {
            format!("/{path}")
        };
        Self::with_path(method, operation, Cow::Owned(path))
    }

    /// A request at `path`, which starts with `/`.
    fn with_path(method: Method, operation: &'static str, path: Cow<'static, str>) -> Self {
        let deferred = path
            .split('/')
            .filter(|segment| is_dot_segment(segment))
            .map(|segment| {
                Violation::new(
                    "path",
                    "pathSegment",
                    format!("a path parameter may not be `.` or `..` (got `{segment}`)"),
                )
            })
            .take(1)
            .collect();
        Self {
            method,
            operation,
            template: None,
            path,
            encoded_query: None,
            query: Vec::new(),
            headers: HeaderMap::new(),
            cookies: Vec::new(),
            body: None,
            success_body: SuccessBody::Read,
            follow_redirects: true,
            security: &[],
            spec_retries: None,
            deferred,
        }
    }

    /// The spec's path template (`/pets/{petId}`): recorded in traces
    /// instead of the concrete path, which may hold user ids or emails.
    ///
    /// A path parameter that is empty is refused here (nothing is sent):
    /// `DELETE /pets/` is another endpoint than `DELETE /pets/{petId}`.
    pub fn template(&mut self, template: &'static str) -> &mut Self {
        self.template = Some(template);
        self.deferred.extend(empty_parameter(template, &self.path));
        self
    }

    /// Adds a query parameter; the runtime percent-encodes name and value.
    /// Call it once per item for an exploded array.
    pub fn query(&mut self, name: &str, value: impl ToString) -> &mut Self {
        self.query.push((name.to_owned(), value.to_string()));
        self
    }

    /// [`query`](Self::query) when an optional parameter is set; nothing when
    /// it is `None`.
    #[inline]
    pub fn query_opt(&mut self, name: &str, value: Option<impl ToString>) -> &mut Self {
        if let Some(value) = value {
            self.query(name, value);
        }
        self
    }

    /// Adds a header parameter. Values with CR, LF, other control characters
    /// or non-ASCII text are refused, so a value cannot inject headers.
    pub fn header(&mut self, name: &str, value: &str) -> Result<(), Error> {
        let (name, value) = header_pair(name, value)?;
        self.headers.append(name, value);
        Ok(())
    }

    /// Adds a cookie parameter; characters not allowed in a cookie value are
    /// percent-encoded.
    pub fn cookie(&mut self, name: &str, value: impl ToString) -> &mut Self {
        if is_cookie_name(name) {
            self.cookies.push((name.to_owned(), value.to_string()));
        } else {
            self.deferred.push(Violation::new(
                format!("cookie {name:?}"),
                "cookieName",
                "is not a valid cookie name",
            ));
        }
        self
    }

    /// Sets a JSON body (`Content-Type: application/json`).
    pub fn json<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let bytes = writing_request(|| serde_json::to_vec(body)).map_err(|error| {
            ValidationError::single(Violation::new(
                "body",
                "serialize",
                format!("cannot be encoded as JSON: {error}"),
            ))
        })?;
        self.body = Some((
            Bytes::from(bytes).into(),
            HeaderValue::from_static("application/json"),
        ));
        Ok(())
    }

    /// Sets a body that generated code already encoded, or a binary body as the
    /// caller gave it (bytes, a file, a stream).
    pub fn body(&mut self, body: impl Into<Body>, content_type: &str) -> &mut Self {
        match HeaderValue::from_str(content_type) {
            Ok(content_type) => self.body = Some((body.into(), content_type)),
            Err(_) => self.deferred.push(Violation::new(
                "body",
                "contentType",
                format!("{content_type:?} is not a valid content type"),
            )),
        }
        self
    }

    /// The operation's security requirement: alternatives, each a list of
    /// schemes that must all apply. The first alternative whose credentials
    /// are all configured is used; if none is, the request is sent without
    /// credentials (the server decides). An empty alternative means
    /// "authentication optional".
    pub fn security(&mut self, alternatives: &'static [&'static [SecurityScheme]]) -> &mut Self {
        self.security = alternatives;
        self
    }

    /// Lets the client-wide retry policy apply even though the method is not
    /// idempotent (set from a spec extension for operations safe to repeat):
    /// [`spec_retries`](Self::spec_retries) with the default backoff.
    pub fn retry_non_idempotent(&mut self, retry: bool) -> &mut Self {
        self.spec_retries = retry.then_some(SpecRetries::BACKOFF);
        self
    }

    /// The spec's retry policy for this operation (`x-speakeasy-retries`):
    /// used unless the call or the client sets one (see
    /// [`Core::execute`](crate::__private::Core::execute)).
    pub fn spec_retries(&mut self, policy: SpecRetries) -> &mut Self {
        self.spec_retries = Some(policy);
        self
    }

    /// Leaves the body of a successful (2XX) response unread, to be read as a
    /// [`ByteStream`](crate::ByteStream) ([`Response::byte_stream`](crate::Response::byte_stream)).
    /// Other statuses are read whole as usual.
    pub fn stream_response(&mut self) -> &mut Self {
        self.success_body = SuccessBody::Unread;
        self
    }

    /// The operation answers with a redirect (it declares a 3XX and no 2XX, like an
    /// OAuth2 authorization endpoint whose `Location` carries the code): redirects are
    /// not followed, and the 3XX response is returned as it is, with its headers.
    pub fn redirect_is_answer(&mut self) -> &mut Self {
        self.follow_redirects = false;
        self
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The operation name.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The encoded path, relative to the server URL.
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl RequestSpec {
    /// A copy of the request for another call of the same operation (the next page).
    /// `RequestSpec` is not `Clone`, to keep generated code from copying bodies by
    /// accident.
    pub(crate) fn duplicate(&self) -> RequestSpec {
        RequestSpec {
            method: self.method.clone(),
            operation: self.operation,
            template: self.template,
            path: self.path.clone(),
            encoded_query: self.encoded_query.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            cookies: self.cookies.clone(),
            body: self.body.clone(),
            success_body: self.success_body,
            follow_redirects: self.follow_redirects,
            security: self.security,
            spec_retries: self.spec_retries,
            deferred: self.deferred.clone(),
        }
    }
}

impl fmt::Debug for RequestSpec {
    /// Shows header, query and cookie names only: their values may be secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let encoded = self.encoded_query.iter().flat_map(|query| query.split('&'));
        let encoded = encoded.map(|pair| pair.split_once('=').map_or(pair, |(name, _)| name));
        let query: Vec<&str> = encoded
            .chain(self.query.iter().map(|(name, _)| name.as_str()))
            .collect();
        let headers: Vec<&str> = self.headers.keys().map(HeaderName::as_str).collect();
        let cookies: Vec<&str> = self.cookies.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("RequestSpec")
            .field("method", &self.method)
            .field("operation", &self.operation)
            .field("template", &self.template)
            .field("path", &self.path)
            .field("query", &query)
            .field("headers", &headers)
            .field("cookies", &cookies)
            .field("body", &self.body.as_ref().map(|(body, _)| body))
            .field("security", &self.security)
            .finish()
    }
}

/// A violation if a `{variable}` of `template` is empty in `path`: a
/// segment holding variables must be longer than its literal text by at
/// least one character per variable (percent-encoding never removes any).
fn empty_parameter(template: &str, path: &str) -> Option<Violation> {
    let templates = template.trim_start_matches('/').split('/');
    let mut segments = path.trim_start_matches('/').split('/');
    for pattern in templates {
        let segment = segments.next()?;
        let variables = pattern.matches('{').count();
        if variables == 0 {
            continue;
        }
        let literal: usize = pattern
            .split('{')
            .enumerate()
            .map(|(index, part)| match index {
                0 => part.len(),
                _ => part.split_once('}').map_or(0, |(_, after)| after.len()),
            })
            .sum();
        if segment.len() < literal + variables {
            return Some(Violation::new(
                "path",
                "pathParameter",
                format!(
                    "the path parameter in `{pattern}` is empty, which would call another endpoint"
                ),
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_injection_is_refused() {
        let mut spec = RequestSpec::new(Method::GET, "op", "/x".into());
        let error = spec.header("X-Note", "a\r\nInjected: 1").unwrap_err();
        assert!(matches!(error, Error::InvalidRequest(_)));
        assert!(error.to_string().contains("header X-Note"), "{error}");
        assert!(spec.header("bad name", "v").is_err());
        assert!(spec.header("X-Ok", "fine value").is_ok());
    }

    #[test]
    fn dot_segments_are_deferred_errors() {
        let spec = RequestSpec::new(Method::GET, "op", "/files/..".into());
        assert_eq!(spec.deferred.len(), 1);
        let spec = RequestSpec::new(Method::GET, "op", "files/..%2Fadmin".into());
        assert!(spec.deferred.is_empty());
        assert_eq!(spec.path(), "/files/..%2Fadmin");
    }

    #[test]
    fn empty_path_parameters_are_deferred_errors() {
        // `at` skips the check: a path that is its own template never fails it.
        for template in ["/pets", "/pets/{petId}", "/r/{x}-{y}", "/{a}{b}"] {
            assert!(empty_parameter(template, template).is_none(), "{template}");
            let spec = RequestSpec::at(Method::GET, "op", template);
            assert_eq!(spec.template, Some(template));
        }
        let mut spec = RequestSpec::new(Method::DELETE, "op", "/pets/".into());
        spec.template("/pets/{petId}");
        assert_eq!(spec.deferred[0].constraint, "pathParameter");
        let mut spec = RequestSpec::new(Method::GET, "op", "/files/.json".into());
        spec.template("/files/{name}.json");
        assert_eq!(spec.deferred.len(), 1);
        let mut spec = RequestSpec::new(Method::GET, "op", "/pets/7/toys".into());
        spec.template("/pets/{petId}/toys");
        assert!(spec.deferred.is_empty());
        let mut spec = RequestSpec::new(Method::GET, "op", "/r/a-b".into());
        spec.template("/r/{x}-{y}");
        assert!(spec.deferred.is_empty());
        let mut spec = RequestSpec::new(Method::GET, "op", "/r/a-".into());
        spec.template("/r/{x}-{y}");
        assert_eq!(spec.deferred.len(), 1);
    }

    #[test]
    fn debug_hides_values() {
        let mut spec = RequestSpec::new(Method::POST, "op", "/x".into());
        spec.query("token", "value-1");
        spec.header("x-secret", "value-2").unwrap();
        spec.cookie("session", "value-3");
        let debug = format!("{spec:?}");
        assert!(!debug.contains("value-"), "{debug}");
        assert!(
            debug.contains("token") && debug.contains("session"),
            "{debug}"
        );
    }
}
