//! Both crates keep their layers (issue 20), read from their sources the way
//! `dependencies.rs` reads the crate graph from `cargo tree`:
//!
//! - no import cycle between the files (modules) of `orq-runtime` or `orq-codegen-impl`;
//! - no import that runs up the layer order each crate declares below (a module imports
//!   from its own layer and the layers under it), and no file missing from that order;
//! - inside `orq-runtime`, no use of a name through the crate root's re-exports
//!   (`crate::Error`): code names the module that defines it (`crate::error::Error`), and
//!   `lib.rs` alone is the facade.
//!
//! An import is a `use` of a `crate::`, `super::` or `self::` path, such a path written
//! inline, or a path through a child module the file declares (`check::join`). Comments,
//! string literals, `#[cfg(test)]` items (tests may build their fixtures from any layer)
//! and the bodies of `quote!`-like macros (paths of the generated code, not the
//! generator's) are not read.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------
// orq-runtime, bottom layer first.

/// Violations and validation, what `Debug` and errors may show of secrets.
const RT_VOCABULARY: u8 = 0;
/// The one error type every call returns.
const RT_ERROR: u8 = 1;
/// Values generated models hold, and what the generator hands over from the spec.
const RT_VALUES: u8 = 2;
/// What users set: retry policies, per-call options, hooks.
const RT_KNOBS: u8 = 3;
/// Encoding for the wire, no I/O: percent-encoding, headers, bodies, server URLs.
const RT_WIRE: u8 = 4;
/// The request generated code fills in, and the setters it calls.
const RT_REQUEST: u8 = 5;
/// Transport pieces: bounded reads, what is worth a retry, redirects, TLS.
const RT_TRANSPORT: u8 = 6;
/// What comes back: the response and the streams over its body.
const RT_RESPONSE: u8 = 7;
/// Credentials, credential headers and OAuth2 tokens.
const RT_AUTH: u8 = 8;
/// The client: its configuration, the handle generated clients wrap, the pipeline.
const RT_CLIENT: u8 = 9;
/// The send paths generated request builders use.
const RT_CALL: u8 = 10;
/// The mock server of generated SDKs (feature `mock`).
const RT_MOCK: u8 = 11;
/// The facade: root re-exports and `__private`.
const RT_FACADE: u8 = 12;

const RUNTIME: &[(&str, u8)] = &[
    ("redact", RT_VOCABULARY),
    ("validate", RT_VOCABULARY),
    ("validate::check", RT_VOCABULARY),
    ("validate::violation", RT_VOCABULARY),
    ("error", RT_ERROR),
    ("error::api", RT_ERROR),
    ("error::record", RT_ERROR),
    ("spec", RT_VALUES),
    ("spec::json_path", RT_VALUES),
    ("spec::paging", RT_VALUES),
    ("spec::security", RT_VALUES),
    ("values", RT_VALUES),
    ("values::binary", RT_VALUES),
    ("values::enums", RT_VALUES),
    ("values::input", RT_VALUES),
    ("values::optional", RT_VALUES),
    ("values::read_only", RT_VALUES),
    ("values::union", RT_VALUES),
    ("values::uri", RT_VALUES),
    ("values::wire_struct", RT_VALUES),
    ("hooks", RT_KNOBS),
    ("options", RT_KNOBS),
    ("retry", RT_KNOBS),
    ("wire", RT_WIRE),
    ("wire::body", RT_WIRE),
    ("wire::encode", RT_WIRE),
    ("wire::endpoint", RT_WIRE),
    ("wire::headers", RT_WIRE),
    ("wire::multipart", RT_WIRE),
    ("wire::server_url", RT_WIRE),
    ("request", RT_REQUEST),
    ("request::forms", RT_REQUEST),
    ("request::params", RT_REQUEST),
    ("transport", RT_TRANSPORT),
    ("transport::classify", RT_TRANSPORT),
    ("transport::deadline", RT_TRANSPORT),
    ("transport::read", RT_TRANSPORT),
    ("transport::redirect", RT_TRANSPORT),
    ("transport::tls", RT_TRANSPORT),
    ("response", RT_RESPONSE),
    ("response::byte_stream", RT_RESPONSE),
    ("response::event_stream", RT_RESPONSE),
    ("response::sse", RT_RESPONSE),
    ("response::value", RT_RESPONSE),
    ("auth", RT_AUTH),
    ("auth::client_credentials", RT_AUTH),
    ("auth::headers", RT_AUTH),
    ("auth::token", RT_AUTH),
    ("client", RT_CLIENT),
    ("client::blocking", RT_CLIENT),
    ("client::builder", RT_CLIENT),
    ("client::config", RT_CLIENT),
    ("client::core", RT_CLIENT),
    ("client::pipeline", RT_CLIENT),
    ("client::pipeline::attempt", RT_CLIENT),
    ("client::pipeline::idempotency", RT_CLIENT),
    ("client::pipeline::policy", RT_CLIENT),
    ("client::pipeline::prepare", RT_CLIENT),
    ("call", RT_CALL),
    ("call::blocking", RT_CALL),
    ("call::events", RT_CALL),
    ("call::operation", RT_CALL),
    ("call::pages", RT_CALL),
    ("call::raw", RT_CALL),
    ("mock", RT_MOCK),
    ("mock::incoming", RT_MOCK),
    ("mock::record", RT_MOCK),
    ("mock::reply", RT_MOCK),
    ("mock::routing", RT_MOCK),
    ("mock::server", RT_MOCK),
    ("", RT_FACADE),
];

