//! A spec split over several files (`tests/fixtures/multifile/`): path items, parameters,
//! responses, a request body, a header and schemas in other files, nested folders, `../`
//! paths, YAML and JSON, and a cycle across files through an object property. The SDK
//! the macro generates from it compiles under `#![deny(warnings)]` and talks to a real
//! server: every part that came from another file reaches the wire.

#[deny(warnings)]
#[allow(dead_code)]
mod multifile {
    orq_codegen::generate!(
        spec = "fixtures/multifile/openapi.yaml",
        client = "Multifile"
    );
}

use multifile::models::{Droplet, DropletCreate, Error as ApiError};
use orq_runtime::Error;
use orq_tests::{Recorder, Reply};
use serde_json::json;

async fn client(replies: Vec<Reply>) -> (Recorder, multifile::Multifile) {
    let server = Recorder::start(replies, None).await;
    let client = multifile::Multifile::builder()
        .server_url(server.url())
        .build()
        .unwrap();
    (server, client)
}

fn droplet() -> serde_json::Value {
    json!({
        "id": 7,
        "name": "web-1",
        "region": {"slug": "ams3", "available": true},
        "networks": [{
            "ip_address": "10.0.0.7",
            "attached_to": {"id": 8, "name": "db-1"},
            "backup": {"taken_at": "2026-01-01"}
        }],
        "backups": [{"id": 1, "size_gigabytes": 2.5}]
    })
}

#[tokio::test]
async fn parameters_headers_and_schemas_from_other_files_reach_the_wire() {
    let page =
        Reply::json(200, json!({"droplets": [droplet()]})).header("ratelimit-remaining", "99");
    let (server, client) = client(vec![page]).await;
    let response = client
        .droplets()
        .list_droplets()
        .per_page(20)
        .page(2)
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.headers().get("ratelimit-remaining").unwrap(), "99");
    let droplets = &response.droplets;
    assert_eq!(droplets.len(), 1);
    let first: &Droplet = &droplets[0];
    assert_eq!(first.region.as_ref().map(|r| r.slug.as_str()), Some("ams3"));
    let network = &first.networks.as_ref().unwrap()[0];
    // Across the cycle droplet -> network (JSON file) -> droplet.
    assert_eq!(
        network.attached_to.as_ref().map(|d| d.name.as_str()),
        Some("db-1")
    );
    assert_eq!(
        network.backup.as_ref().and_then(|b| b.taken_at.as_deref()),
        Some("2026-01-01")
    );
    assert_eq!(first.backups.as_ref().unwrap()[0].size_gigabytes, Some(2.5));
    assert_eq!(server.requests()[0].uri, "/droplets?per_page=20&page=2");
}

#[tokio::test]
async fn limits_of_a_parameter_in_another_file_are_checked_before_sending() {
    let (server, client) = client(vec![]).await;
    let err = client
        .droplets()
        .list_droplets()
        .per_page(0)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(err.to_string().contains("per_page"), "{err}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn request_bodies_and_responses_from_other_files() {
    let (server, client) = client(vec![
        Reply::json(201, json!({"droplet": droplet()})),
        Reply::json(200, json!({"droplet": droplet()})),
        Reply::json(
            404,
            json!({"id": "not_found", "message": "no such droplet"}),
        ),
    ])
    .await;
    let body = DropletCreate::builder().name("web-1").build().unwrap();
    let created = client.droplets().create_droplet(body).await.unwrap();
    assert_eq!(created.droplet.id, 7);
    let fetched = client.droplets().get_droplet(7).await.unwrap();
    assert_eq!(fetched.droplet, created.droplet);
    let err = client.droplets().get_droplet(9).await.unwrap_err();
    let Some(multifile::requests::DropletsGetDropletError::Other(model)) =
        err.api_error::<multifile::requests::DropletsGetDroplet>()
    else {
        panic!("the error model of shared/errors.yml: {err:?}")
    };
    let _: &ApiError = model;
    assert_eq!(model.id, "not_found");

    let requests = server.requests();
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].uri, "/droplets");
    assert_eq!(requests[0].json(), json!({"name": "web-1"}));
    assert_eq!(requests[1].uri, "/droplets/7");
    assert_eq!(requests[2].uri, "/droplets/9");
}
