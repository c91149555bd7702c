//! The typed mock server of generated SDKs (cargo feature `mock`), for the tests of
//! apps that embed an SDK.
//!
//! An SDK generated with `mock = true` has a `mock` module: its `MockServer` wraps
//! this one with one typed registration method per operation and a `client()`
//! pointed at it. Everything else lives here once: the HTTP server on 127.0.0.1,
//! routing by method and path template (with percent-decoding), credential checks,
//! body and parameter decoding, validation, recording and the error answers:
//!
//! - a request no route matches: 404;
//! - an operation that needs credentials, sent without them: 401;
//! - an operation without a handler: 501 naming the operation;
//! - a body or parameter that does not decode, or breaks a limit of the spec: 400,
//!   with the violations as JSON (`{"message": .., "violations": [{"path", "constraint",
//!   "message"}]}`) and in the recorded [`Call`].
//!
//! Every request is recorded, answered or not; see [`MockServer::calls`].

use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::auth::{ApiKeyLocation, SecurityScheme};
use crate::validate::{Validate, Violation};

/// An answer of the mock server: a status, headers and a body.
///
/// Handlers return `Err(Reply)` for anything but their operation's success value:
/// a declared error (`Reply::status(404).json(&ApiErrorBody { .. })`), a redirect, a
/// 503 to exercise retries.
#[derive(Clone, Debug)]
pub struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Reply {
    /// An empty answer with `status` (an invalid code becomes 500).
    pub fn status(status: u16) -> Self {
        Reply {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            headers: HeaderMap::new(),
            body: Bytes::new(),
        }
    }

    /// The body as JSON (`content-type: application/json`); a value that does not
    /// serialize turns the answer into a 500 saying why.
    pub fn json<T: Serialize + ?Sized>(self, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.bytes(bytes, "application/json"),
            Err(error) => Reply::message(
                StatusCode::INTERNAL_SERVER_ERROR,
                &format!("the mock reply does not serialize: {error}"),
            ),
        }
    }

    /// The body as text (`content-type: text/plain; charset=utf-8`).
    pub fn text(self, body: impl Into<String>) -> Self {
        self.bytes(body.into(), "text/plain; charset=utf-8")
    }

    /// Raw bytes with their content type.
    pub fn bytes(mut self, body: impl Into<Bytes>, content_type: &str) -> Self {
        if let Ok(value) = HeaderValue::from_str(content_type) {
            self.headers.insert(header::CONTENT_TYPE, value);
        }
        self.body = body.into();
        self
    }

    /// An extra header (ignored if the name or value is not valid in HTTP).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let (Ok(name), Ok(value)) = (
            header::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            self.headers.append(name, value);
        }
        self
    }

    /// `{"message": ...}` with `status`: the mock server's own answers.
    /// Server-sent events (`content-type: text/event-stream`): each item one event whose
    /// `data:` is its JSON, then the `sentinel` as a last event when there is one.
    pub fn json_events<T: Serialize>(self, events: &[T], sentinel: Option<&str>) -> Self {
        let mut data = Vec::with_capacity(events.len());
        for event in events {
            match serde_json::to_string(event) {
                Ok(json) => data.push(json),
                Err(error) => {
                    return Reply::message(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        &format!("the mock event does not serialize: {error}"),
                    );
                }
            }
        }
        self.text_events(&data, sentinel)
    }

    /// Server-sent events (`content-type: text/event-stream`): each item one event with
    /// its text as `data:` (one `data:` line per line of it), then the `sentinel`.
    pub fn text_events<S: AsRef<str>>(self, events: &[S], sentinel: Option<&str>) -> Self {
        let mut body = String::new();
        for event in events.iter().map(AsRef::as_ref).chain(sentinel) {
            for line in event.split('\n') {
                body.push_str("data: ");
                body.push_str(line.trim_end_matches('\r'));
                body.push('\n');
            }
            body.push('\n');
        }
        self.bytes(body, "text/event-stream")
    }

    fn message(status: StatusCode, message: &str) -> Self {
        Reply::status(status.as_u16()).json(&serde_json::json!({ "message": message }))
    }
}

/// One request the mock server received, with what it answered.
#[derive(Clone)]
pub struct Call {
    /// The `operationId` it routed to; `None` when no route matched.
    pub operation: Option<&'static str>,
    /// The HTTP method.
    pub method: Method,
    /// The path, still percent-encoded.
    pub path: String,
    /// The query string, still percent-encoded.
    pub query: Option<String>,
    /// The request headers.
    pub headers: HeaderMap,
    /// The raw body.
    pub body: Bytes,
    /// The status the mock server answered.
    pub status: StatusCode,
    /// Why the request was refused with 400; empty otherwise.
    pub violations: Vec<Violation>,
    request: Option<Arc<dyn Any + Send + Sync>>,
}

