//! Path and query encoding, and requests refused before anything is sent.

use axum::Router;
use axum::extract::{OriginalUri, Path};
use axum::routing::get as route_get;
use orq_runtime::__private::encode_path_segment;
use orq_runtime::{CallOptions, Error};
use serde_json::{Value, json};

use super::support::{Hits, builder, echo_server, get, serve};

#[tokio::test]
async fn path_and_query_values_cannot_change_the_request_shape() {
    let router = Router::new().route(
        "/files/{first}/{second}",
        route_get(
            |Path((first, second)): Path<(String, String)>, uri: OriginalUri| async move {
                axum::Json(json!({ "first": first, "second": second, "uri": uri.0.to_string() }))
            },
        ),
    );
    let base = serve(router).await;
    let client = builder(&base).build().unwrap();

    let path = format!(
        "/files/{}/{}",
        encode_path_segment("../admin"),
        encode_path_segment("a/b?c d#ü")
    );
    let mut request = get(&path);
    request
        .query("q", "hello world")
        .query("name", "Zoë & co=1")
        .query("tag", 1)
        .query("tag", 2)
        .query("plus", "a+b");
    let seen: Value = client.call(request).await.unwrap().json().unwrap();

    assert_eq!(seen["first"], "../admin");
    assert_eq!(seen["second"], "a/b?c d#ü");
    assert_eq!(
        seen["uri"],
        "/files/..%2Fadmin/a%2Fb%3Fc%20d%23%C3%BC?q=hello%20world&name=Zo%C3%AB%20%26%20co%3D1&tag=1&tag=2&plus=a%2Bb"
    );
}

#[tokio::test]
async fn query_values_round_trip_through_a_form_decoder() {
    let router = Router::new().route(
        "/search",
        route_get(
            |axum::extract::Query(pairs): axum::extract::Query<Vec<(String, String)>>| async move {
                axum::Json(pairs)
            },
        ),
    );
    let base = serve(router).await;
    let client = builder(&base).build().unwrap();
    let mut request = get("/search");
    request.query("q", "a b+c&d=e").query("ключ", "значение");
    let pairs: Vec<(String, String)> = client.call(request).await.unwrap().json().unwrap();
    assert_eq!(
        pairs,
        [
            ("q".into(), "a b+c&d=e".into()),
            ("ключ".into(), "значение".into())
        ]
    );
}

#[tokio::test]
async fn header_with_line_break_is_refused_and_nothing_is_sent() {
    let (base, hits) = echo_server().await;
    let client = builder(&base).build().unwrap();

    let mut request = get("/contacts");
    let refused = request.header("X-Note", "a\r\nX-Injected: 1").unwrap_err();
    assert!(matches!(refused, Error::InvalidRequest(_)), "{refused:?}");
    assert!(refused.to_string().contains("X-Note"), "{refused}");

    let options = CallOptions::new().header("X-Note", "a\nX-Injected: 1");
    let refused = client
        .call_with(get("/contacts"), options)
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::InvalidRequest(_)), "{refused:?}");

    let dot_dot = client
        .call(get(&format!("/files/{}", "..")))
        .await
        .unwrap_err();
    assert!(matches!(dot_dot, Error::InvalidRequest(_)), "{dot_dot:?}");

    assert_eq!(hits.count(), 0, "nothing reached the server");
}

#[tokio::test]
async fn invalid_request_reaches_no_server() {
    // The same guarantee against a server that would count any request.
    let hits = Hits::default();
    let counter = hits.clone();
    let base = serve(Router::new().fallback(move || {
        counter.record();
        async { "" }
    }))
    .await;
    let client = builder(&base).build().unwrap();
    let mut request = get("/x");
    request.cookie("bad name", "v");
    assert!(matches!(
        client.call(request).await,
        Err(Error::InvalidRequest(_))
    ));
    assert_eq!(hits.count(), 0);
}
