//! The fault table: every way a server, the network or the caller can make a
//! call go wrong, each against a real server on 127.0.0.1, with what the
//! runtime must do. The README's "Fault table" lists the same rows (case and
//! expected); `the_readme_lists_every_row` keeps the two in sync.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::HeaderMap;
use axum::response::Redirect;
use axum::routing::{any, post as route_post};
use orq_runtime::__private::{
    RequestSpec, SecurityScheme, ServerVariable, SpecRetries, Validate, check, fill_server_url,
};
use orq_runtime::{
    BackoffConfig, CallOptions, ClientBuilder, Error, Hook, HookContext, MAX_ERROR_BODY_BYTES,
    ResponseValue, RetryConfig, Violation,
};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::support::{
    Hits, Reply, TestClient, builder, echo_server, fast_retry, get, once, post, refused_url,
    scripted, serve,
};

/// `(case, expected)`, in the README's order.
const ROWS: &[(&str, &str)] = &[
    ("connection refused", "Transport, 3 attempts"),
    ("connection closed mid-body", "Transport, 3 attempts"),
    ("TLS handshake fails", "Transport, 1 attempt"),
    ("DNS name does not resolve", "Transport, 1 attempt"),
    (
        "server slower than the per-attempt timeout",
        "Timeout, 1 attempt",
    ),
    (
        "retry budget shorter than the per-attempt timeout",
        "Timeout within the budget",
    ),
    ("503 then 200", "200, 2 attempts"),
    (
        "503 with Retry-After: 0, always",
        "503, 3 attempts, backoff kept",
    ),
    ("Retry-After beyond the maximum interval", "503, 1 attempt"),
    ("POST 503, no spec policy", "503, 1 attempt"),
    ("POST 503, x-speakeasy-retries: false", "503, 1 attempt"),
    ("POST 501, x-speakeasy-retries on 5XX", "200, 2 attempts"),
    (
        "refused, retryConnectionErrors: false",
        "Transport, 1 attempt",
    ),
    (
        "before_request hook fails with a retryable error",
        "hook error, 1 attempt, on_error 1",
    ),
    (
        "Content-Length over the limit",
        "ResponseTooLarge, status and headers kept",
    ),
    (
        "chunked body over the limit",
        "ResponseTooLarge, status and headers kept",
    ),
    ("body trickles in after the headers", "200, whole body"),
    ("body trickles past the timeout", "Timeout, 1 attempt"),
    ("1 MiB error body", "Api, first 65536 bytes kept"),
    ("200 body that is not JSON", "Decode, body kept"),
    (
        "redirect to another origin",
        "sent there: accept, user-agent; hooks ran 2 times",
    ),
    (
        "307 with a body to another origin",
        "307 returned, other origin not called",
    ),
    ("empty path parameter", "InvalidRequest, nothing sent"),
    ("uniqueItems on 100000 items", "duplicate found, linear"),
    ("multipleOf -1 on i64::MIN", "decoded, no panic"),
    (
        "2XX token response that is not a token",
        "Token, no body kept",
    ),
    (
        "server variable with a slash",
        "percent-encoded, stays in its segment",
    ),
    ("ResponseValue Debug with Set-Cookie", "redacted"),
    (
        "16 concurrent calls, bad client credentials",
        "16 Token errors, 1 token request",
    ),
    (
        "16 concurrent calls, fresh client",
        "16 OK, 1 token request",
    ),
    (
        "token fetch for one scope stalls",
        "other scope served meanwhile",
    ),
    ("401 with a cached token", "200 after 1 refresh"),
];

type Seen = Pin<Box<dyn Future<Output = String> + Send>>;