// ---------------------------------------------------------------------------------------
// orq-codegen-impl, bottom layer first: load -> lower -> check -> emit. A folder's files
// may use what their `mod.rs` holds for them all (`emit::Ctx`, `lower::types::TypeSpace`,
// whose `impl` is split across the folder by concern) while `mod.rs` dispatches to them:
// an import of a module's own ancestor is not counted (in the runtime it is).

/// Limits, diagnostics, settings, digests, writing files: what every step reports with and reads.
const GEN_BASE: u8 = 0;
/// The IR and the naming table: what lowering produces and every step names things by.
const GEN_IR: u8 = 1;
/// Spec file -> OpenAPI model.
const GEN_LOAD: u8 = 2;
/// OpenAPI model -> IR.
const GEN_LOWER: u8 = 3;
/// Cross-cutting checks on the IR.
const GEN_CHECK: u8 = 4;
/// Spec text and notes as doc text, shared by the emitted rustdoc and the usage pages.
const GEN_TEXT: u8 = 5;
/// IR -> Markdown usage pages and the code samples rustdoc shares with them.
const GEN_USAGE: u8 = 6;
/// IR -> tokens.
const GEN_EMIT: u8 = 7;
/// IR -> the generated API as users see it (Rust paths, types, spec places), and its file;
/// the cargo features an SDK crate declares for it.
const GEN_SURFACE: u8 = 8;
/// Two surfaces -> classified changes and their reports; the committed surface file checked.
const GEN_DIFF: u8 = 9;
/// The library API (`lib.rs`), the `build.rs` entry and the macro's expansion cache over it.
const GEN_ENTRY: u8 = 10;

