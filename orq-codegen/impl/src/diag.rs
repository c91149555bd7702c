//! Diagnostics: every problem found in a spec, with where it is and what to do.
//!
//! Problems are collected in a [`Diagnostics`] context and reported all at once
//! (serde_derive's `Ctxt` habit), never by panicking.

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Where in the spec a problem is.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Location {
    /// The file as a whole (missing, unreadable, empty).
    File,
    /// A 1-based line and column, for YAML/JSON syntax errors.
    LineCol {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A JSON pointer (RFC 6901) into the document, e.g. `#/paths/~1v2~1contacts/post`.
    Pointer(String),
}

/// How bad a [`Diagnostic`] is.
///
/// Only a document no usable client can come out of is an error (unreadable, neither
/// Swagger 2.0 nor OpenAPI 3.x, syntax, wrong shapes, dangling `$ref`s or `$ref`s to
/// something of another kind). What the Swagger, OpenAPI and JSON Schema texts allow but
/// Rust cannot express exactly is a degradation:
/// the SDK is generated, and the diagnostic says what was done instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    /// No usable client can come out of the document as written: generation fails.
    Error,
    /// The spec is read, but something it says is captured less exactly (a check skipped,
    /// a value typed as `serde_json::Value`, a parameter inferred); the message says what.
    Degradation,
}

impl Severity {
    /// `error` or `degraded`, the word the CLI and `build.rs` print before the diagnostic.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Degradation => "degraded",
        }
    }
}

