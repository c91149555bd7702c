//! Generation from a `build.rs`, for crates that prefer the generated file on disk
//! (readable in the IDE, no proc macro) over `generate!`.
//!
//! ```no_run
//! // build.rs
//! use orq_codegen_impl::{Settings, build::generate_to_out_dir};
//!
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let settings = Settings::new().with_client_name("Petstore");
//!     generate_to_out_dir("spec/petstore.yaml", &settings, "petstore.rs")?;
//!     Ok(())
//! }
//! ```
//!
//! ```ignore
//! // src/lib.rs
//! include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
//! ```
//!
//! The file holds exactly the code `generate!` expands to (without the macro's
//! `include_bytes!` of the spec and the files it refers to: `cargo:rerun-if-changed` tracks
//! them instead),
//! formatted with prettyplease, byte for byte what `orq-codegen generate` writes.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::{Diagnostic, Settings};

/// Why [`generate_to_out_dir`] failed.
#[derive(Debug)]
pub enum BuildError {
    /// `OUT_DIR` is not set: the function was called outside a build script.
    NoOutDir,
    /// The spec has problems (each was also printed as a `cargo:warning`).
    Spec(Vec<Diagnostic>),
    /// The generated file could not be written.
    Write(PathBuf, std::io::Error),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::NoOutDir => write!(
                f,
                "OUT_DIR is not set: call generate_to_out_dir from a build script"
            ),
            BuildError::Spec(diagnostics) => {
                write!(f, "the spec has {} problem(s):", diagnostics.len())?;
                for d in diagnostics {
                    write!(f, "\n{d}")?;
                }
                Ok(())
            }
            BuildError::Write(path, err) => write!(f, "cannot write {}: {err}", path.display()),
        }
    }
}

impl std::error::Error for BuildError {}

/// Generate the SDK for `spec` into `$OUT_DIR/file_name`, for use from `build.rs`.
///
/// A relative `spec` is resolved against `CARGO_MANIFEST_DIR` (as the macro does).
/// Prints `cargo:rerun-if-changed` for the spec and every file its `$ref`s point at, so
/// editing any of them regenerates the file; prints each diagnostic (`error: ..` or
/// `degraded: ..`) as a `cargo:warning`; on errors returns them all, while degradations
/// alone still write the file.
///
/// With [`Settings::with_surface_file`] (relative to `CARGO_MANIFEST_DIR`), a spec change
/// that changes the SDK's API prints what changed as `cargo:warning`s, one a change,
/// until the file records the new surface; `ORQ_SURFACE=update cargo build` writes it.
/// Returns the path of the written file.
pub fn generate_to_out_dir(
    spec: impl AsRef<Path>,
    settings: &Settings,
    file_name: &str,
) -> Result<PathBuf, BuildError> {
    let out_dir = std::env::var_os("OUT_DIR").ok_or(BuildError::NoOutDir)?;
    let spec = spec.as_ref();
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    generate_to(
        spec,
        manifest_dir.as_deref(),
        settings,
        Path::new(&out_dir),
        file_name,
    )
}

/// [`generate_to_out_dir`] with the directories given: `spec` is resolved against
/// `manifest_dir` when relative, and the file is written to `out_dir/file_name`.
pub fn generate_to(
    spec: &Path,
    manifest_dir: Option<&Path>,
    settings: &Settings,
    out_dir: &Path,
    file_name: &str,
) -> Result<PathBuf, BuildError> {
    let path = match manifest_dir {
        Some(dir) if spec.is_relative() => dir.join(spec),
        _ => spec.to_path_buf(),
    };
    println!("cargo:rerun-if-changed={}", path.display());
    let surface = settings.surface_file().map(|file| match manifest_dir {
        Some(dir) if file.is_relative() => (dir.join(file), file.to_path_buf()),
        _ => (file.to_path_buf(), file.to_path_buf()),
    });
    let resolved;
    let settings = match &surface {
        Some((file, _)) => {
            resolved = settings.clone().with_surface_file(file);
            &resolved
        }
        None => settings,
    };
    let generated = crate::expand_file(&path, settings);
    // The files the spec's `$ref`s point at are part of the spec.
    for file in generated.files.iter().skip(1) {
        println!("cargo:rerun-if-changed={}", file.display());
    }
    let warn = |diagnostics: &[Diagnostic]| {
        for d in diagnostics {
            let shown = d.clone().shown_as(&path, spec, manifest_dir);
            let mut lines = shown
                .to_string()
                .lines()
                .map(str::to_string)
                .collect::<Vec<_>>();
            if let Some(first) = lines.first_mut() {
                *first = format!("{}: {first}", d.severity.label());
            }
            for line in lines {
                println!("cargo:warning={line}");
            }
        }
    };
    let rendered = crate::render(&path, generated).map_err(|diagnostics| {
        warn(&diagnostics);
        BuildError::Spec(diagnostics)
    })?;
    // Degradations do not fail the build, but every one is shown.
    warn(&rendered.degradations);
    if let (Some(check), Some((_, shown))) = (&rendered.surface, &surface) {
        surface_warnings(check, shown)?;
    }
    let code = rendered.code;
    let out = out_dir.join(file_name);
    write_if_changed(&out, &code).map_err(|err| BuildError::Write(out.clone(), err))?;
    Ok(out)
}

