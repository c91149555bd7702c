//! Every kind of failure becomes the right `Error` variant, with data kept.

use std::time::{Duration, Instant};

use axum::Router;
use orq_runtime::{CallOptions, Error, RetryConfig};
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::support::{Reply, builder, get, once, refused_url, scripted, serve};

const BAD_ITEMS: &str = r#"{"id": "c-1", "items": [{"count": 1}, {"count": "two"}]}"#;

#[derive(Debug, Deserialize, PartialEq)]
struct Thing {
    id: String,
    items: Vec<Item>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Item {
    count: u32,
}

#[derive(Debug, Deserialize, PartialEq)]
struct ApiProblem {
    message: String,
    code: u32,
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    let client = builder(&refused_url().await).build().unwrap();
    let error = client
        .call_with(get("/contacts"), once())
        .await
        .unwrap_err();
    let Error::Transport {
        operation, source, ..
    } = &error
    else {
        panic!("expected Transport, got {error:?}");
    };
    assert_eq!(*operation, "get_thing");
    assert!(source.is_connect(), "{source:?}");
    assert!(error.to_string().contains("could not connect"), "{error}");
    assert!(!error.is_timeout());
}

#[tokio::test]
async fn connection_dropped_mid_response_is_a_transport_error() {
    // axum cannot be told to cut a body short, so this one server is a raw
    // socket: it promises 100 bytes, sends 7 and hangs up.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buffer = [0u8; 4096];
            let _ = socket.read(&mut buffer).await;
            let head =
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n";
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(b"{\"id\":").await;
            let _ = socket.shutdown().await;
        }
    });
    let client = builder(&base).build().unwrap();
    let error = client
        .call_with(get("/contacts/1"), once())
        .await
        .unwrap_err();
    let Error::Transport { source, .. } = &error else {
        panic!("expected Transport, got {error:?}");
    };
    // reqwest reports a body cut short while reading it as a decode error
    // (hyper's `IncompleteBody`), and one cut before the head as a request error.
    assert!(
        source.is_body() || source.is_decode() || source.is_request(),
        "{source:?}"
    );
    assert!(
        error.to_string().contains("while reading the response"),
        "{error}"
    );
}

#[tokio::test]
async fn slow_server_past_the_call_timeout_is_a_timeout() {
    let router = Router::new().fallback(|| async {
        tokio::time::sleep(Duration::from_secs(3)).await;
        "late"
    });
    let base = serve(router).await;
    let client = builder(&base).build().unwrap();
    let started = Instant::now();
    let options = once().timeout(Duration::from_millis(200));
    let error = client.call_with(get("/slow"), options).await.unwrap_err();
    let elapsed = started.elapsed();

    let Error::Timeout {
        operation, timeout, ..
    } = &error
    else {
        panic!("expected Timeout, got {error:?}");
    };
    assert_eq!(
        (*operation, *timeout),
        ("get_thing", Duration::from_millis(200))
    );
    assert!(error.is_timeout());
    assert!(
        elapsed >= Duration::from_millis(190) && elapsed < Duration::from_secs(2),
        "{elapsed:?}"
    );
}

#[tokio::test]
async fn timeouts_are_retried_for_idempotent_calls() {
    let hits = super::support::Hits::default();
    let counter = hits.clone();
    let router = Router::new().fallback(move || {
        let first = counter.record() == 0;
        async move {
            if first {
                tokio::time::sleep(Duration::from_secs(3)).await;
            }
            "ok"
        }
    });
    let base = serve(router).await;
    let client = builder(&base)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let response = client.call(get("/sometimes-slow")).await.unwrap();
    assert_eq!(response.text().unwrap(), "ok");
    assert_eq!(hits.count(), 2);
}

