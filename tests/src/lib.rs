//! Shared test support: a real HTTP server on 127.0.0.1 that records every request
//! exactly as it arrived and answers from a script.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// HTTP method.
    pub method: Method,
    /// Path and query exactly as sent (still percent-encoded).
    pub uri: String,
    /// All headers.
    pub headers: HeaderMap,
    /// The raw body.
    pub body: Bytes,
}

impl Recorded {
    /// A header value as text ("" when absent).
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The body parsed as JSON (panics in tests if it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }
}

/// A canned answer.
#[derive(Clone, Debug)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl Reply {
    /// A JSON answer.
    pub fn json(status: u16, body: serde_json::Value) -> Self {
        Reply {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }

    /// A plain-text answer.
    pub fn text(status: u16, body: &str) -> Self {
        Reply {
            status,
            headers: vec![("content-type".into(), "text/plain".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    /// Add a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

#[derive(Default)]
struct Script {
    replies: VecDeque<Reply>,
    fallback: Option<Reply>,
    seen: Vec<Recorded>,
}

/// A recording server; it stops when dropped.
pub struct Recorder {
    /// The address it listens on.
    pub addr: SocketAddr,
    script: Arc<Mutex<Script>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Recorder {
    /// Start a server answering `replies` in order, then `fallback` (or 500) forever.
    pub async fn start(replies: Vec<Reply>, fallback: Option<Reply>) -> Recorder {
        let script = Arc::new(Mutex::new(Script {
            replies: replies.into(),
            fallback,
            seen: Vec::new(),
        }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local addr");
        let app = Router::new().fallback(record).with_state(script.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Recorder { addr, script, task }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.script
            .lock()
            .map(|s| s.seen.clone())
            .unwrap_or_default()
    }
}

async fn record(State(script): State<Arc<Mutex<Script>>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 16 * 1024 * 1024)
        .await
        .unwrap_or_default();
    let reply = {
        let mut script = match script.lock() {
            Ok(s) => s,
            Err(p) => p.into_inner(),
        };
        script.seen.push(Recorded {
            method: parts.method,
            uri: parts.uri.to_string(),
            headers: parts.headers,
            body,
        });
        script
            .replies
            .pop_front()
            .or_else(|| script.fallback.clone())
    };
    let Some(reply) = reply else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "no scripted reply").into_response();
    };
    let mut response = (
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        reply.body,
    )
        .into_response();
    for (name, value) in reply.headers {
        if let (Ok(name), Ok(value)) = (
            axum::http::HeaderName::try_from(name),
            axum::http::HeaderValue::try_from(value),
        ) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

/// The prettyplease-formatted SDK generated from the spec at `path` with the client
/// named `client`; panics with every diagnostic if the spec does not generate (for
/// snapshot tests).
pub fn generated_text(path: &std::path::Path, client: &str) -> String {
    generated_text_with(
        path,
        orq_codegen_impl::Settings::new().with_client_name(client),
    )
}

/// [`generated_text`] with other settings.
pub fn generated_text_with(path: &std::path::Path, settings: orq_codegen_impl::Settings) -> String {
    let tokens = orq_codegen_impl::generate_file(path, &settings).unwrap_or_else(|diagnostics| {
        let messages: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
        panic!("{}", messages.join("\n"))
    });
    orq_codegen_impl::format_tokens(&tokens).expect("generated code parses")
}

/// SDKs of fixture specs, for the doctests below: their usage docs (what `orq-codegen
/// docs` writes, see `build.rs`) must compile against them. Each is a public module of
/// this library under `#![deny(missing_docs)]`, so every item the generator writes has
/// rustdoc, whether or not the spec describes it.
#[deny(missing_docs)]
pub mod usage_sdks {
    macro_rules! sdk {
        ($module:ident, $spec:literal, $client:literal, $path:literal) => {
            #[doc = concat!("The SDK of `", $spec, "`.")]
            pub mod $module {
                orq_codegen::generate!(
                    spec = $spec,
                    client = $client,
                    doc_tests = [$path, "orq_runtime"]
                );
            }
        };
    }
    sdk!(
        petstore,
        "fixtures/petstore.yaml",
        "Petstore",
        "orq_tests::usage_sdks::petstore"
    );
    sdk!(
        bodies,
        "fixtures/bodies.yaml",
        "Bodies",
        "orq_tests::usage_sdks::bodies"
    );
    sdk!(
        files,
        "fixtures/files.yaml",
        "Files",
        "orq_tests::usage_sdks::files"
    );
    sdk!(
        params,
        "fixtures/params.yaml",
        "Params",
        "orq_tests::usage_sdks::params"
    );
    sdk!(
        openapi31,
        "fixtures/openapi31.yaml",
        "V31",
        "orq_tests::usage_sdks::openapi31"
    );
    sdk!(
        errors,
        "fixtures/errors.yaml",
        "Errors",
        "orq_tests::usage_sdks::errors"
    );
    sdk!(
        composition,
        "fixtures/types/composition.yaml",
        "Api",
        "orq_tests::usage_sdks::composition"
    );
    sdk!(
        constraints,
        "fixtures/types/constraints.yaml",
        "Api",
        "orq_tests::usage_sdks::constraints"
    );
    sdk!(
        formats,
        "fixtures/types/formats.yaml",
        "Api",
        "orq_tests::usage_sdks::formats"
    );
    sdk!(
        presence,
        "fixtures/types/presence.yaml",
        "Api",
        "orq_tests::usage_sdks::presence"
    );
    sdk!(
        recursion,
        "fixtures/types/recursion.yaml",
        "Api",
        "orq_tests::usage_sdks::recursion"
    );
    sdk!(
        sse,
        "fixtures/sse.yaml",
        "Chat",
        "orq_tests::usage_sdks::sse"
    );
    sdk!(
        pages,
        "fixtures/pages.yaml",
        "Pages",
        "orq_tests::usage_sdks::pages"
    );
    sdk!(
        inheritance,
        "fixtures/inheritance.yaml",
        "Shelter",
        "orq_tests::usage_sdks::inheritance"
    );
    sdk!(
        stream_or_json,
        "fixtures/stream_or_json.yaml",
        "Completions",
        "orq_tests::usage_sdks::stream_or_json"
    );
    sdk!(
        scalar_all_of,
        "fixtures/types/scalar_all_of.yaml",
        "Api",
        "orq_tests::usage_sdks::scalar_all_of"
    );
}

macro_rules! usage_doctests {
    ($($module:ident),*) => {
        $(
            #[cfg(doctest)]
            #[doc = include_str!(concat!(env!("OUT_DIR"), "/usage/", stringify!($module), ".md"))]
            mod $module {}
        )*
    };
}
usage_doctests!(
    petstore,
    bodies,
    files,
    params,
    openapi31,
    errors,
    composition,
    constraints,
    formats,
    presence,
    recursion,
    sse,
    pages,
    inheritance,
    stream_or_json,
    scalar_all_of
);
