//! ONLYOFFICE DocSpace's real OpenAPI document (594 operations, 794 schemas) expands and
//! compiles warning-free. Runs when `ORQ_DOCSPACE_SPEC` points at `../shared/specs/docspace.yaml`.
#![cfg(docspace)]

#[deny(warnings)]
#[allow(dead_code)]
mod docspace {
    orq_codegen::generate!(
        spec = "../../shared/specs/docspace.yaml",
        client = "DocSpace"
    );
}

/// Only the `People / Profiles` operations and the models they use (about 3% of the
/// full SDK's lines).
#[deny(warnings)]
#[allow(dead_code)]
mod people {
    orq_codegen::generate!(
        spec = "../../shared/specs/docspace.yaml",
        client = "People",
        tags = ["People / Profiles"]
    );
}

#[test]
fn a_tag_filter_keeps_its_operations_and_models() {
    let client = people::People::builder()
        .server_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    let _ = client.people_profiles().get_profile_by_user_id("u");
    let _ = people::models::UpdateMemberRequestDto::builder();
}

#[test]
fn docspace_client_builds() {
    let client = docspace::DocSpace::builder()
        .server_url("http://127.0.0.1:9")
        .bearer("t")
        .build()
        .unwrap();
    let _people = client.people_profiles();
}

use docspace::models::{Contact, UpdateMemberRequestDto};
use orq_runtime::OptionalNullable;
use orq_tests::{Recorder, Reply};
use serde_json::json;

fn profile(contacts: serde_json::Value) -> Reply {
    Reply::json(
        200,
        json!({
            // `id` is `format: uuid` in the spec (DocSpace user ids are GUIDs) and decodes as `uuid::Uuid`.
            "response": {"id": "5b7d1a6c-3c1e-4c8b-9d5f-0a2b3c4d5e6f", "displayName": "John Doe", "contacts": contacts},
            "count": 1, "status": 0, "statusCode": 200
        }),
    )
}

/// Seed 004: update a user's contacts, then read them back from the profile.
#[tokio::test]
async fn seed_004_update_and_read_contacts() {
    let contacts = json!([{"type": "GTalk", "value": "my@gmail.com"}]);
    let server = Recorder::start(
        vec![profile(contacts.clone()), profile(contacts.clone())],
        None,
    )
    .await;
    let client = docspace::DocSpace::builder()
        .server_url(server.url())
        .bearer("your_api_key")
        .build()
        .unwrap();

    // Step 1: create or update the contacts.
    let gtalk = Contact::builder()
        .r#type("GTalk")
        .value("my@gmail.com")
        .build()
        .unwrap();
    let body = UpdateMemberRequestDto::builder()
        .contacts(vec![gtalk])
        .build()
        .unwrap();
    let updated = client
        .people_profiles()
        .update_member("10001", body)
        .await
        .unwrap();
    assert!(updated.response.is_some());

    // Step 2: read them back.
    let profile = client
        .people_profiles()
        .get_profile_by_user_id("10001")
        .await
        .unwrap();
    let read = profile.response.expect("response").contacts;
    let OptionalNullable::Value(read) = read else {
        panic!("contacts missing: {read:?}")
    };
    assert_eq!(read.len(), 1);
    assert_eq!(read[0].r#type, OptionalNullable::Value("GTalk".into()));
    assert_eq!(
        read[0].value,
        OptionalNullable::Value("my@gmail.com".into())
    );

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].method, "PUT");
    assert_eq!(requests[0].uri, "/api/2.0/people/10001");
    assert_eq!(requests[0].header("authorization"), "Bearer your_api_key");
    assert_eq!(requests[0].header("content-type"), "application/json");
    assert_eq!(
        std::str::from_utf8(&requests[0].body).unwrap(),
        r#"{"contacts":[{"type":"GTalk","value":"my@gmail.com"}]}"#
    );
    assert_eq!(requests[1].method, "GET");
    assert_eq!(requests[1].uri, "/api/2.0/people/10001");
    assert!(requests[1].body.is_empty());
}

/// A user id that looks like a path stays one encoded segment.
#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let server = Recorder::start(vec![profile(json!([]))], None).await;
    let client = docspace::DocSpace::builder()
        .server_url(server.url())
        .bearer("k")
        .build()
        .unwrap();
    client
        .people_profiles()
        .get_profile_by_user_id("../admin?x=1")
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].uri,
        "/api/2.0/people/..%2Fadmin%3Fx%3D1"
    );
}
