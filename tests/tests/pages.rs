//! Paged operations end to end: a generated SDK (`fixtures/pages.yaml`, one operation per
//! `x-speakeasy-pagination` rule and a declared `Link` header) against a recording
//! server on 127.0.0.1 that answers page by page.

#[deny(warnings)]
#[allow(dead_code)]
mod paged {
    orq_codegen::generate!(spec = "fixtures/pages.yaml", client = "Pages");
}

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
    let page = json!({"data": [{"id": "e"}], "meta": {"next_cursor": "same"}});
    let (server, client) = client(vec![
        Reply::json(200, page.clone()),
        Reply::json(200, page.clone()),
        Reply::json(200, page),
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
