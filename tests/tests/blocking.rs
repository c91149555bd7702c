//! The orq SDK's blocking calls (feature `blocking`) from plain threads, against an axum
//! server on 127.0.0.1 that runs on a thread of its own.

use std::sync::mpsc;

use orq_client::models::CreateContactRequestBody;
use orq_client::{Error, Orq, RetryConfig, SendBlocking};
use orq_tests::{Recorder, Reply};
use serde_json::json;

/// A recording server on its own thread and runtime; it serves until the test ends.
fn server_thread(replies: Vec<Reply>) -> (String, mpsc::Receiver<Recorder>) {
    let (url_tx, url_rx) = mpsc::channel();
    let (recorder_tx, recorder_rx) = mpsc::sync_channel(0);
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("server runtime");
        runtime.block_on(async move {
            let recorder = Recorder::start(replies, None).await;
            url_tx.send(recorder.url()).expect("test waits for the url");
            // Keep serving; hand the recorder over whenever the test asks (once).
            let _ = tokio::task::spawn_blocking(move || recorder_tx.send(recorder)).await;
            std::future::pending::<()>().await;
        });
    });
    let url = url_rx.recv().expect("server started");
    (url, recorder_rx)
}

fn contact(id: &str) -> Reply {
    Reply::json(
        200,
        json!({"_id": id, "external_id": "user_12345", "created": "2026-02-09T20:45:05.252Z"}),
    )
}

fn body() -> CreateContactRequestBody {
    CreateContactRequestBody::builder()
        .external_id("user_12345")
        .build()
        .expect("valid body")
}

#[test]
fn blocking_calls_without_an_async_runtime() {
    let (url, recorder) = server_thread(vec![
        contact("contact_1"),
        contact("contact_2"),
        Reply::json(
            404,
            json!({"message": "no such contact", "code": "not_found"}),
        ),
        contact("contact_3"),
    ]);
    let orq = Orq::builder()
        .bearer("token-123")
        .server_url(&url)
        .build()
        .expect("client builds");

    let first = orq
        .contacts()
        .create(body())
        .send_blocking()
        .expect("first call");
    assert_eq!(first.id, "contact_1");

    // A clone on another thread shares the client's runtime.
    let clone = orq.clone();
    let second = std::thread::spawn(move || {
        clone
            .contacts()
            .create(body())
            .send_with_response_blocking()
    })
    .join()
    .expect("thread ran")
    .expect("second call");
    assert_eq!(second.status().as_u16(), 200);
    assert_eq!(second.id, "contact_2");

    // Errors come back as with `.await`.
    let err = orq.contacts().create(body()).send_blocking().unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{err:?}");

    // A derived client shares the runtime of blocking calls; a raw request blocks too.
    let derived = orq
        .to_builder()
        .default_header("x-team", "ops")
        .build()
        .expect("derived client builds");
    let raw = derived
        .request(orq_client::http::Method::GET, "/v2/contacts/export")
        .send_blocking()
        .expect("raw call");
    assert_eq!(raw.json::<serde_json::Value>().unwrap()["_id"], "contact_3");

    let recorder = recorder.recv().expect("recorder");
    let requests = recorder.requests();
    assert_eq!(requests.len(), 4);
    assert_eq!(requests[0].header("authorization"), "Bearer token-123");
    assert_eq!(requests[0].json(), json!({"external_id": "user_12345"}));
    assert_eq!(requests[3].uri, "/v2/contacts/export");
    assert_eq!(requests[3].header("x-team"), "ops");
    assert_eq!(requests[3].header("authorization"), "Bearer token-123");
}

#[test]
fn a_blocking_call_inside_an_async_runtime_is_a_config_error() {
    let orq = Orq::builder()
        .bearer("token-123")
        // Nothing listens there: the call must fail before any I/O.
        .server_url("http://127.0.0.1:9")
        .retry(RetryConfig::none())
        .build()
        .expect("client builds");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let err = runtime.block_on(async { orq.contacts().create(body()).send_blocking() });
    match err {
        Err(Error::Config(message)) => {
            assert!(message.contains("inside an async runtime"), "{message}")
        }
        other => panic!("expected a configuration error, got {other:?}"),
    }
    // The client still works once outside (the runtime is created lazily, after the check).
    drop(runtime);
    let err = orq.contacts().create(body()).send_blocking().unwrap_err();
    assert!(!matches!(err, Error::Config(_)), "{err:?}");
    // Dropping the last clone inside an async runtime does not panic (tokio refuses to
    // drop a runtime there; the client's is shut down in the background instead).
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async move { drop(orq) });
}