impl Call {
    /// The typed request the handler received (the SDK's `mock::{Operation}Request`),
    /// when it decoded and `T` is its type.
    pub fn request<T: 'static>(&self) -> Option<&T> {
        self.request.as_deref()?.downcast_ref()
    }

    /// The body as JSON, if it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// Header values are left out: they carry credentials.
impl fmt::Debug for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<&str> = self.headers.keys().map(|name| name.as_str()).collect();
        f.debug_struct("Call")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .field("status", &self.status)
            .field("violations", &self.violations)
            .finish()
    }
}

/// One operation the mock server routes (generated code only).
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct Route {
    operation: &'static str,
    method: &'static str,
    template: &'static str,
    security: &'static [&'static [SecurityScheme]],
    event_stream: bool,
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
    /// [`register_route`](MockServer::register_route).
    pub const fn event_stream(mut self) -> Self {
        self.event_stream = true;
        self
    }
}

/// Where a parameter travels (generated code only).
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum In {
    /// A path variable.
    Path,
    /// A query parameter.
    Query,
    /// A header.
    Header,
    /// A cookie.
    Cookie,
}

/// A request being decoded into an operation's typed request (generated code only):
/// each accessor records a violation instead of failing, so that a 400 lists them all.
#[doc(hidden)]
pub struct Incoming {
    path: Vec<(String, String)>,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
    violations: Vec<Violation>,
}

impl Incoming {
    /// The parameter `name`: `None` when absent (a violation if `required`) or when it
    /// does not decode into `T` (a violation).
    pub fn param<T: DeserializeOwned>(
        &mut self,
        location: In,
        name: &str,
        required: bool,
    ) -> Option<T> {
        let values: Vec<String> = match location {
            In::Path => lookup(&self.path, name),
            In::Query => lookup(&self.query, name),
            In::Header => self
                .headers
                .get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok().map(str::to_owned))
                .collect(),
            In::Cookie => cookies(&self.headers)
                .filter(|(key, _)| *key == name)
                .map(|(_, value)| value.to_owned())
                .collect(),
        };
        let place = match location {
            In::Path => "path",
            In::Query => "query",
            In::Header => "header",
            In::Cookie => "cookie",
        };
        if values.is_empty() {
            if required {
                self.violations
                    .push(Violation::missing(format!("{place}.{name}")));
            }
            return None;
        }
        let decoded = decode_param(&values);
        if decoded.is_none() {
            self.violations.push(Violation::new(
                format!("{place}.{name}"),
                "type",
                format!("{values:?} does not decode into the parameter's type"),
            ));
        }
        decoded
    }

    /// The body as JSON of type `T`: `None` when empty (a violation if `required`) or
    /// when it does not decode (a violation naming where).
    pub fn json_body<T: DeserializeOwned>(&mut self, required: bool) -> Option<T> {
        if self.absent_body(required) {
            return None;
        }
        let mut deserializer = serde_json::Deserializer::from_slice(&self.body);
        match serde_path_to_error::deserialize(&mut deserializer) {
            Ok(value) => Some(value),
            Err(error) => {
                let path = error.path().to_string();
                let path = if path == "." { String::new() } else { path };
                self.violations.push(Violation::new(
                    format!("body{}{path}", if path.is_empty() { "" } else { "." }),
                    "type",
                    error.into_inner().to_string(),
                ));
                None
            }
        }
    }

    /// The body as text: `None` when empty (a violation if `required`) or not UTF-8.
    pub fn text_body(&mut self, required: bool) -> Option<String> {
        if self.absent_body(required) {
            return None;
        }
        match String::from_utf8(self.body.to_vec()) {
            Ok(text) => Some(text),
            Err(_) => {
                self.violations
                    .push(Violation::new("body", "type", "is not UTF-8 text"));
                None
            }
        }
    }

    /// The raw body (forms, multipart and binary bodies): `None` when empty (a
    /// violation if `required`).
    pub fn raw_body(&mut self, required: bool) -> Option<Bytes> {
        if self.absent_body(required) {
            return None;
        }
        Some(self.body.clone())
    }

    /// Records the violations of the spec's limits in `value`, below `body`.
    pub fn validate<T: Validate>(&mut self, value: &T) {
        value.validate_at("body", &mut self.violations);
    }

    fn absent_body(&mut self, required: bool) -> bool {
        let absent = self.body.is_empty();
        if absent && required {
            self.violations.push(Violation::missing("body"));
        }
        absent
    }
}

