//! The generator behind `orq_codegen::generate!`: OpenAPI document -> validated
//! intermediate representation -> Rust tokens.
//!
//! It is a plain library so that the proc macro, a `build.rs`, the CLI and snapshot
//! tests all produce exactly the same code:
//!
//! ```no_run
//! use orq_codegen_impl::{Settings, generate_file, format_tokens};
//! let settings = Settings::new().with_client_name("Orq");
//! let tokens = generate_file(std::path::Path::new("spec/orq.yaml"), &settings).unwrap();
//! println!("{}", format_tokens(&tokens).unwrap());
//! ```
//!
//! Every problem in a spec is a [`Diagnostic`] naming the file, the place (line:column or
//! JSON pointer) and what to do; all problems are reported at once and nothing panics.

#![deny(missing_docs)]

mod check;
pub mod diag;
mod emit;
pub mod ir;
mod load;
mod lower;
mod naming;
mod operations;
mod settings;
mod types;
mod v31;

use std::path::Path;

use proc_macro2::TokenStream;

pub use diag::{Diagnostic, Location};
pub use settings::Settings;

/// Generate the SDK for the spec file at `path` (`.yaml`, `.yml` or `.json`).
pub fn generate_file(path: &Path, settings: &Settings) -> Result<TokenStream, Vec<Diagnostic>> {
    let mut diags = diag::Diagnostics::new(path);
    let spec = load::load(path, &mut diags);
    finish(spec, settings, diags)
}

/// Generate the SDK from spec text; `file` names it in diagnostics and its extension
/// selects JSON (`.json`) or YAML.
pub fn generate_str(
    text: &str,
    file: &Path,
    settings: &Settings,
) -> Result<TokenStream, Vec<Diagnostic>> {
    let mut diags = diag::Diagnostics::new(file);
    let json = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let spec = load::parse_str(text, json, &mut diags);
    finish(spec, settings, diags)
}

fn finish(
    spec: Option<openapiv3::OpenAPI>,
    settings: &Settings,
    mut diags: diag::Diagnostics,
) -> Result<TokenStream, Vec<Diagnostic>> {
    let Some(spec) = spec else {
        return Err(diags.into_vec());
    };
    let api = lower::lower(&spec, settings, &mut diags);
    check::check(&api, &mut diags);
    if !diags.is_empty() {
        return Err(diags.into_vec());
    }
    Ok(emit::emit(&api, settings))
}

/// Read and parse the spec into the OpenAPI model only (3.1 documents normalized), for
/// tools and benchmarks that measure or inspect the document itself.
pub fn parse_file(path: &Path) -> Result<openapiv3::OpenAPI, Vec<Diagnostic>> {
    let mut diags = diag::Diagnostics::new(path);
    load::load(path, &mut diags).ok_or_else(|| diags.into_vec())
}

/// Parse the spec and build the IR without emitting code (for `check` and tests).
pub fn check_file(path: &Path, settings: &Settings) -> Result<ir::Api, Vec<Diagnostic>> {
    let mut diags = diag::Diagnostics::new(path);
    let Some(spec) = load::load(path, &mut diags) else {
        return Err(diags.into_vec());
    };
    let api = lower::lower(&spec, settings, &mut diags);
    check::check(&api, &mut diags);
    if diags.is_empty() {
        Ok(api)
    } else {
        Err(diags.into_vec())
    }
}

/// Format generated tokens as a Rust source file with prettyplease.
pub fn format_tokens(tokens: &TokenStream) -> Result<String, syn::Error> {
    let file = syn::parse2::<syn::File>(tokens.clone())?;
    Ok(prettyplease::unparse(&file))
}
