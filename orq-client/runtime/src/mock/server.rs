//! [`MockServer`]: the HTTP server on 127.0.0.1, its handlers and its record of calls;
//! how one request is routed, checked, decoded, answered and recorded.

use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use futures_util::StreamExt;
use http::{HeaderMap, StatusCode};

use crate::mock::incoming::Incoming;
use crate::mock::record::Call;
use crate::mock::reply::Reply;
use crate::mock::routing::{Route, accepts_events, authorized, route};
use crate::transport::read::Limited;

/// The largest request body the mock server reads unless
/// [`MockServer::set_max_request_bytes`] says otherwise: 32 MiB, as much as a client
/// reads of a response by default. A larger one is answered 413 (and recorded).
pub const DEFAULT_MAX_REQUEST_BYTES: usize = 32 * 1024 * 1024;

type Answer = Pin<Box<dyn Future<Output = Reply> + Send>>;
type Recorded = Arc<dyn Any + Send + Sync>;
type Handler = Arc<dyn Fn(&mut Incoming) -> Option<(Recorded, Answer)> + Send + Sync>;

struct Shared {
    routes: &'static [Route],
    /// By operation, and whether it is the operation's event-stream form.
    handlers: Mutex<HashMap<(&'static str, bool), Handler>>,
    calls: Mutex<Vec<Call>>,
    max_request_bytes: AtomicUsize,
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
            max_request_bytes: AtomicUsize::new(DEFAULT_MAX_REQUEST_BYTES),
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

    /// Reads request bodies of up to `bytes` from now on (default
    /// [`DEFAULT_MAX_REQUEST_BYTES`]); a larger one is answered 413 and recorded without
    /// its body.
    pub fn set_max_request_bytes(&self, bytes: usize) {
        self.shared
            .max_request_bytes
            .store(bytes, Ordering::Relaxed);
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

/// Reads, routes, checks, decodes, calls the handler and records one request.
async fn answer(shared: &Shared, request: axum::extract::Request) -> axum::response::Response {
    let (parts, body) = request.into_parts();
    let mut call = Call {
        operation: None,
        method: parts.method,
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body: Bytes::new(),
        status: StatusCode::NOT_FOUND,
        violations: Vec::new(),
        request: None,
        security: &[],
    };
    let limit = shared.max_request_bytes.load(Ordering::Relaxed);
    let reply = match read_body(body, &call.headers, limit).await {
        Ok(body) => {
            call.body = body;
            dispatch(shared, &mut call).await
        }
        Err(reply) => {
            let events = accepts_events(&call.headers);
            if let Some((route, _)) = route(shared.routes, &call.method, &call.path, events) {
                call.operation = Some(route.operation);
                call.security = route.security;
            }
            reply
        }
    };
    call.status = reply.status;
    lock(&shared.calls).push(call);
    into_response(reply)
}

/// The request body, at most `limit` bytes: refused by its `Content-Length` before
/// reading, else counted as it arrives (413 past it, 400 when it cannot be read).
async fn read_body(
    body: axum::body::Body,
    headers: &HeaderMap,
    limit: usize,
) -> Result<Bytes, Reply> {
    let too_large = || {
        let message = format!("the request body is larger than {limit} bytes");
        Reply::message(StatusCode::PAYLOAD_TOO_LARGE, &message)
    };
    let declared = headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok()?.parse().ok());
    let mut read = Limited::new(limit as u64, declared).map_err(|_| too_large())?;
    let mut chunks = body.into_data_stream();
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(|error| {
            Reply::message(
                StatusCode::BAD_REQUEST,
                &format!("cannot read the body: {error}"),
            )
        })?;
        read.push(&chunk).map_err(|_| too_large())?;
    }
    Ok(read.finish())
}

/// The 500 a handler's panic is answered with, its message in the body.
fn panicked(operation: &str, panic: Box<dyn Any + Send>) -> Reply {
    let message = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)");
    let message = format!("the handler of `{operation}` panicked: {message}");
    Reply::message(StatusCode::INTERNAL_SERVER_ERROR, &message)
}

async fn dispatch(shared: &Shared, call: &mut Call) -> Reply {
    let events = accepts_events(&call.headers);
    let Some((route, path)) = route(shared.routes, &call.method, &call.path, events) else {
        let message = format!("no operation matches {} {}", call.method, call.path);
        return Reply::message(StatusCode::NOT_FOUND, &message);
    };
    call.operation = Some(route.operation);
    call.security = route.security;
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
    // A handler's panic (before or inside its future) is a 500, and the server goes on.
    let handled = std::panic::catch_unwind(AssertUnwindSafe(|| handler(&mut incoming)));
    match handled {
        Err(panic) => panicked(route.operation, panic),
        Ok(Some((recorded, answer))) => {
            call.request = Some(recorded);
            match tokio::spawn(answer).await {
                Ok(reply) => reply,
                Err(error) if error.is_panic() => panicked(route.operation, error.into_panic()),
                Err(error) => Reply::message(StatusCode::INTERNAL_SERVER_ERROR, &error.to_string()),
            }
        }
        Ok(None) => {
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