const GENERATOR: &[(&str, u8)] = &[
    ("diag", GEN_BASE),
    ("digest", GEN_BASE),
    ("files", GEN_BASE),
    ("limits", GEN_BASE),
    ("settings", GEN_BASE),
    ("ir", GEN_IR),
    ("naming", GEN_IR),
    ("load", GEN_LOAD),
    ("load::bundle", GEN_LOAD),
    ("load::bundle::local", GEN_LOAD),
    ("load::bundle::paths", GEN_LOAD),
    ("load::bundle::places", GEN_LOAD),
    ("load::moves", GEN_LOAD),
    ("load::refine", GEN_LOAD),
    ("load::swagger2", GEN_LOAD),
    ("load::swagger2::params", GEN_LOAD),
    ("load::swagger2::responses", GEN_LOAD),
    ("load::syntax", GEN_LOAD),
    ("load::v31", GEN_LOAD),
    ("load::walk", GEN_LOAD),
    ("lower", GEN_LOWER),
    ("lower::content", GEN_LOWER),
    ("lower::features", GEN_LOWER),
    ("lower::operations", GEN_LOWER),
    ("lower::params", GEN_LOWER),
    ("lower::resolve", GEN_LOWER),
    ("lower::security", GEN_LOWER),
    ("lower::streams", GEN_LOWER),
    ("lower::types", GEN_LOWER),
    ("lower::types::composition", GEN_LOWER),
    ("lower::types::graph", GEN_LOWER),
    ("lower::types::members", GEN_LOWER),
    ("lower::types::scalars", GEN_LOWER),
    ("lower::types::shapes", GEN_LOWER),
    ("check", GEN_CHECK),
    ("emit::docs", GEN_TEXT),
    ("emit::paging", GEN_TEXT),
    ("usage", GEN_USAGE),
    ("usage::example", GEN_USAGE),
    ("usage::model", GEN_USAGE),
    ("usage::operation", GEN_USAGE),
    ("emit", GEN_EMIT),
    ("emit::builders", GEN_EMIT),
    ("emit::cfg", GEN_EMIT),
    ("emit::client", GEN_EMIT),
    ("emit::entry", GEN_EMIT),
    ("emit::errors", GEN_EMIT),
    ("emit::mock", GEN_EMIT),
    ("emit::models", GEN_EMIT),
    ("emit::multipart", GEN_EMIT),
    ("emit::requests", GEN_EMIT),
    ("emit::security", GEN_EMIT),
    ("emit::send", GEN_EMIT),
    ("emit::streams", GEN_EMIT),
    ("emit::types", GEN_EMIT),
    ("emit::usage", GEN_EMIT),
    ("surface", GEN_SURFACE),
    ("cargo_features", GEN_SURFACE),
    ("surface::file", GEN_SURFACE),
    ("diff", GEN_DIFF),
    ("diff::client", GEN_DIFF),
    ("diff::models", GEN_DIFF),
    ("diff::operations", GEN_DIFF),
    ("diff::report", GEN_DIFF),
    ("record", GEN_DIFF),
    ("build", GEN_ENTRY),
    ("cache", GEN_ENTRY),
    ("", GEN_ENTRY),
];

// ---------------------------------------------------------------------------------------

#[test]
fn the_runtime_keeps_its_layers() {
    let problems = check("orq-client/runtime/src", RUNTIME, Rules::RUNTIME);
    assert!(problems.is_empty(), "orq-runtime:\n{problems}");
}

#[test]
fn the_generator_keeps_its_layers() {
    let problems = check("orq-codegen/impl/src", GENERATOR, Rules::GENERATOR);
    assert!(problems.is_empty(), "orq-codegen-impl:\n{problems}");
}

/// The checker fails on what it is meant to catch: run on small crates written here.
#[test]
fn the_check_catches_cycles_upward_imports_unlisted_files_and_root_names() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "lib.rs",
        "mod a;\nmod b;\nmod c;\nmod d;\npub use a::A;\n\
         #[cfg(test)]\nmod only_tests;\n",
    );
    write(
        "a.rs",
        "pub struct A;\n// crate::b::B in a comment is no import\n\
         const NOTE: &str = \"crate::c::C\";\n\
         fn f() -> proc_macro2::TokenStream { quote!(crate::d::D) }\n\
         #[cfg(test)]\nmod tests {\n    use crate::c::C;\n}\n",
    );
    write("b.rs", "use crate::{a::A, c::C};\npub struct B;\n");
    write("c.rs", "pub struct C(crate::b::B);\n");
    write(
        "d/mod.rs",
        "mod inner;\nfn g() { inner::h() }\nfn k() -> crate::A { crate::A }\n",
    );
    write("d/inner.rs", "pub fn h() {}\n");
    write("d/extra.rs", "pub fn lost() {}\n");
    write("only_tests.rs", "use crate::d::D;\n");
    const LOW: u8 = 0;
    const HIGH: u8 = 1;
    let table = &[
        ("a", LOW),
        ("b", HIGH),
        ("c", LOW),
        ("d", HIGH),
        ("d::inner", HIGH),
        ("", HIGH),
        ("gone", LOW),
    ];
    let report = check_dir(dir.path(), table, Rules::RUNTIME);
    for expected in [
        "cycle: b -> c -> b",
        "upward: c (layer 0) imports b (layer 1)",
        "not in the table: d::extra",
        "in the table but no file: gone",
        "root name: d uses crate::A",
    ] {
        assert!(
            report.contains(expected),
            "missing {expected:?} in:\n{report}"
        );
    }
    // What is not an import is not reported: comments, strings, macro bodies, tests.
    for quiet in ["a imports", "a (layer", "only_tests"] {
        assert!(
            !report.contains(quiet),
            "unexpected {quiet:?} in:\n{report}"
        );
    }
    // A child module used by path is an import of it.
    let edges = module_graph(dir.path()).edges;
    assert!(edges["d"].contains("d::inner"), "{edges:?}");
}

