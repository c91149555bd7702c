//! Paged operations end to end: a generated SDK (`fixtures/pages.yaml`, one operation per
//! `x-speakeasy-pagination` rule and a declared `Link` header) against a recording
//! server on 127.0.0.1 that answers page by page.

#[deny(warnings)]
#[allow(dead_code)]
mod paged {
    orq_codegen::generate!(spec = "fixtures/pages.yaml", client = "Pages");
}

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use orq_runtime::{BackoffConfig, Error, RetryConfig};
use orq_tests::{Recorder, Reply};
use serde_json::json;

async fn client(replies: Vec<Reply>) -> (Recorder, paged::Pages) {
    let server = Recorder::start(replies, None).await;
    let client = paged::Pages::builder()
        .server_url(server.url())
        .build()
        .unwrap();
    (server, client)
}

fn contacts(ids: &[i64]) -> serde_json::Value {
    let data: Vec<_> = ids.iter().map(|id| json!({"id": id})).collect();
    json!({"data": data, "total": 5})
}

fn uris(server: &Recorder) -> Vec<String> {
    server.requests().into_iter().map(|r| r.uri).collect()
}

#[tokio::test]
async fn offset_items_across_three_pages_stop_at_a_short_page() {
    let (server, client) = client(vec![
        Reply::json(200, contacts(&[1, 2])),
        Reply::json(200, contacts(&[3, 4])),
        Reply::json(200, contacts(&[5])),
    ])
    .await;
    let mut items = client.contacts().list().limit(2).items();
    let mut ids = Vec::new();
    while let Some(contact) = items.next().await {
        ids.push(contact.unwrap().id);
    }
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    assert_eq!(
        uris(&server),
        [
            "/contacts?limit=2",
            "/contacts?limit=2&offset=2",
            "/contacts?limit=2&offset=4"
        ]
    );
}

#[tokio::test]
async fn page_numbers_stop_at_an_empty_page() {
    let page = |ids: &[i64]| {
        let items: Vec<_> = ids.iter().map(|id| json!({"id": id})).collect();
        json!({"items": items})
    };
    let (server, client) = client(vec![
        Reply::json(200, page(&[1, 2])),
        Reply::json(200, page(&[3])),
        Reply::json(200, page(&[])),
        Reply::json(200, page(&[99])),
    ])
    .await;
    let mut pages = client.contacts().by_page().page(1).pages();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        sizes.push(page.unwrap().items.map_or(0, |items| items.len()));
    }
    assert_eq!(sizes, [2, 1, 0]);
    assert_eq!(
        uris(&server),
        [
            "/contacts/by-page?page=1",
            "/contacts/by-page?page=2",
            "/contacts/by-page?page=3"
        ]
    );
}

#[tokio::test]
async fn cursors_stop_when_the_next_cursor_is_missing() {
    let (server, client) = client(vec![
        Reply::json(
            200,
            json!({"data": [{"id": "e1"}], "meta": {"next_cursor": "c2"}}),
        ),
        Reply::json(
            200,
            json!({"data": [{"id": "e2"}], "meta": {"next_cursor": null}}),
        ),
        Reply::json(200, json!({"data": [{"id": "never"}]})),
    ])
    .await;
    let mut items = client.events().list().items();
    let mut ids = Vec::new();
    while let Some(event) = items.next().await {
        ids.push(event.unwrap().id);
    }
    assert_eq!(ids, ["e1", "e2"]);
    assert_eq!(uris(&server), ["/events", "/events?after=c2"]);
}

#[tokio::test]
async fn a_503_on_page_two_is_retried_and_call_options_reach_every_page() {
    let (server, client) = client(vec![
        Reply::json(200, contacts(&[1, 2])),
        Reply::json(503, json!({"error": "busy"})),
        Reply::json(200, contacts(&[3])),
    ])
    .await;
    let retries = RetryConfig::backoff(BackoffConfig {
        initial_interval: Duration::from_millis(1),
        ..BackoffConfig::default()
    });
    let mut items = client
        .contacts()
        .list()
        .limit(2)
        .header("x-request-id", "r-1")
        .retries(retries)
        .items();
    let mut ids = Vec::new();
    while let Some(contact) = items.next().await {
        ids.push(contact.unwrap().id);
    }
    assert_eq!(ids, [1, 2, 3]);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(
        requests[1].uri, requests[2].uri,
        "the retry repeats page two"
    );
    for request in &requests {
        assert_eq!(request.header("x-request-id"), "r-1", "{}", request.uri);
    }
}

