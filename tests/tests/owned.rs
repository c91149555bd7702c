//! Requests own their client (a clone: one `Arc` increment), so a request, its future,
//! its pages and every value an operation returns are `'static`: spawned on another
//! task, stored in a struct, returned from a function. Compile tests (trybuild: what
//! compiles, and a request with a body that may be a stream is not `Clone`), and the
//! same on the wire.

use orq_client::Orq;
use orq_client::models::CreateContactRequestBody;
use orq_tests::{Recorder, Reply};
use serde_json::json;

#[test]
fn requests_are_owned_and_cloned_where_their_body_allows() {
    let t = trybuild::TestCases::new();
    t.pass("owned/*.rs");
    t.compile_fail("owned/fail/*.rs");
}

#[tokio::test]
async fn a_spawned_request_and_its_clone_reach_the_server() {
    let contact = json!({"_id": "contact_1", "external_id": "user_1"});
    let server = Recorder::start(
        vec![Reply::json(201, contact.clone()), Reply::json(200, contact)],
        None,
    )
    .await;
    let request = {
        let orq = Orq::builder()
            .server_url(server.url())
            .bearer("token")
            .build()
            .unwrap();
        orq.contacts()
            .create(CreateContactRequestBody::builder().external_id("user_1"))
    };
    // The client value is gone; the request holds its own clone.
    let again = request.clone();
    let first = tokio::spawn(request.send()).await.unwrap().unwrap();
    let second = tokio::spawn(async move { again.await })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (first.id.as_str(), second.id.as_str()),
        ("contact_1", "contact_1")
    );
    let sent = server.requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].json(), sent[1].json());
}
