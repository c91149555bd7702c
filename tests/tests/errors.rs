//! Typed errors per operation on the wire: each declared error response parsed into
//! its variant of the operation's error enum (exact status, range, `default`, JSON,
//! text and empty bodies), `None` for an undeclared status, a body that does not parse
//! and another operation, with status, headers and raw body kept in every case. And
//! untagged operations as methods of the client, their names clear of its own items.

#[deny(warnings)]
#[allow(dead_code)]
mod errors {
    orq_codegen::generate!(spec = "fixtures/errors.yaml", client = "Errors");
}

use errors::models::{Item, NotFound, Problem};
use errors::requests::{
    Items2, Items2Error, ItemsCreateItem, ItemsCreateItemError, ItemsGetItem, ItemsGetItemError,
    ItemsGetItemError2, ItemsGetItemError2Error,
};
use orq_runtime::{Error, RetryConfig};
use orq_tests::{Recorder, Reply};
use serde_json::json;

async fn client(replies: Vec<Reply>) -> (Recorder, errors::Errors) {
    let server = Recorder::start(replies, None).await;
    let client = errors::Errors::builder()
        .server_url(server.url())
        .retry(RetryConfig::none())
        .build()
        .unwrap();
    (server, client)
}

/// The error of calling `getItem` once against a server answering `reply`.
async fn get_item_error(reply: Reply) -> Error {
    let (_server, client) = client(vec![reply]).await;
    client.items().get_item("a").await.unwrap_err()
}

fn problem(title: &str, status: Option<i64>) -> Problem {
    Problem {
        title: title.into(),
        status,
    }
}

#[tokio::test]
async fn a_declared_4xx_body_is_its_variant_with_its_fields() {
    let reply =
        Reply::json(404, json!({"id": "a", "message": "no item a"})).header("x-request-id", "r-1");
    let err = get_item_error(reply).await;
    let expected = NotFound {
        id: "a".into(),
        message: "no item a".into(),
    };
    assert_eq!(
        err.api_error::<ItemsGetItem>(),
        Some(&ItemsGetItemError::Status404(expected.clone()))
    );
    // Status, headers and raw body are kept as before.
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(err.headers().unwrap()["x-request-id"], "r-1");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(err.raw_body().unwrap()).unwrap()["message"],
        "no item a"
    );
    assert_eq!(
        err.into_api_error::<ItemsGetItem>().ok(),
        Some(ItemsGetItemError::Status404(expected))
    );
}

#[tokio::test]
async fn an_exact_status_beats_its_range_and_the_range_takes_the_rest() {
    // 400 is not declared exactly: the 4XX range.
    let err = get_item_error(Reply::json(400, json!({"title": "bad", "status": 400}))).await;
    assert_eq!(
        err.api_error::<ItemsGetItem>(),
        Some(&ItemsGetItemError::Status4xx(problem("bad", Some(400))))
    );
    // 404 is declared exactly, with another body: its own variant even though it is 4XX.
    let err = get_item_error(Reply::json(404, json!({"id": "a", "message": "gone"}))).await;
    assert!(matches!(
        err.api_error::<ItemsGetItem>(),
        Some(ItemsGetItemError::Status404(NotFound { message, .. })) if message == "gone"
    ));
    // A declared status without content, whatever the server sent.
    let err = get_item_error(Reply::text(409, "locked by someone")).await;
    assert_eq!(
        err.api_error::<ItemsGetItem>(),
        Some(&ItemsGetItemError::Status409)
    );
    assert_eq!(err.raw_body().unwrap().as_ref(), b"locked by someone");
    // A declared text body.
    let err = get_item_error(Reply::text(418, "I refuse")).await;
    assert_eq!(
        err.api_error::<ItemsGetItem>(),
        Some(&ItemsGetItemError::Status418("I refuse".to_string()))
    );
}

#[tokio::test]
async fn a_5xx_range_parses_problem_json() {
    let reply = Reply::json(503, json!({"title": "down", "status": 503}))
        .header("content-type", "application/problem+json");
    let err = get_item_error(reply).await;
    assert_eq!(
        err.api_error::<ItemsGetItem>(),
        Some(&ItemsGetItemError::Status5xx(problem("down", Some(503))))
    );
}

