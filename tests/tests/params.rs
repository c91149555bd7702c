//! Every parameter location and style on the wire (path `simple` arrays, query `form`
//! exploded and not, `spaceDelimited`, `pipeDelimited`, `deepObject`, exploded form objects, header arrays and objects,
//! cookies), path-item parameters and their override, colliding names, several media
//! types (JSON preferred), `default` responses, `4XX` problem+json, response headers,
//! an operation without operationId, and OAuth2 client credentials from the spec's
//! `tokenUrl` and scopes.

#[deny(warnings)]
#[allow(dead_code)]
mod params {
    orq_codegen::generate!(spec = "fixtures/params.yaml", client = "Params");
}

use orq_tests::{Recorder, Reply};
use params::models::{Org, Range};
use params::requests::{
    PeopleProfilesListItems, PeopleProfilesListItemsError, PeopleProfilesUpdateOrg,
    PeopleProfilesUpdateOrgError,
};
use serde_json::json;

fn token() -> Reply {
    Reply::json(
        200,
        json!({"access_token": "tok-1", "token_type": "bearer", "expires_in": 3600}),
    )
}

async fn client(replies: Vec<Reply>) -> (Recorder, params::Params) {
    let server = Recorder::start(replies, None).await;
    let client = params::Params::builder()
        .server_url(server.url())
        .oauth2_client_credentials("app", "pw")
        .build()
        .unwrap();
    (server, client)
}

#[tokio::test]
async fn every_location_and_style_reaches_the_wire() {
    let items = Reply::json(200, json!([{"id": "a"}]))
        .header("x-total-count", "41")
        .header("content-type", "application/json");
    let (server, client) = client(vec![token(), items]).await;
    let range = || Range::builder().from(1).to(5).build().unwrap();
    let response = client
        .people_profiles()
        .list_items(7, vec!["a/b".to_string(), "c".to_string()], true, "s 1")
        .x_trace("trace-1")
        .tags(vec!["x".to_string(), "y z".to_string()])
        .fields(vec!["id".to_string(), "name".to_string()])
        .filter(range())
        .range(range())
        .x_ids(vec![1, 2, 3])
        .x_range(range())
        .prefs(vec!["dark".to_string(), "compact".to_string()])
        .user_id("u1")
        .user_id_2("u2")
        .timeout_2(30)
        .r#type("kind")
        .words(vec!["a".to_string(), "b".to_string()])
        .levels(vec![1, 2])
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.headers().get("x-total-count").unwrap(), "41");
    assert_eq!(response.status(), 200);
    assert_eq!(response[0].id, "a");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let (token_request, sent) = (&requests[0], &requests[1]);
    assert_eq!(token_request.uri, "/oauth/token");
    assert_eq!(
        std::str::from_utf8(&token_request.body).unwrap(),
        "grant_type=client_credentials&scope=read"
    );
    assert_eq!(sent.method, "GET");
    assert_eq!(
        sent.uri,
        "/orgs/7/items/a%2Fb,c?verbose=true&tags=x&tags=y%20z&fields=id%2Cname\
         &filter%5Bfrom%5D=1&filter%5Bto%5D=5&from=1&to=5&user-id=u1&user_id=u2&timeout=30&type=kind\
         &words=a%20b&levels=1%7C2"
    );
    assert_eq!(sent.header("authorization"), "Bearer tok-1");
    assert_eq!(sent.header("x-trace"), "trace-1");
    assert_eq!(sent.header("x-ids"), "1,2,3");
    assert_eq!(sent.header("x-range"), "from=1,to=5");
    // RFC 6265 forbids `,` and spaces in cookie values: they are percent-encoded.
    assert_eq!(sent.header("cookie"), "session=s%201; prefs=dark%2Ccompact");
}

#[tokio::test]
async fn body_and_parameters_named_alike_and_problem_json() {
    let problem = Reply::json(409, json!({"title": "taken", "status": 409}))
        .header("content-type", "application/problem+json");
    let (server, client) = client(vec![
        token(),
        Reply::json(200, json!({"name": "acme"})),
        problem,
        Reply::json(200, json!({"name": "a&b"})),
    ])
    .await;
    let org = Org::builder().name("acme").build().unwrap();
    let stored = client
        .people_profiles()
        .update_org(9, org.clone())
        .body_2("query-body")
        .org_id_header("header-id")
        .await
        .unwrap();
    assert_eq!(stored.name, "acme");
    let error = client
        .people_profiles()
        .update_org(9, org)
        .await
        .unwrap_err();
    // The caller may pick the other media type the spec offers for this body.
    let form = Org::builder().name("a&b").build().unwrap();
    client
        .people_profiles()
        .update_org(9, form)
        .encode_as_form()
        .await
        .unwrap();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(409));
    let Some(PeopleProfilesUpdateOrgError::Status4xx(problem)) =
        error.api_error::<PeopleProfilesUpdateOrg>()
    else {
        panic!("the declared 4XX body: {error:?}")
    };
    assert_eq!(problem.title.as_deref(), Some("taken"));
    assert!(error.raw_body().is_some_and(|b| !b.is_empty()));

    let requests = server.requests();
    let sent = &requests[1];
    assert_eq!(sent.method, "PUT");
    assert_eq!(sent.uri, "/orgs/9?body=query-body");
    assert_eq!(sent.header("orgid"), "header-id");
    // JSON is preferred over the form encoding the spec also offers.
    assert_eq!(sent.header("content-type"), "application/json");
    assert_eq!(sent.json(), json!({"name": "acme"}));
    let as_form = &requests[3];
    assert_eq!(
        as_form.header("content-type"),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(std::str::from_utf8(&as_form.body).unwrap(), "name=a%26b");
}