/// The surface file of the build setting: tracked by cargo, written with
/// `ORQ_SURFACE=update`, else what changed since it printed as `cargo:warning`s.
fn surface_warnings(check: &crate::SurfaceCheck, shown: &Path) -> Result<(), BuildError> {
    use crate::record::{UPDATE_VAR, update_requested};
    println!("cargo:rerun-if-changed={}", check.file.display());
    println!("cargo:rerun-if-env-changed={UPDATE_VAR}");
    if update_requested() {
        return check
            .update()
            .map_err(|err| BuildError::Write(check.file.clone(), err));
    }
    for line in surface_lines(check, shown) {
        println!("cargo:warning={line}");
    }
    Ok(())
}

/// The warnings about the surface file `shown`: none while it is current.
fn surface_lines(check: &crate::SurfaceCheck, shown: &Path) -> Vec<String> {
    let mut lines = check.message(shown);
    if !lines.is_empty() {
        lines.push(format!(
            "record the new surface once reviewed: `{}=update cargo build` (`orq-codegen diff` writes a changelog section)",
            crate::record::UPDATE_VAR
        ));
    }
    lines
}

pub use crate::files::write_if_changed;

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("orq-codegen-build-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn writes_the_rendered_file_and_keeps_it_when_unchanged() {
        let out = temp_dir("ok");
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let spec = Path::new("../../spec/orq.yaml");
        let settings = Settings::new().with_client_name("Orq");
        let written = generate_to(spec, Some(manifest), &settings, &out, "orq.rs")
            .unwrap_or_else(|e| panic!("{e}"));
        let text = std::fs::read_to_string(&written).expect("written");
        let expected = crate::render_file(&manifest.join(spec), &settings)
            .expect("renders")
            .code;
        assert_eq!(text, expected);
        let modified = std::fs::metadata(&written).and_then(|m| m.modified()).ok();
        generate_to(spec, Some(manifest), &settings, &out, "orq.rs").expect("again");
        let again = std::fs::metadata(&written).and_then(|m| m.modified()).ok();
        assert_eq!(modified, again, "an unchanged file is not rewritten");
        let _ = std::fs::remove_dir_all(&out);
    }

    #[test]
    fn degradations_alone_still_write_the_file() {
        let out = temp_dir("degraded");
        let dir = temp_dir("degraded-spec");
        std::fs::create_dir_all(&dir).expect("spec dir");
        std::fs::write(
            dir.join("inferred.yaml"),
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /b/{id}:\n    get:\n      responses: {'200': {description: ok}}\n",
        )
        .expect("spec");
        let written = generate_to(
            Path::new("inferred.yaml"),
            Some(&dir),
            &Settings::new(),
            &out,
            "x.rs",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let text = std::fs::read_to_string(written).expect("written");
        assert!(text.contains("# Degradations"), "{text}");
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_dir_all(&out);
    }

    #[test]
    fn the_surface_file_is_found_next_to_the_manifest_and_its_changes_are_warnings() {
        let out = temp_dir("surface");
        let dir = temp_dir("surface-spec");
        std::fs::create_dir_all(&dir).expect("spec dir");
        let spec = |extra: &str| {
            format!(
                "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses: {{'204': {{description: ok}}}}\n{extra}"
            )
        };
        std::fs::write(dir.join("api.yaml"), spec("")).expect("spec");
        let settings = Settings::new().with_surface_file("api.surface");
        let generated = |settings: &Settings| {
            let path = dir.join("api.yaml");
            let resolved = settings.clone().with_surface_file(dir.join("api.surface"));
            crate::expand_file(&path, &resolved)
                .surface
                .expect("the setting is on")
        };
        // Missing: a warning; the build goes on and writes nothing but the code.
        generate_to(Path::new("api.yaml"), Some(&dir), &settings, &out, "x.rs")
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!dir.join("api.surface").exists());
        let missing = generated(&settings);
        let lines = surface_lines(&missing, Path::new("api.surface"));
        assert_eq!(
            lines[0],
            "the API surface file api.surface does not exist yet"
        );
        assert!(
            lines[1].contains("ORQ_SURFACE=update cargo build"),
            "{lines:?}"
        );
        missing.update().expect("record");
        assert!(surface_lines(&generated(&settings), Path::new("api.surface")).is_empty());
        let added = "  /b:\n    get:\n      operationId: getB\n      responses: {'204': {description: ok}}\n";
        std::fs::write(dir.join("api.yaml"), spec(added)).expect("spec");
        let lines = surface_lines(&generated(&settings), Path::new("api.surface"));
        assert_eq!(
            lines[..2],
            [
                "the spec changed the SDK's API since api.surface: 1 change: 0 break the build, 0 change behaviour at run time, 1 additive",
                "  additive: Client::get_b: operation added (`GET /b`)",
            ]
        );
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_dir_all(&out);
    }

    #[test]
    fn spec_problems_fail_with_every_diagnostic_and_write_nothing() {
        let out = temp_dir("bad");
        let dir = temp_dir("bad-spec");
        std::fs::create_dir_all(&dir).expect("spec dir");
        std::fs::write(
            dir.join("bad.yaml"),
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      responses: []\n  /b/{id}:\n    get:\n      responses: {'200': {description: ok}}\n",
        )
        .expect("spec");
        let err = generate_to(
            Path::new("bad.yaml"),
            Some(&dir),
            &Settings::new(),
            &out,
            "x.rs",
        )
        .expect_err("the spec is broken");
        let BuildError::Spec(diagnostics) = &err else {
            panic!("{err}");
        };
        assert_eq!(diagnostics.len(), 2, "{err}");
        assert!(
            err.to_string().starts_with("the spec has 2 problem(s):"),
            "{err}"
        );
        assert!(!out.join("x.rs").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
