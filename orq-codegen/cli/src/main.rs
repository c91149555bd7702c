//! `orq-codegen`: the generator behind `generate!` as a command, for people who want the
//! generated code checked in and reviewed in diffs.
//!
//! ```text
//! orq-codegen generate spec/orq.yaml -o src/sdk.rs --client Orq
//! orq-codegen check spec/orq.yaml
//! orq-codegen docs spec/orq.yaml -o docs --client Orq --sdk-path orq_client
//! orq-codegen diff old.yaml spec/orq.yaml --format markdown --client Orq
//! ```
//!
//! `generate` writes exactly the code the macro emits (without the macro's
//! `include_bytes!` of the spec), formatted with prettyplease. Both commands print every
//! diagnostic (`error: ..`, `degraded: ..`) and exit with status 1 when there is an error;
//! degradations alone (what is generated less exactly than the spec says) exit 0. `docs`
//! writes the usage docs (Markdown, one page per group and per model); with `--check` it
//! writes nothing and fails when the pages on disk differ. `diff` says what changed for
//! the SDK's users between two specs (or recorded surfaces). `--surface FILE` names the
//! committed API surface file: `generate` writes it and says what changed, `check`
//! reports what changed and fails while it is out of date.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use orq_codegen_impl::diff::report;
use orq_codegen_impl::record;
use orq_codegen_impl::surface::file as surface_text;
use orq_codegen_impl::{Diagnostic, DocsOptions, Settings, Surface, SurfaceCheck};

#[derive(Parser)]
#[command(
    name = "orq-codegen",
    version,
    about = "OpenAPI -> typed async Rust SDK"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the SDK source file.
    Generate {
        /// The Swagger 2.0 or OpenAPI 3.0/3.1 document (.yaml, .yml or .json).
        spec: PathBuf,
        /// Where to write the code (standard output when omitted or `-`).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The API surface file to bring up to date with the code, printing what changed
        /// since it.
        #[arg(long, value_name = "FILE")]
        surface: Option<PathBuf>,
        #[command(flatten)]
        options: Options,
    },
    /// Write the usage docs: Markdown pages per group and per model, with examples.
    Docs {
        /// The Swagger 2.0 or OpenAPI 3.0/3.1 document (.yaml, .yml or .json).
        spec: PathBuf,
        /// The directory to write (`README.md`, `sdks/{group}/README.md`, `models/*.md`).
        #[arg(short, long)]
        output: PathBuf,
        /// How users name the generated SDK in examples, e.g. `orq_client` or `my_app::api`.
        #[arg(long)]
        sdk_path: String,
        /// Where users reach the runtime's re-exports (`RetryConfig`, `chrono`, `url`,
        /// `serde_json`); default: the runtime path.
        #[arg(long)]
        runtime_path: Option<String>,
        /// Write nothing; exit with status 1 when a page is missing, stale or left over.
        #[arg(long)]
        check: bool,
        #[command(flatten)]
        options: Options,
    },
    /// Check the spec and print every error and degradation; exits with status 1 on an error.
    Check {
        /// The Swagger 2.0 or OpenAPI 3.0/3.1 document (.yaml, .yml or .json).
        spec: PathBuf,
        /// The committed API surface file: print what the spec changed since it, and exit
        /// with status 1 while it is out of date (`ORQ_SURFACE=update` writes it).
        #[arg(long, value_name = "FILE")]
        surface: Option<PathBuf>,
        #[command(flatten)]
        options: Options,
    },
    /// Say what changed for the SDK's users from OLD to NEW: every change to the Rust API,
    /// classed as breaking the build, changing behaviour at run time, or additive.
    /// Exits with status 2 when a spec cannot be read.
    Diff {
        /// The old spec, or a surface file recorded from it.
        old: PathBuf,
        /// The new spec, or a surface file.
        new: PathBuf,
        /// `text`, `markdown` (a changelog section) or `json`.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Exit with status 1 when a change breaks the build (a CI gate on spec updates).
        #[arg(long)]
        deny_breaking: bool,
        #[command(flatten)]
        options: Options,
    },
}

