//! Idempotency keys: a POST or PATCH that may be retried carries one key, made once
//! per call, on every attempt; the caller's own key is never replaced.

use axum::http::Method;
use orq_runtime::__private::{RequestSpec, SpecRetries};
use orq_runtime::{Body, CallOptions, Error};

use super::support::{Reply, builder, fast_retry, get, once, post, recording};

/// Two 503s, then a success: a call that retries arrives three times.
fn flaky() -> Vec<Reply> {
    vec![
        Reply::new(503, "busy"),
        Reply::new(503, "busy"),
        Reply::new(200, "{}"),
    ]
}

fn uuid_v4(key: &str) -> bool {
    uuid::Uuid::parse_str(key).is_ok_and(|uuid| uuid.get_version_num() == 4)
}

#[tokio::test]
async fn a_flaky_post_retried_three_times_arrives_three_times_with_one_key() {
    // Every way a POST gets a retry policy: the spec's, the call's, the client's.
    let spec_policy = || {
        let mut request = post("/payments");
        request.spec_retries(SpecRetries::BACKOFF);
        (request, CallOptions::new())
    };
    let call_policy = || (post("/payments"), CallOptions::new().retries(fast_retry()));
    for (how, make) in [
        (
            "spec",
            &spec_policy as &dyn Fn() -> (RequestSpec, CallOptions),
        ),
        ("call", &call_policy),
    ] {
        let (base, requests) = recording(flaky()).await;
        let client = builder(&base).build().unwrap();
        let (request, options) = make();
        let response = client.call_with(request, options).await.unwrap();
        assert_eq!(response.attempts(), 3, "{how}");
        let keys = requests.header("idempotency-key");
        assert_eq!(keys.len(), 3, "{how}");
        let key = keys[0].clone().unwrap();
        assert!(uuid_v4(&key), "{how}: {key}");
        assert!(
            keys.iter().all(|k| k.as_deref() == Some(&*key)),
            "{how}: {keys:?}"
        );
    }

    let (base, requests) = recording(flaky()).await;
    let client = builder(&base)
        .retry(fast_retry().retry_non_idempotent(true))
        .build()
        .unwrap();
    let patch = RequestSpec::new(Method::PATCH, "update_thing", "/things/1".into());
    client.call(patch).await.unwrap();
    let keys = requests.header("idempotency-key");
    assert_eq!(keys.len(), 3);
    assert!(
        keys[0].is_some() && keys.iter().all(|k| *k == keys[0]),
        "{keys:?}"
    );
    // The next call has a key of its own.
    client.call(post("/payments")).await.unwrap();
    let next = requests.header("idempotency-key");
    assert!(next[3].is_some() && next[3] != keys[0], "{next:?}");
}

#[tokio::test]
async fn calls_that_cannot_be_retried_get_no_key() {
    let (base, requests) = recording(vec![Reply::new(200, "{}")]).await;
    // The client's policy does not cover POST, and GET is idempotent anyway.
    let client = builder(&base).build().unwrap();
    client.call(post("/payments")).await.unwrap();
    client.call(get("/payments")).await.unwrap();
    // No retries for this call.
    let mut spec = post("/payments");
    spec.spec_retries(SpecRetries::BACKOFF);
    client.call_with(spec, once()).await.unwrap();
    // One attempt at most.
    let single = CallOptions::new().retries(fast_retry().max_attempts(1));
    client.call_with(post("/payments"), single).await.unwrap();
    // A body read from a stream is sent once.
    let mut streamed = post("/upload");
    let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from("x"))]);
    streamed.body(Body::stream(chunks), "application/octet-stream");
    let retried = CallOptions::new().retries(fast_retry());
    client.call_with(streamed, retried).await.unwrap();
    assert_eq!(
        requests.header("idempotency-key"),
        [None, None, None, None, None]
    );
}

#[tokio::test]
async fn a_key_the_caller_set_is_never_replaced() {
    let retried = || CallOptions::new().retries(fast_retry());
    // Per call.
    let (base, requests) = recording(flaky()).await;
    let client = builder(&base).build().unwrap();
    let options = retried().idempotency_key("order-42");
    client.call_with(post("/orders"), options).await.unwrap();
    assert_eq!(
        requests.header("idempotency-key"),
        vec![Some("order-42".to_owned()); 3]
    );

    // As a default header, and as a per-call header.
    let (base, requests) = recording(vec![Reply::new(200, "{}")]).await;
    let client = builder(&base)
        .default_header("Idempotency-Key", "from-defaults")
        .build()
        .unwrap();
    client.call_with(post("/orders"), retried()).await.unwrap();
    let header = retried().header("idempotency-key", "from-header");
    client.call_with(post("/orders"), header).await.unwrap();
    // The call's own key wins over the client's default header, even without retries.
    client
        .call_with(post("/orders"), once().idempotency_key("own"))
        .await
        .unwrap();
    assert_eq!(
        requests.header("idempotency-key"),
        [Some("from-defaults"), Some("from-header"), Some("own")].map(|k| k.map(str::to_owned))
    );

    // A key that could inject a header is refused before anything is sent.
    let error = client
        .call_with(post("/orders"), once().idempotency_key("a\r\nx-evil: 1"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert_eq!(requests.all().len(), 3);
}

#[tokio::test]
async fn the_header_can_be_renamed_or_turned_off() {
    let retried = || CallOptions::new().retries(fast_retry());
    let (base, requests) = recording(flaky()).await;
    let client = builder(&base)
        .idempotency_key_header("X-Idempotency-Token")
        .build()
        .unwrap();
    client.call_with(post("/orders"), retried()).await.unwrap();
    let tokens = requests.header("x-idempotency-token");
    assert!(tokens[0].as_deref().is_some_and(uuid_v4), "{tokens:?}");
    assert!(tokens.iter().all(|t| *t == tokens[0]), "{tokens:?}");
    assert_eq!(requests.header("idempotency-key"), [None, None, None]);

    let (base, requests) = recording(flaky()).await;
    let client = builder(&base).idempotency_keys(false).build().unwrap();
    client.call_with(post("/orders"), retried()).await.unwrap();
    assert_eq!(requests.header("idempotency-key"), [None, None, None]);
    // A key given per call is still sent.
    let options = retried().idempotency_key("mine");
    client.call_with(post("/orders"), options).await.unwrap();
    assert_eq!(
        requests.header("idempotency-key")[3].as_deref(),
        Some("mine")
    );

    let bad = builder(&base).idempotency_key_header("bad name").build();
    assert!(matches!(bad, Err(Error::Config(_))), "{bad:?}");
}