#[tokio::test]
async fn an_error_page_ends_the_pages_with_the_api_error() {
    let (_server, client) = client(vec![
        Reply::json(200, contacts(&[1, 2])),
        Reply::json(404, json!({"error": "gone"})),
    ])
    .await;
    let mut items = client
        .contacts()
        .list()
        .limit(2)
        .retries(RetryConfig::none())
        .items();
    assert_eq!(items.next().await.unwrap().unwrap().id, 1);
    assert_eq!(items.next().await.unwrap().unwrap().id, 2);
    let error = items.next().await.unwrap().unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert!(items.next().await.is_none());
}

#[tokio::test]
async fn a_looping_cursor_is_stopped_with_an_error() {
    // New items on each page, but always the same next cursor.
    let page = |id: &str| json!({"data": [{"id": id}], "meta": {"next_cursor": "same"}});
    let (server, client) = client(vec![
        Reply::json(200, page("e1")),
        Reply::json(200, page("e2")),
        Reply::json(200, page("e3")),
    ])
    .await;
    let mut items = client.events().list().items();
    let mut seen = 0;
    let error = loop {
        match items.next().await {
            Some(Ok(_)) => seen += 1,
            Some(Err(error)) => break error,
            None => panic!("the pages ended without an error"),
        }
    };
    assert_eq!(seen, 2);
    assert!(matches!(error, Error::Paging { .. }), "{error:?}");
    assert!(error.to_string().contains("\"same\""), "{error}");
    assert!(items.next().await.is_none());
    assert_eq!(uris(&server), ["/events", "/events?after=same"]);
}

#[tokio::test]
async fn next_urls_from_the_body_and_items_as_json() {
    let (server, client) = client(vec![
        Reply::json(
            200,
            json!({"payload": {"lines": ["a", "b"]}, "links": {"next": "/logs?cursor=2&q=a%20b"}}),
        ),
        Reply::json(200, json!({"payload": {"lines": ["c"]}, "links": {}})),
    ])
    .await;
    let mut items = client.logs().list().items();
    let mut lines = Vec::new();
    while let Some(line) = items.next().await {
        lines.push(line.unwrap());
    }
    assert_eq!(lines, [json!("a"), json!("b"), json!("c")]);
    assert_eq!(uris(&server), ["/logs", "/logs?cursor=2&q=a%20b"]);
}

