//! Snapshot tests of the prettyplease-formatted generated code, one per spec.
//! Review changes with `cargo insta review` (or `INSTA_UPDATE=always`).

use std::path::Path;

fn generated(spec: &str, client: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    orq_tests::generated_text(&root.join(spec), client)
}

#[test]
fn orq_contacts() {
    insta::assert_snapshot!("orq", generated("spec/orq.yaml", "Orq"));
}

#[test]
fn petstore() {
    insta::assert_snapshot!(
        "petstore",
        generated("tests/fixtures/petstore.yaml", "Petstore")
    );
}

#[test]
fn bodies() {
    insta::assert_snapshot!("bodies", generated("tests/fixtures/bodies.yaml", "Bodies"));
}

/// Any 2XX decoded by the one success type; a redirect as the answer (not followed).
#[test]
fn statuses() {
    insta::assert_snapshot!(
        "statuses",
        generated("tests/fixtures/statuses.yaml", "Statuses")
    );
}

/// Values made every way: `readOnly` skipped in requests, passwords redacted, `From`
/// for unions and builders, `Default` on all-optional models.
#[test]
fn conversions() {
    insta::assert_snapshot!(
        "conversions",
        generated("tests/fixtures/conversions.yaml", "Accounts")
    );
}

#[test]
fn sse() {
    insta::assert_snapshot!("sse", generated("tests/fixtures/sse.yaml", "Chat"));
}

#[test]
fn inheritance() {
    insta::assert_snapshot!(
        "inheritance",
        generated("tests/fixtures/inheritance.yaml", "Shelter")
    );
}

/// JSON or an event stream on one status: both forms, with the typed mock server.
#[test]
fn stream_or_json() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let settings = orq_codegen_impl::Settings::new()
        .with_client_name("Completions")
        .with_mock(true);
    insta::assert_snapshot!(
        "stream_or_json",
        orq_tests::generated_text_with(&root.join("tests/fixtures/stream_or_json.yaml"), settings)
    );
}

#[test]
fn pages() {
    insta::assert_snapshot!("pages", generated("tests/fixtures/pages.yaml", "Pages"));
}

#[test]
fn files() {
    insta::assert_snapshot!("files", generated("tests/fixtures/files.yaml", "Files"));
}

#[test]
fn generation_is_deterministic() {
    assert_eq!(
        generated("tests/fixtures/petstore.yaml", "Petstore"),
        generated("tests/fixtures/petstore.yaml", "Petstore")
    );
}

#[test]
fn openapi31() {
    insta::assert_snapshot!(
        "openapi31",
        generated("tests/fixtures/openapi31.yaml", "V31")
    );
}

#[test]
fn params() {
    insta::assert_snapshot!("params", generated("tests/fixtures/params.yaml", "Params"));
}

#[test]
fn multifile() {
    insta::assert_snapshot!(
        "multifile",
        generated("tests/fixtures/multifile/openapi.yaml", "Multifile")
    );
}

#[test]
fn errors() {
    insta::assert_snapshot!("errors", generated("tests/fixtures/errors.yaml", "Errors"));
}

#[test]
fn collisions() {
    insta::assert_snapshot!(
        "collisions",
        generated("tests/fixtures/collisions.yaml", "Api")
    );
}

/// The typed mock server's module (setting `mock`), with the rest of its fixture SDK.
#[test]
fn mock() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let settings = orq_codegen_impl::Settings::new()
        .with_client_name("Notes")
        .with_mock(true);
    insta::assert_snapshot!(
        "mock",
        orq_tests::generated_text_with(&root.join("tests/fixtures/mock.yaml"), settings)
    );
}

/// Groups as cargo features: every group's items and the models only it reaches under
/// its feature, shared models under `any(..)`, with the typed mock server.
#[test]
fn features() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let settings = orq_codegen_impl::Settings::new()
        .with_client_name("Shop")
        .with_mock(true)
        .with_features_per_tag(true);
    insta::assert_snapshot!(
        "features",
        orq_tests::generated_text_with(&root.join("tests/fixtures/features.yaml"), settings)
    );
}
