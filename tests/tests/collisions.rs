//! Parameter names that are also names inside the generated code (`request`, `client`,
//! `url`, `query`, `response`, `result`, `body`, `options`, `headers`, `path`, the
//! locals of the send path) compile warning-free and travel under their wire names; and
//! operations whose derived names meet (`list`, `listWith`) stay apart.

#[deny(warnings)]
#[allow(dead_code)]
mod collisions {
    orq_codegen::generate!(spec = "fixtures/collisions.yaml", client = "Api");
}

use collisions::models::Thing;
use orq_tests::{Recorder, Reply};

fn api(server: &Recorder) -> collisions::Api {
    collisions::Api::builder()
        .server_url(server.url())
        .build()
        .unwrap()
}

#[tokio::test]
async fn colliding_parameter_names_reach_the_wire_under_their_own_names() {
    let server = Recorder::start(
        vec![Reply::json(200, serde_json::json!({"name": "t"}))],
        None,
    )
    .await;
    let api = api(&server);
    let thing = Thing::builder().name("t").build().unwrap();
    let reply = api
        .things()
        .list("p/1", 7, "c", thing)
        .url("u")
        .query(true)
        .response(9)
        .result("r")
        .body_2("b")
        .options_2("o")
        .headers("h")
        .value("v")
        .status("s")
        .violations("x")
        .out("y")
        .self_2("z")
        .await
        .unwrap();
    assert_eq!(reply.name, "t");
    let sent = &server.requests()[0];
    assert_eq!(
        sent.uri,
        "/things/p%2F1/7?client=c&url=u&query=true&response=9&result=r&body=b&options=o\
         &value=v&status=s&violations=x&out=y&self=z"
    );
    assert_eq!(sent.header("headers"), "h");
    assert_eq!(sent.json(), serde_json::json!({"name": "t"}));
}

#[tokio::test]
async fn checks_of_colliding_parameters_still_run() {
    let server = Recorder::start(vec![], None).await;
    let api = api(&server);
    let thing = Thing::builder().name("t").build().unwrap();
    let err = collisions::funcs::things_list(&api, "p", 0, "c", thing)
        .url("too long for it")
        .await
        .unwrap_err();
    let orq_runtime::Error::InvalidRequest(invalid) = err else {
        panic!("expected a validation error, got {err:?}");
    };
    let paths: Vec<&str> = invalid.violations.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(paths, ["request", "url"]);
    assert!(server.requests().is_empty(), "nothing is sent");
}

#[tokio::test]
async fn operations_whose_names_meet_get_one_name_each() {
    let server = Recorder::start(vec![Reply::text(204, ""), Reply::text(204, "")], None).await;
    let api = api(&server);
    api.things()
        .list_with()
        .send_2("s")
        .decode("d")
        .await
        .unwrap();
    collisions::funcs::things_list_with2(&api).await.unwrap();
    let uris: Vec<String> = server.requests().into_iter().map(|r| r.uri).collect();
    assert_eq!(uris, ["/things?send=s&decode=d", "/other"]);
}