fn run(case: &str) -> Seen {
    match case {
        "connection refused" => Box::pin(connection_refused()),
        "connection closed mid-body" => Box::pin(closed_mid_body()),
        "TLS handshake fails" => Box::pin(tls_handshake_fails()),
        "DNS name does not resolve" => Box::pin(dns_fails()),
        "server slower than the per-attempt timeout" => Box::pin(slow_server()),
        "retry budget shorter than the per-attempt timeout" => Box::pin(budget_is_a_deadline()),
        "503 then 200" => Box::pin(unavailable_then_ok()),
        "503 with Retry-After: 0, always" => Box::pin(retry_after_zero()),
        "Retry-After beyond the maximum interval" => Box::pin(retry_after_too_long()),
        "POST 503, no spec policy" => Box::pin(post_status(None, 503)),
        "POST 503, x-speakeasy-retries: false" => {
            Box::pin(post_status(Some(SpecRetries::NEVER), 503))
        }
        "POST 501, x-speakeasy-retries on 5XX" => Box::pin(post_status(Some(FIVE_XX), 501)),
        "refused, retryConnectionErrors: false" => Box::pin(refused_without_connection_retries()),
        "before_request hook fails with a retryable error" => Box::pin(hook_error_ends_call()),
        "Content-Length over the limit" => Box::pin(too_large(true)),
        "chunked body over the limit" => Box::pin(too_large(false)),
        "body trickles in after the headers" => Box::pin(trickle(Duration::from_secs(5))),
        "body trickles past the timeout" => Box::pin(trickle(Duration::from_millis(300))),
        "1 MiB error body" => Box::pin(large_error_body()),
        "200 body that is not JSON" => Box::pin(not_json()),
        "redirect to another origin" => Box::pin(cross_origin_redirect()),
        "307 with a body to another origin" => Box::pin(cross_origin_body_redirect()),
        "empty path parameter" => Box::pin(empty_path_parameter()),
        "uniqueItems on 100000 items" => Box::pin(unique_items()),
        "multipleOf -1 on i64::MIN" => Box::pin(multiple_of_overflow()),
        "2XX token response that is not a token" => Box::pin(token_body_not_kept()),
        "server variable with a slash" => Box::pin(server_variable()),
        "ResponseValue Debug with Set-Cookie" => Box::pin(response_value_debug()),
        "16 concurrent calls, bad client credentials" => Box::pin(shared_token_failure()),
        "16 concurrent calls, fresh client" => Box::pin(one_fetch_for_concurrent_calls()),
        "token fetch for one scope stalls" => Box::pin(token_keys_fetch_apart()),
        "401 with a cached token" => Box::pin(refresh_on_401()),
        other => panic!("no scenario for {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_table() {
    let mut table = String::from("| case | expected | seen |\n| --- | --- | --- |\n");
    let mut wrong = Vec::new();
    for (case, expected) in ROWS {
        // A generous bound that only catches hangs.
        let seen = tokio::time::timeout(Duration::from_secs(60), run(case))
            .await
            .unwrap_or_else(|_| "hung for 60 s".to_owned());
        table.push_str(&format!("| {case} | {expected} | {seen} |\n"));
        if seen != *expected {
            wrong.push(*case);
        }
    }
    println!("{table}");
    assert!(wrong.is_empty(), "rows not as expected: {wrong:?}\n{table}");
}

#[test]
fn the_readme_lists_every_row() {
    let readme = include_str!("../../../../README.md");
    let start = readme
        .find("| case | expected |")
        .expect("the README has a fault table");
    let listed: Vec<(&str, &str)> = readme[start..]
        .lines()
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
            (cells[0], cells[1])
        })
        .collect();
    let readme_rows: Vec<(String, String)> = listed
        .iter()
        .map(|(case, expected)| (case.replace('`', ""), expected.replace('`', "")))
        .collect();
    let test_rows: Vec<(String, String)> = ROWS
        .iter()
        .map(|(case, expected)| (case.to_string(), expected.to_string()))
        .collect();
    assert_eq!(readme_rows, test_rows);
}

// --- helpers -------------------------------------------------------------

fn attempts(n: usize) -> String {
    if n == 1 {
        "1 attempt".to_owned()
    } else {
        format!("{n} attempts")
    }
}

fn variant(error: &Error) -> &'static str {
    match error {
        Error::InvalidRequest(_) => "InvalidRequest",
        Error::Config(_) => "Config",
        Error::Transport { .. } => "Transport",
        Error::Timeout { .. } => "Timeout",
        Error::Api { .. } => "Api",
        Error::Decode { .. } => "Decode",
        Error::Token { .. } => "Token",
        Error::ResponseTooLarge { .. } => "ResponseTooLarge",
        _ => "other",
    }
}

