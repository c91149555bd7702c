//! Server-sent events over a real connection: an axum server on 127.0.0.1 streams the
//! body in chunks (split mid-line, with pauses), as an LLM chat completion does.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::routing::get;
use futures_util::StreamExt;
use orq_runtime::{Error, Event, EventStream, IdleTimeout, StreamSettings};
use serde::Deserialize;

#[derive(Debug, Deserialize, PartialEq)]
struct Chunk {
    delta: String,
}

/// Serves `chunks` on `/stream`, pausing `pause` before each; `closed` turns true when
/// the server notices the client is gone (a send fails).
async fn server(chunks: Vec<&'static str>, pause: Duration) -> (String, Arc<AtomicBool>) {
    let closed = Arc::new(AtomicBool::new(false));
    let seen = closed.clone();
    let app = Router::new().route(
        "/stream",
        get(move || {
            let chunks = chunks.clone();
            let closed = seen.clone();
            async move {
                let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(1);
                tokio::spawn(async move {
                    for chunk in chunks {
                        tokio::time::sleep(pause).await;
                        if tx
                            .send(Ok(Bytes::from_static(chunk.as_bytes())))
                            .await
                            .is_err()
                        {
                            closed.store(true, Ordering::SeqCst);
                            return;
                        }
                    }
                    // Keep the connection open until the client goes away.
                    tx.closed().await;
                    closed.store(true, Ordering::SeqCst);
                });
                let body = Body::from_stream(futures_util::stream::unfold(rx, |mut rx| async {
                    rx.recv().await.map(|item| (item, rx))
                }));
                ([("content-type", "text/event-stream")], body)
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/stream"), closed)
}

/// Fails the test instead of hanging when a stream neither ends nor fails.
async fn within<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), future)
        .await
        .expect("the stream neither ended nor failed within 10 s")
}

async fn open(url: &str, settings: StreamSettings) -> EventStream<Chunk> {
    let response = reqwest::get(url).await.unwrap();
    EventStream::json("chat", response, settings)
}

#[tokio::test]
async fn chat_completion_chunks_then_done() {
    let (url, _) = server(
        vec![
            ": keep-alive\n\n",
            "data: {\"delta\":\"Hel",
            "lo\"}\n\nid: 2\r\nda",
            "ta: {\"delta\":\" world\"}\r\n\r\n",
            "data: [DONE]\n\n",
            "data: {\"delta\":\"after the sentinel\"}\n\n",
        ],
        Duration::from_millis(5),
    )
    .await;
    let stream = open(&url, StreamSettings::default()).await;
    let events: Vec<Event<Chunk>> = within(
        stream
            .map(|event| event.expect("every event decodes"))
            .collect(),
    )
    .await;
    let deltas: Vec<&str> = events.iter().map(|e| e.data.delta.as_str()).collect();
    assert_eq!(deltas, ["Hello", " world"]);
    assert_eq!(events[1].id.as_deref(), Some("2"));
    assert_eq!(events[0].event, "message");
}

#[tokio::test]
async fn a_bad_event_is_an_error_item_and_the_stream_goes_on() {
    let (url, _) = server(
        vec![
            "data: {\"delta\":1}\n\n",
            "data: {\"delta\":\"ok\"}\n\n",
            "data: [DONE]\n\n",
        ],
        Duration::ZERO,
    )
    .await;
    let items: Vec<Result<Event<Chunk>, Error>> =
        within(open(&url, StreamSettings::default()).await.collect()).await;
    assert_eq!(items.len(), 2);
    match &items[0] {
        Err(err @ Error::Decode { path, .. }) => {
            assert_eq!(path, "delta");
            assert_eq!(
                err.raw_body().map(|b| b.as_ref()),
                Some(&b"{\"delta\":1}"[..])
            );
            assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_eq!(items[1].as_ref().unwrap().data.delta, "ok");
}

#[tokio::test]
async fn the_idle_timeout_applies_per_gap_not_to_the_whole_stream() {
    // Five events 150 ms apart: 750 ms in all, each gap well under the 1 s idle timeout.
    let mut chunks = vec!["data: {\"delta\":\"x\"}\n\n"; 5];
    chunks.push("data: [DONE]\n\n");
    let (url, _) = server(chunks, Duration::from_millis(150)).await;
    let settings = StreamSettings {
        idle_timeout: IdleTimeout::After(Duration::from_secs(1)),
        ..StreamSettings::default()
    };
    let events: Vec<_> = within(open(&url, settings).await.collect()).await;
    assert_eq!(events.len(), 5);
    assert!(events.iter().all(Result::is_ok));

    // A server that goes quiet for longer than the idle timeout ends the stream.
    let (url, _) = server(vec!["data: {\"delta\":\"x\"}\n\n"], Duration::ZERO).await;
    let settings = StreamSettings {
        idle_timeout: IdleTimeout::After(Duration::from_millis(200)),
        ..StreamSettings::default()
    };
    let items: Vec<_> = within(open(&url, settings).await.collect()).await;
    assert!(items[0].is_ok());
    assert!(
        matches!(items[1], Err(Error::Timeout { timeout, .. }) if timeout == Duration::from_millis(200)),
        "{:?}",
        items[1]
    );
    assert_eq!(items.len(), 2);
}

#[tokio::test]
async fn dropping_the_stream_closes_the_connection() {
    let (url, closed) = server(
        vec!["data: {\"delta\":\"a\"}\n\n"; 1000],
        Duration::from_millis(10),
    )
    .await;
    let mut stream = open(&url, StreamSettings::default()).await;
    assert!(within(stream.next()).await.unwrap().is_ok());
    drop(stream);
    for _ in 0..200 {
        if closed.load(Ordering::SeqCst) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the server still sends after the stream was dropped");
}

#[tokio::test]
async fn text_events_and_a_size_limit() {
    let (url, _) = server(vec!["event: note\ndata: plain text\n\n"], Duration::ZERO).await;
    let response = reqwest::get(&url).await.unwrap();
    let mut stream = EventStream::text("notes", response, StreamSettings::default());
    let event = within(stream.next()).await.unwrap().unwrap();
    assert_eq!(
        (event.event.as_str(), event.data.as_str()),
        ("note", "plain text")
    );

    let (url, _) = server(
        vec!["data: ", "0123456789", "0123456789\n\n"],
        Duration::ZERO,
    )
    .await;
    let settings = StreamSettings {
        max_event_bytes: 16,
        ..StreamSettings::default()
    };
    let items: Vec<_> = within(open(&url, settings).await.collect()).await;
    assert_eq!(items.len(), 1);
    assert!(
        items[0]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("larger than 16 bytes")
    );
}

#[tokio::test]
async fn a_connection_broken_after_the_headers_is_an_interrupted_item_that_ends_the_stream() {
    // Two events (42 bytes), then the server aborts the chunked body.
    let app = Router::new().route(
        "/stream",
        get(|| async {
            let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
            tokio::spawn(async move {
                for event in ["a", "b"] {
                    let chunk = format!("data: {{\"delta\":\"{event}\"}}\n\n");
                    let _ = tx.send(Ok(Bytes::from(chunk))).await;
                }
                // Once the client has read both events, the body breaks.
                tokio::time::sleep(Duration::from_millis(100)).await;
                let _ = tx.send(Err(std::io::Error::other("gone"))).await;
            });
            let body = Body::from_stream(futures_util::stream::unfold(rx, |mut rx| async {
                rx.recv().await.map(|item| (item, rx))
            }));
            (
                [
                    ("content-type", "text/event-stream"),
                    ("x-request-id", "r-7"),
                ],
                body,
            )
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let stream = open(&format!("http://{addr}/stream"), StreamSettings::default()).await;
    let items: Vec<Result<Event<Chunk>, Error>> =
        tokio::time::timeout(Duration::from_secs(10), stream.collect())
            .await
            .expect("the stream ends");
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(items[1].as_ref().unwrap().data.delta, "b");
    let Err(error @ Error::Interrupted { received, .. }) = &items[2] else {
        panic!("expected Interrupted, got {:?}", items[2]);
    };
    assert_eq!(*received, 42);
    assert_eq!(error.operation(), Some("chat"));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(error.headers().unwrap()["x-request-id"], "r-7");
    assert!(
        error.to_string().contains("cut off after 42 bytes"),
        "{error}"
    );
}

/// Serves one chunk built at run time (a test's large or odd events), then `[DONE]`.
async fn server_of(body: String) -> String {
    let chunk: &'static str = Box::leak(format!("{body}data: [DONE]\n\n").into_boxed_str());
    server(vec![chunk], Duration::ZERO).await.0
}

#[tokio::test]
async fn events_before_an_oversized_one_in_the_same_chunk_are_delivered() {
    // One chunk: two small events, then one past the 64-byte limit.
    let oversized = format!("data: {{\"delta\":\"{}\"}}\n\n", "x".repeat(100));
    let body = format!("data: {{\"delta\":\"a\"}}\n\ndata: {{\"delta\":\"b\"}}\n\n{oversized}");
    let url = server_of(body).await;
    let settings = StreamSettings {
        max_event_bytes: 64,
        ..StreamSettings::default()
    };
    let items: Vec<_> = within(open(&url, settings).await.collect()).await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().data.delta, "a");
    assert_eq!(items[1].as_ref().unwrap().data.delta, "b");
    assert!(
        matches!(&items[2], Err(Error::ResponseTooLarge { limit: 64, .. })),
        "{:?}",
        items[2]
    );
}

#[tokio::test]
async fn a_decode_error_keeps_at_most_64_kib_of_the_event() {
    // A 1 MiB event whose `delta` is no string.
    let body = format!(
        "data: {{\"delta\":1,\"pad\":\"{}\"}}\n\ndata: {{\"delta\":\"ok\"}}\n\n",
        "p".repeat(1 << 20)
    );
    let url = server_of(body).await;
    let items: Vec<_> = within(open(&url, StreamSettings::default()).await.collect()).await;
    assert_eq!(items.len(), 2, "{items:?}");
    let Err(error @ Error::Decode { path, .. }) = &items[0] else {
        panic!("expected a decode error, got {:?}", items[0]);
    };
    assert_eq!(path, "delta");
    let kept = error.raw_body().unwrap();
    assert_eq!(kept.len(), orq_runtime::MAX_ERROR_BODY_BYTES);
    assert!(kept.starts_with(b"{\"delta\":1,\"pad\":\"ppp"));
    assert_eq!(items[1].as_ref().unwrap().data.delta, "ok");
}

#[tokio::test]
async fn trailing_data_after_the_json_of_an_event_is_a_decode_error() {
    let url = server_of(
        "data: {\"delta\":\"a\"} {\"delta\":\"b\"}\n\ndata: {\"delta\":\"c\"}\n\n".to_owned(),
    )
    .await;
    let items: Vec<_> = within(open(&url, StreamSettings::default()).await.collect()).await;
    assert_eq!(items.len(), 2, "{items:?}");
    let Err(error @ Error::Decode { .. }) = &items[0] else {
        panic!("trailing data must not decode, got {:?}", items[0]);
    };
    assert!(error.to_string().contains("trailing"), "{error}");
    assert_eq!(
        error.raw_body().map(|b| b.to_vec()),
        Some(b"{\"delta\":\"a\"} {\"delta\":\"b\"}".to_vec())
    );
    assert_eq!(items[1].as_ref().unwrap().data.delta, "c");
}

#[tokio::test]
async fn an_id_longer_than_the_cap_is_ignored_and_the_last_id_stays() {
    let body = format!(
        "id: short-1\ndata: {{\"delta\":\"a\"}}\n\nid: {}\ndata: {{\"delta\":\"b\"}}\n\nid: {}\ndata: {{\"delta\":\"c\"}}\n\n",
        "i".repeat(64 * 1024),
        "j".repeat(4096),
    );
    let url = server_of(body).await;
    let events: Vec<Event<Chunk>> = within(
        open(&url, StreamSettings::default())
            .await
            .map(|event| event.expect("every event decodes"))
            .collect(),
    )
    .await;
    // Each id by its first letter and length (a failure prints no 64 KiB string).
    let ids: Vec<Option<(char, usize)>> = events
        .iter()
        .map(|e| {
            e.id.as_deref()
                .map(|id| (id.chars().next().unwrap(), id.len()))
        })
        .collect();
    // 64 KiB is past the cap (4 KiB): ignored, the last id stays; 4 KiB is kept.
    assert_eq!(ids, [Some(('s', 7)), Some(('s', 7)), Some(('j', 4096))]);
}

#[tokio::test]
async fn retry_is_bounded() {
    let url = server_of(
        "retry: 99999999999999\ndata: {\"delta\":\"a\"}\n\nretry: 2500\ndata: {\"delta\":\"b\"}\n\n"
            .to_owned(),
    )
    .await;
    let mut stream = open(&url, StreamSettings::default()).await;
    let first = within(stream.next()).await.unwrap().unwrap();
    // A server asking for years of silence gets ten minutes.
    assert_eq!(first.retry, Some(Duration::from_secs(600)));
    assert_eq!(stream.retry(), Some(Duration::from_secs(600)));
    let second = within(stream.next()).await.unwrap().unwrap();
    assert_eq!(second.retry, Some(Duration::from_millis(2500)));
    // The stream remembers the last one, for a caller that opens it again.
    assert!(within(stream.next()).await.is_none());
    assert_eq!(stream.retry(), Some(Duration::from_millis(2500)));
}
