//! Client variants (`Core::to_builder`) share the connection pool with other defaults;
//! raw requests (`Core::request`) reach endpoints the spec does not describe through
//! the client's pipeline.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::http::Method;
use orq_runtime::{Error, Hook, HookContext, RetryConfig};
use serde_json::{Value, json};

use super::support::{
    Reply, TestClient, builder, echo, echo_server, get, recording, scripted, serve_counting,
};

#[derive(Clone, Default)]
struct CountHook(Arc<AtomicUsize>);

impl Hook for CountHook {
    fn before_request(&self, _: &HookContext, _: &mut reqwest::Request) -> Result<(), Error> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

#[tokio::test]
async fn a_derived_client_shares_the_pool_with_other_defaults() {
    let router = Router::new().fallback(
        |method: Method,
         uri: axum::extract::OriginalUri,
         headers: axum::http::HeaderMap,
         body: axum::body::Bytes| async move {
            axum::Json(echo(&method, &uri, &headers, &body))
        },
    );
    let (base, connections) = serve_counting(router).await;
    let hook = CountHook::default();
    let parent = builder(&base)
        .bearer("tok")
        .default_header("x-tenant", "parent")
        .default_header("x-app", "shop")
        .hook(hook.clone())
        .build()
        .unwrap();
    let seen: Value = parent.call(get("/a")).await.unwrap().json().unwrap();
    assert_eq!(seen["headers"]["x-tenant"], "parent");

    let child: TestClient = parent
        .core
        .to_builder()
        .default_header("x-tenant", "child")
        .timeout(Duration::from_secs(1))
        .retry(RetryConfig::none())
        .build()
        .unwrap();
    assert_eq!(child.core.timeout(), Some(Duration::from_secs(1)));
    assert!(!child.core.retry_config().is_enabled());
    let seen: Value = child
        .core
        .request(Method::GET, "/b")
        .await
        .unwrap()
        .json()
        .unwrap();
    // The replaced default header, the inherited ones, credentials and hooks.
    assert_eq!(seen["headers"]["x-tenant"], "child");
    assert_eq!(seen["headers"]["x-app"], "shop");
    assert_eq!(seen["headers"]["authorization"], "Bearer tok");
    assert_eq!(hook.0.load(Ordering::SeqCst), 2);
    // One connection served both clients: the pool is shared.
    assert_eq!(connections.accepted(), 1);

    // The parent is unchanged.
    assert_eq!(parent.core.timeout(), Some(Duration::from_secs(5)));
    let seen: Value = parent.call(get("/c")).await.unwrap().json().unwrap();
    assert_eq!(seen["headers"]["x-tenant"], "parent");
}

#[tokio::test]
async fn a_derived_client_can_go_to_another_server() {
    let (first, first_hits) = scripted(vec![Reply::new(200, "first")]).await;
    let (second, second_hits) = scripted(vec![Reply::new(200, "second")]).await;
    let parent = builder(&first).build().unwrap();
    let child: TestClient = parent
        .core
        .to_builder()
        .server_url(&second)
        .build()
        .unwrap();
    let body = child.call(get("/x")).await.unwrap().text().unwrap();
    assert_eq!(body, "second");
    assert_eq!((first_hits.count(), second_hits.count()), (0, 1));
}

#[tokio::test]
async fn a_raw_request_goes_through_the_clients_pipeline() {
    let (base, _) = echo_server().await;
    let hook = CountHook::default();
    let client = builder(&format!("{base}/api/"))
        .bearer("tok-1")
        .default_header("x-app", "shop")
        .hook(hook.clone())
        .build()
        .unwrap();
    let response = client
        .core
        .request(Method::POST, "/v2/beta labels/a%2Fb")
        .path_segment("x/y?z")
        .query("dry run", true)
        .query("tag", "a&b")
        .header("x-feature", "labels")
        .json(&json!({ "name": "vip" }))
        .await
        .unwrap();
    assert_eq!((response.status().as_u16(), response.attempts()), (200, 1));
    let seen: Value = response.json().unwrap();
    assert_eq!(seen["method"], "POST");
    // Under the base path; spaces encoded, escapes kept, the segment encoded whole.
    assert_eq!(
        seen["uri"],
        "/api/v2/beta%20labels/a%2Fb/x%2Fy%3Fz?dry%20run=true&tag=a%26b"
    );
    let headers = &seen["headers"];
    // The credentials of the spec's usual security requirement (bearer here).
    assert_eq!(headers["authorization"], "Bearer tok-1");
    assert_eq!(headers["x-app"], "shop");
    assert_eq!(headers["x-feature"], "labels");
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers["user-agent"], "runtime-test/1.0");
    assert_eq!(seen["body"], r#"{"name":"vip"}"#);
    assert_eq!(hook.0.load(Ordering::SeqCst), 1);

    let anonymous: Value = client
        .core
        .request(Method::GET, "/public")
        .without_credentials()
        .await
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(anonymous["headers"].get("authorization"), None);
}

#[tokio::test]
async fn a_raw_request_is_retried_limited_and_fails_like_an_operation() {
    let (base, requests) = recording(vec![
        Reply::new(503, "busy"),
        Reply::new(200, "[1, 2, 3]"),
        Reply::new(404, "gone").header("x-request-id", "raw-404"),
        Reply::new(200, "x".repeat(2048)),
    ])
    .await;
    let client = builder(&base).build().unwrap();
    let response = client.core.request(Method::GET, "/items").await.unwrap();
    assert_eq!(response.attempts(), 2);
    assert_eq!(response.json::<Vec<u32>>().unwrap(), [1, 2, 3]);

    let error = client
        .core
        .request(Method::DELETE, "items/7")
        .operation("delete_item")
        .retries(RetryConfig::none())
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(error.request_id(), Some("raw-404"));
    assert_eq!(error.operation(), Some("delete_item"));
    assert_eq!(error.raw_body().unwrap(), "gone");

    let limits = orq_runtime::CallOptions::new()
        .max_response_bytes(1024)
        .retries(RetryConfig::none());
    let error = client
        .core
        .request(Method::GET, "/big")
        .options(limits)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::ResponseTooLarge { .. }), "{error:?}");
    let sent: Vec<String> = requests
        .all()
        .into_iter()
        .map(|seen| format!("{} {}", seen.method, seen.uri))
        .collect();
    assert_eq!(
        sent,
        ["GET /items", "GET /items", "DELETE /items/7", "GET /big"]
    );
}

#[tokio::test]
async fn a_raw_request_with_a_bad_path_or_body_sends_nothing() {
    let (base, hits) = scripted(vec![Reply::new(200, "{}")]).await;
    let client = builder(&base).build().unwrap();
    let error = client
        .core
        .request(Method::GET, "/files/../admin")
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    for segment in ["..", ""] {
        let error = client
            .core
            .request(Method::GET, "/files")
            .path_segment(segment)
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::InvalidRequest(_)),
            "{segment:?}: {error:?}"
        );
    }
    let not_json = std::collections::BTreeMap::from([((1, 2), "tuple keys")]);
    let error = client
        .core
        .request(Method::POST, "/x")
        .json(&not_json)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert_eq!(error.attempts(), 0);
    assert_eq!(hits.count(), 0);
}
