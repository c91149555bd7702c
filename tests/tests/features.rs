//! The setting `features_per_tag`: the fixture `fixtures/features.yaml` (three groups, an
//! untagged operation, models shared through fields, arrays, maps, a union and
//! inheritance, security requirements some groups share, a mock server) compiles
//! warning-free under `#[deny(warnings)]` with every subset of its features: none, each
//! alone, every pair and all. `build.rs` writes one module per subset, with each gate
//! evaluated as rustc does for those cargo features; the modules are `pub` and nothing
//! allows dead code, so a private item left unused by some subset fails the build.

include!(concat!(env!("OUT_DIR"), "/features.rs"));

#[test]
fn the_fixture_has_one_feature_per_group_and_one_for_untagged_operations() {
    assert_eq!(FEATURES, ["admin", "pets", "store-orders", "untagged"]);
}

/// A group alone compiles its operations and the models it reaches, on the wire.
#[tokio::test]
async fn one_group_alone_works_against_its_mock_server() {
    use pets::models::Pet;

    let server = pets::mock::MockServer::start().await;
    server.pets().list_pets(|request| async move {
        Ok(vec![Pet {
            id: i64::from(request.limit.unwrap_or(0)),
            name: "Rex".into(),
            owner: None,
            toys: None,
            notes: None,
        }])
    });
    let pets = server.client().pets().list_pets().limit(7).await.unwrap();
    assert_eq!((pets[0].id, pets[0].name.as_str()), (7, "Rex"));
}

/// Models another group shares are there with either group; the untagged operation
/// is a method of the client with its feature.
#[tokio::test]
async fn shared_models_and_untagged_operations_follow_their_features() {
    let _shared_with_orders: Option<store_orders::models::Owner> = None;
    let _shared_with_admin: Option<admin::models::Order> = None;
    let _unused_is_always_there: Option<none::models::Unused> = None;
    let server = untagged::mock::MockServer::start().await;
    server.get_health(|_| async { Ok(untagged::models::Health { ok: true }) });
    assert!(server.client().get_health().await.unwrap().ok);
}
