//! The formatted text of generated code (what `orq_codegen_impl::format_tokens` gives a
//! `build.rs` user) compiles under `#[deny(warnings)]` too. Written by `build.rs`; rustc
//! skips some lints (unused `mut`, unused labels) inside macro expansions, so the
//! `generate!` tests alone would not catch them. Each is generated with its `mock` module.
//! `cargo clippy --all-targets -- -D warnings` checks the same text, so the generated
//! code is clippy-clean as written to a file, not only inside the macro.

macro_rules! formatted {
    ($name:ident, $file:literal) => {
        #[deny(warnings)]
        #[allow(dead_code)]
        mod $name {
            include!(concat!(env!("OUT_DIR"), "/", $file));
        }
    };
}

formatted!(petstore, "petstore.rs");
formatted!(bodies, "bodies.rs");
formatted!(files, "files.rs");
formatted!(params, "params.rs");
formatted!(openapi31, "openapi31.rs");
formatted!(multifile, "multifile.rs");
formatted!(notes, "mock.rs");
formatted!(sse, "sse.rs");
formatted!(pages, "pages.rs");
formatted!(errors, "errors.rs");

#[test]
fn formatted_sdks_compile() {
    let _ = petstore::Petstore::builder();
    let _ = params::Params::builder();
    let _ = multifile::Multifile::builder();
    let _ = sse::Chat::builder();
    let _ = pages::Pages::builder();
    let _ = errors::Errors::builder();
}
