//! Generated code compiles warning-free: each fixture expands inside a module that
//! denies every warning, the orq SDK included (`orq-client`, a library, leaves denying
//! warnings to CI's clippy so that a newer compiler's lint never breaks its users).

/// The orq SDK, with the options `orq-client` expands it with.
#[deny(warnings)]
#[allow(dead_code)]
mod orq {
    orq_codegen::generate!(spec = "../spec/orq.yaml", client = "Orq", mock = true);
}

#[deny(warnings)]
#[allow(dead_code)]
mod petstore {
    orq_codegen::generate!(spec = "fixtures/petstore.yaml", client = "Petstore");
}

use petstore::models::{NewPet, Pet, PetStatus};

#[test]
fn enums_keep_unknown_values() {
    let status: orq_runtime::Open<PetStatus> = serde_json::from_str("\"adopted\"").unwrap();
    assert_eq!(status, orq_runtime::Open::Unknown("adopted".into()));
    assert_eq!(serde_json::to_string(&status).unwrap(), "\"adopted\"");
    assert!(
        serde_json::from_str::<PetStatus>("\"adopted\"").is_err(),
        "the enum itself is closed"
    );
    for (wire, variant) in [
        ("\"\"", PetStatus::Empty),
        ("\"1\"", PetStatus::V1),
        ("\"Self\"", PetStatus::Self_),
        ("\"null\"", PetStatus::Null),
    ] {
        assert_eq!(serde_json::from_str::<PetStatus>(wire).unwrap(), variant);
        assert_eq!(serde_json::to_string(&variant).unwrap(), wire);
    }
}

#[test]
fn recursive_all_of_and_awkward_names_round_trip() {
    let json = serde_json::json!({
        "id": 1, "name": "rex", "type": "dog", "fooBar": "a", "foo_bar": "b", "1st": true,
        "parent": {"id": 0, "name": "max"},
        "children": [{"id": 2, "name": "pup"}],
        "owner": {"name": "ann"}
    });
    let pet: Pet = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(pet.r#type.as_deref(), Some("dog"));
    assert_eq!(pet.foo_bar.as_deref(), Some("a"));
    assert_eq!(pet.foo_bar_2.as_deref(), Some("b"));
    assert_eq!(pet._1st, Some(true));
    assert_eq!(pet.parent.as_ref().map(|p| p.name.as_str()), Some("max"));
    assert_eq!(serde_json::to_value(&pet).unwrap(), json);
}

#[test]
fn constraints_are_checked_by_builders() {
    let err = NewPet::builder().name("").build().unwrap_err();
    assert_eq!(err.violations[0].path, "name");
    let url = orq_runtime::Uri::new("https://a.example/1.png");
    let err = NewPet::builder()
        .name("rex")
        .photo_urls(vec![url.clone(), url])
        .build()
        .unwrap_err();
    assert_eq!(err.violations[0].constraint, "uniqueItems");
}

use orq_tests::{Recorder, Reply};

/// Optional parameters are builder setters; query arrays explode; headers and the API key travel.
#[tokio::test]
async fn optional_parameters_are_setters_and_reach_the_wire() {
    let pets = serde_json::json!([{"id": 1, "name": "rex"}]);
    let server = Recorder::start(
        vec![Reply::json(200, pets).header("x-rate-limit", "99")],
        None,
    )
    .await;
    let client = petstore::Petstore::builder()
        .server_url(format!("{}/v1", server.url()))
        .api_key("secret")
        .build()
        .unwrap();
    let response = client
        .pets()
        .list()
        .limit(10)
        .tags(vec!["a b".to_string(), "ü/c".to_string()])
        .status(PetStatus::Available)
        .x_request_id("req-7")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.headers().get("x-rate-limit").unwrap(), "99");
    assert_eq!(response.len(), 1);
    assert_eq!(response[0].name, "rex");

    let sent = &server.requests()[0];
    assert_eq!(
        sent.uri,
        "/v1/pets?limit=10&tags=a%20b&tags=%C3%BC%2Fc&status=available"
    );
    assert_eq!(sent.header("x-request-id"), "req-7");
    assert_eq!(sent.header("x-api-key"), "secret");
}

/// Parameter limits are checked before sending.
#[tokio::test]
async fn parameter_limits_are_checked_before_sending() {
    let server = Recorder::start(vec![], Some(Reply::json(200, serde_json::json!([])))).await;
    let client = petstore::Petstore::builder()
        .server_url(server.url())
        .build()
        .unwrap();
    let err = client.pets().list().limit(500).await.unwrap_err();
    assert!(err.to_string().contains("limit"), "{err}");
    assert!(server.requests().is_empty());
}

/// 204 and other empty responses are `()`; the API's 404 body is parsed into its model.
#[tokio::test]
async fn empty_success_and_declared_errors() {
    let server = Recorder::start(
        vec![
            Reply::text(204, ""),
            Reply::json(
                404,
                serde_json::json!({"code": 404, "message": "no such pet"}),
            ),
        ],
        None,
    )
    .await;
    let client = petstore::Petstore::builder()
        .server_url(server.url())
        .build()
        .unwrap();
    #[allow(deprecated)]
    client
        .pets()
        .delete_pet("a/b")
        .await
        .expect("a 204 maps to Ok(())");
    let err = client.pets().show_pet_by_id("42").await.unwrap_err();
    assert_eq!(
        err.api_error::<petstore::requests::PetsShowPetById>()
            .map(|petstore::requests::PetsShowPetByIdError::Status404(e)| e.message.as_str()),
        Some("no such pet")
    );
    let requests = server.requests();
    assert_eq!(requests[0].method, "DELETE");
    assert_eq!(requests[0].uri, "/pets/a%2Fb");
}

/// Server variables: defaults from the spec, overrides checked against the `enum`.
#[test]
fn server_variables() {
    use petstore::Petstore;
    assert_eq!(
        Petstore::DEFAULT_SERVER_URL,
        "https://eu.petstore.example/v1"
    );
    assert_eq!(
        Petstore::server_url_for(0, &[("region", "us")]).unwrap(),
        "https://us.petstore.example/v1"
    );
    assert!(Petstore::server_url_for(0, &[("region", "mars")]).is_err());
    let url = Petstore::server_url_for(0, &[]).unwrap();
    assert!(Petstore::builder().server_url(url).build().is_ok());
}