/// Three attempts at most, milliseconds apart.
fn three_attempts() -> RetryConfig {
    fast_retry().max_attempts(3)
}

/// Counts every attempt that failed without a response.
#[derive(Clone, Default)]
struct CountErrors(Hits);

impl Hook for CountErrors {
    fn on_error(&self, _: &HookContext, _: &Error) {
        self.0.record();
    }
}

/// A raw TCP server on 127.0.0.1 running `answer` on each connection (after
/// reading the request head), counting the connections.
async fn raw_server<F, Fut>(answer: F) -> (String, Hits)
where
    F: Fn(tokio::net::TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let hits = Hits::default();
    let counter = hits.clone();
    let answer = Arc::new(answer);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            counter.record();
            let answer = answer.clone();
            tokio::spawn(async move { answer(socket).await });
        }
    });
    (format!("http://{address}"), hits)
}

async fn read_head(socket: &mut tokio::net::TcpStream) {
    let mut buffer = [0u8; 4096];
    let _ = socket.read(&mut buffer).await;
}

// --- transport -----------------------------------------------------------

async fn connection_refused() -> String {
    let errors = CountErrors::default();
    let client = builder(&refused_url().await)
        .retry(three_attempts())
        .hook(errors.clone())
        .build()
        .unwrap();
    let error = client.call(get("/x")).await.unwrap_err();
    format!("{}, {}", variant(&error), attempts(errors.0.count()))
}

async fn closed_mid_body() -> String {
    let (base, hits) = raw_server(|mut socket| async move {
        read_head(&mut socket).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"id\":";
        let _ = socket.write_all(head.as_bytes()).await;
        let _ = socket.shutdown().await;
    })
    .await;
    let client = builder(&base).retry(three_attempts()).build().unwrap();
    let error = client.call(get("/x")).await.unwrap_err();
    format!("{}, {}", variant(&error), attempts(hits.count()))
}

async fn tls_handshake_fails() -> String {
    // A plain HTTP server behind an https URL: the TLS handshake fails the
    // same way every time, so it is not retried.
    let (base, hits) = raw_server(|mut socket| async move {
        read_head(&mut socket).await;
        let _ = socket
            .write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
            .await;
    })
    .await;
    let base = base.replace("http://", "https://");
    let client = builder(&base).retry(three_attempts()).build().unwrap();
    let error = client.call(get("/x")).await.unwrap_err();
    format!("{}, {}", variant(&error), attempts(hits.count()))
}

/// A resolver answering every name as NXDOMAIN does (the error the system
/// resolver gives), counting lookups: no DNS traffic leaves the machine.
#[derive(Clone, Default)]
struct NoSuchName(Hits);

impl reqwest::dns::Resolve for NoSuchName {
    fn resolve(&self, _: reqwest::dns::Name) -> reqwest::dns::Resolving {
        self.0.record();
        Box::pin(async {
            Err(std::io::Error::other(
                "failed to lookup address information: Name or service not known",
            )
            .into())
        })
    }
}

async fn dns_fails() -> String {
    let resolver = NoSuchName::default();
    let http = reqwest::Client::builder()
        .dns_resolver(Arc::new(resolver.clone()))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = builder("http://api.nxdomain.invalid")
        .reqwest_client(http)
        .retry(three_attempts())
        .build()
        .unwrap();
    let error = client.call(get("/x")).await.unwrap_err();
    format!("{}, {}", variant(&error), attempts(resolver.0.count()))
}

async fn slow_server() -> String {
    let hits = Hits::default();
    let counter = hits.clone();
    let base = serve(Router::new().fallback(move || {
        counter.record();
        async {
            tokio::time::sleep(Duration::from_secs(10)).await;
            "late"
        }
    }))
    .await;
    let client = builder(&base).build().unwrap();
    let options = once().timeout(Duration::from_millis(200));
    let error = client.call_with(get("/x"), options).await.unwrap_err();
    format!("{}, {}", variant(&error), attempts(hits.count()))
}

