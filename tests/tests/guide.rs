//! The guide (`docs/*.md`, the README as its front page) holds together:
//!
//! - every page is in one crate's documentation (`orq-codegen`, `orq-runtime` or
//!   `orq-client`), so it is rendered and its examples compile as doctests;
//! - no Rust block is `ignore`d: an example compiles (or is `text`, for code that is not
//!   Rust or is an abridged listing of generated code);
//! - a link between pages is a reference link (`[text][errors.md]`) defined at the foot of
//!   the page (for reading the files in the repository) and in the `links.md` of every
//!   crate that renders the page (for rustdoc, where the pages are one crate page or the
//!   pages of another crate); both lead to a page, and to a heading of it;
//! - every relative link of the README and the guide's index names a file that exists.
//!
//! `packages.rs` checks that the crates' copies of the pages are links to these files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|err| panic!("read {}: {err}", path.display()))
}

/// The pages of the guide, by file name (the index excluded).
fn pages() -> BTreeMap<String, String> {
    let mut pages = BTreeMap::new();
    for entry in std::fs::read_dir(root().join("docs")).expect("docs/") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("name")
            .to_owned();
        if name.ends_with(".md") && name != "README.md" {
            pages.insert(name, read(&path));
        }
    }
    pages
}

/// The crates that render pages, with their sources and the pages they render there.
const RENDERING: [(&str, &str); 3] = [
    ("orq-codegen", "orq-codegen/src/lib.rs"),
    ("orq-runtime", "orq-client/runtime/src/lib.rs"),
    ("orq-client", "orq-client/src/lib.rs"),
];

/// Whether a crate's source renders `page` in its documentation: an inner `doc`
/// attribute including it (`orq-client` also includes pages on modules that exist only
/// for doctests, which render nothing).
fn renders(source: &str, page: &str) -> bool {
    source
        .lines()
        .any(|line| line.starts_with("#![") && line.contains(&format!("/{page}\"")))
}

/// The lines of `text` outside fenced code blocks.
fn prose(text: &str) -> Vec<&str> {
    let mut fenced = false;
    text.lines()
        .filter(|line| {
            if line.trim_start().starts_with("```") {
                fenced = !fenced;
                return false;
            }
            !fenced
        })
        .collect()
}

/// A heading's anchor, as GitHub and rustdoc both make it.
fn slug(heading: &str) -> String {
    heading
        .chars()
        .filter_map(|c| match c {
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c.to_ascii_lowercase()),
            c if c.is_whitespace() => Some('-'),
            _ => None,
        })
        .collect()
}

fn anchors(page: &str) -> BTreeSet<String> {
    prose(page)
        .into_iter()
        .filter(|line| line.starts_with('#'))
        .map(|line| slug(line.trim_start_matches('#').trim()))
        .collect()
}

/// `[label]: destination` definitions of a Markdown text.
fn definitions(text: &str) -> BTreeMap<String, String> {
    prose(text)
        .into_iter()
        .filter_map(|line| {
            let rest = line.strip_prefix('[')?;
            let (label, destination) = rest.split_once("]: ")?;
            Some((label.to_owned(), destination.trim().to_owned()))
        })
        .collect()
}

/// Labels of the reference links `[text][label]` a text uses.
fn references(text: &str) -> BTreeSet<String> {
    let mut labels = BTreeSet::new();
    for line in prose(text) {
        for part in line.split("][").skip(1) {
            if let Some((label, _)) = part.split_once(']') {
                labels.insert(label.to_owned());
            }
        }
    }
    labels
}

#[test]
fn every_page_is_rendered_by_one_crate() {
    let sources: Vec<(&str, String)> = RENDERING
        .iter()
        .map(|(name, source)| (*name, read(&root().join(source))))
        .collect();
    for page in pages().keys() {
        let rendered: Vec<&str> = sources
            .iter()
            .filter(|(_, source)| renders(source, page))
            .map(|(name, _)| *name)
            .collect();
        assert_eq!(
            rendered.len(),
            1,
            "{page} is rendered by {rendered:?}, not by one crate"
        );
    }
}

