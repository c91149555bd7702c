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
#![forbid(unsafe_code)]

pub mod build;
pub mod cache;
pub mod cargo_features;
mod check;
pub mod diag;
pub mod diff;
mod digest;
mod emit;
mod files;
pub mod ir;
mod limits;
mod load;
mod lower;
mod naming;
pub mod record;
mod settings;
pub mod surface;
mod usage;

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;

pub use diag::{Diagnostic, Location, Severity};
pub use record::SurfaceCheck;
pub use settings::DocsOptions;
pub use settings::Settings;
pub use surface::Surface;

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
    /// Every file read: the spec, then the files its `$ref`s point at (relative to the
    /// spec's directory, in the order first met). Editing any of them changes the SDK.
    pub files: Vec<PathBuf>,
    /// With [`Settings::with_surface_file`]: the recorded API surface next to the spec's.
    pub surface: Option<SurfaceCheck>,
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
    /// With [`Settings::with_surface_file`]: the recorded API surface next to the spec's.
    pub surface: Option<SurfaceCheck>,
}

/// The IR of a spec without errors, and its degradations.
#[derive(Debug)]
pub struct Checked {
    /// The IR that would be emitted.
    pub api: ir::Api,
    /// What is generated less exactly than the spec says, each with file and place.
    pub degradations: Vec<Diagnostic>,
    /// With [`Settings::with_surface_file`]: the recorded API surface next to the spec's.
    pub surface: Option<SurfaceCheck>,
}

/// Generate the SDK for the spec file at `path`, keeping the partial code when there
/// are problems. This is exactly what `generate!` expands to (plus its compile errors).
pub fn expand_file(path: &Path, settings: &Settings) -> Generated {
    expand_file_read(path, settings).0
}

/// [`expand_file`], and the digest of each of [`Generated::files`] as it was read (`None`:
/// it could not be read).
pub(crate) fn expand_file_read(
    path: &Path,
    settings: &Settings,
) -> (Generated, Vec<Option<digest::Digest>>) {
    let mut diags = diag::Diagnostics::new(path);
    let loaded = load::load(path, &mut diags);
    let digests = loaded.sources.digests().map(|(_, digest)| digest).collect();
    (finish(loaded, settings, diags), digests)
}

/// [`expand_file`] for spec text; `file` names it in diagnostics and its extension
/// selects JSON (`.json`) or YAML.
pub fn expand_str(text: &str, file: &Path, settings: &Settings) -> Generated {
    let mut diags = diag::Diagnostics::new(file);
    let loaded = load::read_str(text, named_json(file), &mut diags);
    finish(loaded, settings, diags)
}