fn lookup(pairs: &[(String, String)], name: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(key, _)| key == name)
        .map(|(_, value)| value.clone())
        .collect()
}

fn cookies(headers: &HeaderMap) -> impl Iterator<Item = (&str, &str)> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
}

/// A parameter's text values as `T`, whatever `T` is: a string (`"abc"`, enums), a
/// scalar (`42`, `true`), then an array of them (repeated `name=a&name=b`, or one
/// comma-joined value).
fn decode_param<T: DeserializeOwned>(values: &[String]) -> Option<T> {
    let scalar = |text: &str| {
        serde_json::from_str::<Value>(text)
            .ok()
            .filter(|v| !v.is_object() && !v.is_array())
    };
    let item = |text: &str| scalar(text).unwrap_or_else(|| Value::String(text.to_owned()));
    let mut candidates = Vec::new();
    if let [one] = values {
        candidates.push(Value::String(one.clone()));
        candidates.extend(scalar(one));
        candidates.push(Value::Array(one.split(',').map(&item).collect()));
    }
    candidates.push(Value::Array(values.iter().map(|v| item(v)).collect()));
    candidates
        .into_iter()
        .find_map(|candidate| serde_json::from_value(candidate).ok())
}

type Answer = Pin<Box<dyn Future<Output = Reply> + Send>>;
type Recorded = Arc<dyn Any + Send + Sync>;
type Handler = Arc<dyn Fn(&mut Incoming) -> Option<(Recorded, Answer)> + Send + Sync>;

struct Shared {
    routes: &'static [Route],
    /// By operation, and whether it is the operation's event-stream form.
    handlers: Mutex<HashMap<(&'static str, bool), Handler>>,
    calls: Mutex<Vec<Call>>,
}

/// A lock that a panicking handler elsewhere does not poison for the test.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The HTTP server behind an SDK's `mock::MockServer`: it listens on an ephemeral port
/// of 127.0.0.1 and stops when dropped.
pub struct MockServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl MockServer {
    /// Starts a server routing `routes` (generated code passes its SDK's operations).
    pub async fn try_start(routes: &'static [Route]) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            routes,
            handlers: Mutex::default(),
            calls: Mutex::default(),
        });
        let state = shared.clone();
        let app = axum::Router::new().fallback(move |request: axum::extract::Request| {
            let state = state.clone();
            async move { answer(&state, request).await }
        });
        let task = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, app).await {
                tracing::error!(%error, "the mock server stopped");
            }
        });
        Ok(MockServer { addr, shared, task })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request received so far, in the order they were answered.
    pub fn calls(&self) -> Vec<Call> {
        lock(&self.shared.calls).clone()
    }

    /// The typed requests of one operation its handler received, in order: `T` is the
    /// SDK's `mock::{Operation}Request` (`server.requests::<mock::PetsGetPetRequest>()`).
    pub fn requests<T: Clone + 'static>(&self) -> Vec<T> {
        lock(&self.shared.calls)
            .iter()
            .filter_map(|call| call.request::<T>().cloned())
            .collect()
    }

    /// Forgets the recorded calls.
    pub fn clear_calls(&self) {
        lock(&self.shared.calls).clear();
    }

    /// Answers `operation` with `handler` from now on, replacing an earlier one
    /// (generated code only: each operation has a typed method that calls this).
    /// `parse` decodes the typed request, `success` writes the success value.
    #[doc(hidden)]
    pub fn register<Req, Out, F, Fut>(
        &self,
        operation: &'static str,
        parse: fn(&mut Incoming) -> Option<Req>,
        success: fn(Out) -> Reply,
        handler: F,
    ) where
        Req: Clone + Send + Sync + 'static,
        Out: 'static,
        F: Fn(Req) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Out, Reply>> + Send + 'static,
    {
        self.register_route(operation, false, parse, success, handler);
    }

    /// [`register`](Self::register) for the route of `operation` that `event_stream`
    /// says: its event-stream form ([`Route::event_stream`]), when the operation also
    /// answers JSON, or its only or JSON form.
    #[doc(hidden)]
    pub fn register_route<Req, Out, F, Fut>(
        &self,
        operation: &'static str,
        event_stream: bool,
        parse: fn(&mut Incoming) -> Option<Req>,
        success: fn(Out) -> Reply,
        handler: F,
    ) where
        Req: Clone + Send + Sync + 'static,
        Out: 'static,
        F: Fn(Req) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Out, Reply>> + Send + 'static,
    {
        let erased: Handler = Arc::new(move |incoming: &mut Incoming| {
            let request = parse(incoming).filter(|_| incoming.violations.is_empty())?;
            let recorded: Recorded = Arc::new(request.clone());
            let future = handler(request);
            let answer: Answer = Box::pin(async move {
                match future.await {
                    Ok(value) => success(value),
                    Err(reply) => reply,
                }
            });
            Some((recorded, answer))
        });
        lock(&self.shared.handlers).insert((operation, event_stream), erased);
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("addr", &self.addr)
            .field("calls", &lock(&self.shared.calls).len())
            .finish()
    }
}

