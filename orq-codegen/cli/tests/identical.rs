//! The macro, the CLI and build.rs produce byte-identical code.
//!
//! - macro: `generate!` expands to `orq_codegen_impl::expand_file` with the spec included
//!   by `include_bytes!` (its only difference; with no diagnostics there are no errors);
//! - CLI: `orq-codegen generate SPEC -o FILE`, run as a process;
//! - build.rs: `generate_to_out_dir`, as run by the `orq-example-build-rs` crate.

use std::path::{Path, PathBuf};
use std::process::Command;

use orq_codegen_impl::{Settings, expand_file, format_tokens};

fn workspace(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

/// What the macro expands to, with its `include_bytes!` item taken off, formatted.
fn macro_output(spec: &Path, settings: &Settings) -> String {
    let included = spec.display().to_string();
    let generated = expand_file(spec, &settings.clone().with_include_spec(&included));
    assert!(
        generated.diagnostics.is_empty(),
        "{:?}",
        generated.diagnostics
    );
    let mut file: syn::File = syn::parse2(generated.tokens).expect("macro output parses");
    let include: syn::Item = syn::parse_quote!(
        const _: &[u8] = include_bytes!(#included);
    );
    let tokens = |item: &syn::Item| quote::ToTokens::to_token_stream(item).to_string();
    assert_eq!(
        file.items.first().map(tokens),
        Some(tokens(&include)),
        "the expansion starts with the spec include"
    );
    file.items.remove(0);
    format_tokens(&quote::ToTokens::to_token_stream(&file)).expect("formats")
}

fn cli_output(spec: &Path, args: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("sdk.rs");
    let status = Command::new(env!("CARGO_BIN_EXE_orq-codegen"))
        .arg("generate")
        .arg(spec)
        .arg("-o")
        .arg(&out)
        .args(args)
        .status()
        .expect("run orq-codegen");
    assert!(status.success());
    std::fs::read_to_string(out).expect("read the CLI output")
}

#[test]
fn orq_spec_is_identical_from_macro_cli_and_build_rs() {
    let spec = workspace("spec/orq.yaml");
    let settings = Settings::new().with_client_name("Orq");
    let from_macro = macro_output(&spec, &settings);
    let from_cli = cli_output(&spec, &["--client", "Orq"]);
    assert!(
        from_cli == from_macro,
        "CLI output differs from the macro's"
    );
    assert!(
        orq_example_build_rs::sources::ORQ == from_macro,
        "build.rs output differs from the macro's"
    );
}

#[test]
fn fixture_is_identical_from_macro_cli_and_build_rs() {
    let spec = workspace("tests/fixtures/petstore.yaml");
    let settings = Settings::new().with_client_name("Petstore");
    let from_macro = macro_output(&spec, &settings);
    let from_cli = cli_output(&spec, &["--client", "Petstore"]);
    assert!(
        from_cli == from_macro,
        "CLI output differs from the macro's"
    );
    assert!(
        orq_example_build_rs::sources::PETSTORE == from_macro,
        "build.rs output differs from the macro's"
    );
}

#[test]
fn options_reach_the_cli_as_they_reach_the_macro() {
    let spec = workspace("tests/fixtures/petstore.yaml");
    let settings = Settings::new()
        .with_client_name("Shop")
        .with_env_prefix("SHOP")
        .with_derive("Default")
        .with_tag("pets")
        .with_operation("pets_list")
        .with_replacement("Category", "crate::Category")
        .with_runtime_path("::my_crate::runtime");
    let from_cli = cli_output(
        &spec,
        &[
            "--client",
            "Shop",
            "--env-prefix",
            "SHOP",
            "--derive",
            "Default",
            "--tag",
            "pets",
            "--operation",
            "pets_list",
            "--replace",
            "Category=crate::Category",
            "--runtime",
            "::my_crate::runtime",
        ],
    );
    assert!(from_cli == macro_output(&spec, &settings));
    assert!(from_cli.contains("pub struct Shop"));
    assert!(from_cli.contains("crate::Category"));
}
