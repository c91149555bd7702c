//! An OpenAPI 3.1 document: normalized (type arrays with "null", const, examples, numeric
//! exclusiveMinimum, $ref with siblings), then generated like 3.0. Also cookie, deepObject
//! and comma-joined parameters, and parameter names that collide.

#[deny(warnings)]
#[allow(dead_code)]
mod v31 {
    // `SearchResult` only comes in responses: its builder is asked for.
    orq_codegen::generate!(
        spec = "fixtures/openapi31.yaml",
        client = "V31",
        response_builders = true
    );
}

use orq_tests::{Recorder, Reply};
use serde_json::json;
use v31::models::{Filter, Kind, Result as SearchResult};

#[tokio::test]
async fn three_one_types_and_parameter_styles() {
    let reply = Reply::json(
        200,
        json!({"kind": "person", "nickname": null, "score": 0.5}),
    );
    let server = Recorder::start(vec![reply], None).await;
    let client = v31::V31::builder()
        .server_url(server.url())
        .build()
        .unwrap();
    let filter = Filter::builder().name("ann").min_age(30).build().unwrap();
    let result: SearchResult = client
        .search()
        .search()
        .filter(filter)
        .body_2("b")
        .id("q")
        .id_header("h")
        .session("s1")
        .ids(vec![1, 2, 3])
        .await
        .unwrap();
    assert_eq!(result.kind, Kind::Person);
    assert_eq!(result.nickname, None);
    assert_eq!(result.score, 0.5);

    let sent = &server.requests()[0];
    assert_eq!(
        sent.uri,
        "/search?filter%5Bname%5D=ann&filter%5Bmin_age%5D=30&body=b&id=q&ids=1%2C2%2C3"
    );
    assert_eq!(sent.header("id"), "h");
    assert!(
        sent.header("cookie").contains("session=s1"),
        "{}",
        sent.header("cookie")
    );
}

#[test]
fn exclusive_minimum_from_3_1_is_checked() {
    let err = SearchResult::builder()
        .kind(Kind::Person)
        .nickname(None)
        .score(0.0)
        .build()
        .unwrap_err();
    assert_eq!(err.violations[0].path, "score");
}
