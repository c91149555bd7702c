//! Where the spec comes from: a file, or standard input (`-`).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use orq_codegen_impl::{Checked, Diagnostic, DocsOptions, Rendered, Settings};

/// The spec a command reads.
pub enum Spec {
    /// A file: `$ref`s to other files are relative to its directory.
    File(PathBuf),
    /// Standard input, read whole. `name` is what diagnostics call it: `<stdin>`, or
    /// `<stdin>.json` for JSON text (which the extension tells the library). Its directory
    /// is the current one, so `$ref`s to other files are relative to where the command runs.
    Stdin { text: String, name: PathBuf },
}

impl Spec {
    /// The spec named on the command line: `-` reads standard input now.
    pub fn open(arg: &Path) -> std::io::Result<Spec> {
        if arg.as_os_str() != "-" {
            return Ok(Spec::File(arg.to_path_buf()));
        }
        let mut text = String::new();
        std::io::stdin().lock().read_to_string(&mut text)?;
        Ok(Spec::from_stdin(text))
    }

    fn from_stdin(text: String) -> Spec {
        // A JSON document is an object; YAML documents that start with `{` are JSON-like
        // flow mappings, which the JSON reader reports precisely where they are not JSON.
        let json = text.trim_start().starts_with('{');
        let name = PathBuf::from(if json { "<stdin>.json" } else { "<stdin>" });
        Spec::Stdin { text, name }
    }

    /// How messages name the spec.
    pub fn path(&self) -> &Path {
        match self {
            Spec::File(path) => path,
            Spec::Stdin { name, .. } => name,
        }
    }

    pub fn render(&self, settings: &Settings) -> Result<Rendered, Vec<Diagnostic>> {
        match self {
            Spec::File(path) => orq_codegen_impl::render_file(path, settings),
            Spec::Stdin { text, name } => orq_codegen_impl::render_str(text, name, settings),
        }
    }

    pub fn check(&self, settings: &Settings) -> Result<Checked, Vec<Diagnostic>> {
        match self {
            Spec::File(path) => orq_codegen_impl::check_file(path, settings),
            Spec::Stdin { text, name } => orq_codegen_impl::check_str(text, name, settings),
        }
    }

    pub fn usage_docs(
        &self,
        settings: &Settings,
        options: &DocsOptions,
    ) -> Result<BTreeMap<String, String>, Vec<Diagnostic>> {
        match self {
            Spec::File(path) => orq_codegen_impl::usage_docs_file(path, settings, options),
            Spec::Stdin { text, name } => {
                orq_codegen_impl::usage_docs_str(text, name, settings, options)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_input_is_json_when_it_starts_with_an_object() {
        let json = Spec::from_stdin("\n  {\"openapi\": \"3.0.3\"}".into());
        assert_eq!(json.path(), Path::new("<stdin>.json"));
        let yaml = Spec::from_stdin("openapi: 3.0.3\n".into());
        assert_eq!(yaml.path(), Path::new("<stdin>"));
    }
}
