//! Snapshot tests of the generated models, one fixture per family of schema
//! constructs (`tests/fixtures/types/`). Review changes with `cargo insta review`.

use std::path::Path;

use orq_codegen_impl::Settings;

fn generated(fixture: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/types")
        .join(format!("{fixture}.yaml"));
    orq_tests::generated_text(&path, "Api")
}

macro_rules! snapshot {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            insta::assert_snapshot!(concat!("types_", stringify!($name)), generated(stringify!($name)));
        }
    )*};
}

snapshot!(
    presence,
    formats,
    constraints,
    enums,
    composition,
    recursion,
    names,
    defaults,
    scalar_all_of
);

/// Same spec, byte-identical output, for every family.
#[test]
fn every_fixture_is_deterministic() {
    for fixture in [
        "presence",
        "formats",
        "constraints",
        "enums",
        "composition",
        "recursion",
        "names",
        "defaults",
        "scalar_all_of",
    ] {
        assert_eq!(generated(fixture), generated(fixture), "{fixture}");
    }
}

/// Inline objects nested `levels` deep, as JSON (each level `{type, properties: {next: ..}}`).
fn nested_spec(levels: usize) -> String {
    let mut schema = r#"{"type":"string"}"#.to_string();
    for _ in 0..levels {
        schema = format!(r#"{{"type":"object","properties":{{"next":{schema}}}}}"#);
    }
    format!(
        r#"{{"openapi":"3.0.3","info":{{"title":"Deep","version":"1"}},"paths":{{}},
        "components":{{"schemas":{{"Deep":{schema}}}}}}}"#
    )
}

/// Very deep inline nesting never overflows the stack: 45 levels of inline objects (92
/// levels of JSON) generate named types; past the document nesting limit (96 levels,
/// see `load.rs`) it is a diagnostic, never a crash.
#[test]
fn very_deep_nesting_generates_or_reports_without_overflow() {
    let file = Path::new("deep.json");
    let settings = Settings::new().with_client_name("Api");
    let ok = orq_codegen_impl::generate_str(&nested_spec(45), file, &settings)
        .expect("45 levels generate");
    assert!(ok.to_string().contains("DeepNext"));
    for levels in [50, 100, 1_000, 10_000] {
        let result = orq_codegen_impl::generate_str(&nested_spec(levels), file, &settings);
        let diagnostics = result.expect_err("too deep to parse");
        assert!(!diagnostics.is_empty(), "{levels}");
    }
}