/// One problem with a spec.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Whether generation fails ([`Severity::Error`]) or goes on ([`Severity::Degradation`]).
    pub severity: Severity,
    /// The spec file, as given by the caller.
    pub file: PathBuf,
    /// Where in the file.
    pub location: Location,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// Whether this diagnostic fails generation.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display();
        match &self.location {
            Location::File => write!(f, "{file}: {}", self.message)?,
            Location::LineCol { line, column } => {
                write!(f, "{file}:{line}:{column}: {}", self.message)?
            }
            Location::Pointer(pointer) => write!(f, "{file} at {pointer}: {}", self.message)?,
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

impl Diagnostic {
    /// The diagnostic with its files named as the user wrote them: `spec_as_given` for
    /// the spec read at `spec`, and the other files of the spec (the ones its `$ref`s
    /// point at, in the location and in the text) relative to `dir`, the directory the
    /// spec path was relative to.
    pub fn shown_as(mut self, spec: &Path, spec_as_given: &Path, dir: Option<&Path>) -> Self {
        if self.file == spec {
            self.file = spec_as_given.to_path_buf();
        } else if let Some(relative) = dir.and_then(|dir| self.file.strip_prefix(dir).ok()) {
            self.file = relative.to_path_buf();
        }
        if let Some(dir) = dir.filter(|dir| !dir.as_os_str().is_empty()) {
            let prefix = format!("{}{}", dir.display(), std::path::MAIN_SEPARATOR);
            self.message = self.message.replace(&prefix, "");
            self.help = self.help.map(|help| help.replace(&prefix, ""));
        }
        self
    }
}

/// Collects diagnostics for one spec file.
#[derive(Debug)]
pub struct Diagnostics {
    file: PathBuf,
    items: Vec<Diagnostic>,
    /// The problems in `items`, to keep each once in constant time per report.
    seen: HashSet<Diagnostic>,
}

impl Diagnostics {
    /// A context for problems in `file`.
    pub fn new(file: &Path) -> Self {
        Diagnostics {
            file: file.to_path_buf(),
            items: Vec::new(),
            seen: HashSet::new(),
        }
    }

    /// The spec file this context reports on.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Record a problem at a JSON pointer.
    pub fn error(&mut self, pointer: &Ptr, message: impl Into<String>, help: impl Into<String>) {
        self.push(Location::Pointer(pointer.to_string()), message, help);
    }

    /// Record a degradation at a JSON pointer: `message` says what the spec says and what
    /// the generated code does instead; `help` how to get the exact behaviour (may be empty).
    pub fn degrade(&mut self, pointer: &Ptr, message: impl Into<String>, help: impl Into<String>) {
        let file = self.file.clone();
        self.record(
            Severity::Degradation,
            &file,
            Location::Pointer(pointer.to_string()),
            message.into(),
            help.into(),
        );
    }

    /// Record a problem at any location.
    pub fn push(
        &mut self,
        location: Location,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let file = self.file.clone();
        self.record(
            Severity::Error,
            &file,
            location,
            message.into(),
            help.into(),
        );
    }

    /// Record a problem in another file of the spec (one that a `$ref` points at).
    pub fn push_in(
        &mut self,
        file: &Path,
        location: Location,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.record(Severity::Error, file, location, message.into(), help.into());
    }

    fn record(
        &mut self,
        severity: Severity,
        file: &Path,
        location: Location,
        message: String,
        help: String,
    ) {
        let diagnostic = Diagnostic {
            severity,
            file: file.to_path_buf(),
            location,
            message,
            help: (!help.is_empty()).then_some(help),
        };
        // A problem met from several places (a scheme every operation uses) is one problem.
        self.keep(diagnostic);
    }

    fn keep(&mut self, diagnostic: Diagnostic) {
        if self.seen.insert(diagnostic.clone()) {
            self.items.push(diagnostic);
        }
    }

    /// Add the problems another context collected (for another file of the spec).
    pub fn append(&mut self, other: Diagnostics) {
        for d in other.items {
            self.keep(d);
        }
    }

    /// How many problems were reported so far.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Whether any error (not a degradation) was reported.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// The problems recorded so far, in the order found.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

/// A JSON pointer under construction: cheap to extend, printed as `#/a/b~1c`.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ptr(String);

impl Ptr {
    /// The document root, `#`.
    pub fn root() -> Self {
        Ptr(String::new())
    }

    /// Parse a local `$ref` such as `#/components/schemas/Pet`.
    pub fn from_ref(reference: &str) -> Option<Self> {
        let rest = reference.strip_prefix('#')?;
        (rest.is_empty() || rest.starts_with('/')).then(|| Ptr(rest.to_string()))
    }

    /// This pointer extended by one token (escaped per RFC 6901).
    pub fn at(&self, token: impl fmt::Display) -> Self {
        let token = token.to_string();
        let mut extended = Ptr(String::with_capacity(self.0.len() + token.len() + 1));
        extended.0.push_str(&self.0);
        extended.push(&token);
        extended
    }

    /// Extend this pointer in place by one token (escaped per RFC 6901), returning the
    /// length to [`truncate`](Self::truncate) back to: a walk over the whole document
    /// keeps one pointer this way instead of allocating one per node.
    pub fn push(&mut self, token: &str) -> usize {
        let len = self.0.len();
        self.0.push('/');
        // `contains(char)` is a `memchr`, fast even in the unoptimized builds macros run in.
        if token.contains('~') || token.contains('/') {
            self.0
                .push_str(&token.replace('~', "~0").replace('/', "~1"));
        } else {
            self.0.push_str(token);
        }
        len
    }

    /// [`push`](Self::push) for an index into a list.
    pub fn push_index(&mut self, index: usize) -> usize {
        let len = self.0.len();
        self.0.push('/');
        self.0.push_str(&index.to_string());
        len
    }

    /// Undo the [`push`](Self::push)es since it returned `len`.
    pub fn truncate(&mut self, len: usize) {
        self.0.truncate(len);
    }

    /// The unescaped tokens of the pointer.
    pub fn tokens(&self) -> impl Iterator<Item = String> + '_ {
        self.0
            .split('/')
            .skip(1)
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
    }
}

impl fmt::Display for Ptr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_escapes_and_round_trips() {
        let p = Ptr::root().at("paths").at("/v2/contacts").at("post");
        assert_eq!(p.to_string(), "#/paths/~1v2~1contacts/post");
        let q = Ptr::from_ref(&p.to_string()).unwrap();
        assert_eq!(
            q.tokens().collect::<Vec<_>>(),
            ["paths", "/v2/contacts", "post"]
        );
        assert_eq!(Ptr::from_ref("other.yaml#/a"), None);
    }

    #[test]
    fn a_pointer_extended_in_place_is_the_same_pointer() {
        let mut p = Ptr::root().at("paths");
        let mark = p.push("/v2/{id}~x");
        p.push_index(3);
        assert_eq!(p, Ptr::root().at("paths").at("/v2/{id}~x").at(3));
        assert_eq!(p.to_string(), "#/paths/~1v2~1{id}~0x/3");
        p.truncate(mark);
        assert_eq!(p, Ptr::root().at("paths"));
    }

    #[test]
    fn files_are_shown_as_the_user_wrote_them() {
        let d = Diagnostic {
            severity: Severity::Error,
            file: PathBuf::from("/crate/spec/parts.yaml"),
            location: Location::File,
            message: "`$ref` `x.yaml` points at the file `/crate/spec/x.yaml`".into(),
            help: Some("check `/crate/spec/x.yaml`".into()),
        };
        let spec = Path::new("/crate/spec/api.yaml");
        let shown = d.shown_as(spec, Path::new("spec/api.yaml"), Some(Path::new("/crate")));
        assert_eq!(
            shown.to_string(),
            "spec/parts.yaml: `$ref` `x.yaml` points at the file `spec/x.yaml`\n  help: check `spec/x.yaml`"
        );
        let root = Diagnostic {
            file: spec.to_path_buf(),
            ..shown
        };
        assert_eq!(
            root.shown_as(spec, Path::new("spec/api.yaml"), None).file,
            Path::new("spec/api.yaml")
        );
    }

    #[test]
    fn the_same_problem_is_reported_once() {
        let mut d = Diagnostics::new(Path::new("x.yaml"));
        let at = Ptr::root().at("components");
        d.error(&at, "broken", "fix it");
        d.error(&at, "broken", "fix it");
        d.error(&at, "also broken", "fix it");
        assert_eq!(d.len(), 2);

        // Merged from another file's context: kept once, in the order first found.
        let mut other = Diagnostics::new(Path::new("x.yaml"));
        other.error(&at, "broken", "fix it");
        other.error(&at, "third", "fix it");
        d.append(other);
        let messages: Vec<_> = d.into_vec().into_iter().map(|d| d.message).collect();
        assert_eq!(messages, ["broken", "also broken", "third"]);
    }

    #[test]
    fn display_names_file_place_and_help() {
        let mut d = Diagnostics::new(Path::new("spec/x.yaml"));
        d.error(
            &Ptr::root().at("paths"),
            "`paths` must be a map",
            "write `paths: {}`",
        );
        let text = d.into_vec()[0].to_string();
        assert_eq!(
            text,
            "spec/x.yaml at #/paths: `paths` must be a map\n  help: write `paths: {}`"
        );
    }
}
