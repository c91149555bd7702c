//! What the spec allows but Rust cannot express exactly is generated anyway, less
//! exactly, and said: one fixture per class of degradation, each with its
//! diagnostics and generated code snapshotted, compiled under `#![deny(warnings)]`,
//! and, where the wire shows the difference, called over 127.0.0.1.

use std::path::{Path, PathBuf};

use orq_codegen_impl::{Settings, Severity};
use orq_tests::{Recorder, Reply};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// The degradations of a fixture as `check` prints them (file-relative), none an error.
fn degradations(name: &str) -> String {
    let generated = orq_codegen_impl::expand_file(&fixture(name), &Settings::new());
    generated
        .diagnostics
        .iter()
        .map(|d| {
            assert_eq!(d.severity, Severity::Degradation, "{d}");
            let shown = orq_codegen_impl::Diagnostic {
                file: PathBuf::from(name),
                ..d.clone()
            };
            shown.to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

macro_rules! snapshots {
    ($($test:ident => $file:literal),* $(,)?) => {$(
        #[test]
        fn $test() {
            insta::assert_snapshot!(
                concat!("degraded_", stringify!($test), "_diagnostics"),
                degradations($file)
            );
            insta::assert_snapshot!(
                concat!("degraded_", stringify!($test)),
                orq_tests::generated_text(&fixture($file), "Api")
            );
        }
    )*};
}

snapshots!(
    required_undeclared => "types/required_undeclared.yaml",
    ecma_patterns => "types/ecma_patterns.yaml",
    wide_numbers => "types/wide_numbers.yaml",
    lenient_uri => "types/lenient_uri.yaml",
    undeclared_path_params => "degraded/undeclared_path_params.yaml",
    constructs => "degraded/constructs.yaml",
    streams => "degraded/streams.yaml",
    composition => "degraded/composition.yaml",
    duplicate_operation_ids => "degraded/duplicate_operation_ids.yaml",
    mixed_kinds => "degraded/mixed_kinds.yaml",
    draft3_required => "degraded/draft3_required.yaml",
    swagger2_collection_formats => "degraded/swagger2_collection_formats.yaml",
);

#[deny(warnings)]
#[allow(dead_code)]
mod required {
    orq_codegen::generate!(spec = "fixtures/types/required_undeclared.yaml");
}

#[deny(warnings)]
#[allow(dead_code)]
mod patterns {
    orq_codegen::generate!(spec = "fixtures/types/ecma_patterns.yaml");
}

#[deny(warnings)]
#[allow(dead_code)]
mod numbers {
    orq_codegen::generate!(spec = "fixtures/types/wide_numbers.yaml");
}

#[deny(warnings)]
#[allow(dead_code)]
mod lenient {
    orq_codegen::generate!(spec = "fixtures/types/lenient_uri.yaml", client = "Sites");
}

#[deny(warnings)]
#[allow(dead_code)]
mod inferred {
    orq_codegen::generate!(
        spec = "fixtures/degraded/undeclared_path_params.yaml",
        client = "Posts"
    );
}

#[deny(warnings)]
#[allow(dead_code)]
mod streams {
    orq_codegen::generate!(spec = "fixtures/degraded/streams.yaml");
}

#[deny(warnings)]
#[allow(dead_code)]
mod constructs {
    orq_codegen::generate!(spec = "fixtures/degraded/constructs.yaml");
}

#[deny(warnings)]
#[allow(dead_code)]
mod composition {
    // `Bird` only comes in responses; the test builds it.
    orq_codegen::generate!(
        spec = "fixtures/degraded/composition.yaml",
        response_builders = true
    );
}

/// A tag the base maps to itself or to no child is `Unknown`, kept whole; an `allOf` of
/// scalars of two types is any JSON value; of two patterns, the first is checked.
#[test]
fn compositions_held_less_exactly_keep_the_value() {
    use composition::models::{Animal, Bird};
    let animal = serde_json::json!({"kind": "animal", "code": [1]});
    let read: Animal = serde_json::from_value(animal.clone()).expect("decodes");
    assert_eq!(read, Animal::Unknown(animal));
    let bird: Animal =
        serde_json::from_value(serde_json::json!({"kind": "bird", "code": "x", "tag": "UPPER"}))
            .expect("decodes");
    let Animal::Bird(Bird { code, .. }) = &bird else {
        panic!("{bird:?}");
    };
    assert_eq!(
        code,
        &orq_runtime::OptionalNullable::Value(serde_json::json!("x"))
    );
    let built = Bird::builder().tag("abcdefghijk").build();
    assert!(
        built.is_ok(),
        "the second pattern is not checked: {built:?}"
    );
    let refused = Bird::builder().tag("UPPER").build().unwrap_err();
    assert_eq!(refused.violations[0].constraint, "pattern");
}

#[deny(warnings)]
#[allow(dead_code)]
mod duplicates {
    orq_codegen::generate!(spec = "fixtures/degraded/duplicate_operation_ids.yaml");
}

#[deny(warnings)]
#[allow(dead_code)]
mod mixed {
    orq_codegen::generate!(spec = "fixtures/degraded/mixed_kinds.yaml");
}

#[deny(warnings)]
#[allow(dead_code)]
mod draft3 {
    orq_codegen::generate!(spec = "fixtures/degraded/draft3_required.yaml");
}

#[deny(warnings)]
#[allow(dead_code)]
mod formats {
    orq_codegen::generate!(spec = "fixtures/degraded/swagger2_collection_formats.yaml");
}

/// Swagger 2.0 collection formats without an OpenAPI 3 style are sent comma-separated.
#[tokio::test]
async fn collection_formats_3_0_cannot_say_are_sent_comma_separated() {
    let server = Recorder::start(
        vec![Reply {
            status: 204,
            headers: Vec::new(),
            body: Vec::new(),
        }],
        None,
    )
    .await;
    let client = formats::Client::builder()
        .server_url(server.url())
        .build()
        .unwrap();
    client
        .get_report(vec!["a".to_string(), "b".into()])
        .filters(vec!["x".to_string(), "y".into()])
        .await
        .unwrap();
    assert_eq!(server.requests()[0].uri, "/reports/a,b?filters=x%2Cy");
}

/// A repeated operationId is numbered in document order: both operations are there, each
/// with its own method, request type and id.
#[tokio::test]
async fn a_repeated_operation_id_is_numbered_and_both_operations_work() {
    let server = Recorder::start(
        vec![
            Reply::json(200, serde_json::json!(["book"])),
            Reply::json(200, serde_json::json!([1, 2])),
        ],
        None,
    )
    .await;
    let client = duplicates::Client::builder()
        .server_url(server.url())
        .build()
        .unwrap();
    let items: Vec<String> = client.catalog().list().await.unwrap();
    let users: Vec<i64> = client.catalog().list_2().await.unwrap();
    assert_eq!((items, users), (vec!["book".to_string()], vec![1, 2]));
    let sent = server.requests();
    assert_eq!(
        (sent[0].uri.as_str(), sent[1].uri.as_str()),
        ("/items", "/users")
    );
    // The request types are apart too, and the operation without an id has one of its own.
    let _: fn(&duplicates::Client) -> duplicates::requests::CatalogList2 =
        duplicates::funcs::catalog_list_2;
    let _ = duplicates::funcs::catalog_get_orders;
}

/// A request body named as a response, and a response named as a request body, are used.
#[tokio::test]
async fn kinds_mixed_up_with_compatible_shapes_are_used() {
    let note = serde_json::json!({"id": "n1", "text": "hello"});
    let server = Recorder::start(
        vec![Reply::json(201, note.clone()), Reply::json(200, note)],
        None,
    )
    .await;
    let client = mixed::Client::builder()
        .server_url(server.url())
        .build()
        .unwrap();
    let body = mixed::models::Note::builder()
        .text("hello")
        .build()
        .unwrap();
    // A response has no `required`: the body it gives is optional.
    let created = client.create_note().body(body.clone()).await.unwrap();
    let replaced = client.replace_note("n1", body).await.unwrap();
    assert_eq!(created.id.as_deref(), Some("n1"));
    assert_eq!(replaced.text, "hello");
    assert_eq!(
        server.requests()[0].json(),
        serde_json::json!({"text": "hello"})
    );
}

/// Draft 3's `required: true` makes the property required, in requests and responses.
#[test]
fn draft_3_required_properties_are_required() {
    use draft3::models::{Account, AccountAddress};
    let missing = Account::builder().nickname("ann").build().unwrap_err();
    assert_eq!(missing.violations[0].path, "email");
    let address: Result<AccountAddress, _> =
        serde_json::from_value(serde_json::json!({"zip": "1000"}));
    assert!(address.is_err(), "`city` is required");
    let account: Account = serde_json::from_value(
        serde_json::json!({"id": "a1", "email": "a@example.com", "address": {"city": "Oslo"}}),
    )
    .unwrap();
    assert_eq!(account.email, "a@example.com");
    assert_eq!(account.address.map(|a| a.city).as_deref(), Some("Oslo"));
}

/// `required` names without a property are required fields: typed by
/// `additionalProperties` when there is one, any JSON value otherwise.
#[test]
fn undeclared_required_names_are_required_fields() {
    use required::models::{Event, Labels};
    let event: Event =
        serde_json::from_value(serde_json::json!({"id": "e1", "kind": {"a": 1}})).expect("decodes");
    assert_eq!(event.kind, serde_json::json!({"a": 1}));
    // A response without the key (specs misspell `required` names) is not lost: `null`.
    let event: Event = serde_json::from_value(serde_json::json!({"id": "e1"})).expect("decodes");
    assert_eq!(event.kind, serde_json::Value::Null);
    // Requests still need it.
    assert!(Event::builder().id("e1").build().is_err());
    let labels: Labels =
        serde_json::from_value(serde_json::json!({"name": "n", "owner": "o", "team": "t"}))
            .expect("decodes");
    assert_eq!(labels.owner, "o");
    assert_eq!(
        serde_json::to_value(&labels).unwrap(),
        serde_json::json!({"name": "n", "owner": "o", "team": "t"})
    );
}

/// Look-ahead and back-references are checked by `build()`; a pattern no engine
/// compiles is skipped.
#[test]
fn ecma_262_patterns_are_checked() {
    use patterns::models::Account;
    let ok = Account::builder()
        .user("alice")
        .pair("abab")
        .broken("anything")
        .build();
    assert!(ok.is_ok(), "{ok:?}");
    let err = Account::builder()
        .user("admin")
        .pair("abba")
        .build()
        .unwrap_err();
    let failed: Vec<(&str, &str)> = err
        .violations
        .iter()
        .map(|v| (v.path.as_str(), v.constraint))
        .collect();
    assert_eq!(failed, [("user", "pattern"), ("pair", "pattern")]);
}

/// Bounds beyond 64 bits no longer cost the field its type; in-range parts still check.
#[test]
fn wide_bounds_keep_integer_types() {
    use numbers::models::Counter;
    let counter = Counter::builder()
        .low(i64::MIN)
        .high(i64::MAX)
        .step(3)
        .name("x".repeat(50))
        .half(1)
        .build();
    assert!(counter.is_ok(), "{counter:?}");
    let err = Counter::builder().half(0).build().unwrap_err();
    assert_eq!(err.violations[0].constraint, "minimum");
    let err = Counter::builder().half(10).build().unwrap_err();
    assert_eq!(err.violations[0].constraint, "maximum");
}

/// A `format: uri` value that the WHATWG parser refuses (`https://a.b.2`) does not lose
/// the response: every field survives and the text is kept; requests stay strict.
#[tokio::test]
async fn a_uri_the_url_parser_refuses_keeps_the_response() {
    let server = Recorder::start(
        vec![Reply::json(
            200,
            serde_json::json!({
                "name": "docs", "home": "https://a.b.2",
                "mirrors": ["https://example.com/m", "https://c.d.3"], "visits": 7
            }),
        )],
        None,
    )
    .await;
    let client = lenient::Sites::builder()
        .server_url(server.url())
        .build()
        .unwrap();
    let site = client.get_site().await.expect("the response decodes");
    assert_eq!(site.name, "docs");
    assert_eq!(site.home, "https://a.b.2");
    assert!(site.home.to_url().is_err());
    let mirrors = site.mirrors.clone().unwrap();
    assert_eq!(mirrors[0].to_url().unwrap().host_str(), Some("example.com"));
    assert_eq!(mirrors[1].as_str(), "https://c.d.3");
    assert_eq!(site.visits, Some(7));

    let err = lenient::models::Site::builder()
        .name("docs")
        .home(orq_runtime::Uri::new("https://a.b.2"))
        .build()
        .unwrap_err();
    assert_eq!(err.violations[0].path, "home");
    assert_eq!(err.violations[0].constraint, "format");
}

/// Undeclared path template variables become required string arguments, sent in the path.
#[tokio::test]
async fn undeclared_path_parameters_are_inferred_and_sent() {
    let server = Recorder::start(
        vec![Reply::json(200, serde_json::json!({"title": "hi"}))],
        None,
    )
    .await;
    let client = inferred::Posts::builder()
        .server_url(server.url())
        .build()
        .unwrap();
    let post = client
        .posts()
        .get_post("u 1", "p2")
        .expand(true)
        .await
        .unwrap();
    assert_eq!(post.title.as_deref(), Some("hi"));
    assert_eq!(
        server.requests()[0].uri,
        "/users/u%201/posts/p2?expand=true"
    );
}