#[tokio::test]
async fn undecodable_success_keeps_body_status_headers_and_path() {
    let (base, _) = scripted(vec![
        Reply::new(200, "<html>maintenance</html>").header("content-type", "text/html"),
        Reply::new(200, BAD_ITEMS)
            .header("content-type", "application/json")
            .header("x-request-id", "req-9"),
    ])
    .await;
    let client = builder(&base).build().unwrap();

    let error = client
        .call(get("/things/1"))
        .await
        .unwrap()
        .json::<Thing>()
        .unwrap_err();
    let Error::Decode {
        status, body, path, ..
    } = &error
    else {
        panic!("expected Decode, got {error:?}");
    };
    assert_eq!(status.as_u16(), 200);
    assert_eq!(body.as_ref(), b"<html>maintenance</html>");
    assert_eq!(path, ".");
    let message = error.to_string();
    assert!(
        message.contains("text/html") && message.contains("maintenance"),
        "{message}"
    );

    let error = client
        .call(get("/things/1"))
        .await
        .unwrap()
        .json::<Thing>()
        .unwrap_err();
    let Error::Decode {
        headers,
        path,
        source,
        ..
    } = &error
    else {
        panic!("expected Decode, got {error:?}");
    };
    assert_eq!(path, "items[1].count");
    assert_eq!(headers["x-request-id"], "req-9");
    assert!(source.to_string().contains("invalid type"), "{source}");
    assert_eq!(error.raw_body().unwrap().as_ref(), BAD_ITEMS.as_bytes());
}

/// What a generated SDK has for an operation that declares error responses: the
/// enum of them, and the request builder binding it to the operation.
#[derive(Debug, PartialEq)]
enum GetThingError {
    Status5xx(ApiProblem),
}

struct GetThing;

impl orq_runtime::OperationErrors for GetThing {
    const OPERATION_ID: &'static str = "get_thing";
    type Error = GetThingError;
}

struct OtherThing;

impl orq_runtime::OperationErrors for OtherThing {
    const OPERATION_ID: &'static str = "other_thing";
    type Error = GetThingError;
}

#[tokio::test]
async fn error_status_becomes_api_error_with_model_and_raw_body() {
    let problem = r#"{"message": "contact store unavailable", "code": 42}"#;
    let (base, hits) = scripted(vec![
        Reply::new(500, problem)
            .header("content-type", "application/json")
            .header("set-cookie", "session=server-secret"),
    ])
    .await;
    let client = builder(&base).build().unwrap();

    let options = CallOptions::new().retries(RetryConfig::none());
    let response = client.call_with(get("/contacts"), options).await.unwrap();
    assert_eq!(
        response.status().as_u16(),
        500,
        "any status is Ok(Response) for generated code"
    );
    let error = response.api_error_json(GetThingError::Status5xx);

    let expected = GetThingError::Status5xx(ApiProblem {
        message: "contact store unavailable".into(),
        code: 42,
    });
    assert_eq!(error.api_error::<GetThing>(), Some(&expected));
    // Another operation's error is never read as this one's, even with the same enum.
    assert_eq!(error.api_error::<OtherThing>(), None);
    assert_eq!(error.status().unwrap().as_u16(), 500);
    assert_eq!(error.headers().unwrap()["content-type"], "application/json");
    assert_eq!(error.raw_body().unwrap().as_ref(), problem.as_bytes());
    assert_eq!(
        error.to_string(),
        format!("get_thing: the server answered 500 Internal Server Error: {problem}")
    );
    assert!(!format!("{error:?}").contains("server-secret"));
    assert!(format!("{error:?}").contains("Status5xx"), "{error:?}");
    assert_eq!(hits.count(), 1);
    let error = match error.into_api_error::<OtherThing>() {
        Ok(parsed) => panic!("another operation's error: {parsed:?}"),
        Err(error) => error,
    };
    assert_eq!(error.into_api_error::<GetThing>().ok(), Some(expected));

    // A body that is not the error schema still gives an Api error, without model.
    let (base, _) = scripted(vec![Reply::new(404, "not here")]).await;
    let client = builder(&base).build().unwrap();
    let error = client
        .call(get("/missing"))
        .await
        .unwrap()
        .api_error_json(GetThingError::Status5xx);
    assert!(
        matches!(&error, Error::Api { model: None, .. }),
        "{error:?}"
    );
    assert_eq!(error.api_error::<GetThing>(), None);
    assert_eq!(error.raw_body().unwrap().as_ref(), b"not here");
}