/// The formats of `diff`.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Markdown,
    Json,
}

/// The options of `generate!`, with the same names.
#[derive(Args)]
struct Options {
    /// Name of the client type (macro: `client = "Name"`).
    #[arg(long, default_value = "Client")]
    client: String,
    /// Prefix of the variables `from_env` reads (macro: `env_prefix`).
    #[arg(long)]
    env_prefix: Option<String>,
    /// Extra derive on every model; repeatable (macro: `derive = [..]`).
    #[arg(long = "derive", value_name = "PATH")]
    derives: Vec<String>,
    /// Generate only operations with this tag (their first); repeatable (macro: `tags = [..]`).
    /// Untagged operations, methods of the client, are left out.
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
    /// Generate only this operationId; repeatable (macro: `operations = [..]`).
    #[arg(long = "operation", value_name = "ID")]
    operations: Vec<String>,
    /// Use an existing type for a component schema, `Schema=path::Type`; repeatable
    /// (macro: `replace = { Schema = "path::Type" }`).
    #[arg(long = "replace", value_name = "SCHEMA=TYPE", value_parser = parse_replacement)]
    replacements: Vec<(String, String)>,
    /// Path of the runtime crate in generated code (macro: `runtime`).
    #[arg(long)]
    runtime: Option<String>,
    /// Compile the operations' rustdoc examples as doctests, naming the SDK (and the
    /// runtime's types it re-exports) by this path (macro: `doc_tests`).
    #[arg(long, value_name = "PATH")]
    doc_tests: Option<String>,
    /// A `mock` module with a typed mock server of the API, for tests (macro: `mock = true`).
    #[arg(long)]
    mock: bool,
    /// The `mock` module, only when the SDK crate's cargo feature FEATURE is on
    /// (macro: `mock = "FEATURE"`).
    #[arg(long, value_name = "FEATURE")]
    mock_feature: Option<String>,
    /// Only the `models` module: the types and their serde impls, no builders, checks,
    /// client or operations (macro: `models_only = true`). The floor the compile-cost
    /// benchmark compares the SDK with.
    #[arg(long)]
    models_only: bool,
}

fn parse_replacement(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((schema, path)) if !schema.trim().is_empty() && !path.trim().is_empty() => {
            Ok((schema.trim().to_string(), path.trim().to_string()))
        }
        _ => Err(format!("expected SCHEMA=path::Type, got `{text}`")),
    }
}

impl Options {
    fn settings(&self) -> Settings {
        let mut settings = Settings::new().with_client_name(&self.client);
        if let Some(prefix) = &self.env_prefix {
            settings = settings.with_env_prefix(prefix);
        }
        if let Some(runtime) = &self.runtime {
            settings = settings.with_runtime_path(runtime);
        }
        if let Some(path) = &self.doc_tests {
            settings = settings.with_doc_tests(path, path);
        }
        if self.mock {
            settings = settings.with_mock(true);
        }
        if let Some(feature) = &self.mock_feature {
            settings = settings.with_mock_feature(feature);
        }
        if self.models_only {
            settings = settings.with_models_only(true);
        }
        for derive in &self.derives {
            settings = settings.with_derive(derive);
        }
        for tag in &self.tags {
            settings = settings.with_tag(tag);
        }
        for operation in &self.operations {
            settings = settings.with_operation(operation);
        }
        for (schema, path) in &self.replacements {
            settings = settings.with_replacement(schema, path);
        }
        settings
    }
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Generate {
            spec,
            output,
            surface,
            options,
        } => generate(&spec, output, surface.as_deref(), &options.settings()),
        Command::Check {
            spec,
            surface,
            options,
        } => check(&spec, surface.as_deref(), &options.settings()),
        Command::Diff {
            old,
            new,
            format,
            deny_breaking,
            options,
        } => {
            let format = match format {
                Format::Text => report::Format::Text,
                Format::Markdown => report::Format::Markdown,
                Format::Json => report::Format::Json,
            };
            diff(&old, &new, format, deny_breaking, &options.settings())
        }
        Command::Docs {
            spec,
            output,
            sdk_path,
            runtime_path,
            check,
            options,
        } => {
            let settings = options.settings();
            let runtime_path = runtime_path.unwrap_or_else(|| {
                let runtime = options.runtime.as_deref().unwrap_or("::orq_runtime");
                runtime.trim_start_matches("::").to_owned()
            });
            let docs = DocsOptions {
                sdk_path,
                runtime_path,
            };
            write_docs(&spec, &output, &settings, &docs, check)
        }
    }
}