async fn budget_is_a_deadline() -> String {
    let base = serve(Router::new().fallback(|| async {
        tokio::time::sleep(Duration::from_secs(30)).await;
        "late"
    }))
    .await;
    let budget = Duration::from_millis(800);
    let retry = RetryConfig::backoff(BackoffConfig {
        max_elapsed_time: budget,
        ..BackoffConfig::default()
    });
    // Each attempt may take 10 s, but the call as a whole only 800 ms.
    let client = builder(&base)
        .retry(retry)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.call(get("/x")).await.unwrap_err();
    let elapsed = started.elapsed();
    if elapsed < budget + Duration::from_secs(2) {
        format!("{} within the budget", variant(&error))
    } else {
        format!("{} after {elapsed:?}", variant(&error))
    }
}

// --- retries -------------------------------------------------------------

async fn unavailable_then_ok() -> String {
    let (base, hits) = scripted(vec![Reply::new(503, "busy"), Reply::new(200, "ok")]).await;
    let client = builder(&base).build().unwrap();
    let response = client.call(get("/x")).await.unwrap();
    format!("{}, {}", response.status().as_u16(), attempts(hits.count()))
}

async fn retry_after_zero() -> String {
    let times = Arc::new(Mutex::new(Vec::new()));
    let seen = times.clone();
    let base = serve(Router::new().fallback(move || {
        seen.lock().unwrap().push(Instant::now());
        async { Reply::new(503, "busy").header("retry-after", "0") }
    }))
    .await;
    let initial = Duration::from_millis(50);
    let retry = RetryConfig::backoff(BackoffConfig {
        initial_interval: initial,
        max_interval: Duration::from_secs(1),
        exponent: 1.0,
        max_elapsed_time: Duration::from_secs(10),
    })
    .max_attempts(3);
    let client = builder(&base).retry(retry).build().unwrap();
    let response = client.call(get("/x")).await.unwrap();
    let times = times.lock().unwrap();
    let backoff_kept = times.windows(2).all(|pair| pair[1] - pair[0] >= initial);
    format!(
        "{}, {}, {}",
        response.status().as_u16(),
        attempts(times.len()),
        if backoff_kept {
            "backoff kept"
        } else {
            "back to back"
        }
    )
}

async fn retry_after_too_long() -> String {
    let (base, hits) = scripted(vec![
        Reply::new(503, "maintenance").header("retry-after", "3600"),
        Reply::new(200, "ok"),
    ])
    .await;
    let client = builder(&base).build().unwrap();
    let response = client.call(get("/x")).await.unwrap();
    format!("{}, {}", response.status().as_u16(), attempts(hits.count()))
}

const FIVE_XX: SpecRetries = SpecRetries {
    initial_interval_ms: Some(10),
    statuses: Some(&[(500, 599)]),
    ..SpecRetries::BACKOFF
};

/// A client with no retry policy of its own, so the spec's applies.
fn spec_driven(base: &str) -> TestClient {
    ClientBuilder::new(super::support::INFO)
        .server_url(base)
        .build()
        .unwrap()
}

async fn post_status(policy: Option<SpecRetries>, status: u16) -> String {
    let (base, hits) = scripted(vec![Reply::new(status, "busy"), Reply::new(200, "ok")]).await;
    let client = spec_driven(&base);
    let mut request = post("/x");
    if let Some(policy) = policy {
        request.spec_retries(policy);
    }
    let response = client.call(request).await.unwrap();
    format!("{}, {}", response.status().as_u16(), attempts(hits.count()))
}

async fn refused_without_connection_retries() -> String {
    let errors = CountErrors::default();
    let client = ClientBuilder::<TestClient>::new(super::support::INFO)
        .server_url(refused_url().await)
        .hook(errors.clone())
        .build()
        .unwrap();
    let mut request = get("/x");
    request.spec_retries(SpecRetries {
        retry_connection_errors: Some(false),
        ..FIVE_XX
    });
    let error = client.call(request).await.unwrap_err();
    format!("{}, {}", variant(&error), attempts(errors.0.count()))
}

/// Refuses every request with an error that would be retried if it came
/// from the network.
#[derive(Clone, Default)]
struct FailingHook {
    before: Hits,
    errors: Hits,
}

impl Hook for FailingHook {
    fn before_request(&self, _: &HookContext, _: &mut reqwest::Request) -> Result<(), Error> {
        self.before.record();
        Err(Error::Timeout {
            operation: "signing",
            timeout: Duration::ZERO,
            call: Default::default(),
        })
    }