// ---------------------------------------------------------------------------------------

/// What a crate is held to besides its table.
#[derive(Clone, Copy)]
struct Rules {
    /// No module but the root names a root item (`crate::X` where `X` is not a module):
    /// `lib.rs` is the facade.
    facade_only_root: bool,
    /// A module may import from its own ancestors (`super::Ctx`).
    children_use_parents: bool,
}

impl Rules {
    const RUNTIME: Rules = Rules {
        facade_only_root: true,
        children_use_parents: false,
    };
    const GENERATOR: Rules = Rules {
        facade_only_root: false,
        children_use_parents: true,
    };
}

fn check(crate_src: &str, table: &[(&str, u8)], rules: Rules) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(crate_src);
    check_dir(&root, table, rules)
}

/// Every problem of the crate at `src` against `table` and `rules`, one a line (empty
/// when none).
fn check_dir(src: &Path, table: &[(&str, u8)], rules: Rules) -> String {
    let mut graph = module_graph(src);
    if rules.children_use_parents {
        for (module, targets) in &mut graph.edges {
            targets.retain(|target| !is_ancestor(target, module));
        }
    }
    let layers: BTreeMap<&str, u8> = table.iter().copied().collect();
    let mut report = String::new();
    for module in graph.edges.keys() {
        if !layers.contains_key(module.as_str()) {
            writeln!(report, "not in the table: {}", shown(module)).unwrap();
        }
    }
    for (module, _) in table {
        if !graph.edges.contains_key(*module) {
            writeln!(report, "in the table but no file: {}", shown(module)).unwrap();
        }
    }
    for (from, targets) in &graph.edges {
        let Some(&from_layer) = layers.get(from.as_str()) else {
            continue;
        };
        for to in targets {
            let Some(&to_layer) = layers.get(to.as_str()) else {
                continue;
            };
            if to_layer > from_layer {
                writeln!(
                    report,
                    "upward: {} (layer {from_layer}) imports {} (layer {to_layer})",
                    shown(from),
                    shown(to)
                )
                .unwrap();
            }
        }
    }
    for (members, cycle) in cycles(&graph.edges) {
        let names: Vec<&str> = cycle.iter().map(|m| shown(m)).collect();
        writeln!(report, "cycle: {} -> {}", names.join(" -> "), names[0]).unwrap();
        if members.len() > cycle.len() {
            let all: Vec<&str> = members.iter().map(|m| shown(m)).collect();
            writeln!(report, "  (one of the cycles among {})", all.join(", ")).unwrap();
        }
    }
    if rules.facade_only_root {
        for (module, names) in &graph.root_names {
            for name in names {
                writeln!(report, "root name: {} uses crate::{name}", shown(module)).unwrap();
            }
        }
    }
    report
}

/// Whether `ancestor` contains `module` (the root contains every module).
fn is_ancestor(ancestor: &str, module: &str) -> bool {
    (ancestor.is_empty() && !module.is_empty())
        || module
            .strip_prefix(ancestor)
            .is_some_and(|rest| rest.starts_with("::"))
}

fn shown(module: &str) -> &str {
    if module.is_empty() { "lib.rs" } else { module }
}

/// The modules of a crate (one per file; `""` is the root) and what each imports.
struct Graph {
    edges: BTreeMap<String, BTreeSet<String>>,
    /// Per module, the root items (not modules) it names as `crate::X`.
    root_names: BTreeMap<String, BTreeSet<String>>,
}

