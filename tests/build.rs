//! Enables `cfg(docspace)` when the DocSpace spec is available: CI sets
//! `ORQ_DOCSPACE_SPEC` (see `.ci/run`); a fresh clone without `../shared` skips those tests.
//! Enables `cfg(prism)` when `ORQ_PRISM` names the Prism executable (the conformance test).

fn main() {
    formatted_fixtures();
    println!("cargo:rustc-check-cfg=cfg(docspace)");
    println!("cargo:rustc-check-cfg=cfg(prism)");
    println!("cargo:rerun-if-env-changed=ORQ_PRISM");
    if let Some(path) = std::env::var_os("ORQ_PRISM")
        && std::path::Path::new(&path).is_file()
    {
        println!("cargo:rustc-cfg=prism");
    }
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
    for (fixture, client) in [
        ("petstore", "Petstore"),
        ("bodies", "Bodies"),
        ("params", "Params"),
        ("openapi31", "V31"),
    ] {
        let spec = format!("fixtures/{fixture}.yaml");
        println!("cargo:rerun-if-changed={spec}");
        let settings = orq_codegen_impl::Settings::new().with_client_name(client);
        let text = orq_codegen_impl::generate_file(std::path::Path::new(&spec), &settings)
            .ok()
            .and_then(|tokens| orq_codegen_impl::format_tokens(&tokens).ok())
            .unwrap_or_else(|| format!("compile_error!(\"{spec} does not generate\");"));
        let _ = std::fs::write(
            std::path::Path::new(&out).join(format!("{fixture}.rs")),
            text,
        );
    }
}
