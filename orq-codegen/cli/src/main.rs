//! `orq-codegen`: the generator behind `generate!` as a command, for people who want the
//! generated code checked in and reviewed in diffs.
//!
//! ```text
//! orq-codegen generate spec/orq.yaml -o src/sdk.rs --client Orq
//! orq-codegen generate spec/orq.yaml -o src/sdk.rs --client Orq --check
//! orq-codegen check spec/orq.yaml --deny-degradations
//! orq-codegen docs spec/orq.yaml -o docs --client Orq --sdk-path orq_client
//! orq-codegen diff old.yaml spec/orq.yaml --format markdown --client Orq
//! orq-codegen features spec/orq.yaml --check Cargo.toml
//! ```
//!
//! `generate` writes exactly the code the macro emits (without the macro's
//! `include_bytes!` of the spec), formatted with prettyplease; `-o` replaces the file
//! atomically (a new file next to it, renamed over it). With `--check` it writes nothing
//! and exits with status 1 when the file on disk (or the surface file) differs, for
//! checked-in SDKs in CI. The commands print every diagnostic (`error: ..`, `degraded: ..`)
//! and exit with status 1 when there is an error; degradations alone (what is generated
//! less exactly than the spec says) exit 0 unless `--deny-degradations` is given. `docs`
//! writes the usage docs (Markdown, one page per group and per model); with `--check` it
//! writes nothing and fails when the pages on disk differ. `diff` says what changed for
//! the SDK's users between two specs (or recorded surfaces). `--surface FILE` names the
//! committed API surface file: `generate` writes it and says what changed, `check`
//! reports what changed and fails while it is out of date. The spec `-` of `generate`,
//! `check` and `docs` is read from standard input (JSON when it starts with `{`, YAML
//! otherwise); its `$ref`s to other files are then relative to the current directory.
//! `features` prints the `[features]` table of an SDK crate whose groups are cargo
//! features (`--features-per-tag`, macro `features = "tags"`); with `--check Cargo.toml`
//! it exits with status 1 when that file's table is stale.
#![forbid(unsafe_code)]

mod spec;
mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use orq_codegen_impl::cargo_features::FeatureTable;
use orq_codegen_impl::diff::report;
use orq_codegen_impl::record;
use orq_codegen_impl::surface::file as surface_text;
use orq_codegen_impl::{Diagnostic, DocsOptions, Settings, Surface, SurfaceCheck};