fn module_graph(src: &Path) -> Graph {
    let mut files = Vec::new();
    collect_files(src, &mut files);
    let mut sources = BTreeMap::new();
    let mut test_only = BTreeSet::new();
    for file in &files {
        let module = module_of(src, file);
        let text = std::fs::read_to_string(file).unwrap();
        let (code, test_children) = code_of(&text);
        for child in test_children {
            test_only.insert(join(&module, &child));
        }
        sources.insert(module, code);
    }
    sources.retain(|module, _| !test_only.contains(module));
    let modules: BTreeSet<String> = sources.keys().cloned().collect();
    let mut graph = Graph {
        edges: BTreeMap::new(),
        root_names: BTreeMap::new(),
    };
    for (module, code) in &sources {
        let children: BTreeSet<String> = declared_children(code)
            .into_iter()
            .filter(|child| modules.contains(&join(module, child)))
            .collect();
        let mut targets = BTreeSet::new();
        for path in paths_in(code, &children) {
            let absolute = match absolute(module, &path) {
                Some(absolute) => absolute,
                None => continue,
            };
            let target = longest_module(&modules, &absolute);
            if target.is_empty()
                && !module.is_empty()
                && let Some(name) = absolute.first()
            {
                graph
                    .root_names
                    .entry(module.clone())
                    .or_default()
                    .insert(name.clone());
            }
            if target != *module {
                targets.insert(target);
            }
        }
        graph.edges.insert(module.clone(), targets);
    }
    graph
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// `lib.rs` -> `""`, `a.rs` and `a/mod.rs` -> `a`, `a/b.rs` -> `a::b`.
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts.join("::")
}

fn join(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        child.to_owned()
    } else {
        format!("{parent}::{child}")
    }
}

/// The module a path names from `module`, or what it names outside the crate (`None`).
fn absolute(module: &str, path: &[String]) -> Option<Vec<String>> {
    let mut current: Vec<String> = module
        .split("::")
        .filter(|part| !part.is_empty())
        .map(str::to_owned)
        .collect();
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => {
            current.clear();
            rest = &rest[1..];
        }
        Some("self") => rest = &rest[1..],
        Some("super") => {}
        _ => return None,
    }
    while rest.first().map(String::as_str) == Some("super") {
        current.pop()?;
        rest = &rest[1..];
    }
    current.extend(rest.iter().cloned());
    Some(current)
}

/// The longest prefix of `path` that is a module of the crate (`""`, the root, at worst).
fn longest_module(modules: &BTreeSet<String>, path: &[String]) -> String {
    (0..=path.len())
        .rev()
        .map(|len| path[..len].join("::"))
        .find(|candidate| candidate.is_empty() || modules.contains(candidate))
        .unwrap_or_default()
}

/// The code of a file without comments, literals, `#[cfg(test)]` items and the bodies of
/// token-quoting macros; and the child modules declared only for tests.
fn code_of(text: &str) -> (String, Vec<String>) {
    let code = without_literals(text);
    let code = without_macro_bodies(&code);
    without_test_items(&code)
}

