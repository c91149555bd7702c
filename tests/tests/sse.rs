//! Server-sent events end to end: a generated SDK (`fixtures/sse.yaml`, chat completions
//! in the style of LLM APIs) against an axum server on 127.0.0.1 that streams its
//! answers in chunks with pauses.

#[deny(warnings)]
#[allow(dead_code)]
mod chat {
    orq_codegen::generate!(spec = "fixtures/sse.yaml", client = "Chat");
}

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chat::models::{ChatRequest, Message};
use futures_util::StreamExt;
use orq_runtime::{BackoffConfig, Error, RetryConfig};

/// What the server answers to one request.
enum Answer {
    /// A status with a JSON body.
    Json(u16, &'static str),
    /// `text/event-stream`, one chunk per pause of 5 ms.
    Stream(Vec<&'static str>),
    /// `text/event-stream`, one chunk per pause of this long.
    Slow(Vec<&'static str>, Duration),
}

struct Server {
    url: String,
    /// The headers of each request, in order.
    requests: Arc<Mutex<Vec<HeaderMap>>>,
    /// Turns true when a stream's client went away (a send failed or the channel closed).
    closed: Arc<AtomicBool>,
}

async fn server(answers: Vec<Answer>) -> Server {
    let answers = Arc::new(Mutex::new(VecDeque::from(answers)));
    let requests = Arc::new(Mutex::new(Vec::new()));
    let closed = Arc::new(AtomicBool::new(false));
    let (seen, gone) = (requests.clone(), closed.clone());
    let app = Router::new().fallback(move |headers: HeaderMap| {
        let (answers, seen, gone) = (answers.clone(), seen.clone(), gone.clone());
        async move {
            seen.lock().unwrap().push(headers);
            let answer = answers.lock().unwrap().pop_front();
            match answer {
                None => StatusCode::GONE.into_response(),
                Some(Answer::Json(status, body)) => Response::builder()
                    .status(status)
                    .header("content-type", "application/json")
                    .body(Body::from(body))
                    .unwrap(),
                Some(Answer::Stream(chunks)) => stream(chunks, Duration::from_millis(5), gone),
                Some(Answer::Slow(chunks, pause)) => stream(chunks, pause, gone),
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Server {
        url: format!("http://{addr}"),
        requests,
        closed,
    }
}

fn stream(chunks: Vec<&'static str>, pause: Duration, gone: Arc<AtomicBool>) -> Response {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(1);
    tokio::spawn(async move {
        for chunk in chunks {
            tokio::time::sleep(pause).await;
            if tx
                .send(Ok(Bytes::from_static(chunk.as_bytes())))
                .await
                .is_err()
            {
                gone.store(true, Ordering::SeqCst);
                return;
            }
        }
        // The connection stays open until the client goes away.
        tx.closed().await;
        gone.store(true, Ordering::SeqCst);
    });
    let body = Body::from_stream(futures_util::stream::unfold(rx, |mut rx| async {
        rx.recv().await.map(|item| (item, rx))
    }));
    ([("content-type", "text/event-stream")], body).into_response()
}

/// Fails the test instead of hanging when a stream neither ends nor fails.
async fn within<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), future)
        .await
        .expect("the stream neither ended nor failed within 10 s")
}

fn client(server: &Server) -> chat::Chat {
    chat::Chat::builder()
        .server_url(&server.url)
        .build()
        .unwrap()
}

fn request() -> ChatRequest {
    ChatRequest::builder()
        .model("gpt-4o")
        .stream(true)
        .messages(vec![
            Message::builder()
                .role("user")
                .content("Hello")
                .build()
                .unwrap(),
        ])
        .build()
        .unwrap()
}

/// The text of a chunk's first delta.
fn delta(chunk: &chat::models::ChatChunk) -> String {
    chunk.choices[0]
        .delta
        .as_ref()
        .and_then(|d| d.content.clone())
        .unwrap_or_default()
}

const CHAT: &[&str] = &[
    ": keep-alive\n\n",
    "data: {\"id\":\"c1\",\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n",
    // Split mid-line, CRLF line ends, an event type, an id and a retry.
    "event: delta\r\nid: 7\r\nretry: 1500\r\ndata: {\"id\":\"c1\",\"cho",
    "ices\":[{\"delta\":{\"content\":\"lo\"}}]}\r\n\r\n",
    // A chunk that is not a ChatChunk: an error item, then the stream goes on.
    "data: {\"id\": 5}\n\n",
    // Data over several lines is joined with `\n` (JSON allows the line break).
    "data: {\"id\":\"c1\",\n",
    "data: \"choices\":[{\"delta\":{\"content\":\"!\"}}]}\n\n",
    "data: [DONE]\n\n",
    "data: {\"id\":\"after\",\"choices\":[]}\n\n",
];

#[tokio::test]
async fn chat_chunks_stream_until_done() {
    let server = server(vec![Answer::Stream(CHAT.to_vec())]).await;
    let client = client(&server);
    let mut events = client
        .chat()
        .completions(request())
        .header("x-trace", "t1")
        .await
        .unwrap();
    assert_eq!(events.status(), 200);
    let mut text = String::new();
    let mut errors = Vec::new();
    let mut kinds = Vec::new();
    while let Some(event) = within(events.next()).await {
        match event {
            Ok(event) => {
                text.push_str(&delta(&event.data));
                kinds.push((
                    event.event,
                    event.id.as_deref().map(str::to_owned),
                    event.retry,
                ));
            }
            Err(error) => errors.push(error),
        }
    }
    assert_eq!(text, "Hello!");
    assert_eq!(events.last_event_id(), Some("7"));
    assert_eq!(events.retry(), Some(Duration::from_millis(1500)));
    assert_eq!(
        kinds,
        [
            ("message".to_owned(), None, None),
            (
                "delta".to_owned(),
                Some("7".to_owned()),
                Some(Duration::from_millis(1500))
            ),
            ("message".to_owned(), Some("7".to_owned()), None),
        ]
    );
    let [Error::Decode { body, path, .. }] = errors.as_slice() else {
        panic!("one decode error expected: {errors:?}");
    };
    assert_eq!(&body[..], b"{\"id\": 5}");
    assert_eq!(path, "id");
    let requests = server.requests.lock().unwrap();
    assert_eq!(requests[0]["x-trace"], "t1");
    // The request asks for an event stream.
    assert_eq!(requests[0]["accept"], "text/event-stream");
}

#[tokio::test]
async fn a_custom_sentinel_ends_the_stream_and_item_schema_types_the_data() {
    let server = server(vec![Answer::Stream(vec![
        "data: {\"id\":\"a\",\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\n\n",
        // `[DONE]` is data like any other here: it does not decode.
        "data: [DONE]\n\n",
        "data: <END>\n\n",
        "data: {\"id\":\"after\",\"choices\":[]}\n\n",
    ])])
    .await;
    let client = client(&server);
    let mut events = client.chat().custom_end(request()).await.unwrap();
    let first = within(events.next()).await.unwrap().unwrap();
    assert_eq!(first.data.id, "a");
    assert!(matches!(
        within(events.next()).await,
        Some(Err(Error::Decode { .. }))
    ));
    assert!(within(events.next()).await.is_none());
}

#[tokio::test]
async fn text_events_are_kept_as_strings() {
    let server = server(vec![Answer::Stream(vec![
        "data: line one\n\n",
        "data: [DONE]\n\n",
    ])])
    .await;
    let client = client(&server);
    let mut events = client
        .logs()
        .tail()
        .idle_timeout(Duration::from_millis(300))
        .await
        .unwrap();
    assert_eq!(
        within(events.next()).await.unwrap().unwrap().data,
        "line one"
    );
    // No sentinel for text data: `[DONE]` is an event like any other.
    assert_eq!(within(events.next()).await.unwrap().unwrap().data, "[DONE]");
    // Then the server goes quiet: the idle timeout ends the stream.
    assert!(matches!(
        within(events.next()).await,
        Some(Err(Error::Timeout { .. }))
    ));
    assert!(within(events.next()).await.is_none());
}

#[tokio::test]
async fn a_500_before_the_stream_is_retried() {
    let server = server(vec![
        Answer::Json(500, "{\"message\":\"busy\"}"),
        Answer::Stream(vec![
            "data: {\"id\":\"r\",\"choices\":[{\"delta\":{\"content\":\"ok\"}}]}\n\n",
            "data: [DONE]\n\n",
        ]),
    ])
    .await;
    let client = client(&server);
    // A POST is retried when the caller says so.
    let retries = RetryConfig::backoff(BackoffConfig {
        initial_interval: Duration::from_millis(1),
        ..BackoffConfig::default()
    });
    let mut events = client
        .chat()
        .completions(request())
        .retries(retries)
        .await
        .unwrap();
    assert_eq!(
        delta(&within(events.next()).await.unwrap().unwrap().data),
        "ok"
    );
    assert!(within(events.next()).await.is_none());
    assert_eq!(events.attempts(), 2);
    let requests = server.requests.lock().unwrap();
    assert_eq!(requests.len(), 2);
    // The retried POST carried one idempotency key.
    assert_eq!(
        requests[0]["idempotency-key"],
        requests[1]["idempotency-key"]
    );
}

#[tokio::test]
async fn a_4xx_is_an_api_error_with_the_declared_model() {
    let server = server(vec![Answer::Json(400, "{\"message\":\"no model\"}")]).await;
    let client = client(&server);
    let error = client.chat().completions(request()).await.unwrap_err();
    let Error::Api { status, .. } = &error else {
        panic!("an API error expected: {error:?}");
    };
    assert_eq!(status.as_u16(), 400);
    let Some(chat::requests::ChatCompletionsError::Status400(body)) =
        error.api_error::<chat::requests::ChatCompletions>()
    else {
        panic!("the declared error model expected: {error:?}");
    };
    assert_eq!(body.message.as_deref(), Some("no model"));
}

#[tokio::test]
async fn dropping_the_stream_closes_the_connection() {
    let server = server(vec![Answer::Stream(vec![
        "data: {\"id\":\"1\",\"choices\":[]}\n\n",
        "data: {\"id\":\"2\",\"choices\":[]}\n\n",
    ])])
    .await;
    let client = client(&server);
    let mut events = client.chat().completions(request()).await.unwrap();
    assert_eq!(within(events.next()).await.unwrap().unwrap().data.id, "1");
    assert!(!server.closed.load(Ordering::SeqCst));
    drop(events);
    // The server notices within a generous bound (this only catches a hang).
    for _ in 0..200 {
        if server.closed.load(Ordering::SeqCst) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the server never saw the connection close");
}

#[tokio::test]
async fn stream_settings_without_an_idle_timeout_wait_forever() {
    // Gaps of 600 ms, three times the client's 200 ms per-attempt timeout.
    let server = server(vec![Answer::Slow(
        vec!["data: first\n\n", "data: second\n\n", "data: [DONE]\n\n"],
        Duration::from_millis(600),
    )])
    .await;
    let client = chat::Chat::builder()
        .server_url(&server.url)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let settings = orq_runtime::StreamSettings {
        idle_timeout: orq_runtime::IdleTimeout::Never,
        ..Default::default()
    };
    let events = client
        .logs()
        .tail()
        .stream_settings(settings)
        .await
        .unwrap();
    let items: Vec<_> = within(events.collect()).await;
    let data: Vec<_> = items
        .into_iter()
        .map(|item| item.map(|event| event.data))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(data, ["first", "second"]);
}