/// Write (or with `check`, compare) every page.
fn write_docs(
    spec: &Path,
    dir: &Path,
    settings: &Settings,
    options: &DocsOptions,
    check: bool,
) -> ExitCode {
    let pages = match orq_codegen_impl::usage_docs_file(spec, settings, options) {
        Ok(pages) => pages,
        Err(diagnostics) => return report(&diagnostics),
    };
    let stale = match orq_codegen_impl::sync_usage_docs(dir, &pages, check) {
        Ok(stale) => stale,
        Err(err) => {
            eprintln!(
                "error: cannot write the docs under {}: {err}",
                dir.display()
            );
            return ExitCode::FAILURE;
        }
    };
    if !check || stale.is_empty() {
        return ExitCode::SUCCESS;
    }
    for path in &stale {
        eprintln!("stale: {}", path.display());
    }
    eprintln!(
        "{} page{} out of date: run `orq-codegen docs` without `--check`",
        stale.len(),
        if stale.len() == 1 { " is" } else { "s are" }
    );
    ExitCode::FAILURE
}

fn generate(
    spec: &Path,
    output: Option<PathBuf>,
    surface: Option<&Path>,
    settings: &Settings,
) -> ExitCode {
    let settings = with_surface(settings, surface);
    let (code, surface) = match orq_codegen_impl::render_file(spec, &settings) {
        Ok(rendered) => {
            print_diagnostics(&rendered.degradations);
            (rendered.code, rendered.surface)
        }
        Err(diagnostics) => return report(&diagnostics),
    };
    // The surface file follows the code it describes.
    if let Some(check) = surface.filter(|check| !check.is_current()) {
        if check.recorded != record::Recorded::Missing {
            for line in check.message(&check.file) {
                eprintln!("surface: {line}");
            }
        }
        if let Err(err) = check.update() {
            eprintln!("error: cannot write {}: {err}", check.file.display());
            return ExitCode::FAILURE;
        }
        eprintln!("surface: wrote {}", check.file.display());
    }
    match output.filter(|o| o.as_os_str() != "-") {
        None => {
            use std::io::Write;
            match std::io::stdout().lock().write_all(code.as_bytes()) {
                // A closed pipe (`| head`) is the reader's choice, not a failure.
                Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
                    eprintln!("error: cannot write the code to standard output: {err}");
                    ExitCode::FAILURE
                }
                _ => ExitCode::SUCCESS,
            }
        }
        Some(path) => match orq_codegen_impl::build::write_if_changed(&path, &code) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("error: cannot write {}: {err}", path.display());
                ExitCode::FAILURE
            }
        },
    }
}

fn with_surface(settings: &Settings, surface: Option<&Path>) -> Settings {
    match surface {
        Some(file) => settings.clone().with_surface_file(file),
        None => settings.clone(),
    }
}

