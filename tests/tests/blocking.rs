//! The orq SDK's blocking calls (feature `blocking`) from plain threads, from
//! `spawn_blocking` and mixed with async calls on one client, against an axum server on
//! 127.0.0.1 that runs on a thread of its own.

use std::sync::mpsc;
use std::time::Duration;

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

/// An async call `within` 10 s on a fresh current-thread runtime.
fn async_call(orq: &Orq) -> Result<String, Error> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let call = orq.contacts().create(body());
        let contact = tokio::time::timeout(Duration::from_secs(10), call)
            .await
            .expect("the async call stalls")?;
        Ok(contact.id)
    })
}

#[test]
fn blocking_and_async_calls_mix_on_one_client() {
    // With the built-in HTTP client, and with the caller's own (one pool for both).
    for own_client in [false, true] {
        let (url, recorder) = server_thread(vec![
            contact("blocking_1"),
            contact("async_1"),
            contact("blocking_2"),
            contact("async_2"),
        ]);
        // A per-attempt timeout far past the test's bound: a stall fails the test, not
        // the call.
        let mut builder = Orq::builder()
            .bearer("token-123")
            .server_url(&url)
            .timeout(Duration::from_secs(60));
        if own_client {
            builder = builder.reqwest_client(orq_runtime::reqwest::Client::new());
        }
        let orq = builder.build().expect("client builds");
        let blocking = || orq.contacts().create(body()).send_blocking().map(|c| c.id);
        // The connection a blocking call opens is not left to an async call with nobody
        // polling it, nor the other way round (the async runtime is gone by then).
        assert_eq!(blocking().unwrap(), "blocking_1");
        assert_eq!(async_call(&orq).unwrap(), "async_1");
        assert_eq!(blocking().unwrap(), "blocking_2");
        assert_eq!(async_call(&orq).unwrap(), "async_2");
        assert_eq!(recorder.recv().expect("recorder").requests().len(), 4);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_blocking_inside_spawn_blocking() {
    // As the docs recommend for blocking code in an async program.
    let (url, _recorder) = server_thread(vec![contact("contact_1")]);
    let orq = Orq::builder()
        .bearer("token-123")
        .server_url(&url)
        .build()
        .expect("client builds");
    let call = tokio::task::spawn_blocking(move || orq.contacts().create(body()).send_blocking());
    let contact = tokio::time::timeout(Duration::from_secs(10), call)
        .await
        .expect("the blocking call ends")
        .expect("the task ran")
        .expect("the call succeeds");
    assert_eq!(contact.id, "contact_1");
}

#[test]
fn a_blocking_call_inside_an_async_task_still_completes() {
    // Blocking there holds the task's thread until the call ends (`.await` is the way in
    // async code), but the call runs on the client's own thread and pool: it completes.
    let (url, _recorder) = server_thread(vec![contact("contact_1")]);
    let orq = Orq::builder()
        .bearer("token-123")
        .server_url(&url)
        .retry(RetryConfig::none())
        .build()
        .expect("client builds");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let id =
        runtime.block_on(async { orq.contacts().create(body()).send_blocking().map(|c| c.id) });
    assert_eq!(id.unwrap(), "contact_1");
    drop(runtime);
    // Dropping the last clone inside an async runtime does not panic (tokio refuses to
    // drop a runtime there; the client's is shut down in the background instead).
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async move { drop(orq) });
}
