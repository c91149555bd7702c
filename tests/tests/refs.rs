//! `$ref`s to any JSON pointer, and `$ref` as JSON Reference wherever its target fits:
//! `tests/fixtures/refs/pointers.yaml` names schemas, a parameter and a response schema
//! inside other objects (`#/components/schemas/Tag/allOf/0`,
//! `#/paths/~1tags/get/parameters/0`, `#/components/schemas/Catalog/definitions/Price`);
//! `tests/fixtures/refs/multifile/` takes a whole map of properties, a list of parameters
//! and a map of responses from other files, and a schema by a pointer into another file's
//! schema. Each target is one Rust type however it is reached; the SDKs compile under
//! `#![deny(warnings)]`, are snapshotted, and reach the wire.

#[deny(warnings)]
#[allow(dead_code)]
mod pointers {
    orq_codegen::generate!(spec = "fixtures/refs/pointers.yaml", client = "Pointers");
}

#[deny(warnings)]
#[allow(dead_code)]
mod balancers {
    orq_codegen::generate!(
        spec = "fixtures/refs/multifile/openapi.yaml",
        client = "Balancers"
    );
}

use std::path::Path;

use orq_tests::{Recorder, Reply};
use serde_json::json;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/refs")
        .join(name)
}

#[test]
fn the_sdks_are_snapshotted_and_nothing_is_degraded() {
    for (name, file, client) in [
        ("refs_pointers", "pointers.yaml", "Pointers"),
        ("refs_multifile", "multifile/openapi.yaml", "Balancers"),
    ] {
        let found =
            orq_codegen_impl::expand_file(&fixture(file), &orq_codegen_impl::Settings::new())
                .diagnostics;
        assert!(found.is_empty(), "{file}: {found:#?}");
        insta::assert_snapshot!(name, orq_tests::generated_text(&fixture(file), client));
    }
}

/// A schema reached inline and by `$ref`s is one type: these functions only compile if
/// the types are the same.
#[test]
fn a_schema_reached_inline_and_by_pointer_is_one_type() {
    use balancers::models::{LoadBalancer, LoadBalancerBaseAllOf0ForwardingRulesItem as Rule};
    use pointers::models::{Catalog, CatalogPrice, Pet, PetOwner, TagAllOf0};

    fn owner(pet: Pet) -> PetOwner {
        pet.owner
    }
    fn first_price(catalog: Catalog) -> Option<CatalogPrice> {
        catalog.prices?.into_iter().next()
    }
    fn first_tag(pet: Pet) -> Option<TagAllOf0> {
        pet.tags?.into_iter().next()
    }
    fn rules(lb: LoadBalancer) -> Option<Vec<Rule>> {
        lb.forwarding_rules
    }
    let _ = (owner, first_price, first_tag, rules);
}

#[tokio::test]
async fn pointers_to_parameters_and_schemas_of_other_operations_reach_the_wire() {
    let tags = json!([{"name": "cat", "color": "red"}, {"name": "new", "color": "teal"}]);
    let owner = json!({"name": "Ann", "phone": "555"});
    let server = Recorder::start(vec![Reply::json(200, tags), Reply::json(200, owner)], None).await;
    let client = pointers::Pointers::builder()
        .server_url(server.url())
        .build()
        .unwrap();
    // `searchTags` has `listTags`'s parameter and response schema.
    let found: Vec<pointers::models::TagAllOf0> = client.search_tags().prefix("ca").await.unwrap();
    assert_eq!(found[0].name, "cat");
    assert_eq!(found[1].color.as_ref().map(|c| c.as_str()), Some("teal"));
    let err = client
        .search_tags()
        .prefix("x".repeat(21))
        .await
        .unwrap_err();
    assert!(
        matches!(err, orq_runtime::Error::InvalidRequest { .. }),
        "the shared parameter keeps its maxLength: {err:?}"
    );
    let owner = client.get_pet_owner(7).await.unwrap();
    assert_eq!(owner.phone.as_deref(), Some("555"));
    let sent = server.requests();
    assert_eq!(sent[0].uri, "/tags/search?prefix=ca");
    assert_eq!(sent[1].uri, "/pets/7/owner");
}

#[tokio::test]
async fn maps_and_lists_from_other_files_reach_the_wire() {
    let created = json!({"load_balancer": {"id": "4de7ac8b-495b-4884-9a69-1050c6793cd6", "name": "lb-1", "status": "new", "droplet_ids": [3, 4]}});
    let problem = json!({"id": "conflict", "message": "taken"});
    let server = Recorder::start(
        vec![
            Reply::json(200, json!({"load_balancers": []})),
            Reply::json(202, created),
            Reply::json(409, problem),
        ],
        None,
    )
    .await;
    let client = balancers::Balancers::builder()
        .server_url(server.url())
        .build()
        .unwrap();
    client
        .load_balancers()
        .list_load_balancers()
        .per_page(50)
        .page(2)
        .await
        .unwrap();
    let err = client
        .load_balancers()
        .list_load_balancers()
        .per_page(500)
        .await
        .unwrap_err();
    assert!(
        matches!(err, orq_runtime::Error::InvalidRequest { .. }),
        "{err:?}"
    );
    let rule = balancers::models::LoadBalancerBaseAllOf0ForwardingRulesItem::builder()
        .entry_port(443)
        .target_port(8443)
        .build()
        .unwrap();
    let body = balancers::models::LoadBalancerCreate::builder()
        .name("lb-1")
        .droplet_ids([3, 4])
        .tag("web")
        .region("ams3")
        .forwarding_rules([rule])
        .build()
        .unwrap();
    let created = client
        .load_balancers()
        .create_load_balancer(body.clone())
        .await
        .unwrap();
    let lb = created.load_balancer.unwrap();
    assert_eq!(lb.droplet_ids, Some(vec![3, 4]));
    assert_eq!(lb.status.as_ref().map(|s| s.as_str()), Some("new"));
    let err = client
        .load_balancers()
        .create_load_balancer(body)
        .await
        .unwrap_err();
    match err.api_error::<balancers::requests::LoadBalancersCreateLoadBalancer>() {
        Some(balancers::requests::LoadBalancersCreateLoadBalancerError::Other(problem)) => {
            assert_eq!(problem.message, "taken")
        }
        other => panic!("{other:?}"),
    }
    let sent = server.requests();
    assert_eq!(sent[0].uri, "/load_balancers?per_page=50&page=2");
    assert_eq!(
        sent[1].json(),
        json!({"name": "lb-1", "forwarding_rules": [{"entry_port": 443, "target_port": 8443}],
               "droplet_ids": [3, 4], "tag": "web", "region": "ams3"})
    );
}
