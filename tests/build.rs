//! Enables `cfg(docspace)` when the DocSpace spec is available: CI sets
//! `ORQ_DOCSPACE_SPEC` (see `.ci/run`); a fresh clone without `../shared` skips those tests.

fn main() {
    formatted_fixtures();
    println!("cargo:rustc-check-cfg=cfg(docspace)");
    println!("cargo:rerun-if-env-changed=ORQ_DOCSPACE_SPEC");
    if let Some(path) = std::env::var_os("ORQ_DOCSPACE_SPEC")
        && std::path::Path::new(&path).is_file()
    {
        println!("cargo:rustc-cfg=docspace");
    }
}

/// Writes the prettyplease text of each fixture's SDK (what a `build.rs` user of
/// orq-codegen-impl gets) to `OUT_DIR`, for `tests/formatted.rs` to compile: rustc skips
/// some lints inside macro expansions, so the macro tests alone would miss them.
fn formatted_fixtures() {
    let Some(out) = std::env::var_os("OUT_DIR") else {
        return;
    };
    for (fixture, spec, client) in [
        ("petstore", "fixtures/petstore.yaml", "Petstore"),
        ("bodies", "fixtures/bodies.yaml", "Bodies"),
        ("params", "fixtures/params.yaml", "Params"),
        ("openapi31", "fixtures/openapi31.yaml", "V31"),
        ("multifile", "fixtures/multifile/openapi.yaml", "Multifile"),
    ] {
        let settings = orq_codegen_impl::Settings::new().with_client_name(client);
        let generated = orq_codegen_impl::expand_file(std::path::Path::new(spec), &settings);
        // The spec and every file its `$ref`s point at.
        for file in &generated.files {
            println!("cargo:rerun-if-changed={}", file.display());
        }
        let text = generated
            .into_result()
            .ok()
            .and_then(|tokens| orq_codegen_impl::format_tokens(&tokens).ok())
            .unwrap_or_else(|| format!("compile_error!(\"{spec} does not generate\");"));
        let _ = std::fs::write(
            std::path::Path::new(&out).join(format!("{fixture}.rs")),
            text,
        );
    }
}