    fn on_error(&self, _: &HookContext, _: &Error) {
        self.errors.record();
    }
}

async fn hook_error_ends_call() -> String {
    let (base, hits) = echo_server().await;
    let hook = FailingHook::default();
    let client = builder(&base).hook(hook.clone()).build().unwrap();
    let error = client.call(get("/x")).await.unwrap_err();
    let ok = matches!(
        error,
        Error::Timeout {
            operation: "signing",
            ..
        }
    ) && hits.count() == 0;
    format!(
        "{}, {}, on_error {}",
        if ok { "hook error" } else { variant(&error) },
        attempts(hook.before.count()),
        hook.errors.count()
    )
}

// --- bodies --------------------------------------------------------------

async fn too_large(declared: bool) -> String {
    let (base, _) = raw_server(move |mut socket| async move {
        read_head(&mut socket).await;
        let head = if declared {
            "HTTP/1.1 200 OK\r\nx-request-id: big-1\r\ncontent-length: 1073741824\r\n\r\n"
        } else {
            "HTTP/1.1 200 OK\r\nx-request-id: big-1\r\ntransfer-encoding: chunked\r\n\r\n"
        };
        if socket.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let chunk = vec![b'x'; 64 * 1024];
        let framed = [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
        for _ in 0..100 {
            let piece = if declared { &chunk } else { &framed };
            if socket.write_all(piece).await.is_err() {
                return;
            }
        }
    })
    .await;
    let client = builder(&base).build().unwrap();
    let options = once().max_response_bytes(1024 * 1024);
    let error = client.call_with(get("/x"), options).await.unwrap_err();
    let kept = error.status().map(|s| s.as_u16()) == Some(200)
        && error
            .headers()
            .is_some_and(|h| h["x-request-id"] == "big-1");
    match (&error, kept) {
        (
            Error::ResponseTooLarge {
                limit: 1_048_576, ..
            },
            true,
        ) => "ResponseTooLarge, status and headers kept".to_owned(),
        _ => format!("{error:?}"),
    }
}

/// A body sent in 5 pieces, 100 ms apart, after the headers.
async fn trickle(timeout: Duration) -> String {
    let (base, hits) = raw_server(|mut socket| async move {
        read_head(&mut socket).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n";
        let _ = socket.write_all(head.as_bytes()).await;
        for piece in ["01", "23", "45", "67", "89"] {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let _ = socket.write_all(piece.as_bytes()).await;
        }
    })
    .await;
    let client = builder(&base).build().unwrap();
    match client.call_with(get("/x"), once().timeout(timeout)).await {
        Ok(response) if response.body().as_ref() == b"0123456789" => {
            format!("{}, whole body", response.status().as_u16())
        }
        Ok(response) => format!("{response:?}"),
        Err(error) => format!("{}, {}", variant(&error), attempts(hits.count())),
    }
}

async fn large_error_body() -> String {
    let (base, _) = scripted(vec![Reply::new(500, "e".repeat(1024 * 1024))]).await;
    let client = builder(&base).build().unwrap();
    let error = client
        .call_with(get("/x"), once())
        .await
        .unwrap()
        .api_error_untyped();
    let kept = error.raw_body().map_or(0, |body| body.len());
    assert_eq!(kept, MAX_ERROR_BODY_BYTES);
    format!("{}, first {kept} bytes kept", variant(&error))
}

async fn not_json() -> String {
    let (base, _) = scripted(vec![Reply::new(200, "<html>maintenance</html>")]).await;
    let client = builder(&base).build().unwrap();
    let error = client
        .call(get("/x"))
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .unwrap_err();
    let kept = error.raw_body().map(|b| b.as_ref()) == Some(b"<html>maintenance</html>".as_ref());
    format!(
        "{}, body {}",
        variant(&error),
        if kept { "kept" } else { "lost" }
    )
}

// --- redirects -----------------------------------------------------------

/// Records the URL of every request it is shown, as a signing hook would
/// sign it.
#[derive(Clone, Default)]
struct Signer(Arc<Mutex<Vec<String>>>);

impl Hook for Signer {
    fn before_request(&self, _: &HookContext, req: &mut reqwest::Request) -> Result<(), Error> {
        self.0.lock().unwrap().push(req.url().to_string());
        Ok(())
    }
}

async fn cross_origin_redirect() -> String {
    let landed = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = landed.clone();
    let other = serve(Router::new().fallback(move |headers: HeaderMap| {
        let mut names: Vec<String> = headers
            .keys()
            .map(|name| name.to_string())
            .filter(|name| name != "host")
            .collect();
        names.sort();
        *seen.lock().unwrap() = names;
        async { "landed" }
    }))
    .await;
    let target = format!("{other}/landing");
    let home = serve(Router::new().fallback(move || {
        let target = target.clone();
        async move { Redirect::temporary(&target) }
    }))
    .await;
    let signer = Signer::default();
    let client = builder(&home)
        .bearer("tok-s3cr3t")
        .default_header("x-api-key", "default-s3cr3t")
        .default_header("accept", "application/json")
        .hook(signer.clone())
        .build()
        .unwrap();
    let mut request = get("/away");
    request.security(&[&[SecurityScheme::Bearer]]);
    request.cookie("session", "cookie-s3cr3t");
    let options = CallOptions::new().header("x-call-token", "call-s3cr3t");
    let response = client.call_with(request, options).await.unwrap();
    assert_eq!(response.text().unwrap(), "landed");
    let signed = signer.0.lock().unwrap().clone();
    assert!(
        signed[1].starts_with(&other),
        "the hook saw the real target: {signed:?}"
    );
    let hooks = signed.len();
    format!(
        "sent there: {}; hooks ran {hooks} times",
        landed.lock().unwrap().join(", ")
    )
}

async fn cross_origin_body_redirect() -> String {
    let (other, other_hits) = echo_server().await;
    let target = format!("{other}/landing");
    let home = serve(Router::new().route(
        "/upload",
        route_post(move || {
            let target = target.clone();
            async move { Redirect::temporary(&target) }
        }),
    ))
    .await;
    let client = builder(&home).build().unwrap();
    let mut request = post("/upload");
    request
        .json(&serde_json::json!({"secret": "payload"}))
        .unwrap();
    let response = client.call(request).await.unwrap();
    format!(
        "{} returned, other origin {}",
        response.status().as_u16(),
        if other_hits.count() == 0 {
            "not called"
        } else {
            "called"
        }
    )
}

// --- requests and responses -----------------------------------------------

async fn empty_path_parameter() -> String {
    let (base, hits) = echo_server().await;
    let client = builder(&base).build().unwrap();
    let mut request = RequestSpec::new(reqwest::Method::DELETE, "delete_pet", "/pets/".into());
    request.template("/pets/{petId}");
    let error = client.call(request).await.unwrap_err();
    let sent = if hits.count() == 0 {
        "nothing sent"
    } else {
        "sent"
    };
    format!("{}, {sent}", variant(&error))
}

/// An array with `uniqueItems`, as generated code checks it.
#[derive(Deserialize, Serialize)]
struct Tags(Vec<String>);

impl Validate for Tags {
    fn validate_at(&self, path: &str, out: &mut Vec<Violation>) {
        check::unique(out, path, &self.0, None);
    }
}

async fn unique_items() -> String {
    const N: usize = 100_000;
    let mut tags: Vec<String> = (0..N).map(|i| format!("tag-{i}")).collect();
    tags[N - 1] = "tag-0".to_owned();
    let body = serde_json::to_string(&tags).unwrap();
    let (base, _) = scripted(vec![Reply::new(200, body)]).await;
    let client = builder(&base).build().unwrap();
    let response = client.call(get("/tags")).await.unwrap();
    let started = Instant::now();
    // Quadratic checking (5·10^9 comparisons) takes minutes here.
    let error = tokio::task::spawn_blocking(move || {
        response.json::<Tags>().unwrap().validate().unwrap_err()
    })
    .await
    .unwrap();
    let found = error.violations[0].message.contains("items 0 and 99999");
    let linear = started.elapsed() < Duration::from_secs(20);
    format!(
        "{}, {}",
        if found {
            "duplicate found"
        } else {
            "duplicate missed"
        },
        if linear { "linear" } else { "slow" }
    )
}

#[derive(Debug, Deserialize)]
struct Stepped {
    n: i64,
}

impl Validate for Stepped {
    fn validate_at(&self, path: &str, out: &mut Vec<Violation>) {
        check::integer(out, path, self.n, None, false, None, false, Some(-1));
    }
}

async fn multiple_of_overflow() -> String {
    let (base, _) = scripted(vec![Reply::new(200, format!("{{\"n\": {}}}", i64::MIN))]).await;
    let client = builder(&base).build().unwrap();
    let response = client.call(get("/n")).await.unwrap();
    let decoded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        response.json_checked::<Stepped>()
    }));
    match decoded {
        Ok(Ok(value)) if value.n == i64::MIN => "decoded, no panic".to_owned(),
        Ok(other) => format!("{other:?}"),
        Err(_) => "panicked".to_owned(),
    }
}

