//! Servers, a hand-written client and helpers shared by the runtime tests.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::OriginalUri;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response as AxumResponse};
use orq_runtime::__private::{ClientInfo, Core, EnvCredential, FromCore, RequestSpec};
use orq_runtime::{BackoffConfig, CallOptions, ClientBuilder, Error, Response, RetryConfig};
use serde_json::{Value, json};

/// What a generated SDK would emit as its `ClientInfo`.
pub const INFO: ClientInfo = ClientInfo {
    default_server_url: "https://api.example.invalid",
    env_prefix: "ORQ_RUNTIME_TEST_UNSET",
    env_credential: EnvCredential::Bearer,
    user_agent: "runtime-test/1.0",
    // What most operations of the API use: what `Core::request` sends.
    security: &[&[orq_runtime::__private::SecurityScheme::Bearer]],
    request_id_header: None,
};

/// A stand-in for a generated client such as `Orq`.
#[derive(Clone, Debug)]
pub struct TestClient {
    pub core: Core,
}

impl FromCore for TestClient {
    fn from_core(core: Core) -> Self {
        Self { core }
    }
}

impl TestClient {
    pub async fn call(&self, request: RequestSpec) -> Result<Response, Error> {
        self.core.execute(request, CallOptions::new()).await
    }

    pub async fn call_with(
        &self,
        request: RequestSpec,
        options: CallOptions,
    ) -> Result<Response, Error> {
        self.core.execute(request, options).await
    }
}

/// A builder pointed at `base`, with retries fast enough for tests.
pub fn builder(base: &str) -> ClientBuilder<TestClient> {
    ClientBuilder::new(INFO)
        .server_url(base)
        .retry(fast_retry())
        .timeout(Duration::from_secs(5))
}

/// Backoff in milliseconds, bounded to a few seconds in total.
pub fn fast_retry() -> RetryConfig {
    RetryConfig::backoff(BackoffConfig {
        initial_interval: Duration::from_millis(10),
        max_interval: Duration::from_secs(2),
        exponent: 2.0,
        max_elapsed_time: Duration::from_secs(4),
    })
}

/// No retries, for tests about a single attempt.
pub fn once() -> CallOptions {
    CallOptions::new().retries(RetryConfig::none())
}

pub fn get(path: &str) -> RequestSpec {
    RequestSpec::new(Method::GET, "get_thing", path.to_owned())
}

pub fn post(path: &str) -> RequestSpec {
    RequestSpec::new(Method::POST, "create_thing", path.to_owned())
}

/// Serves `router` on a fresh port of 127.0.0.1 until the test's runtime ends.
pub async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{address}")
}

/// A base URL where nothing listens.
pub async fn refused_url() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{address}")
}

/// Counts the requests a server received.
#[derive(Clone, Default)]
pub struct Hits(Arc<AtomicUsize>);

impl Hits {
    /// Records a request and returns its 0-based index.
    pub fn record(&self) -> usize {
        self.0.fetch_add(1, Ordering::SeqCst)
    }

    pub fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// One canned response.
#[derive(Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

impl Reply {
    pub fn new(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> AxumResponse {
        let mut response = (StatusCode::from_u16(self.status).unwrap(), self.body).into_response();
        for (name, value) in self.headers {
            response.headers_mut().insert(name, value.parse().unwrap());
        }
        response
    }
}

/// A server answering the n-th request (any path) with `script[n]`; the last
/// reply repeats.
pub async fn scripted(script: Vec<Reply>) -> (String, Hits) {
    let hits = Hits::default();
    let counter = hits.clone();
    let router = Router::new().fallback(move || {
        let index = counter.record();
        let reply = script[index.min(script.len() - 1)].clone();
        async move { reply }
    });
    (serve(router).await, hits)
}

/// One request a server received.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: Method,
    pub uri: String,
    pub headers: HeaderMap,
}

/// The requests a [`recording`] server received, in order.
#[derive(Clone, Default)]
pub struct Requests(Arc<std::sync::Mutex<Vec<Seen>>>);

impl Requests {
    pub fn all(&self) -> Vec<Seen> {
        self.0.lock().unwrap().clone()
    }