#[test]
fn no_rust_block_is_ignored() {
    let mut texts = pages();
    texts.insert("README.md".into(), read(&root().join("README.md")));
    for (name, text) in texts {
        for line in text.lines() {
            let fence = line.trim_start();
            assert!(
                !(fence.starts_with("```rust") && fence.contains("ignore")),
                "{name}: `{fence}`: make it compile (`no_run` if it must not run), or `text`"
            );
        }
    }
}

#[test]
fn links_between_pages_lead_to_a_page_and_a_heading() {
    let pages = pages();
    let target_exists = |target: &str| -> bool {
        let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
        pages
            .get(file)
            .is_some_and(|page| anchor.is_empty() || anchors(page).contains(anchor))
    };
    for (name, page) in &pages {
        let defined = definitions(page);
        for label in references(page) {
            let destination = defined.get(&label).unwrap_or_else(|| {
                panic!("{name}: [..][{label}] has no definition at the foot of the page")
            });
            assert_eq!(destination, &label, "{name}: [{label}] leads elsewhere");
            assert!(
                target_exists(&label),
                "{name}: [{label}] names no page or heading"
            );
        }
    }
}

#[test]
fn every_crate_defines_the_links_of_the_pages_it_renders() {
    let pages = pages();
    // Which crate renders which page, and the anchors of each crate's page.
    let mut home: BTreeMap<String, &str> = BTreeMap::new();
    let mut crate_anchors: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (krate, source) in RENDERING {
        let source = read(&root().join(source));
        for (name, page) in &pages {
            if renders(&source, name) {
                home.insert(name.clone(), krate);
                crate_anchors
                    .entry(krate)
                    .or_default()
                    .extend(anchors(page));
            }
        }
    }
    let links_of = [
        ("orq-codegen", "orq-codegen/docs/links.md"),
        ("orq-runtime", "orq-client/runtime/docs/links.md"),
        ("orq-client", "orq-client/docs/guide/links.md"),
    ];
    for (krate, links) in links_of {
        let defined = definitions(&read(&root().join(links)));
        for (name, page) in pages
            .iter()
            .filter(|(name, _)| home.get(*name) == Some(&krate))
        {
            for label in references(page) {
                let destination = defined
                    .get(&label)
                    .unwrap_or_else(|| panic!("{links}: no [{label}] (used by {name})"));
                let (file, anchor) = label.split_once('#').unwrap_or((&label, ""));
                let anchor = if anchor.is_empty() {
                    let title = pages[file].lines().next().unwrap_or_default();
                    slug(title.trim_start_matches('#').trim())
                } else {
                    anchor.to_owned()
                };
                let target_crate = home[file];
                let expected = if target_crate == krate {
                    format!("#{anchor}")
                } else {
                    let ident = target_crate.replace('-', "_");
                    format!("https://docs.rs/{target_crate}/latest/{ident}/#{anchor}")
                };
                assert_eq!(destination, &expected, "{links}: [{label}]");
                assert!(
                    crate_anchors[target_crate].contains(&anchor),
                    "{links}: [{label}]: no heading #{anchor}"
                );
            }
        }
    }
}

#[test]
fn relative_links_of_the_front_pages_name_files() {
    for (text, dir) in [("README.md", ""), ("docs/README.md", "docs")] {
        let content = read(&root().join(text));
        for line in prose(&content) {
            for part in line.split("](").skip(1) {
                let Some((target, _)) = part.split_once(')') else {
                    continue;
                };
                let file = target.split('#').next().unwrap_or_default();
                if file.is_empty() || target.starts_with("http") {
                    continue;
                }
                assert!(
                    root().join(dir).join(file).exists(),
                    "{text}: {target} does not exist"
                );
            }
        }
    }
}
