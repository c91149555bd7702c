//! What every call records in its response, its errors and its streams: how many
//! attempts it made and the server's request id; and the error helpers that read the
//! status.

use orq_runtime::{Error, REQUEST_ID_HEADERS, RetryConfig};

use super::support::{Reply, builder, get, once, refused_url, scripted};

#[tokio::test]
async fn an_api_error_after_retries_keeps_the_last_request_id_and_the_attempts() {
    let (base, hits) = scripted(vec![
        Reply::new(503, "busy").header("x-request-id", "req-1"),
        Reply::new(503, "busy").header("x-request-id", "req-2"),
        Reply::new(404, r#"{"message":"no such thing"}"#).header("x-request-id", "req-3"),
    ])
    .await;
    let client = builder(&base).build().unwrap();
    let response = client.call(get("/things/7")).await.unwrap();
    assert_eq!(
        (response.attempts(), response.request_id()),
        (3, Some("req-3"))
    );
    let error = response.api_error_untyped();
    assert_eq!(hits.count(), 3);
    assert_eq!(error.attempts(), 3);
    assert_eq!(error.request_id(), Some("req-3"));
    assert_eq!(
        error.to_string(),
        r#"get_thing: the server answered 404 Not Found (request id req-3): {"message":"no such thing"}"#
    );
    assert!(error.is_not_found() && error.is_client_error());
    assert!(!error.is_server_error() && !error.is_rate_limited() && !error.is_transport());
}

#[tokio::test]
async fn rate_limits_and_server_errors_are_told_apart() {
    let (base, _) = scripted(vec![
        Reply::new(429, "slow down").header("request-id", "azure-like"),
        Reply::new(502, "bad gateway"),
    ])
    .await;
    let client = builder(&base).build().unwrap();
    let options = || once();
    let limited = client.call_with(get("/a"), options()).await.unwrap();
    let limited = limited.api_error_untyped();
    assert!(
        limited.is_rate_limited() && limited.is_client_error(),
        "{limited}"
    );
    assert_eq!(
        (limited.attempts(), limited.request_id()),
        (1, Some("azure-like"))
    );
    let failed = client.call_with(get("/b"), options()).await.unwrap();
    let failed = failed.api_error_untyped();
    assert!(
        failed.is_server_error() && !failed.is_client_error(),
        "{failed}"
    );
    assert_eq!(failed.request_id(), None);
    assert!(!failed.to_string().contains("request id"), "{failed}");
}

#[tokio::test]
async fn every_usual_request_id_header_is_read() {
    for name in REQUEST_ID_HEADERS {
        let (base, _) = scripted(vec![Reply::new(200, "{}").header(name, "id-7")]).await;
        let client = builder(&base).build().unwrap();
        let response = client.call(get("/x")).await.unwrap();
        assert_eq!(response.request_id(), Some("id-7"), "{name}");
    }
}

#[tokio::test]
async fn the_clients_request_id_header_comes_first() {
    let (base, _) = scripted(vec![
        Reply::new(500, "{}")
            .header("x-request-id", "generic")
            .header("x-trace-id", "trace-9"),
    ])
    .await;
    let client = builder(&base)
        .request_id_header("X-Trace-Id")
        .build()
        .unwrap();
    let error = client
        .call_with(get("/x"), once())
        .await
        .unwrap()
        .api_error_untyped();
    assert_eq!(error.request_id(), Some("trace-9"));
    assert!(
        error.to_string().contains("(request id trace-9)"),
        "{error}"
    );
    // A name that cannot be a header fails the build.
    let bad = builder(&base).request_id_header("x trace").build();
    assert!(matches!(bad, Err(Error::Config(_))), "{bad:?}");
}

#[tokio::test]
async fn decode_errors_and_streams_keep_the_record() {
    let (base, _) = scripted(vec![
        Reply::new(503, "busy"),
        Reply::new(200, "not json").header("x-amzn-requestid", "aws-1"),
    ])
    .await;
    let client = builder(&base).build().unwrap();
    let error = client
        .call(get("/x"))
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert_eq!((error.attempts(), error.request_id()), (2, Some("aws-1")));
    assert!(error.to_string().contains("(request id aws-1)"), "{error}");

    let stream = client.call(get("/y")).await.unwrap().byte_stream();
    assert_eq!((stream.attempts(), stream.request_id()), (1, Some("aws-1")));
}

#[tokio::test]
async fn transport_errors_count_their_attempts() {
    let client = builder(&refused_url().await).build().unwrap();
    let error = client.call_with(get("/x"), once()).await.unwrap_err();
    assert!(error.is_transport() && !error.is_timeout(), "{error:?}");
    assert_eq!((error.attempts(), error.request_id()), (1, None));
    let three = once().retries(super::support::fast_retry().max_attempts(3));
    let error = client.call_with(get("/x"), three).await.unwrap_err();
    assert_eq!(error.attempts(), 3, "{error:?}");
    assert_eq!(error.status(), None);
    assert!(!error.is_client_error() && !error.is_server_error());
}

#[tokio::test]
async fn a_request_refused_before_sending_made_no_attempt() {
    let (base, hits) = scripted(vec![Reply::new(200, "{}")]).await;
    let client = builder(&base).retry(RetryConfig::none()).build().unwrap();
    let error = client
        .call_with(get("/x"), once().header("x-bad", "a\r\nb"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert_eq!((error.attempts(), error.call(), hits.count()), (0, None, 0));
}
