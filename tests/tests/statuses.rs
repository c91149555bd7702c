//! Success statuses as the spec means them, on the wire: an operation whose successes
//! decode alike decodes any 2XX (a 201 or 202 where the spec says 200), with the status
//! in `send_with_response()`; successes of several shapes leave an undeclared 2XX an
//! `Error::Api`; an operation that declares a redirect and no 2XX gets the redirect back
//! with its headers, not followed and not an error; beside a 2XX a redirect is followed.

#[deny(warnings)]
#[allow(dead_code)]
mod statuses {
    orq_codegen::generate!(spec = "fixtures/statuses.yaml", client = "Statuses");
}

use orq_tests::{Recorder, Reply};
use serde_json::json;
use statuses::models::Contact;

async fn client(replies: Vec<Reply>) -> (Recorder, statuses::Statuses) {
    let server = Recorder::start(replies, None).await;
    let client = statuses::Statuses::builder()
        .server_url(server.url())
        .build()
        .unwrap();
    (server, client)
}

#[tokio::test]
async fn an_undeclared_2xx_decodes_into_the_one_success_type() {
    let contact = json!({"id": "c1"});
    let (_server, client) = client(vec![
        Reply::json(200, contact.clone()),
        Reply::json(201, contact.clone()),
        Reply::json(202, contact),
    ])
    .await;
    let body = || Contact::builder().id("c1");
    let created = client.contacts().create_contact(body()).await.unwrap();
    assert_eq!(created.id, "c1");
    for status in [201, 202] {
        let response = client
            .contacts()
            .create_contact(body())
            .send_with_response()
            .await
            .unwrap();
        assert_eq!(response.status(), status);
        assert_eq!(response.id, "c1");
    }
}

#[tokio::test]
async fn successes_of_several_shapes_leave_an_undeclared_2xx_an_error() {
    let (_server, client) = client(vec![
        Reply::text(202, ""),
        Reply::json(201, json!({"id": "c1"})),
    ])
    .await;
    let declared = client.contacts().get_contact("c1").await.unwrap();
    assert!(matches!(
        declared,
        statuses::requests::ContactsGetContactResponse::Status202
    ));
    let error = client.contacts().get_contact("c1").await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(201));
    assert!(matches!(error, orq_runtime::Error::Api { .. }), "{error:?}");
}

#[tokio::test]
async fn a_redirect_the_operation_answers_with_is_returned_not_followed() {
    let (server, client) = client(vec![
        Reply::text(302, "").header("location", "https://app.example/callback?code=abc"),
    ])
    .await;
    let response = client
        .oauth()
        .submit_consent()
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    assert_eq!(
        response.headers()["location"],
        "https://app.example/callback?code=abc"
    );
    assert_eq!(server.requests().len(), 1, "the redirect was not followed");
}

#[tokio::test]
async fn beside_a_2xx_a_redirect_is_followed_to_the_answer() {
    let server = Recorder::start(vec![Reply::text(200, "the content")], None).await;
    let redirect = Recorder::start(
        vec![Reply::text(302, "").header("location", &format!("{}/content/1", server.url()))],
        None,
    )
    .await;
    let client = statuses::Statuses::builder()
        .server_url(redirect.url())
        .build()
        .unwrap();
    let content = client.files().download_file("1").await.unwrap();
    assert_eq!(content, "the content");
    assert_eq!(server.requests()[0].uri, "/content/1");
}