#[tokio::test]
async fn default_responses_and_operations_without_operation_id() {
    let (server, client) = client(vec![
        Reply::text(200, "ok"),
        Reply::text(503, "down for maintenance"),
        Reply::json(500, json!({"message": "boom"})),
    ])
    .await;
    // `GET /health` has no operationId and no tag: a method of the client itself.
    let health = client.get_health().await.unwrap();
    assert_eq!(health, "ok");
    let error = client
        .get_health()
        .retries(orq_runtime::RetryConfig::none())
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        error.raw_body().map(|b| b.to_vec()),
        Some(b"down for maintenance".to_vec())
    );
    // `security: []` on the operation: no token was fetched, nothing sent.
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.header("authorization").is_empty() && r.uri == "/health")
    );

    // The `default` error response of `listItems` is parsed into its model (this client
    // has no OAuth2 settings, so the call goes out without a token).
    let anonymous = params::Params::builder()
        .server_url(server.url())
        .build()
        .unwrap();
    let error = anonymous
        .people_profiles()
        .list_items(1, vec!["a".to_string()], false, "s")
        .retries(orq_runtime::RetryConfig::none())
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(
        error
            .api_error::<PeopleProfilesListItems>()
            .map(|PeopleProfilesListItemsError::Other(e)| e.message.as_str()),
        Some("boom")
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[2].uri, "/orgs/1/items/a?verbose=false");
    assert_eq!(requests[2].header("authorization"), "");
}

/// Array and map parameters take what model setters take (any iterator of convertible
/// items; pairs, maps or a JSON object), every optional parameter has a `set_` setter
/// taking an `Option` (`None` leaves it out), a map that is no map is refused before
/// anything is sent, and a `format: password` parameter never shows in `Debug`.
#[tokio::test]
async fn parameters_take_iterators_maps_and_options_and_hide_passwords() {
    let items = Reply::json(200, json!([])).header("content-type", "application/json");
    let (server, client) = client(vec![token(), items]).await;
    let maybe_trace: Option<String> = None;
    let request = client
        .people_profiles()
        .list_items(7, ["a", "b"], true, "s")
        .tags(["x", "y"])
        .set_tags(Some(vec!["t".to_string()]))
        .x_ids([1, 2])
        .set_x_trace(maybe_trace)
        .set_user_id(Some("u".to_string()))
        .labels([("k", "v")])
        .meta(json!({"n": 1}))
        .x_pin("1234");
    let shown = format!("{request:?}");
    assert!(!shown.contains("1234"), "{shown}");
    assert!(shown.contains("x_pin: Some(<redacted>)"), "{shown}");
    request.clone().await.unwrap();
    let sent = &server.requests()[1];
    assert_eq!(
        sent.uri,
        "/orgs/7/items/a,b?verbose=true&tags=t&user-id=u&labels%5Bk%5D=v&meta%5Bn%5D=1"
    );
    assert_eq!(sent.header("x-ids"), "1,2");
    assert_eq!(sent.header("x-pin"), "1234");
    assert_eq!(sent.header("x-trace"), "");

    // A JSON value that is no object is refused when the call starts: nothing is sent.
    let error = client
        .people_profiles()
        .list_items(7, ["a"], true, "s")
        .meta(json!([1]))
        .await
        .unwrap_err();
    let violations = error.validation().expect("refused before sending");
    assert_eq!(violations.violations[0].path, "meta");
    // Setting it again forgets what was refused.
    let fixed = client
        .people_profiles()
        .list_items(7, ["a"], true, "s")
        .meta(json!([1]))
        .set_meta(None);
    assert!(
        !format!("{fixed:?}").contains("refused: [Violation"),
        "{fixed:?}"
    );
    assert_eq!(server.requests().len(), 2);
}