    /// The value of header `name` in each request (`None` where it was absent).
    pub fn header(&self, name: &str) -> Vec<Option<String>> {
        self.all()
            .iter()
            .map(|seen| {
                let value = seen.headers.get(name)?;
                Some(value.to_str().unwrap().to_owned())
            })
            .collect()
    }
}

/// [`scripted`], keeping every request it receives.
pub async fn recording(script: Vec<Reply>) -> (String, Requests) {
    let requests = Requests::default();
    let kept = requests.clone();
    let router = Router::new().fallback(
        move |method: Method, uri: OriginalUri, headers: HeaderMap| {
            let mut all = kept.0.lock().unwrap();
            let reply = script[all.len().min(script.len() - 1)].clone();
            all.push(Seen {
                method,
                uri: uri.0.to_string(),
                headers,
            });
            async move { reply }
        },
    );
    (serve(router).await, requests)
}

/// A server that echoes each request as JSON: method, raw URI, headers, body.
pub async fn echo_server() -> (String, Hits) {
    let hits = Hits::default();
    let counter = hits.clone();
    let router = Router::new().fallback(
        move |method: Method, uri: OriginalUri, headers: HeaderMap, body: Bytes| {
            counter.record();
            async move { axum::Json(echo(&method, &uri, &headers, &body)) }
        },
    );
    (serve(router).await, hits)
}

pub fn echo(method: &Method, uri: &OriginalUri, headers: &HeaderMap, body: &Bytes) -> Value {
    let headers: serde_json::Map<String, Value> = headers
        .iter()
        .map(|(name, value)| {
            (
                name.to_string(),
                json!(String::from_utf8_lossy(value.as_bytes())),
            )
        })
        .collect();
    json!({
        "method": method.as_str(),
        "uri": uri.0.to_string(),
        "headers": headers,
        "body": String::from_utf8_lossy(body),
    })
}

/// TCP connections a server accepted, and how many are still open.
#[derive(Clone, Default)]
pub struct Connections {
    accepted: Arc<AtomicUsize>,
    open: Arc<AtomicUsize>,
}

impl Connections {
    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    pub fn open(&self) -> usize {
        self.open.load(Ordering::SeqCst)
    }
}

/// A listener that counts the connections it accepts and those still open.
struct CountingListener {
    inner: tokio::net::TcpListener,
    connections: Connections,
}

/// A server-side connection; closing it (dropping it) updates the count.
struct CountedStream {
    inner: tokio::net::TcpStream,
    open: Arc<AtomicUsize>,
}

impl Drop for CountedStream {
    fn drop(&mut self) {
        self.open.fetch_sub(1, Ordering::SeqCst);
    }
}

impl tokio::io::AsyncRead for CountedStream {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl tokio::io::AsyncWrite for CountedStream {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::pin::Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

impl axum::serve::Listener for CountingListener {
    type Io = CountedStream;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (stream, address) = axum::serve::Listener::accept(&mut self.inner).await;
        self.connections.accepted.fetch_add(1, Ordering::SeqCst);
        self.connections.open.fetch_add(1, Ordering::SeqCst);
        let stream = CountedStream {
            inner: stream,
            open: self.connections.open.clone(),
        };
        (stream, address)
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

/// [`serve`], counting the TCP connections the server accepts and still holds.
pub async fn serve_counting(router: Router) -> (String, Connections) {
    let inner = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = inner.local_addr().unwrap();
    let connections = Connections::default();
    let listener = CountingListener {
        inner,
        connections: connections.clone(),
    };
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (format!("http://{address}"), connections)
}

/// Bearer and a query API key, both required (for tests that check credentials stay
/// out of traces, errors and `Debug`).
pub const QUERY_KEY: &[&[orq_runtime::__private::SecurityScheme]] = &[&[
    orq_runtime::__private::SecurityScheme::Bearer,
    orq_runtime::__private::SecurityScheme::ApiKey {
        scheme: "query",
        name: "api_key",
        location: orq_runtime::__private::ApiKeyLocation::Query,
    },
]];