fn check(spec: &Path, surface: Option<&Path>, settings: &Settings) -> ExitCode {
    match orq_codegen_impl::check_file(spec, &with_surface(settings, surface)) {
        Ok(checked) => {
            print_diagnostics(&checked.degradations);
            let surface = checked.surface.as_ref().map(check_surface);
            let degraded = match checked.degradations.len() {
                0 => String::new(),
                1 => ", 1 degradation".to_string(),
                n => format!(", {n} degradations"),
            };
            // The spec's operations: an event-stream form is a second method of one.
            let operations = checked
                .api
                .operations
                .iter()
                .filter(|op| !matches!(op.form, Some(orq_codegen_impl::ir::Form::Stream { .. })))
                .count();
            println!(
                "{}: ok ({operations} operations, {} types{degraded})",
                spec.display(),
                checked.api.types.len()
            );
            surface.unwrap_or(ExitCode::SUCCESS)
        }
        Err(diagnostics) => report(&diagnostics),
    }
}

/// The surface file next to the spec's surface: written with `ORQ_SURFACE=update`,
/// else what changed since it, failing while it is out of date.
fn check_surface(check: &SurfaceCheck) -> ExitCode {
    if record::update_requested() {
        return match check.update() {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("error: cannot write {}: {err}", check.file.display());
                ExitCode::FAILURE
            }
        };
    }
    let lines = check.message(&check.file);
    if lines.is_empty() {
        return ExitCode::SUCCESS;
    }
    for line in lines {
        eprintln!("surface: {line}");
    }
    eprintln!(
        "surface: record the new surface once reviewed: rerun with `{}=update` (or `ORQ_SURFACE=update cargo build` where the macro or build.rs names the file)",
        record::UPDATE_VAR
    );
    ExitCode::FAILURE
}

/// `diff`: exit status 2 when a side cannot be read, 1 with `deny_breaking` and a
/// change that breaks the build.
fn diff(
    old: &Path,
    new: &Path,
    format: report::Format,
    deny_breaking: bool,
    settings: &Settings,
) -> ExitCode {
    let (Some(old_surface), Some(new_surface)) = (side(old, settings), side(new, settings)) else {
        return ExitCode::from(2);
    };
    let changes = orq_codegen_impl::diff::diff(&old_surface, &new_surface);
    let named = |path: &Path, surface: &Surface| report::Side {
        spec: path.display().to_string(),
        title: surface.client.title.clone(),
        version: surface.client.version.clone(),
    };
    let (old_side, new_side) = (named(old, &old_surface), named(new, &new_surface));
    let text = report::Report {
        old: &old_side,
        new: &new_side,
        changes: &changes,
    }
    .render(format);
    if let Err(err) = write_stdout(&text) {
        eprintln!("error: cannot write the report to standard output: {err}");
        return ExitCode::from(2);
    }
    let breaking = changes
        .iter()
        .any(|c| c.impact == orq_codegen_impl::diff::Impact::Breaking);
    if deny_breaking && breaking {
        eprintln!("error: the changes break the build of code that uses the SDK (--deny-breaking)");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// The surface of a spec, or of a surface file (which starts with its header line);
/// none when it cannot be read (said on standard error).
fn side(path: &Path, settings: &Settings) -> Option<Surface> {
    let recorded = std::fs::read_to_string(path)
        .ok()
        .filter(|text| surface_text::is_surface(text));
    if let Some(text) = recorded {
        return surface_text::parse(&text)
            .map_err(|err| eprintln!("error: {}: {err}", path.display()))
            .ok();
    }
    match orq_codegen_impl::surface_file(path, settings) {
        Ok(surface) => Some(surface),
        Err(diagnostics) => {
            print_diagnostics(&diagnostics);
            None
        }
    }
}

/// Write to standard output; a closed pipe (`| head`) is the reader's choice, not a failure.
fn write_stdout(text: &str) -> std::io::Result<()> {
    use std::io::Write;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => Err(err),
        _ => Ok(()),
    }
}

/// Each diagnostic on standard error, as `error: ..` or `degraded: ..`.
fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{}: {d}", d.severity.label());
    }
}

fn report(diagnostics: &[Diagnostic]) -> ExitCode {
    print_diagnostics(diagnostics);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    eprintln!("{errors} error{} found", if errors == 1 { "" } else { "s" });
    ExitCode::FAILURE
}