/// Routes, checks, decodes, calls the handler and records one request.
async fn answer(shared: &Shared, request: axum::extract::Request) -> axum::response::Response {
    let (parts, body) = request.into_parts();
    let body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(error) => {
            let reply = Reply::message(
                StatusCode::BAD_REQUEST,
                &format!("cannot read the body: {error}"),
            );
            return into_response(reply);
        }
    };
    let mut call = Call {
        operation: None,
        method: parts.method.clone(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body,
        status: StatusCode::NOT_FOUND,
        violations: Vec::new(),
        request: None,
    };
    let reply = dispatch(shared, &mut call).await;
    call.status = reply.status;
    lock(&shared.calls).push(call);
    into_response(reply)
}

async fn dispatch(shared: &Shared, call: &mut Call) -> Reply {
    let events = accepts_events(&call.headers);
    let Some((route, path)) = route(shared.routes, &call.method, &call.path, events) else {
        let message = format!("no operation matches {} {}", call.method, call.path);
        return Reply::message(StatusCode::NOT_FOUND, &message);
    };
    call.operation = Some(route.operation);
    if !authorized(route, &call.headers, call.query.as_deref()) {
        let message = format!("operation `{}` needs credentials", route.operation);
        return Reply::message(StatusCode::UNAUTHORIZED, &message);
    }
    let handler = lock(&shared.handlers)
        .get(&(route.operation, route.event_stream))
        .cloned();
    let Some(handler) = handler else {
        let message = format!(
            "operation `{}` has no handler in the mock server",
            route.operation
        );
        return Reply::message(StatusCode::NOT_IMPLEMENTED, &message);
    };
    let query = call
        .query
        .as_deref()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let mut incoming = Incoming {
        path,
        query,
        headers: call.headers.clone(),
        body: call.body.clone(),
        violations: Vec::new(),
    };
    match handler(&mut incoming) {
        Some((recorded, answer)) => {
            call.request = Some(recorded);
            answer.await
        }
        None => {
            let violations = incoming.violations;
            let body = serde_json::json!({
                "message": format!("the request does not match operation `{}`", route.operation),
                "violations": violations.iter().map(|v| serde_json::json!({
                    "path": v.path, "constraint": v.constraint, "message": v.message,
                })).collect::<Vec<_>>(),
            });
            call.violations = violations;
            Reply::status(400).json(&body)
        }
    }
}

fn into_response(reply: Reply) -> axum::response::Response {
    let mut response = axum::response::Response::new(axum::body::Body::from(reply.body));
    *response.status_mut() = reply.status;
    *response.headers_mut() = reply.headers;
    response
}

/// Whether one of the route's security alternatives has all its credentials present
/// (the mock checks that they were sent, not what they are).
fn authorized(route: &Route, headers: &HeaderMap, query: Option<&str>) -> bool {
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
fn route<'r>(
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
fn accepts_events(headers: &HeaderMap) -> bool {
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
            if let Ok(value) = HeaderValue::from_str(accept) {
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

    #[test]
    fn parameters_decode_into_strings_scalars_and_arrays() {
        assert_eq!(decode_param::<String>(&["42".into()]), Some("42".into()));
        assert_eq!(decode_param::<i64>(&["42".into()]), Some(42));
        assert_eq!(decode_param::<bool>(&["true".into()]), Some(true));
        assert_eq!(decode_param::<i64>(&["x".into()]), None);
        assert_eq!(
            decode_param::<Vec<i64>>(&["1".into(), "2".into()]),
            Some(vec![1, 2])
        );
        assert_eq!(
            decode_param::<Vec<String>>(&["a,b".into()]),
            Some(vec!["a".into(), "b".into()])
        );
    }
}