const OAUTH: &[&[SecurityScheme]] = &[&[SecurityScheme::OAuth2 {
    scheme: "oauth",
    token_url: Some("/oauth/token"),
    scopes: &["read"],
}]];

fn secured(path: &str, security: &'static [&'static [SecurityScheme]]) -> RequestSpec {
    let mut request = get(path);
    request.security(security);
    request
}

async fn token_body_not_kept() -> String {
    let router = Router::new()
        .route(
            "/oauth/token",
            route_post(|| async {
                // A live token, but `token_type` is not a string: not a valid response.
                axum::Json(serde_json::json!({"access_token": "live-s3cr3t", "token_type": 5}))
            }),
        )
        .fallback(|| async { "ok" });
    let base = serve(router).await;
    let client = builder(&base)
        .oauth2_client_credentials("id", "secret")
        .build()
        .unwrap();
    let error = client
        .call_with(secured("/x", OAUTH), once())
        .await
        .unwrap_err();
    let Error::Token { body, .. } = &error else {
        return format!("{error:?}");
    };
    let shown = format!("{error} {error:?}");
    if shown.contains("live-s3cr3t") {
        return format!("token shown: {shown}");
    }
    format!(
        "{}, {}",
        variant(&error),
        if body.is_empty() {
            "no body kept"
        } else {
            "body kept"
        }
    )
}

