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
//! Only a document no usable client can come out of is an error ([`Severity::Error`]);
//! what the spec allows but Rust cannot express exactly is generated less exactly and
//! reported as a [`Severity::Degradation`] saying what was done.
//! [`expand_file`] keeps the code for the parts that did generate next to the diagnostics
//! (the macro's fallback); [`render_file`] is the formatted file the CLI writes, and
//! [`build::generate_to_out_dir`] writes it from a `build.rs`.

#![deny(missing_docs)]

pub mod build;
mod check;
pub mod diag;
mod emit;
pub mod ir;
mod limits;
mod load;
mod lower;
mod naming;
mod settings;

use std::path::Path;

use proc_macro2::TokenStream;

pub use diag::{Diagnostic, Location, Severity};
pub use settings::Settings;

/// Generate the SDK for the spec file at `path` (`.yaml`, `.yml` or `.json`).
///
/// Any error makes this an error with every diagnostic; degradations alone do not (see
/// [`expand_file`] for the code together with every diagnostic, as the macro uses it).
pub fn generate_file(path: &Path, settings: &Settings) -> Result<TokenStream, Vec<Diagnostic>> {
    expand_file(path, settings).into_result()
}

/// Generate the SDK from spec text; `file` names it in diagnostics and its extension
/// selects JSON (`.json`) or YAML.
pub fn generate_str(
    text: &str,
    file: &Path,
    settings: &Settings,
) -> Result<TokenStream, Vec<Diagnostic>> {
    expand_str(text, file, settings).into_result()
}

/// What generation produced: code for everything that could be generated, and every
/// problem found.
///
/// When the spec has problems, `tokens` is still a complete, compilable SDK for the
/// parts that did generate (broken operations are left out, broken schemas become
/// `serde_json::Value`); when the spec could not be read at all it is an SDK with no
/// operations. The macro emits it next to the errors so that one spec problem shows
/// as one error, not as fifty unresolved names (thiserror's fallback habit).
#[derive(Debug)]
pub struct Generated {
    /// The generated code (possibly partial, see above).
    pub tokens: TokenStream,
    /// Every error and degradation found, in the order found; empty when the spec is
    /// expressed exactly.
    pub diagnostics: Vec<Diagnostic>,
}

impl Generated {
    /// Whether any diagnostic is an error (degradations are not).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The degradations: what was generated less exactly than the spec says.
    pub fn degradations(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| !d.is_error())
    }

    /// The code when there were no errors (degradations are dropped: read them from
    /// [`Generated::degradations`] first), else every diagnostic.
    pub fn into_result(self) -> Result<TokenStream, Vec<Diagnostic>> {
        if self.has_errors() {
            Err(self.diagnostics)
        } else {
            Ok(self.tokens)
        }
    }
}

/// The formatted SDK and the degradations met generating it.
#[derive(Debug)]
pub struct Rendered {
    /// The formatted Rust source.
    pub code: String,
    /// What was generated less exactly than the spec says, each with file and place.
    pub degradations: Vec<Diagnostic>,
}

/// The IR of a spec without errors, and its degradations.
#[derive(Debug)]
pub struct Checked {
    /// The IR that would be emitted.
    pub api: ir::Api,
    /// What is generated less exactly than the spec says, each with file and place.
    pub degradations: Vec<Diagnostic>,
}

/// Generate the SDK for the spec file at `path`, keeping the partial code when there
/// are problems. This is exactly what `generate!` expands to (plus its compile errors).
pub fn expand_file(path: &Path, settings: &Settings) -> Generated {
    let mut diags = diag::Diagnostics::new(path);
    let spec = load::load(path, &mut diags);
    finish(spec, settings, diags)
}

/// [`expand_file`] for spec text; `file` names it in diagnostics and its extension
/// selects JSON (`.json`) or YAML.
pub fn expand_str(text: &str, file: &Path, settings: &Settings) -> Generated {
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
) -> Generated {
    let mut api = analyze(spec, settings, &mut diags);
    let diagnostics = diags.into_vec();
    api.degradations = diagnostics
        .iter()
        .filter(|d| !d.is_error())
        .map(|d| match &d.location {
            Location::Pointer(at) => format!("`{at}`: {}", d.message),
            _ => d.message.clone(),
        })
        .collect();
    Generated {
        tokens: emit::emit(&api, settings),
        diagnostics,
    }
}

/// The IR of a parsed spec: the settings checked against it, lowering, then the
/// cross-cutting checks. A spec that could not be read gives a client with no operations.
fn analyze(
    spec: Option<openapiv3::OpenAPI>,
    settings: &Settings,
    diags: &mut diag::Diagnostics,
) -> ir::Api {
    check::settings(spec.as_ref(), settings, diags);
    let api = lower::lower(&spec.unwrap_or_default(), settings, diags);
    check::check(&api, diags);
    api
}

/// Read and parse the spec into the OpenAPI model only (3.1 documents normalized), for
/// tools and benchmarks that measure or inspect the document itself.
pub fn parse_file(path: &Path) -> Result<openapiv3::OpenAPI, Vec<Diagnostic>> {
    let mut diags = diag::Diagnostics::new(path);
    load::load(path, &mut diags).ok_or_else(|| diags.into_vec())
}

/// Parse the spec and build the IR without emitting code (for `check` and tests): the
/// IR and the degradations, or every diagnostic when there is an error.
pub fn check_file(path: &Path, settings: &Settings) -> Result<Checked, Vec<Diagnostic>> {
    let mut diags = diag::Diagnostics::new(path);
    let Some(spec) = load::load(path, &mut diags) else {
        return Err(diags.into_vec());
    };
    let api = analyze(Some(spec), settings, &mut diags);
    if diags.has_errors() {
        Err(diags.into_vec())
    } else {
        Ok(Checked {
            api,
            degradations: diags.into_vec(),
        })
    }
}

/// The generated SDK as formatted Rust source (what the CLI writes and what
/// [`build::generate_to_out_dir`] writes, byte for byte) and its degradations.
pub fn render_file(path: &Path, settings: &Settings) -> Result<Rendered, Vec<Diagnostic>> {
    let generated = expand_file(path, settings);
    if generated.has_errors() {
        return Err(generated.diagnostics);
    }
    let degradations = generated.diagnostics;
    let code = format_tokens(&generated.tokens).map_err(|err| {
        vec![Diagnostic {
            severity: Severity::Error,
            file: path.to_path_buf(),
            location: Location::File,
            message: format!("the generated code does not parse as Rust: {err}"),
            help: Some("this is a bug in orq-codegen: please report it with the spec".into()),
        }]
    })?;
    Ok(Rendered { code, degradations })
}

/// Format generated tokens as a Rust source file with prettyplease.
pub fn format_tokens(tokens: &TokenStream) -> Result<String, syn::Error> {
    let file = syn::parse2::<syn::File>(tokens.clone())?;
    Ok(prettyplease::unparse(&file))
}

/// The IR of a YAML document, for unit tests of the passes after lowering: the API and
/// every problem reported.
#[cfg(test)]
pub(crate) fn test_api(yaml: &str, settings: &Settings) -> (ir::Api, Vec<Diagnostic>) {
    let mut diags = diag::Diagnostics::new(Path::new("test.yaml"));
    let spec = load::parse_str(yaml, false, &mut diags);
    let api = analyze(spec, settings, &mut diags);
    (api, diags.into_vec())
}