/// Whether spec text reported as `file` is read as JSON (`.json`) rather than YAML.
fn named_json(file: &Path) -> bool {
    file.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

fn finish(loaded: load::Loaded, settings: &Settings, mut diags: diag::Diagnostics) -> Generated {
    let mut api = analyze(loaded.api, settings, &mut diags);
    let diagnostics = located(diags, &loaded.sources);
    api.degradations = diagnostics
        .iter()
        .filter(|d| !d.is_error())
        .map(|d| match &d.location {
            Location::Pointer(at) => format!("`{at}`: {}", d.message),
            _ => d.message.clone(),
        })
        .collect();
    let includes = includes(settings, &loaded.sources.files);
    let code = emit::emit(&api, settings);
    // A spec with errors has a partial surface: comparing it would report every
    // operation that failed as removed.
    let surface = match diagnostics.iter().any(Diagnostic::is_error) {
        true => None,
        false => surface_check(&api, settings, &loaded.sources),
    };
    Generated {
        tokens: quote!(#includes #code),
        diagnostics,
        files: loaded.sources.files,
        surface,
    }
}

/// With [`Settings::with_surface_file`], the recorded surface next to the IR's; nothing
/// is computed without it.
fn surface_check(
    api: &ir::Api,
    settings: &Settings,
    sources: &load::Sources,
) -> Option<SurfaceCheck> {
    let file = settings.surface_file()?;
    let surface = Surface::of(api, settings, &|ptr| sources.place(&ptr.to_string()));
    Some(SurfaceCheck::new(file, &surface))
}

/// With [`Settings::with_include_spec`], one `include_bytes!` per file read, so that the
/// build depends on each: editing any of them regenerates the SDK.
fn includes(settings: &Settings, files: &[PathBuf]) -> TokenStream {
    let Some(spec) = &settings.include_spec else {
        return TokenStream::new();
    };
    // A file that cannot be read has an error of its own; including it would add another.
    let referenced = files
        .iter()
        .skip(1)
        .filter(|file| file.is_file())
        .filter_map(|file| std::path::absolute(file).ok())
        .map(|file| file.display().to_string());
    let included = std::iter::once(spec.clone()).chain(referenced);
    quote! {
        #(
            // Makes the build depend on the spec: editing it regenerates the SDK.
            const _: &[u8] = include_bytes!(#included);
        )*
    }
}

/// Every diagnostic, those inside parts copied from other files moved to those files.
fn located(diags: diag::Diagnostics, sources: &load::Sources) -> Vec<Diagnostic> {
    diags
        .into_vec()
        .into_iter()
        .map(|d| sources.locate(d))
        .collect()
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
    let loaded = load::load(path, &mut diags);
    let sources = loaded.sources;
    loaded.api.ok_or_else(|| located(diags, &sources))
}

/// Parse the spec and build the IR without emitting code (for `check` and tests): the
/// IR and the degradations, or every diagnostic when there is an error.
pub fn check_file(path: &Path, settings: &Settings) -> Result<Checked, Vec<Diagnostic>> {
    Ok(checked(ir_file(path, settings)?, settings))
}

/// The API surface of the SDK for the spec file at `path`: every item its users can
/// name, by Rust path, with its type and its place in the spec (for `orq-codegen diff`
/// and tools; compare two with [`diff::diff`]).
pub fn surface_file(path: &Path, settings: &Settings) -> Result<Surface, Vec<Diagnostic>> {
    let (api, _, sources) = ir_file(path, settings)?;
    Ok(Surface::of(&api, settings, &|ptr| {
        sources.place(&ptr.to_string())
    }))
}

/// The IR of the spec at `path`, its degradations and the files read; every diagnostic
/// when there is an error.
fn ir_file(path: &Path, settings: &Settings) -> Result<Analyzed, Vec<Diagnostic>> {
    let mut diags = diag::Diagnostics::new(path);
    let loaded = load::load(path, &mut diags);
    ir_loaded(loaded, settings, diags)
}

/// [`ir_file`] for spec text named `file` (see [`check_str`]).
fn ir_str(text: &str, file: &Path, settings: &Settings) -> Result<Analyzed, Vec<Diagnostic>> {
    let mut diags = diag::Diagnostics::new(file);
    let loaded = load::read_str(text, named_json(file), &mut diags);
    ir_loaded(loaded, settings, diags)
}

/// The IR of a spec without errors, its degradations and the files read.
type Analyzed = (ir::Api, Vec<Diagnostic>, load::Sources);

fn ir_loaded(
    loaded: load::Loaded,
    settings: &Settings,
    mut diags: diag::Diagnostics,
) -> Result<Analyzed, Vec<Diagnostic>> {
    if loaded.api.is_none() {
        return Err(located(diags, &loaded.sources));
    }
    let api = analyze(loaded.api, settings, &mut diags);
    let diagnostics = located(diags, &loaded.sources);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    Ok((api, diagnostics, loaded.sources))
}

/// [`check_file`] for spec text; `file` names it in diagnostics, its extension selects
/// JSON (`.json`) or YAML, and `$ref`s to other files are read relative to its directory.
pub fn check_str(text: &str, file: &Path, settings: &Settings) -> Result<Checked, Vec<Diagnostic>> {
    Ok(checked(ir_str(text, file, settings)?, settings))
}

/// The [`Checked`] of an analyzed spec: its IR, degradations and surface file check.
fn checked((api, degradations, sources): Analyzed, settings: &Settings) -> Checked {
    let surface = surface_check(&api, settings, &sources);
    Checked {
        api,
        degradations,
        surface,
    }
}

/// The usage docs of the SDK for the spec file at `path`: Markdown pages in the layout of
/// the orq TypeScript and Python SDKs' docs, keyed by path relative to the docs directory
/// (`README.md`, `sdks/{group}/README.md`, `models/{model}.md`). Every operation has a
/// Rust example, its parameters, response and errors; every model its fields.
pub fn usage_docs_file(
    path: &Path,
    settings: &Settings,
    options: &DocsOptions,
) -> Result<std::collections::BTreeMap<String, String>, Vec<Diagnostic>> {
    let checked = check_file(path, settings)?;
    Ok(usage::pages(&checked.api, settings, options))
}

/// [`usage_docs_file`] for spec text, named `file` as in [`check_str`].
pub fn usage_docs_str(
    text: &str,
    file: &Path,
    settings: &Settings,
    options: &DocsOptions,
) -> Result<std::collections::BTreeMap<String, String>, Vec<Diagnostic>> {
    let checked = check_str(text, file, settings)?;
    Ok(usage::pages(&checked.api, settings, options))
}

/// Bring the usage docs under `dir` up to date with `pages` (from [`usage_docs_file`]):
/// write what differs and remove Markdown pages under `sdks/` and `models/` that are no
/// longer generated. With `check`, change nothing. Returns the pages that were (or, with
/// `check`, would be) written or removed.
pub fn sync_usage_docs(
    dir: &Path,
    pages: &std::collections::BTreeMap<String, String>,
    check: bool,
) -> std::io::Result<Vec<std::path::PathBuf>> {
    usage::sync(dir, pages, check)
}

/// The generated SDK as formatted Rust source (what the CLI writes and what
/// [`build::generate_to_out_dir`] writes, byte for byte) and its degradations.
pub fn render_file(path: &Path, settings: &Settings) -> Result<Rendered, Vec<Diagnostic>> {
    render(path, expand_file(path, settings))
}

/// [`render_file`] for spec text, named `file` as in [`check_str`].
pub fn render_str(
    text: &str,
    file: &Path,
    settings: &Settings,
) -> Result<Rendered, Vec<Diagnostic>> {
    render(file, expand_str(text, file, settings))
}

/// The formatted file of a generation without errors and its degradations, else every
/// diagnostic.
fn render(path: &Path, generated: Generated) -> Result<Rendered, Vec<Diagnostic>> {
    if generated.has_errors() {
        return Err(generated.diagnostics);
    }
    let surface = generated.surface;
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
    Ok(Rendered {
        code,
        degradations,
        surface,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The paths of the expansion's `include_bytes!` items.
    fn included(tokens: TokenStream) -> Vec<PathBuf> {
        let file = syn::parse2::<syn::File>(tokens).expect("the expansion parses");
        file.items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Const(c) => match &*c.expr {
                    syn::Expr::Macro(m) if m.mac.path.is_ident("include_bytes") => {
                        m.mac.parse_body::<syn::LitStr>().ok()
                    }
                    _ => None,
                },
                _ => None,
            })
            .map(|lit| PathBuf::from(lit.value()))
            .collect()
    }

    #[test]
    fn every_file_a_spec_reads_is_listed_and_included() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/multifile");
        let dir = dir.canonicalize().expect("the fixture folder");
        let spec = dir.join("openapi.yaml");
        let settings = Settings::new().with_include_spec(spec.display().to_string());
        let generated = expand_file(&spec, &settings);
        assert!(
            generated.diagnostics.is_empty(),
            "{:?}",
            generated.diagnostics
        );
        let relative = |files: &[PathBuf]| -> Vec<String> {
            files
                .iter()
                .map(|f| f.strip_prefix(&dir).unwrap_or(f).display().to_string())
                .collect()
        };
        let expected = [
            "openapi.yaml",
            // Components of the spec that are `$ref`s are looked at first.
            "shared/region.json",
            "resources/droplets/paths.yml",
            "shared/parameters.yml",
            "shared/headers.yml",
            "resources/droplets/models.yml",
            "resources/droplets/request_bodies.yml",
            "resources/droplets/responses.yml",
            "shared/errors.yml",
            "resources/networks/models.json",
        ];
        assert_eq!(relative(&generated.files), expected);
        assert_eq!(relative(&included(generated.tokens)), expected);
        let plain = expand_file(&spec, &Settings::new());
        assert!(
            included(plain.tokens).is_empty(),
            "nothing is included unless asked"
        );
    }

    #[test]
    fn diagnostics_of_a_swagger_2_document_in_several_files_point_into_those_files() {
        let dir = std::env::temp_dir().join(format!("orq-codegen-swagger2-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let spec = dir.join("swagger.yaml");
        let text = "swagger: '2.0'\ninfo: {title: t, version: '1'}\nhost: example.com\npaths:\n  /pets:\n    get:\n      parameters:\n        - $ref: 'parameters.yaml#/tags'\n      responses:\n        '200': {description: ok, schema: {type: array, items: {$ref: 'Pet.yaml'}}}\n    post:\n      parameters:\n        - {name: pet, in: body, schema: {type: object, properties: {a: {not: {type: string}}}}}\n      responses:\n        '204': {description: done}\n";
        std::fs::write(&spec, text).expect("spec");
        std::fs::write(
            dir.join("parameters.yaml"),
            "tags: {name: tags, in: query, type: array, items: {type: string}, collectionFormat: tsv}\n",
        )
        .expect("parameters");
        std::fs::write(
            dir.join("Pet.yaml"),
            "type: object\nproperties:\n  kind: {not: {type: integer}}\n",
        )
        .expect("pet");
        let generated = expand_file(&spec, &Settings::new());
        let _ = std::fs::remove_dir_all(&dir);
        let found: Vec<(String, String)> = generated
            .diagnostics
            .iter()
            .map(|d| {
                assert!(!d.is_error(), "{d}");
                let file = d
                    .file
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                let Location::Pointer(at) = &d.location else {
                    panic!("{d}")
                };
                (file, at.clone())
            })
            .collect();
        let expected = [
            ("parameters.yaml", "#/tags/collectionFormat"),
            ("Pet.yaml", "#/properties/kind"),
            (
                "swagger.yaml",
                "#/paths/~1pets/post/parameters/0/schema/properties/a",
            ),
        ];
        for (file, at) in expected {
            assert!(
                found.iter().any(|(f, a)| f == file && a == at),
                "{file} at {at} in {found:#?}"
            );
        }
        assert_eq!(found.len(), 3, "{found:#?}");
    }

    #[test]
    fn a_cycle_of_refs_across_files_is_the_cycle_error_in_the_file_it_is_in() {
        let dir =
            std::env::temp_dir().join(format!("orq-codegen-pure-cycle-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let spec = dir.join("spec.yaml");
        let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Node: {type: object, properties: {next: {$ref: 'b.yaml#/X'}}}\n";
        std::fs::write(&spec, text).expect("spec");
        std::fs::write(dir.join("b.yaml"), "X: {$ref: 'c.yaml#/Y'}\n").expect("b");
        std::fs::write(dir.join("c.yaml"), "Y: {$ref: 'b.yaml#/X'}\n").expect("c");
        let found = expand_file(&spec, &Settings::new()).diagnostics;
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].file, dir.join("b.yaml"));
        assert_eq!(found[0].location, Location::Pointer("#/X".into()));
        assert!(
            found[0]
                .message
                .contains("refers to itself without passing through an object property"),
            "{}",
            found[0]
        );
    }
}