#[tokio::test]
async fn a_default_response_covers_every_undeclared_status() {
    for status in [400, 422, 500] {
        let (_server, client) = client(vec![Reply::json(status, json!({"title": "no"}))]).await;
        let body = Item::builder().id("a").build().unwrap();
        let err = client.items().create_item(body).await.unwrap_err();
        let expected = problem("no", None);
        assert_eq!(
            err.api_error::<ItemsCreateItem>(),
            Some(&ItemsCreateItemError::Other(expected)),
            "{status}"
        );
    }
}

#[tokio::test]
async fn an_undeclared_status_keeps_status_headers_and_body_without_a_variant() {
    // getItem declares 4XX and 5XX but no 3XX.
    let reply = Reply::text(302, "elsewhere").header("x-trace", "t-9");
    let err = get_item_error(reply).await;
    assert_eq!(err.api_error::<ItemsGetItem>(), None);
    assert!(matches!(&err, Error::Api { model: None, .. }), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(302));
    assert_eq!(err.headers().unwrap()["x-trace"], "t-9");
    assert_eq!(err.raw_body().unwrap().as_ref(), b"elsewhere");
    // getItemError declares only 400; a 404 is undeclared.
    let (_server, client) = client(vec![Reply::json(404, json!({"title": "x"}))]).await;
    let err = client.items().get_item_error("a").await.unwrap_err();
    assert_eq!(err.api_error::<ItemsGetItemError2>(), None);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn a_declared_status_whose_body_does_not_parse_is_none_with_the_raw_body() {
    let html = "<html><body>Bad gateway</body></html>";
    let reply = Reply::text(502, html).header("content-type", "text/html");
    let err = get_item_error(reply).await;
    assert_eq!(err.api_error::<ItemsGetItem>(), None);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(err.raw_body().unwrap().as_ref(), html.as_bytes());
    // JSON of the wrong shape for the 404 body.
    let err = get_item_error(Reply::json(404, json!({"unexpected": true}))).await;
    assert_eq!(err.api_error::<ItemsGetItem>(), None);
    assert!(err.into_api_error::<ItemsGetItem>().is_err());
}

#[tokio::test]
async fn asking_with_another_operation_is_none() {
    let err = get_item_error(Reply::json(400, json!({"title": "bad"}))).await;
    assert!(err.api_error::<ItemsGetItem>().is_some());
    // createItem's `default` body is a `Problem` too: still not its error.
    assert_eq!(err.api_error::<ItemsCreateItem>(), None);
    assert_eq!(err.api_error::<Items2>(), None);
    let err = err.into_api_error::<ItemsCreateItem>().unwrap_err();
    assert_eq!(
        err.status().map(|s| s.as_u16()),
        Some(400),
        "given back whole"
    );
    assert!(err.api_error::<ItemsGetItem>().is_some());
}

#[tokio::test]
async fn untagged_operations_are_methods_of_the_client_clear_of_its_own_names() {
    let (server, client) = client(vec![
        Reply::text(204, ""),
        Reply::text(204, ""),
        Reply::json(200, json!([{"id": "a"}])),
        Reply::json(503, json!({"title": "maintenance"})),
        Reply::json(200, json!([])),
        Reply::json(400, json!({})),
    ])
    .await;
    client.ping().await.unwrap();
    // `builder` is the client's own: the operation takes `builder_2`.
    client.builder_2().await.unwrap();
    // `items` is the group accessor: the operation takes `items_2`.
    let items = client.items_2().await.unwrap();
    assert_eq!(items, vec![Item::builder().id("a").build().unwrap()]);
    let err = client.items_2().await.unwrap_err();
    assert!(matches!(
        err.api_error::<Items2>(),
        Some(Items2Error::Status503(Problem { title, .. })) if title == "maintenance"
    ));
    // The standalone functions are there too.
    assert!(errors::funcs::items_2(&client).await.unwrap().is_empty());
    // An enum name another operation took is numbered with it.
    // Its only declared error has no body: the runtime's `DeclaredStatus`.
    let err = client.items().get_item_error("a").await.unwrap_err();
    let declared = err.api_error::<ItemsGetItemError2>().unwrap();
    assert_eq!(declared.status(), 400);
    assert_eq!(ItemsGetItemError2Error::from_error(&err), Some(declared));
    let paths: Vec<String> = server.requests().iter().map(|r| r.uri.clone()).collect();
    assert_eq!(
        paths,
        [
            "/ping",
            "/builder",
            "/all-items",
            "/all-items",
            "/all-items",
            "/items/a/error"
        ]
    );
}