async fn server_variable() -> String {
    let (base, _) = echo_server().await;
    const PATHS: &[&str] = &["http://127.0.0.1:{port}/{tenant}"];
    const PATH_VARIABLES: &[&[ServerVariable]] = &[&[("port", "80", &[]), ("tenant", "main", &[])]];
    let port = base.rsplit(':').next().unwrap();
    let url = fill_server_url(
        PATHS,
        PATH_VARIABLES,
        0,
        &[("port", port), ("tenant", "../admin")],
    )
    .unwrap();
    let client = builder(&url).build().unwrap();
    let seen: serde_json::Value = client.call(get("/things")).await.unwrap().json().unwrap();
    if seen["uri"] == "/..%2Fadmin/things" {
        "percent-encoded, stays in its segment".to_owned()
    } else {
        format!("sent to {}", seen["uri"])
    }
}

async fn response_value_debug() -> String {
    let (base, _) = scripted(vec![
        Reply::new(200, "{}").header("set-cookie", "session=cookie-s3cr3t"),
    ])
    .await;
    let client = builder(&base).build().unwrap();
    let response = client.call(get("/x")).await.unwrap();
    let value = ResponseValue::new(response.status(), response.headers().clone(), ());
    let debug = format!("{value:?}");
    if debug.contains("cookie-s3cr3t") {
        debug
    } else {
        "redacted".to_owned()
    }
}

// --- OAuth2 --------------------------------------------------------------