/// Comments, string, byte-string and char literals blanked out (lifetimes kept).
fn without_literals(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if let Some(end) = raw_string_end(&chars, i) {
            out.push_str("\"\"");
            i = end;
        } else if c == '"' || (c == 'b' && next == Some('"')) {
            i += if c == 'b' { 2 } else { 1 };
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' {
            // A char literal (`'x'`, `'\n'`, `'\u{1F600}'`), else a lifetime.
            if next == Some('\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
                out.push_str("' '");
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
                out.push_str("' '");
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn ident_char_before(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

/// The index after a raw (byte) string starting at `i` (`r"..."`, `r#"..."#`, `br"..."`).
fn raw_string_end(chars: &[char], i: usize) -> Option<usize> {
    if ident_char_before(chars, i) {
        return None;
    }
    let mut j = i;
    if chars.get(j) == Some(&'b') {
        j += 1;
    }
    if chars.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let mut hashes = 0;
    while chars.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    if chars.get(j) != Some(&'"') {
        return None;
    }
    j += 1;
    while j < chars.len() {
        if chars[j] == '"' && (0..hashes).all(|k| chars.get(j + 1 + k) == Some(&'#')) {
            return Some(j + 1 + hashes);
        }
        j += 1;
    }
    Some(chars.len())
}

/// The bodies of `quote!`, `quote_spanned!`, `parse_quote!` and `parse_quote_spanned!`
/// blanked out: their paths belong to the generated code.
fn without_macro_bodies(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    loop {
        let found = [
            "quote!",
            "quote_spanned!",
            "parse_quote!",
            "parse_quote_spanned!",
        ]
        .iter()
        .filter_map(|name| find_word(rest, name).map(|at| (at, name.len())))
        .min();
        let Some((at, len)) = found else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..at + len]);
        let after = &rest[at + len..];
        let open = after.len() - after.trim_start().len();
        match matching_close(after, open) {
            Some(end) => {
                out.push_str("()");
                rest = &after[end..];
            }
            None => rest = after,
        }
    }
}

/// The first occurrence of `word` in `text` not preceded by an identifier character.
fn find_word(text: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find(word) {
        let at = from + found;
        let before = text[..at].chars().next_back();
        if !before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

/// The index after the delimiter that closes the one at `open` (`(`, `[` or `{`).
fn matching_close(text: &str, open: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let (left, right) = match bytes.get(open)? {
        b'(' => (b'(', b')'),
        b'[' => (b'[', b']'),
        b'{' => (b'{', b'}'),
        _ => return None,
    };
    let mut depth = 0;
    for (index, &byte) in bytes.iter().enumerate().skip(open) {
        if byte == left {
            depth += 1;
        } else if byte == right {
            depth -= 1;
            if depth == 0 {
                return Some(index + 1);
            }
        }
    }
    None
}

/// The code without `#[cfg(test)]` items, and the names of the child modules declared
/// by such items (`#[cfg(test)] mod tests;`).
fn without_test_items(code: &str) -> (String, Vec<String>) {
    const MARK: &str = "#[cfg(test)]";
    let mut out = String::with_capacity(code.len());
    let mut test_children = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find(MARK) {
        out.push_str(&rest[..at]);
        let item = &rest[at + MARK.len()..];
        let end_of_head = item.find([';', '{']).unwrap_or(item.len());
        let end = if item[end_of_head..].starts_with('{') {
            matching_close(item, end_of_head).unwrap_or(item.len())
        } else {
            let head: Vec<&str> = item[..end_of_head].split_whitespace().collect();
            if let Some(position) = head.iter().position(|word| *word == "mod")
                && let Some(name) = head.get(position + 1)
            {
                test_children.push((*name).to_owned());
            }
            (end_of_head + 1).min(item.len())
        };
        rest = &item[end..];
    }
    out.push_str(rest);
    (out, test_children)
}

/// The child modules a file declares (`mod name;`, any visibility or attributes).
fn declared_children(code: &str) -> Vec<String> {
    let words = tokens(code);
    let mut children = Vec::new();
    for (index, word) in words.iter().enumerate() {
        if word == "mod" && words.get(index + 2).is_some_and(|next| next == ";") {
            children.push(words[index + 1].clone());
        }
    }
    children
}

/// Identifiers and punctuation (`::` is one token).
fn tokens(code: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut chars = code.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_alphanumeric() || c == '_' || c == '$' {
            let mut end = start + c.len_utf8();
            while let Some(&(index, next)) = chars.peek() {
                if next.is_alphanumeric() || next == '_' {
                    end = index + next.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            tokens.push(code[start..end].to_owned());
        } else if c == ':' && chars.peek().is_some_and(|&(_, next)| next == ':') {
            chars.next();
            tokens.push("::".to_owned());
        } else if !c.is_whitespace() {
            tokens.push(c.to_string());
        }
    }
    tokens
}

/// Every path of the crate a file names: `use` trees expanded, inline `crate::`,
/// `super::` and `self::` paths, and paths through its declared `children`.
fn paths_in(code: &str, children: &BTreeSet<String>) -> Vec<Vec<String>> {
    let tokens = tokens(code);
    let mut paths = Vec::new();
    let mut index = 0;
    while index < tokens.len() {
        let token = tokens[index].as_str();
        let after_path = index > 0 && matches!(tokens[index - 1].as_str(), "::" | ".");
        if token == "use" && !after_path {
            let end = tokens[index..]
                .iter()
                .position(|t| t == ";")
                .map_or(tokens.len(), |offset| index + offset);
            let mut expanded = Vec::new();
            expand_use(&tokens[index + 1..end], &[], &mut expanded);
            for mut path in expanded {
                if path.first().is_some_and(|first| children.contains(first)) {
                    path.insert(0, "self".to_owned());
                }
                paths.push(path);
            }
            index = end;
            continue;
        }
        let starts_path = (matches!(token, "crate" | "super" | "self") || children.contains(token))
            && tokens.get(index + 1).is_some_and(|t| t == "::");
        if starts_path && !after_path {
            let mut path = Vec::new();
            if children.contains(token) {
                path.push("self".to_owned());
            }
            path.push(token.to_owned());
            let mut next = index + 1;
            while tokens.get(next).is_some_and(|t| t == "::")
                && tokens.get(next + 1).is_some_and(|t| is_ident(t))
            {
                path.push(tokens[next + 1].clone());
                next += 2;
            }
            paths.push(path);
            index = next;
            continue;
        }
        index += 1;
    }
    paths
}

fn is_ident(token: &str) -> bool {
    token
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

/// Expands a `use` tree (`a::{b, c::{d as e, *}}`) below `prefix` into its paths.
fn expand_use(tree: &[String], prefix: &[String], out: &mut Vec<Vec<String>>) {
    let mut index = 0;
    let mut path = prefix.to_vec();
    while index < tree.len() {
        let token = tree[index].as_str();
        match token {
            "::" => index += 1,
            "{" => {
                let close = matching_token(tree, index);
                for item in split_top_level(&tree[index + 1..close]) {
                    expand_use(item, &path, out);
                }
                return;
            }
            "as" | "*" => break,
            _ if is_ident(token) => {
                path.push(token.to_owned());
                index += 1;
            }
            _ => index += 1,
        }
    }
    if path.len() > prefix.len() {
        out.push(path);
    }
}

fn matching_token(tokens: &[String], open: usize) -> usize {
    let mut depth = 0;
    for (index, token) in tokens.iter().enumerate().skip(open) {
        match token.as_str() {
            "{" => depth += 1,
            "}" => {
                depth -= 1;
                if depth == 0 {
                    return index;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

fn split_top_level(tokens: &[String]) -> Vec<&[String]> {
    let mut items = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (index, token) in tokens.iter().enumerate() {
        match token.as_str() {
            "{" => depth += 1,
            "}" => depth -= 1,
            "," if depth == 0 => {
                items.push(&tokens[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    items.push(&tokens[start..]);
    items.retain(|item| !item.is_empty());
    items
}

/// Every cycle of the graph: its strongly connected components of more than one module
/// (Tarjan's algorithm), each with a path through it.
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<(Vec<String>, Vec<String>)> {
    struct Walk<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        components: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, node: &'a str) {
            let number = self.index.len();
            self.index.insert(node, number);
            self.low.insert(node, number);
            self.stack.push(node);
            self.on_stack.insert(node);
            for next in self.edges.get(node).into_iter().flatten() {
                let next = next.as_str();
                if !self.edges.contains_key(next) {
                    continue;
                }
                if !self.index.contains_key(next) {
                    self.visit(next);
                    let low = self.low[node].min(self.low[next]);
                    self.low.insert(node, low);
                } else if self.on_stack.contains(next) {
                    let low = self.low[node].min(self.index[next]);
                    self.low.insert(node, low);
                }
            }
            if self.low[node] == self.index[node] {
                let mut component = Vec::new();
                while let Some(member) = self.stack.pop() {
                    self.on_stack.remove(member);
                    component.push(member.to_owned());
                    if member == node {
                        break;
                    }
                }
                if component.len() > 1 {
                    self.components.push(component);
                }
            }
        }
    }
    let mut walk = Walk {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        components: Vec::new(),
    };
    for node in edges.keys() {
        if !walk.index.contains_key(node.as_str()) {
            walk.visit(node);
        }
    }
    walk.components
        .into_iter()
        .map(|mut component| {
            component.sort();
            let cycle = cycle_through(edges, &component);
            (component, cycle)
        })
        .collect()
}

/// A cycle through the members of a strongly connected component, starting at its
/// smallest member: the shortest way back found breadth-first.
fn cycle_through(edges: &BTreeMap<String, BTreeSet<String>>, members: &[String]) -> Vec<String> {
    let members: BTreeSet<&String> = members.iter().collect();
    let start = *members.iter().next().unwrap();
    let mut previous: BTreeMap<&String, &String> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        for next in &edges[node] {
            if !members.contains(next) {
                continue;
            }
            if next == start {
                let mut path = vec![node.clone()];
                let mut at = node;
                while at != start {
                    at = previous[at];
                    path.push(at.clone());
                }
                path.reverse();
                return path;
            }
            if !previous.contains_key(next) {
                previous.insert(next, node);
                queue.push_back(next);
            }
        }
    }
    members.into_iter().cloned().collect()
}
