//! Redirects: followed, but credentials never cross to another origin.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::HeaderMap;
use axum::response::Redirect;
use axum::routing::get as route_get;
use orq_runtime::__private::{ApiKeyLocation, SecurityScheme};

use super::support::{builder, get, serve};

const BEARER_AND_KEY: &[&[SecurityScheme]] = &[&[
    SecurityScheme::Bearer,
    SecurityScheme::ApiKey {
        scheme: "key",
        name: "X-Api-Key",
        location: ApiKeyLocation::Header,
    },
]];

type Seen = Arc<Mutex<Vec<(String, Option<String>, Option<String>)>>>;

/// A router recording, per path, the Authorization and X-Api-Key it got.
fn recording(seen: &Seen) -> Router {
    let seen = seen.clone();
    Router::new().fallback(move |uri: axum::http::Uri, headers: HeaderMap| {
        let value = |name: &str| headers.get(name).map(|v| v.to_str().unwrap().to_owned());
        seen.lock().unwrap().push((
            uri.path().to_owned(),
            value("authorization"),
            value("x-api-key"),
        ));
        async { "landed" }
    })
}

#[tokio::test]
async fn credentials_are_not_forwarded_across_origins() {
    let other_seen = Seen::default();
    let other = serve(recording(&other_seen)).await;

    let home_seen = Seen::default();
    let target = format!("{other}/landing");
    let home = serve(
        Router::new()
            .route(
                "/away",
                route_get(move || async move { Redirect::temporary(&target) }),
            )
            .route(
                "/stay",
                route_get(|| async { Redirect::permanent("/here") }),
            )
            .merge(recording(&home_seen)),
    )
    .await;
    let client = builder(&home)
        .bearer("tok-redirect")
        .api_key("key-redirect")
        .build()
        .unwrap();

    let mut request = get("/away");
    request.security(BEARER_AND_KEY);
    let response = client.call(request).await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.text().unwrap(), "landed");
    assert_eq!(
        other_seen.lock().unwrap().as_slice(),
        [("/landing".to_owned(), None, None)],
        "no credential reached the other origin"
    );

    let mut request = get("/stay");
    request.security(BEARER_AND_KEY);
    client.call(request).await.unwrap();
    assert_eq!(
        home_seen.lock().unwrap().as_slice(),
        [(
            "/here".to_owned(),
            Some("Bearer tok-redirect".to_owned()),
            Some("key-redirect".to_owned())
        )],
        "same-origin redirects keep credentials"
    );
}

#[tokio::test]
async fn redirects_can_be_turned_off() {
    let base =
        serve(Router::new().route("/away", route_get(|| async { Redirect::to("/elsewhere") })))
            .await;
    let client = builder(&base).max_redirects(0).build().unwrap();
    let response = client.call(get("/away")).await.unwrap();
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(response.headers()["location"], "/elsewhere");
}

/// A 307 or 308 sends the same request again: the body, its type and the credentials
/// (same origin) reach the new location, made again from the call's request when no
/// hook could have changed what was sent.
#[tokio::test]
async fn a_temporary_or_permanent_redirect_sends_the_body_again() {
    use axum::routing::post as route_post;
    type Got = Arc<Mutex<Vec<(String, String, Option<String>, Vec<u8>)>>>;
    let got = Got::default();
    let seen = got.clone();
    let base = serve(
        Router::new()
            .route(
                "/old",
                route_post(|| async { Redirect::temporary("/older") }),
            )
            .route(
                "/older",
                route_post(|| async { Redirect::permanent("/new") }),
            )
            .route(
                "/new",
                route_post(move |headers: HeaderMap, body: axum::body::Bytes| {
                    let value =
                        |name: &str| headers.get(name).map(|v| v.to_str().unwrap().to_owned());
                    seen.lock().unwrap().push((
                        value("content-type").unwrap_or_default(),
                        value("content-length").unwrap_or_default(),
                        value("authorization"),
                        body.to_vec(),
                    ));
                    async { "landed" }
                }),
            ),
    )
    .await;
    let client = builder(&base).bearer("tok-307").build().unwrap();
    let mut request = super::support::post("/old");
    request.security(&[&[SecurityScheme::Bearer]]);
    request.json(&serde_json::json!({"name": "Rex"})).unwrap();
    let response = client.call(request).await.unwrap();
    assert_eq!(response.text().unwrap(), "landed");
    assert_eq!(
        got.lock().unwrap().as_slice(),
        [(
            "application/json".to_owned(),
            "14".to_owned(),
            Some("Bearer tok-307".to_owned()),
            br#"{"name":"Rex"}"#.to_vec()
        )]
    );
}