#[tokio::test]
async fn a_next_url_on_another_origin_is_refused() {
    let (server, client) = client(vec![Reply::json(
        200,
        json!({"payload": {"lines": ["a"]}, "links": {"next": "https://elsewhere.example/logs?page=2"}}),
    )])
    .await;
    let mut pages = client.logs().list().pages();
    assert!(pages.next().await.unwrap().is_ok());
    let error = pages.next().await.unwrap().unwrap_err();
    assert!(error.to_string().contains("leaves the server"), "{error}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn link_headers_page_a_declared_list() {
    let (server, client) = client(vec![
        Reply::json(200, json!(["red", "green"])).header(
            "link",
            "</tags?page=2>; rel=\"next\", </tags?page=1>; rel=\"first\"",
        ),
        Reply::json(200, json!(["blue"])),
    ])
    .await;
    let mut items = client.tags().list().items();
    let mut tags = Vec::new();
    while let Some(tag) = items.next().await {
        tags.push(tag.unwrap());
    }
    assert_eq!(tags, ["red", "green", "blue"]);
    assert_eq!(uris(&server), ["/tags", "/tags?page=2"]);
}

#[tokio::test]
async fn an_unreadable_extension_leaves_a_plain_operation() {
    let (server, client) = client(vec![Reply::json(200, json!(["x"]))]).await;
    // No `.pages()` here (the extension's type is unknown): one call, as without it.
    let tags = client.tags().unpaged().since("a").await.unwrap();
    assert_eq!(tags, ["x"]);
    assert_eq!(uris(&server), ["/tags/unpaged?since=a"]);
}

/// Collects `.items()` until the pages end or fail, within 10 s (a server that pages
/// forever fails the test instead of hanging it): the items and the error, if any.
async fn drain<T, I>(mut items: orq_runtime::Items<'_, T, I>) -> (Vec<I>, Option<Error>) {
    let collect = async {
        let mut seen = Vec::new();
        while let Some(item) = items.next().await {
            match item {
                Ok(item) => seen.push(item),
                Err(error) => return (seen, Some(error)),
            }
        }
        (seen, None)
    };
    tokio::time::timeout(Duration::from_secs(10), collect)
        .await
        .expect("the pages neither ended nor failed within 10 s")
}

#[tokio::test]
async fn a_server_that_ignores_the_offset_is_stopped_at_the_repeated_page() {
    // The same full page, whatever the offset.
    let server = Recorder::start(vec![], Some(Reply::json(200, contacts(&[1, 2])))).await;
    let client = paged::Pages::builder()
        .server_url(server.url())
        .build()
        .unwrap();
    let (items, error) = drain(client.contacts().list().limit(2).items()).await;
    assert_eq!(items.iter().map(|c| c.id).collect::<Vec<_>>(), [1, 2]);
    let error = error.expect("an error ends the pages");
    assert!(matches!(error, Error::Paging { .. }), "{error:?}");
    assert!(error.to_string().contains("page 2"), "{error}");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn fresh_cursors_over_the_same_data_are_stopped() {
    let page = |cursor: &str| {
        Reply::json(
            200,
            json!({"data": [{"id": "e1"}, {"id": "e2"}], "meta": {"next_cursor": cursor}}),
        )
    };
    let (server, client) = client(vec![page("c1"), page("c2"), page("c3"), page("c4")]).await;
    let (items, error) = drain(client.events().list().items()).await;
    assert_eq!(items.len(), 2, "the repeated page is not handed out");
    assert!(matches!(error, Some(Error::Paging { .. })), "{error:?}");
    assert_eq!(uris(&server), ["/events", "/events?after=c1"]);
}

/// A server with endless distinct pages: `/contacts?offset=n` gives items n and n+1.
async fn endless() -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let app = axum::Router::new().route(
        "/contacts",
        axum::routing::get(
            move |axum::extract::Query(query): axum::extract::Query<HashMap<String, i64>>| {
                counter.fetch_add(1, Ordering::SeqCst);
                let offset = query.get("offset").copied().unwrap_or(0);
                async move { axum::Json(contacts(&[offset, offset + 1])) }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, hits)
}

#[tokio::test]
async fn the_page_limit_ends_endless_pages_with_an_error() {
    let (url, hits) = endless().await;
    let client = paged::Pages::builder().server_url(&url).build().unwrap();
    // Per call.
    let (items, error) = drain(client.contacts().list().limit(2).items().max_pages(3)).await;
    assert_eq!(items.len(), 6);
    let error = error.expect("the limit ends the pages with an error");
    assert!(matches!(error, Error::Paging { .. }), "{error:?}");
    assert!(error.to_string().contains("max_pages"), "{error}");
    assert_eq!(
        hits.swap(0, Ordering::SeqCst),
        3,
        "no page past the limit is fetched"
    );
    // By default.
    let (items, error) = drain(client.contacts().list().limit(2).items()).await;
    assert_eq!(items.len(), 2 * orq_runtime::DEFAULT_MAX_PAGES);
    assert!(matches!(error, Some(Error::Paging { .. })), "{error:?}");
    assert_eq!(hits.load(Ordering::SeqCst), orq_runtime::DEFAULT_MAX_PAGES);
}

#[tokio::test]
async fn a_next_url_is_followed_as_the_server_wrote_it() {
    // A literal `+` (a base64 cursor the server did not escape) and an escaped one.
    let (server, client) = client(vec![
        Reply::json(
            200,
            json!({"payload": {"lines": ["a"]}, "links": {"next": "/logs?cursor=ab+c%2Bd/e=="}}),
        ),
        Reply::json(200, json!({"payload": {"lines": ["b"]}, "links": {}})),
    ])
    .await;
    let (lines, error) = drain(client.logs().list().items()).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(lines, [json!("a"), json!("b")]);
    assert_eq!(uris(&server), ["/logs", "/logs?cursor=ab+c%2Bd/e=="]);
}

#[tokio::test]
async fn an_empty_link_paged_list_ends_the_pages() {
    let (server, client) = client(vec![
        Reply::json(200, json!(["red"])).header("link", "</tags?page=2>; rel=\"next\""),
        Reply::json(200, json!([])).header("link", "</tags?page=3>; rel=\"next\""),
        Reply::json(200, json!(["never"])),
    ])
    .await;
    let (tags, error) = drain(client.tags().list().items()).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(tags, ["red"]);
    assert_eq!(uris(&server), ["/tags", "/tags?page=2"]);
}