use spec::Spec;

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
        /// The Swagger 2.0 or OpenAPI 3.0/3.1 document (.yaml, .yml or .json), or `-` for
        /// standard input (its `$ref`s to other files are then relative to the current
        /// directory).
        spec: PathBuf,
        /// Where to write the code (standard output when omitted or `-`); the file is
        /// replaced atomically.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Write nothing; exit with status 1 when the file at `--output` (or the surface
        /// file) differs from what the spec generates (for checked-in SDKs in CI).
        #[arg(long, requires = "output")]
        check: bool,
        /// The API surface file to bring up to date with the code, printing what changed
        /// since it.
        #[arg(long, value_name = "FILE")]
        surface: Option<PathBuf>,
        #[command(flatten)]
        strict: Strict,
        #[command(flatten)]
        options: Options,
    },
    /// Write the usage docs: Markdown pages per group and per model, with examples.
    Docs {
        /// The Swagger 2.0 or OpenAPI 3.0/3.1 document (.yaml, .yml or .json), or `-` for
        /// standard input.
        spec: PathBuf,
        /// The directory to write (`README.md`, `sdks/{group}/README.md`, `models/*.md`).
        #[arg(short, long)]
        output: PathBuf,
        /// How users name the generated SDK in code, e.g. `orq_client` (the SDK is a crate's
        /// root) or `my_app::api` (a module): every example starts with `use` of it.
        /// Required: neither the spec nor the client name says where the SDK lives.
        #[arg(long)]
        sdk_path: Option<String>,
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
        /// The Swagger 2.0 or OpenAPI 3.0/3.1 document (.yaml, .yml or .json), or `-` for
        /// standard input.
        spec: PathBuf,
        /// The committed API surface file: print what the spec changed since it, and exit
        /// with status 1 while it is out of date (`ORQ_SURFACE=update` writes it).
        #[arg(long, value_name = "FILE")]
        surface: Option<PathBuf>,
        #[command(flatten)]
        strict: Strict,
        #[command(flatten)]
        options: Options,
    },
    /// Print the `[features]` table of an SDK crate whose groups (tags) are cargo features
    /// (`--features-per-tag`, macro `features = "tags"`), to paste into its Cargo.toml.
    Features {
        /// The Swagger 2.0 or OpenAPI 3.0/3.1 document (.yaml, .yml or .json), or `-` for
        /// standard input.
        spec: PathBuf,
        /// Print nothing but what is stale in this Cargo.toml's `[features]` (a group
        /// feature missing, `full` not naming exactly the groups); exit with status 1 when
        /// anything is.
        #[arg(long, value_name = "CARGO_TOML")]
        check: Option<PathBuf>,
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

/// How strict `generate` and `check` are.
#[derive(Args)]
struct Strict {
    /// Exit with status 1 when any degradation is reported (what the spec says that the
    /// SDK expresses less exactly); `generate` then writes nothing.
    #[arg(long)]
    deny_degradations: bool,
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
    /// Each group (tag) a cargo feature of the SDK crate, compiling its operations and the
    /// models only it reaches (macro: `features = "tags"`); `orq-codegen features` prints
    /// the `[features]` table.
    #[arg(long)]
    features_per_tag: bool,
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
        if self.features_per_tag {
            settings = settings.with_features_per_tag(true);
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
            check,
            surface,
            strict,
            options,
        } => {
            let Some(spec) = open(&spec) else {
                return ExitCode::FAILURE;
            };
            let output = Output {
                path: output,
                check,
            };
            generate(
                &spec,
                output,
                surface.as_deref(),
                &strict,
                &options.settings(),
            )
        }
        Command::Check {
            spec,
            surface,
            strict,
            options,
        } => {
            let Some(spec) = open(&spec) else {
                return ExitCode::FAILURE;
            };
            check(&spec, surface.as_deref(), &strict, &options.settings())
        }
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
        Command::Features {
            spec,
            check,
            options,
        } => {
            let Some(spec) = open(&spec) else {
                return ExitCode::FAILURE;
            };
            features(&spec, check.as_deref(), &options.settings())
        }
        Command::Docs {
            spec,
            output,
            sdk_path,
            runtime_path,
            check,
            options,
        } => {
            let Some(sdk_path) = sdk_path else {
                return missing_sdk_path();
            };
            let Some(spec) = open(&spec) else {
                return ExitCode::FAILURE;
            };
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

/// The spec named on the command line (`-`: standard input, read now); `None` when
/// standard input cannot be read (said on standard error).
fn open(path: &Path) -> Option<Spec> {
    Spec::open(path)
        .map_err(|err| eprintln!("error: cannot read the spec from standard input: {err}"))
        .ok()
}

/// `docs` without `--sdk-path`: why it is needed, and the likely value when the command
/// runs inside a crate.
fn missing_sdk_path() -> ExitCode {
    eprintln!(
        "error: `docs` needs `--sdk-path`: the path your users write to reach the generated SDK \
         (`orq_client` when the SDK is the root of the crate `orq-client`, `my_app::api` when it \
         is the module `api` of `my_app`). Every example in the pages starts with \
         `use <sdk-path>::...`, and neither the spec nor the client name says where the SDK lives."
    );
    if let Some(name) = enclosing_package() {
        eprintln!(
            "help: if the SDK is the root of the crate `{name}` (this directory's package): \
             --sdk-path {}",
            name.replace('-', "_")
        );
    }
    ExitCode::from(2)
}

/// The `name` of the nearest `Cargo.toml` at or above the current directory.
fn enclosing_package() -> Option<String> {
    let dir = std::env::current_dir().ok()?;
    let manifest = dir
        .ancestors()
        .map(|dir| dir.join("Cargo.toml"))
        .find(|manifest| manifest.is_file())?;
    let text = std::fs::read_to_string(manifest).ok()?;
    let mut in_package = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package && let Some(value) = line.strip_prefix("name") {
            let value = value.trim_start().strip_prefix('=')?.trim();
            return Some(value.trim_matches('"').to_owned());
        }
    }
    None
}

/// Write (or with `check`, compare) every page.
fn write_docs(
    spec: &Spec,
    dir: &Path,
    settings: &Settings,
    options: &DocsOptions,
    check: bool,
) -> ExitCode {
    let pages = match spec.usage_docs(settings, options) {
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

/// Where `generate` puts the code: standard output, a file, or (with `check`) nowhere,
/// comparing with the file instead.
struct Output {
    path: Option<PathBuf>,
    check: bool,
}

fn generate(
    spec: &Spec,
    output: Output,
    surface: Option<&Path>,
    strict: &Strict,
    settings: &Settings,
) -> ExitCode {
    let settings = with_surface(settings, surface);
    let (code, surface) = match spec.render(&settings) {
        Ok(rendered) => {
            print_diagnostics(&rendered.degradations);
            if let Some(denied) = denied(strict, &rendered.degradations) {
                return denied;
            }
            (rendered.code, rendered.surface)
        }
        Err(diagnostics) => return report(&diagnostics),
    };
    let path = output.path.filter(|o| o.as_os_str() != "-");
    if output.check {
        // clap requires `--output` with `--check`; `-o -` (standard output) has no file.
        let Some(path) = path else {
            eprintln!("error: `--check` compares with a file: give it with `-o PATH`");
            return ExitCode::from(2);
        };
        let code_fresh = compare_with_file(&path, &code);
        let surface_fresh = surface.is_none_or(|check| surface_is_current(&check));
        return if code_fresh && surface_fresh {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    }
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
    match path {
        None => match write_stdout(&code) {
            Err(err) => {
                eprintln!("error: cannot write the code to standard output: {err}");
                ExitCode::FAILURE
            }
            Ok(()) => ExitCode::SUCCESS,
        },
        Some(path) => match write::atomically(&path, &code) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("error: cannot write {}: {err}", path.display());
                ExitCode::FAILURE
            }
        },
    }
}

/// `generate --check`: the file at `path` holds exactly `code`; else why not, on standard
/// error.
fn compare_with_file(path: &Path, code: &str) -> bool {
    let on_disk = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            eprintln!(
                "{} is missing: run the same `orq-codegen generate` without `--check`",
                path.display()
            );
            return false;
        }
        Err(err) => {
            eprintln!("error: cannot read {}: {err}", path.display());
            return false;
        }
    };
    if on_disk == code.as_bytes() {
        return true;
    }
    let line = first_difference(&String::from_utf8_lossy(&on_disk), code);
    eprintln!(
        "{} differs from the code the spec generates (first at line {line}): run the same \
         `orq-codegen generate` without `--check`",
        path.display()
    );
    false
}

/// `generate --check` with `--surface`: the surface file is up to date; else what changed,
/// on standard error.
fn surface_is_current(check: &SurfaceCheck) -> bool {
    if check.is_current() {
        return true;
    }
    if check.recorded == record::Recorded::Missing {
        eprintln!(
            "surface: {} is missing: run the same `orq-codegen generate` without `--check`",
            check.file.display()
        );
    } else {
        for line in check.message(&check.file) {
            eprintln!("surface: {line}");
        }
    }
    false
}

/// The 1-based number of the first line where `old` and `new` differ.
fn first_difference(old: &str, new: &str) -> usize {
    let mut old_lines = old.split_inclusive('\n');
    let mut new_lines = new.split_inclusive('\n');
    let mut line = 1;
    while let (Some(a), Some(b)) = (old_lines.next(), new_lines.next()) {
        if a != b {
            return line;
        }
        line += 1;
    }
    line
}

/// With `--deny-degradations`, any degradation fails the command (they were printed).
fn denied(strict: &Strict, degradations: &[Diagnostic]) -> Option<ExitCode> {
    if !strict.deny_degradations || degradations.is_empty() {
        return None;
    }
    let n = degradations.len();
    eprintln!(
        "{n} degradation{} denied by --deny-degradations",
        if n == 1 { "" } else { "s" }
    );
    Some(ExitCode::FAILURE)
}

fn with_surface(settings: &Settings, surface: Option<&Path>) -> Settings {
    match surface {
        Some(file) => settings.clone().with_surface_file(file),
        None => settings.clone(),
    }
}

fn check(spec: &Spec, surface: Option<&Path>, strict: &Strict, settings: &Settings) -> ExitCode {
    match spec.check(&with_surface(settings, surface)) {
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
                spec.path().display(),
                checked.api.types.len()
            );
            let denied = denied(strict, &checked.degradations);
            denied.or(surface).unwrap_or(ExitCode::SUCCESS)
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

/// `features`: the table on standard output, or with `check`, what is stale in that
/// Cargo.toml (exit status 1), 2 when it cannot be read.
fn features(spec: &Spec, check: Option<&Path>, settings: &Settings) -> ExitCode {
    let settings = settings.clone().with_features_per_tag(true);
    let checked = match spec.check(&settings) {
        Ok(checked) => checked,
        Err(diagnostics) => return report(&diagnostics),
    };
    let Some(table) = FeatureTable::of(&checked.api, &settings) else {
        return ExitCode::FAILURE;
    };
    let Some(manifest) = check else {
        return match write_stdout(&table.render()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("error: cannot write the table to standard output: {err}");
                ExitCode::FAILURE
            }
        };
    };
    let declared = match declared_features(manifest) {
        Ok(declared) => declared,
        Err(err) => {
            eprintln!("error: {}: {err}", manifest.display());
            return ExitCode::from(2);
        }
    };
    let stale = table.stale(&declared);
    if stale.is_empty() {
        return ExitCode::SUCCESS;
    }
    for problem in &stale {
        eprintln!("stale: {}: {problem}", manifest.display());
    }
    eprintln!(
        "the `[features]` of {} are out of date: paste the table `orq-codegen features` prints",
        manifest.display()
    );
    ExitCode::FAILURE
}

/// The `[features]` of a Cargo.toml: each feature and what it enables.
fn declared_features(manifest: &Path) -> Result<BTreeMap<String, Vec<String>>, String> {
    let text = std::fs::read_to_string(manifest).map_err(|err| format!("cannot read it: {err}"))?;
    let doc: toml::Table = text.parse().map_err(|err| format!("not TOML: {err}"))?;
    let Some(features) = doc.get("features") else {
        return Ok(BTreeMap::new());
    };
    let table = features.as_table().ok_or("`features` is not a table")?;
    table
        .iter()
        .map(|(name, enabled)| {
            let list = enabled
                .as_array()
                .ok_or_else(|| format!("the feature `{name}` is not a list"))?;
            let items = list
                .iter()
                .map(|item| item.as_str().map(str::to_string))
                .collect::<Option<Vec<String>>>()
                .ok_or_else(|| format!("the feature `{name}` lists something other than text"))?;
            Ok((name.clone(), items))
        })
        .collect()
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