/// A token endpoint that holds every answer until `release` is notified,
/// counting requests; it refuses the client when `refuse`.
async fn held_token_endpoint(refuse: bool, release: Arc<tokio::sync::Notify>) -> (String, Hits) {
    let hits = Hits::default();
    let counter = hits.clone();
    let router = Router::new()
        .route(
            "/oauth/token",
            route_post(move || {
                counter.record();
                let release = release.clone();
                async move {
                    release.notified().await;
                    if refuse {
                        Reply::new(401, r#"{"error": "invalid_client"}"#)
                    } else {
                        Reply::new(200, r#"{"access_token": "tok-1", "expires_in": 3600}"#)
                            .header("content-type", "application/json")
                    }
                }
            }),
        )
        .fallback(any(|| async { "ok" }));
    (serve(router).await, hits)
}

/// Sends 16 calls at once through a fresh client while the token endpoint
/// holds its answer, then releases it.
async fn sixteen_calls(refuse: bool) -> (Vec<Result<u16, &'static str>>, usize) {
    let release = Arc::new(tokio::sync::Notify::new());
    let (base, hits) = held_token_endpoint(refuse, release.clone()).await;
    let client = builder(&base)
        .oauth2_client_credentials("id", "secret")
        .build()
        .unwrap();
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..16 {
        let client = client.clone();
        calls.spawn(async move {
            client
                .call_with(secured("/x", OAUTH), once())
                .await
                .map(|r| r.status().as_u16())
                .map_err(|e| variant(&e))
        });
    }
    // Every call is waiting for the one fetch before it is answered.
    while hits.count() == 0 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    release.notify_waiters();
    let mut results = Vec::new();
    while let Some(joined) = calls.join_next().await {
        results.push(joined.unwrap());
    }
    (results, hits.count())
}

async fn shared_token_failure() -> String {
    let (results, fetches) = sixteen_calls(true).await;
    let failed = results.iter().filter(|r| **r == Err("Token")).count();
    format!(
        "{failed} Token errors, {fetches} token request{}",
        plural(fetches)
    )
}

async fn one_fetch_for_concurrent_calls() -> String {
    let (results, fetches) = sixteen_calls(false).await;
    let ok = results.iter().filter(|r| **r == Ok(200)).count();
    format!("{ok} OK, {fetches} token request{}", plural(fetches))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

async fn token_keys_fetch_apart() -> String {
    const STALLED: &[&[SecurityScheme]] = &[&[SecurityScheme::OAuth2 {
        scheme: "oauth",
        token_url: Some("/oauth/token"),
        scopes: &["stalled"],
    }]];
    let never = Arc::new(tokio::sync::Notify::new());
    let router = Router::new()
        .route(
            "/oauth/token",
            route_post(move |body: String| {
                let never = never.clone();
                async move {
                    if body.contains("stalled") {
                        never.notified().await;
                    }
                    Reply::new(200, r#"{"access_token": "tok", "expires_in": 3600}"#)
                }
            }),
        )
        .fallback(any(|| async { "ok" }));
    let base = serve(router).await;
    let client = builder(&base)
        .oauth2_client_credentials("id", "secret")
        .build()
        .unwrap();
    let stalled = {
        let client = client.clone();
        tokio::spawn(async move { client.call_with(secured("/a", STALLED), once()).await })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    let other = tokio::time::timeout(
        Duration::from_secs(3),
        client.call_with(secured("/b", OAUTH), once()),
    )
    .await;
    stalled.abort();
    match other {
        Ok(Ok(response)) if response.status() == 200 => "other scope served meanwhile".to_owned(),
        Ok(other) => format!("{other:?}"),
        Err(_) => "other scope waited for the stalled fetch".to_owned(),
    }
}

async fn refresh_on_401() -> String {
    let fetches = Hits::default();
    let counter = fetches.clone();
    let calls = Hits::default();
    let api_calls = calls.clone();
    let router = Router::new()
        .route(
            "/oauth/token",
            route_post(move || {
                let n = counter.record() + 1;
                async move { Reply::new(200, format!(r#"{{"access_token": "tok-{n}"}}"#)) }
            }),
        )
        .fallback(move |headers: HeaderMap| {
            api_calls.record();
            let fresh = headers["authorization"] == "Bearer tok-2";
            async move {
                if fresh {
                    Reply::new(200, "ok")
                } else {
                    Reply::new(401, "revoked")
                }
            }
        });
    let base = serve(router).await;
    let client = builder(&base)
        .oauth2_client_credentials("id", "secret")
        .build()
        .unwrap();
    let response = client.call(secured("/x", OAUTH)).await.unwrap();
    format!(
        "{} after {} refresh",
        response.status().as_u16(),
        fetches.count() - 1
    )
}
