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
//! `include_bytes!` of the spec: `cargo:rerun-if-changed` tracks the spec instead),
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
/// Prints `cargo:rerun-if-changed` for the spec, so editing it regenerates the file;
/// on problems prints each diagnostic as a `cargo:warning` and returns them all.
/// Returns the path of the written file.
pub fn generate_to_out_dir(
    spec: impl AsRef<Path>,
    settings: &Settings,
    file_name: &str,
) -> Result<PathBuf, BuildError> {
    let out_dir = std::env::var_os("OUT_DIR").ok_or(BuildError::NoOutDir)?;
    let spec = spec.as_ref();
    let path = match std::env::var_os("CARGO_MANIFEST_DIR") {
        Some(dir) if spec.is_relative() => Path::new(&dir).join(spec),
        _ => spec.to_path_buf(),
    };
    println!("cargo:rerun-if-changed={}", path.display());
    let code = crate::render_file(&path, settings).map_err(|diagnostics| {
        for d in &diagnostics {
            let shown = Diagnostic {
                file: spec.to_path_buf(),
                ..d.clone()
            };
            for line in shown.to_string().lines() {
                println!("cargo:warning={line}");
            }
        }
        BuildError::Spec(diagnostics)
    })?;
    let out = Path::new(&out_dir).join(file_name);
    write_if_changed(&out, &code).map_err(|err| BuildError::Write(out.clone(), err))?;
    Ok(out)
}

/// Write `contents` unless the file already holds exactly that (keeps mtimes stable).
pub fn write_if_changed(path: &Path, contents: &str) -> std::io::Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == contents.as_bytes()) {
        return Ok(());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, contents)
}
