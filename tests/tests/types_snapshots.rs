//! Snapshot tests of the generated models, one fixture per family of schema
//! constructs (`tests/fixtures/types/`). Review changes with `cargo insta review`.

use std::path::Path;

use orq_codegen_impl::{Settings, format_tokens, generate_file};

fn generated(fixture: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/types")
        .join(format!("{fixture}.yaml"));
    let tokens =
        generate_file(&path, &Settings::new().with_client_name("Api")).unwrap_or_else(|d| {
            panic!(
                "{}",
                d.iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        });
    format_tokens(&tokens).expect("generated code parses")
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
    defaults
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
    ] {
        assert_eq!(generated(fixture), generated(fixture), "{fixture}");
    }
}
