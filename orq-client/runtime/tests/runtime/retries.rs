//! Retry policy on the wire: statuses, Retry-After, methods, overrides.

use std::time::{Duration, Instant};

use orq_runtime::{BackoffConfig, CallOptions, RetryConfig};

use super::support::{Reply, builder, fast_retry, get, post, scripted};

fn unavailable_twice_then_ok() -> Vec<Reply> {
    vec![
        Reply::new(503, "busy"),
        Reply::new(503, "busy"),
        Reply::new(200, "ok"),
    ]
}

#[tokio::test]
async fn per_call_retries_outlast_two_503s() {
    let (base, hits) = scripted(unavailable_twice_then_ok()).await;
    // The client itself never retries; the call asks for it.
    let client = builder(&base).retry(RetryConfig::none()).build().unwrap();
    let options = CallOptions::new().retries(fast_retry());
    let response = client.call_with(get("/contacts"), options).await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.text().unwrap(), "ok");
    assert_eq!(hits.count(), 3, "succeeded on attempt 3");
}

#[tokio::test]
async fn without_retries_the_503_is_returned() {
    let (base, hits) = scripted(unavailable_twice_then_ok()).await;
    let client = builder(&base).retry(RetryConfig::none()).build().unwrap();
    let response = client.call(get("/contacts")).await.unwrap();
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(hits.count(), 1);
}

#[tokio::test]
async fn exhausted_retries_return_the_last_response() {
    let (base, hits) = scripted(vec![Reply::new(502, "bad gateway")]).await;
    let quick = RetryConfig::backoff(BackoffConfig {
        initial_interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(20),
        exponent: 2.0,
        max_elapsed_time: Duration::from_millis(300),
    });
    let client = builder(&base).retry(quick).build().unwrap();
    let started = Instant::now();
    let response = client.call(get("/contacts")).await.unwrap();
    assert_eq!(response.status().as_u16(), 502);
    assert_eq!(
        response.text().unwrap(),
        "bad gateway",
        "the last body is kept"
    );
    assert!(hits.count() >= 3, "{}", hits.count());
    assert!(started.elapsed() < Duration::from_secs(2));
}

/// Sends one GET to a server that answers `first`, then 200; returns how long
/// the call took, after checking it succeeded on the second attempt.
async fn wait_before_second_attempt(first: Reply) -> Duration {
    let (base, hits) = scripted(vec![first, Reply::new(200, "ok")]).await;
    let client = builder(&base).build().unwrap();
    let started = Instant::now();
    let response = client.call(get("/contacts")).await.unwrap();
    let waited = started.elapsed();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(hits.count(), 2);
    waited
}

#[tokio::test]
async fn retry_after_seconds_is_honoured() {
    let waited =
        wait_before_second_attempt(Reply::new(429, "slow down").header("retry-after", "1")).await;
    assert!(waited >= Duration::from_millis(900), "{waited:?}");
    assert!(waited < Duration::from_secs(3), "{waited:?}");
}

#[tokio::test]
async fn retry_after_http_date_is_honoured() {
    // An HTTP date has whole seconds: two seconds ahead is one to two seconds
    // after this moment, depending on where in the second we are. The lower
    // bound is measured from here, so the time a loaded machine takes to start
    // the server and build the client does not count against it.
    let at = std::time::SystemTime::now() + Duration::from_secs(2);
    let dated = Instant::now();
    let waited = wait_before_second_attempt(
        Reply::new(503, "busy").header("retry-after", httpdate::fmt_http_date(at)),
    )
    .await;
    let since_dated = dated.elapsed();
    assert!(since_dated >= Duration::from_millis(900), "{since_dated:?}");
    assert!(waited < Duration::from_secs(4), "{waited:?}");
}

#[tokio::test]
async fn retry_after_beyond_max_interval_returns_at_once() {
    let (base, hits) = scripted(vec![
        Reply::new(503, "maintenance").header("retry-after", "3600"),
        Reply::new(200, "ok"),
    ])
    .await;
    let client = builder(&base).build().unwrap();
    let started = Instant::now();
    let response = client.call(get("/contacts")).await.unwrap();
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(response.headers()["retry-after"], "3600");
    assert_eq!(hits.count(), 1);
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn post_is_not_retried_by_the_client_wide_policy() {
    let (base, hits) = scripted(unavailable_twice_then_ok()).await;
    let client = builder(&base).build().unwrap();
    let response = client.call(post("/contacts")).await.unwrap();
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(hits.count(), 1);
}

#[tokio::test]
async fn post_is_retried_when_configured() {
    // Client-wide opt-in.
    let (base, hits) = scripted(unavailable_twice_then_ok()).await;
    let client = builder(&base)
        .retry(fast_retry().retry_non_idempotent(true))
        .build()
        .unwrap();
    assert_eq!(
        client
            .call(post("/contacts"))
            .await
            .unwrap()
            .status()
            .as_u16(),
        200
    );
    assert_eq!(hits.count(), 3);

    // Per-operation opt-in (a spec extension).
    let (base, hits) = scripted(unavailable_twice_then_ok()).await;
    let client = builder(&base).build().unwrap();
    let mut request = post("/contacts");
    request.retry_non_idempotent(true);
    assert_eq!(client.call(request).await.unwrap().status().as_u16(), 200);
    assert_eq!(hits.count(), 3);

    // Per-call retries apply whatever the method.
    let (base, hits) = scripted(unavailable_twice_then_ok()).await;
    let client = builder(&base).retry(RetryConfig::none()).build().unwrap();
    let options = CallOptions::new().retries(fast_retry());
    assert_eq!(
        client
            .call_with(post("/contacts"), options)
            .await
            .unwrap()
            .status()
            .as_u16(),
        200
    );
    assert_eq!(hits.count(), 3);
}

#[tokio::test]
async fn statuses_can_be_chosen() {
    let (base, hits) = scripted(vec![Reply::new(501, "nope"), Reply::new(200, "ok")]).await;
    let client = builder(&base).build().unwrap();
    assert_eq!(client.call(get("/x")).await.unwrap().status().as_u16(), 501);
    assert_eq!(hits.count(), 1, "501 is not retried by default");

    let (base, hits) = scripted(vec![Reply::new(501, "nope"), Reply::new(200, "ok")]).await;
    let five_xx = fast_retry().statuses([]).status_range(500..=599);
    let client = builder(&base).retry(five_xx).build().unwrap();
    assert_eq!(client.call(get("/x")).await.unwrap().status().as_u16(), 200);
    assert_eq!(hits.count(), 2);
}
