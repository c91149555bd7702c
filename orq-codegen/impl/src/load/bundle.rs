//! Multi-file specs: every `$ref` to another file is followed and the document is made
//! one, before anything else reads it.
//!
//! A `$ref` is relative to the file that holds it (`../shared/parameters.yml#/per_page`,
//! `models.json`, and `#/...` inside a referenced file means that file). What it points
//! at is copied into the spec's own `components` under the name it has in its file
//! (`per_page`, or the file's stem for a whole-file `$ref`), and the `$ref` becomes a
//! local one: names stay stable, and cycles across files become ordinary cycles of
//! components. Where a component of the spec is itself a `$ref` to another file, the
//! target takes that component's name. Places that `components` cannot hold (path
//! items, operations) get the target copied in place.
//!
//! Every file is read once (by canonical path); the files read, and where each copied
//! part came from, are kept so that the build can track them and later diagnostics can
//! name the file and pointer the problem really is in.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use serde_json::{Map, Value};

use crate::diag::{Diagnostic, Diagnostics, Location, Ptr};
use crate::limits::{DOCUMENT_DEPTH, INLINED_REFS, REF_CHAIN};
use crate::load::syntax::{parse_json, parse_yaml};
use crate::load::walk::{holds_one_schema, holds_schema_entries};

/// What bundling read, for the build to track and for diagnostics to be located.
#[derive(Debug, Default)]
pub struct Sources {
    /// Every file read for the spec, the spec first (files that could not be read too,
    /// so that creating them triggers a rebuild).
    pub files: Vec<PathBuf>,
    origins: Vec<Origin>,
}

/// A part of the bundled document copied from another file.
#[derive(Debug)]
struct Origin {
    /// Where the part is in the bundled document.
    at: String,
    file: PathBuf,
    /// Where it is in `file`.
    from: String,
}

impl Sources {
    /// The sources of a spec that refers to no other file.
    pub fn spec_only(file: &Path) -> Self {
        Sources {
            files: vec![file.to_path_buf()],
            origins: Vec::new(),
        }
    }

    /// The diagnostic with a pointer into a copied part moved to the file and pointer the
    /// part came from.
    pub fn locate(&self, mut d: Diagnostic) -> Diagnostic {
        let Location::Pointer(pointer) = &d.location else {
            return d;
        };
        if self.files.first() != Some(&d.file) {
            return d;
        }
        let inside = |o: &&Origin| {
            pointer
                .strip_prefix(&o.at)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        if let Some(origin) = self
            .origins
            .iter()
            .filter(inside)
            .max_by_key(|o| o.at.len())
        {
            let rest = &pointer[origin.at.len()..];
            d.location = Location::Pointer(format!("{}{rest}", origin.from));
            d.file = origin.file.clone();
        }
        d
    }
}

/// Follow every `$ref` of `doc` (read from `file`) into other files. Problems are
/// reported in `diags`, located in the file that holds the `$ref`.
pub fn bundle(doc: &mut Value, file: &Path, diags: &mut Diagnostics) -> Sources {
    let mut sources = Sources::spec_only(file);
    if !has_external_ref(doc) {
        return sources;
    }
    let mut bundler = Bundler::new(doc, file, diags);
    bundler.register_component_entries(doc);
    let root = Ctx {
        file: ROOT,
        at: Ptr::root(),
        src: Ptr::root(),
        chain: &[],
    };
    bundler.place(doc, Place::Document, &root);
    bundler.drain(doc);
    bundler.remove_failed(doc);
    sources.files = bundler.files.iter().map(|f| f.path.clone()).collect();
    sources.origins = bundler.origins;
    sources
}

/// Whether any `$ref` of the document leaves it (found without recursion, so documents
/// without one cost one scan).
fn has_external_ref(doc: &Value) -> bool {
    let mut stack = vec![doc];
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(map) => {
                if map
                    .get("$ref")
                    .and_then(Value::as_str)
                    .is_some_and(|r| !r.starts_with('#'))
                {
                    return true;
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    false
}

/// The spec's own index in [`Bundler::files`].
const ROOT: usize = 0;

/// The kinds of OpenAPI objects a `$ref` can stand for, by where it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    Document,
    Components,
    PathItem,
    Operation,
    Parameter,
    Header,
    RequestBody,
    Response,
    MediaType,
    Encoding,
    Callback,
    Example,
    Link,
    SecurityScheme,
    Schema,
}

impl Place {
    /// The `components` section that holds objects of this kind, if any.
    fn section(self) -> Option<&'static str> {
        Some(match self {
            Place::Schema => "schemas",
            Place::Parameter => "parameters",
            Place::Header => "headers",
            Place::RequestBody => "requestBodies",
            Place::Response => "responses",
            Place::Callback => "callbacks",
            Place::Example => "examples",
            Place::Link => "links",
            Place::SecurityScheme => "securitySchemes",
            _ => return None,
        })
    }

    fn of_section(section: &str) -> Option<Place> {
        Some(match section {
            "schemas" => Place::Schema,
            "parameters" => Place::Parameter,
            "headers" => Place::Header,
            "requestBodies" => Place::RequestBody,
            "responses" => Place::Response,
            "callbacks" => Place::Callback,
            "examples" => Place::Example,
            "links" => Place::Link,
            "securitySchemes" => Place::SecurityScheme,
            "pathItems" => Place::PathItem,
            _ => return None,
        })
    }
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A file read for the spec.
struct Source {
    /// As shown in diagnostics: the spec's path joined with the `$ref`s' relative paths.
    path: PathBuf,
    /// Its content; `None` when it could not be read or parsed (already reported).
    value: Option<Value>,
}

/// Where a node is: in which file, at which pointer of the bundled document and of its
/// own file, and which `$ref`s were copied in place on the way (to stop cycles).
struct Ctx<'c> {
    file: usize,
    at: Ptr,
    src: Ptr,
    chain: &'c [(usize, String)],
}

impl Ctx<'_> {
    fn child(&self, key: impl std::fmt::Display + Copy) -> Ctx<'_> {
        Ctx {
            file: self.file,
            at: self.at.at(key),
            src: self.src.at(key),
            chain: self.chain,
        }
    }
}

/// A part of another file to copy into `components`, then walk.
struct Hoist {
    section: &'static str,
    place: Place,
    name: String,
    file: usize,
    fragment: String,
}

/// Where a `$ref` leads.
enum Target {
    /// A place in the spec itself: the `$ref` is (made) local.
    Spec(String),
    /// A place in another file, which was read and has something there.
    File(usize, String),
}

struct Bundler<'d> {
    files: Vec<Source>,
    by_key: BTreeMap<PathBuf, usize>,
    /// (section, file, fragment) -> the component name it was copied to.
    hoisted: BTreeMap<(&'static str, usize, String), String>,
    taken: BTreeMap<&'static str, BTreeSet<String>>,
    queue: std::collections::VecDeque<Hoist>,
    /// Bundled pointers of `$ref`s that could not be followed, with whether a schema.
    failed: Vec<(Ptr, bool)>,
    /// How many targets were copied in place so far.
    inlined: usize,
    origins: Vec<Origin>,
    diags: &'d mut Diagnostics,
}

impl<'d> Bundler<'d> {
    fn new(doc: &Value, file: &Path, diags: &'d mut Diagnostics) -> Self {
        let mut taken: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
        for (section, entries) in component_sections(doc) {
            taken
                .entry(section)
                .or_default()
                .extend(entries.keys().cloned());
        }
        let mut by_key = BTreeMap::new();
        by_key.insert(canonical(file), ROOT);
        Bundler {
            files: vec![Source {
                path: file.to_path_buf(),
                value: None,
            }],
            by_key,
            hoisted: BTreeMap::new(),
            taken,
            queue: Default::default(),
            failed: Vec::new(),
            inlined: 0,
            origins: Vec::new(),
            diags,
        }
    }

    /// A component of the spec that is a `$ref` to another file gives the target its
    /// name: registered before the walk, so every `$ref` to that target uses the name.
    fn register_component_entries(&mut self, doc: &Value) {
        for (section, entries) in component_sections(doc) {
            for (name, entry) in entries {
                let Some(reference) = entry.get("$ref").and_then(Value::as_str) else {
                    continue;
                };
                let Some((file, fragment)) = self.peek(reference) else {
                    continue;
                };
                self.hoisted
                    .entry((section, file, fragment))
                    .or_insert_with(|| name.clone());
            }
        }
    }

    /// Where a `$ref` of the spec leads, without reporting anything (problems are
    /// reported when the walk meets the `$ref`).
    fn peek(&mut self, reference: &str) -> Option<(usize, String)> {
        if reference.starts_with('#') || uri_scheme(reference).is_some() {
            return None;
        }
        let (path, fragment) = split(reference)?;
        let file = self.open(ROOT, &path)?;
        (file != ROOT && self.get(file, &fragment).is_some()).then_some((file, fragment))
    }

    fn place(&mut self, node: &mut Value, place: Place, ctx: &Ctx) {
        if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
            let reference = reference.to_string();
            if self.reference(node, &reference, place, ctx) {
                return;
            }
        }
        let Value::Object(map) = node else {
            return;
        };
        for (key, child) in map.iter_mut() {
            let Some(inner) = child_place(place, key) else {
                continue;
            };
            let ctx = ctx.child(key.as_str());
            match inner {
                Child::One(p) => self.place(child, p, &ctx),
                Child::Map(p) => self.entries(child, p, &ctx),
                Child::List(p) => {
                    if let Value::Array(items) = child {
                        for (i, item) in items.iter_mut().enumerate() {
                            self.place(item, p, &ctx.child(i));
                        }
                    }
                }
                Child::Items => match child {
                    Value::Array(items) => {
                        for (i, item) in items.iter_mut().enumerate() {
                            self.place(item, Place::Schema, &ctx.child(i));
                        }
                    }
                    _ => self.place(child, Place::Schema, &ctx),
                },
                Child::Mapping => self.mapping(child, &ctx),
            }
        }
    }

    fn entries(&mut self, node: &mut Value, place: Place, ctx: &Ctx) {
        if let Value::Object(map) = node {
            for (key, child) in map.iter_mut() {
                self.place(child, place, &ctx.child(key.as_str()));
            }
        }
    }

    /// `discriminator.mapping` values that are `$ref`s to other files become local.
    fn mapping(&mut self, node: &mut Value, ctx: &Ctx) {
        let Value::Object(map) = node else {
            return;
        };
        for (key, value) in map.iter_mut() {
            let Some(reference) = value.as_str() else {
                continue;
            };
            let is_name = !reference.contains(['#', '/'])
                && ![".yaml", ".yml", ".json"]
                    .iter()
                    .any(|ext| reference.ends_with(ext));
            if is_name || (ctx.file == ROOT && reference.starts_with('#')) {
                continue;
            }
            let reference = reference.to_string();
            let ctx = ctx.child(key.as_str());
            match self.target(&reference, &ctx) {
                Some(Target::Spec(local)) => *value = Value::String(local),
                Some(Target::File(file, fragment)) => {
                    let name = self.hoist("schemas", Place::Schema, file, fragment);
                    *value = Value::String(component_ref("schemas", &name));
                }
                None => {}
            }
        }
    }

    /// Follow the `$ref` of `node`. Returns whether the node is done (a failed `$ref`,
    /// or a target copied in place and walked).
    fn reference(&mut self, node: &mut Value, reference: &str, place: Place, ctx: &Ctx) -> bool {
        if ctx.file == ROOT && reference.starts_with('#') {
            return false;
        }
        let ref_ctx = ctx.child("$ref");
        let Some(target) = self.target(reference, &ref_ctx) else {
            self.failed.push((ctx.at.clone(), place == Place::Schema));
            return true;
        };
        let (file, fragment) = match target {
            Target::Spec(local) => {
                set_ref(node, local);
                return false;
            }
            Target::File(file, fragment) => (file, fragment),
        };
        if let Some(section) = place.section() {
            let name = self.hoist(section, place, file, fragment.clone());
            let entry = component_ref(section, &name);
            // The spec's own component that is this `$ref`: the target goes in its place.
            if ctx.at.to_string() != entry {
                set_ref(node, entry);
                return false;
            }
        }
        self.inline(node, place, ctx, reference, file, fragment);
        true
    }

    /// Copy the target in place of the `$ref` and walk it in its own file.
    fn inline(
        &mut self,
        node: &mut Value,
        place: Place,
        ctx: &Ctx,
        reference: &str,
        file: usize,
        fragment: String,
    ) {
        let step = (file, fragment);
        if ctx.chain.contains(&step) || ctx.chain.len() >= REF_CHAIN {
            self.error_at(
                ctx.file,
                &ctx.src.at("$ref"),
                format!("`$ref` `{reference}` leads back to itself through other files' `$ref`s"),
                "point the `$ref` at the object itself, not at a `$ref` that leads back here",
            );
            self.failed.push((ctx.at.clone(), place == Place::Schema));
            return;
        }
        if self.inlined >= INLINED_REFS {
            // Reported once: the copies left out are many, and all for the same reason.
            if self.inlined > INLINED_REFS {
                self.failed.push((ctx.at.clone(), place == Place::Schema));
                return;
            }
            self.inlined += 1;
            self.error_at(
                ctx.file,
                &ctx.src.at("$ref"),
                format!("more than {INLINED_REFS} path items or operations come from other files; `$ref` `{reference}` is not followed"),
                "refer to fewer copies of the same path items (callbacks that refer to files that refer back multiply)",
            );
            self.failed.push((ctx.at.clone(), place == Place::Schema));
            return;
        }
        let Some(content) = self.get(step.0, &step.1).cloned() else {
            return;
        };
        self.inlined += 1;
        *node = content;
        self.origins.push(Origin {
            at: ctx.at.to_string(),
            file: self.files[step.0].path.clone(),
            from: pointer_string(&step.1),
        });
        let src = fragment_ptr(&step.1);
        let mut chain = ctx.chain.to_vec();
        chain.push(step);
        let inner = Ctx {
            file,
            at: ctx.at.clone(),
            src,
            chain: &chain,
        };
        self.place(node, place, &inner);
    }

    /// The component name the target has (or now gets) in `place`'s section; a new one
    /// is queued to be copied in.
    fn hoist(
        &mut self,
        section: &'static str,
        place: Place,
        file: usize,
        fragment: String,
    ) -> String {
        let key = (section, file, fragment);
        if let Some(name) = self.hoisted.get(&key) {
            return name.clone();
        }
        let name = self.new_name(section, file, &key.2);
        self.queue.push_back(Hoist {
            section,
            place,
            name: name.clone(),
            file,
            fragment: key.2.clone(),
        });
        self.hoisted.insert(key, name.clone());
        name
    }

    /// The target's own name (the last token of the fragment, or the file's stem), made
    /// unique in its section: first with the file's stem, then with a number.
    fn new_name(&mut self, section: &'static str, file: usize, fragment: &str) -> String {
        let stem = self.files[file]
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "external".into());
        let own = fragment_ptr(fragment)
            .tokens()
            .last()
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| stem.clone());
        let taken = self.taken.entry(section).or_default();
        let mut candidates = vec![own.clone()];
        if own != stem {
            candidates.push(format!("{stem}_{own}"));
        }
        let name = candidates
            .into_iter()
            .chain((2..).map(|n| format!("{own}_{n}")))
            .find(|c| !taken.contains(c))
            .unwrap_or(own);
        taken.insert(name.clone());
        name
    }

    /// Copy every queued target into `components` and walk it, until none is left.
    fn drain(&mut self, doc: &mut Value) {
        while let Some(hoist) = self.queue.pop_front() {
            let Some(content) = self.get(hoist.file, &hoist.fragment).cloned() else {
                continue;
            };
            let Some(section) = section_mut(doc, hoist.section) else {
                self.diags.error(
                    &Ptr::root().at("components"),
                    "`components` is not a mapping, so the targets of `$ref`s to other files cannot be added to it",
                    "make `components` a mapping",
                );
                return;
            };
            section.insert(hoist.name.clone(), content);
            let at = Ptr::root()
                .at("components")
                .at(hoist.section)
                .at(&hoist.name);
            self.origins.push(Origin {
                at: at.to_string(),
                file: self.files[hoist.file].path.clone(),
                from: pointer_string(&hoist.fragment),
            });
            let ctx = Ctx {
                file: hoist.file,
                at,
                src: fragment_ptr(&hoist.fragment),
                chain: &[],
            };
            if let Some(node) = section_mut(doc, hoist.section).and_then(|s| s.get_mut(&hoist.name))
            {
                self.place(node, hoist.place, &ctx);
            }
        }
    }

    /// Where `reference`, written in `ctx.file`, leads; `None` (reported) when it cannot
    /// be followed. `ctx` is the place of the `$ref` itself.
    fn target(&mut self, reference: &str, ctx: &Ctx) -> Option<Target> {
        if let Some(scheme) = uri_scheme(reference) {
            let (message, help) = if scheme.eq_ignore_ascii_case("http")
                || scheme.eq_ignore_ascii_case("https")
            {
                (
                    format!(
                        "`$ref` `{reference}` points at a remote document, which orq-codegen does not fetch"
                    ),
                    "there is no network at build time: save the document next to the spec and refer to it by a relative path",
                )
            } else {
                (
                    format!(
                        "`$ref` `{reference}` uses the URI scheme `{scheme}:`, which orq-codegen does not follow"
                    ),
                    "refer to other files by a path relative to the file that holds the `$ref`",
                )
            };
            self.error_at(ctx.file, &ctx.src, message, help);
            return None;
        }
        let Some((path, fragment)) = split(reference) else {
            self.error_at(
                ctx.file,
                &ctx.src,
                format!("the fragment of `$ref` `{reference}` is not a JSON pointer"),
                "point at the target with a JSON pointer, such as `models.yaml#/components/schemas/Pet`",
            );
            return None;
        };
        let file = if path.is_empty() {
            ctx.file
        } else {
            match self.open(ctx.file, &path) {
                Some(file) => file,
                None => {
                    let shown = self.resolve_path(ctx.file, &path);
                    let referrer = self.files[ctx.file].path.display().to_string();
                    let (why, help) = match std::fs::read(&shown) {
                        Err(err) => (
                            format!("cannot be read: {err}"),
                            format!(
                                "the path is relative to the file that holds the `$ref` ({referrer}); check that the file exists"
                            ),
                        ),
                        Ok(_) => (
                            "does not parse".to_string(),
                            "fix the problem reported in that file".to_string(),
                        ),
                    };
                    self.error_at(
                        ctx.file,
                        &ctx.src,
                        format!(
                            "`$ref` `{reference}` points at the file `{}`, which {why}",
                            shown.display()
                        ),
                        help,
                    );
                    return None;
                }
            }
        };
        if file == ROOT {
            if fragment.is_empty() {
                self.error_at(
                    ctx.file,
                    &ctx.src,
                    format!("`$ref` `{reference}` points at the whole spec"),
                    "point the `$ref` at a component of the spec, such as `#/components/schemas/Pet`",
                );
                return None;
            }
            return Some(Target::Spec(pointer_string(&fragment)));
        }
        if self.get(file, &fragment).is_none() {
            let shown = self.files[file].path.display().to_string();
            self.error_at(
                ctx.file,
                &ctx.src,
                format!(
                    "`$ref` `{reference}` points at `{}` in `{shown}`, which has nothing there",
                    pointer_string(&fragment)
                ),
                format!("fix the pointer after `#`, or add the target to `{shown}`"),
            );
            return None;
        }
        Some(Target::File(file, fragment))
    }

    /// `path` as written in `from`'s `$ref`s, joined to `from`'s directory.
    fn resolve_path(&self, from: usize, path: &str) -> PathBuf {
        let base = self.files[from].path.parent().unwrap_or(Path::new(""));
        normalize(&base.join(path))
    }

    /// The file at `path` relative to `from`, read and parsed once. `None` when it cannot
    /// be read (reported by the caller) or parsed (reported here, in that file).
    fn open(&mut self, from: usize, path: &str) -> Option<usize> {
        let shown = self.resolve_path(from, path);
        let key = canonical(&shown);
        if let Some(&file) = self.by_key.get(&key) {
            return (file == ROOT || self.files[file].value.is_some()).then_some(file);
        }
        let value = std::fs::read(&shown)
            .ok()
            .and_then(|bytes| self.parse(&shown, bytes));
        let file = self.files.len();
        let readable = value.is_some();
        self.files.push(Source { path: shown, value });
        self.by_key.insert(key, file);
        readable.then_some(file)
    }

    fn parse(&mut self, path: &Path, bytes: Vec<u8>) -> Option<Value> {
        let mut diags = Diagnostics::new(path);
        let json = path
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
        let text = String::from_utf8(bytes).unwrap_or_default();
        let value = if text.trim().is_empty() {
            diags.push(
                Location::File,
                "the file is empty or not UTF-8 text",
                "write the object the `$ref`s point at, in YAML or JSON",
            );
            None
        } else if json {
            parse_json(&text, &mut diags)
        } else {
            parse_yaml(&text, &mut diags)
        };
        let value = value.filter(|value| {
            let deep = super::too_deep(value);
            if let Some(at) = &deep {
                diags.error(
                    at,
                    format!("the document nests deeper than {DOCUMENT_DEPTH} levels"),
                    "move deeply nested inline schemas to their own components and `$ref` them",
                );
            }
            deep.is_none()
        });
        self.diags.append(diags);
        value
    }

    /// The node at `fragment` (a JSON pointer, `""` for the whole file) of `file`.
    fn get(&self, file: usize, fragment: &str) -> Option<&Value> {
        self.files[file].value.as_ref()?.pointer(fragment)
    }

    fn error_at(&mut self, file: usize, at: &Ptr, message: String, help: impl Into<String>) {
        let path = self.files[file].path.clone();
        self.diags
            .push_in(&path, Location::Pointer(at.to_string()), message, help);
    }

    /// Drop what failed `$ref`s stood for, so that they are one error each: a schema
    /// becomes "any value", anything else leaves its map or list.
    fn remove_failed(&mut self, doc: &mut Value) {
        let mut by_parent: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (at, schema) in std::mem::take(&mut self.failed) {
            let tokens: Vec<String> = at.tokens().collect();
            if schema {
                if let Some(Value::Object(map)) = doc.pointer_mut(&at.to_string()[1..]) {
                    map.remove("$ref");
                }
                continue;
            }
            let Some((last, parent)) = tokens.split_last() else {
                continue;
            };
            let parent = parent.iter().fold(Ptr::root(), |p, t| p.at(t));
            by_parent
                .entry(parent.to_string()[1..].to_string())
                .or_default()
                .push(last.clone());
        }
        for (parent, mut keys) in by_parent {
            match doc.pointer_mut(&parent) {
                Some(Value::Object(map)) => {
                    for key in keys {
                        map.shift_remove(&key);
                    }
                }
                Some(Value::Array(items)) => {
                    keys.sort_by_key(|k| std::cmp::Reverse(k.parse::<usize>().unwrap_or(0)));
                    for key in keys {
                        if let Ok(i) = key.parse::<usize>()
                            && i < items.len()
                        {
                            items.remove(i);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// The sections of the spec's `components` that `$ref`s can point into, with their entries.
fn component_sections(doc: &Value) -> impl Iterator<Item = (&'static str, &Map<String, Value>)> {
    doc.get("components")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(section, entries)| {
            let section = Place::of_section(section).and_then(Place::section)?;
            Some((section, entries.as_object()?))
        })
}

/// What the value of `key` in an object of kind `place` holds.
enum Child {
    One(Place),
    Map(Place),
    List(Place),
    /// `items`: one schema, or a list of them.
    Items,
    /// `discriminator`: its `mapping` values may be `$ref`s.
    Mapping,
}

fn child_place(place: Place, key: &str) -> Option<Child> {
    use Child::*;
    use Place as P;
    Some(match (place, key) {
        (P::Document, "paths" | "webhooks") => Map(P::PathItem),
        (P::Document, "components") => One(P::Components),
        (P::Components, section) => Map(Place::of_section(section)?),
        (P::PathItem, "parameters") | (P::Operation, "parameters") => List(P::Parameter),
        (P::PathItem, method) if METHODS.contains(&method) => One(P::Operation),
        (P::Operation, "requestBody") => One(P::RequestBody),
        (P::Operation, "responses") => Map(P::Response),
        (P::Operation, "callbacks") => Map(P::Callback),
        (P::Callback, _) => One(P::PathItem),
        (P::Parameter | P::Header | P::MediaType, "schema") => One(P::Schema),
        (P::Parameter | P::Header | P::RequestBody | P::Response, "content") => Map(P::MediaType),
        (P::Parameter | P::Header | P::MediaType, "examples") => Map(P::Example),
        (P::Response | P::Encoding, "headers") => Map(P::Header),
        (P::Response, "links") => Map(P::Link),
        (P::MediaType, "encoding") => Map(P::Encoding),
        (P::Schema, "items") => Items,
        (P::Schema, "discriminator") => Mapping,
        (P::Schema, keyword) if holds_one_schema(keyword) => One(P::Schema),
        (P::Schema, keyword) if holds_schema_entries(keyword) => {
            if matches!(keyword, "allOf" | "oneOf" | "anyOf" | "prefixItems") {
                List(P::Schema)
            } else {
                Map(P::Schema)
            }
        }
        _ => return None,
    })
}

/// `node`'s `$ref` set to `reference`, its other keys kept.
fn set_ref(node: &mut Value, reference: String) {
    if let Value::Object(map) = node {
        map.insert("$ref".into(), Value::String(reference));
    }
}

fn component_ref(section: &str, name: &str) -> String {
    Ptr::root()
        .at("components")
        .at(section)
        .at(name)
        .to_string()
}

/// `components.<section>` of the document, created when missing.
fn section_mut<'a>(doc: &'a mut Value, section: &str) -> Option<&'a mut Map<String, Value>> {
    let root = doc.as_object_mut()?;
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()?;
    components
        .entry(section)
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
}

/// `#` followed by the fragment: the pointer as diagnostics print it.
fn pointer_string(fragment: &str) -> String {
    format!("#{fragment}")
}

/// The fragment (a JSON pointer such as `/components/schemas/Pet`) as a [`Ptr`].
fn fragment_ptr(fragment: &str) -> Ptr {
    Ptr::from_ref(&pointer_string(fragment)).unwrap_or_default()
}

/// The path and the JSON pointer (`""` for the whole file) of a `$ref`, percent-decoded;
/// `None` when the fragment is not a JSON pointer.
fn split(reference: &str) -> Option<(String, String)> {
    let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    let fragment = percent_decode(fragment);
    (fragment.is_empty() || fragment.starts_with('/')).then(|| (percent_decode(path), fragment))
}

/// The URI scheme of a `$ref` such as `https://...` (one letter is a Windows drive).
fn uri_scheme(reference: &str) -> Option<&str> {
    let (scheme, _) = reference.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (valid && scheme.len() > 1 && !scheme.contains('#')).then_some(scheme)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// `a/b/../c` is `a/c`: the path shown in diagnostics, without touching the disk.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The identity of a file: its canonical path when it exists.
fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| normalize(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A folder with `files` written in it (paths may have folders), removed on drop.
    struct Folder(PathBuf);

    impl Folder {
        fn new(name: &str, files: &[(&str, &str)]) -> Self {
            let dir = std::env::temp_dir()
                .join(format!("orq-codegen-bundle-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            for (path, text) in files {
                let path = dir.join(path);
                std::fs::create_dir_all(path.parent().expect("a folder")).expect("folder");
                std::fs::write(path, text).expect("write");
            }
            Folder(dir)
        }

        /// Bundle `spec.yaml` of the folder: the document, what was read, the problems.
        fn bundle(&self) -> (Value, Sources, Vec<String>) {
            let spec = self.0.join("spec.yaml");
            let text = std::fs::read_to_string(&spec).expect("spec.yaml");
            let mut diags = Diagnostics::new(&spec);
            let mut doc = parse_yaml(&text, &mut diags).expect("spec.yaml parses");
            let sources = bundle(&mut doc, &spec, &mut diags);
            let dir = self.0.display().to_string();
            let problems = diags
                .into_vec()
                .into_iter()
                .map(|d| d.to_string().replace(&dir, "DIR"))
                .collect();
            (doc, sources, problems)
        }

        fn shown(&self, sources: &Sources) -> Vec<String> {
            sources
                .files
                .iter()
                .map(|f| f.strip_prefix(&self.0).unwrap_or(f).display().to_string())
                .collect()
        }
    }

    impl Drop for Folder {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

    #[test]
    fn targets_are_copied_into_components_under_their_own_names() {
        let spec = format!(
            "{HEAD}paths:\n  /pets:\n    get:\n      parameters:\n        - $ref: 'shared/params.yaml#/limit'\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: 'models/pet.yaml#/Pet'}}\n"
        );
        let folder = Folder::new(
            "hoist",
            &[
                ("spec.yaml", &spec),
                (
                    "models/pet.yaml",
                    "Pet:\n  type: object\n  properties:\n    owner: {$ref: '#/Owner'}\n    tag: {$ref: 'tag.json'}\nOwner: {type: string}\n",
                ),
                ("models/tag.json", r#"{"type": "string", "maxLength": 9}"#),
                (
                    "shared/params.yaml",
                    "limit: {name: limit, in: query, schema: {$ref: '../models/pet.yaml#/Owner'}}\n",
                ),
            ],
        );
        let (doc, sources, problems) = folder.bundle();
        assert!(problems.is_empty(), "{problems:#?}");
        let op = &doc["paths"]["/pets"]["get"];
        assert_eq!(
            op["parameters"][0],
            json!({"$ref": "#/components/parameters/limit"})
        );
        assert_eq!(
            op["responses"]["200"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/Pet"})
        );
        let components = &doc["components"];
        assert_eq!(
            components["parameters"]["limit"]["schema"],
            json!({"$ref": "#/components/schemas/Owner"})
        );
        assert_eq!(
            components["schemas"]["Pet"]["properties"],
            json!({"owner": {"$ref": "#/components/schemas/Owner"}, "tag": {"$ref": "#/components/schemas/tag"}})
        );
        assert_eq!(
            components["schemas"]["tag"],
            json!({"type": "string", "maxLength": 9})
        );
        assert_eq!(components["schemas"]["Owner"], json!({"type": "string"}));
        assert_eq!(
            folder.shown(&sources),
            [
                "spec.yaml",
                "shared/params.yaml",
                "models/pet.yaml",
                "models/tag.json"
            ]
        );
    }

    #[test]
    fn a_component_that_is_a_ref_gives_the_target_its_name() {
        let spec = format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    List: {{type: array, items: {{$ref: 'pet.yaml'}}}}\n    Pet: {{$ref: 'pet.yaml'}}\n    Alias: {{$ref: 'pet.yaml'}}\n"
        );
        let folder = Folder::new(
            "entry",
            &[
                ("spec.yaml", &spec),
                (
                    "pet.yaml",
                    "type: object\nproperties:\n  name: {type: string}\n",
                ),
            ],
        );
        let (doc, _, problems) = folder.bundle();
        assert!(problems.is_empty(), "{problems:#?}");
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["List"]["items"],
            json!({"$ref": "#/components/schemas/Pet"})
        );
        assert_eq!(
            schemas["Pet"]["properties"]["name"],
            json!({"type": "string"})
        );
        assert_eq!(
            schemas["Alias"],
            json!({"$ref": "#/components/schemas/Pet"})
        );
        assert_eq!(schemas.as_object().map(|s| s.len()), Some(3), "{schemas}");
    }

    #[test]
    fn names_taken_are_made_unique_deterministically() {
        let spec = format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Item: {{type: integer}}\n    A: {{$ref: 'a/items.yaml#/Item'}}\n    B: {{$ref: 'b/items.yaml#/Item'}}\n    C: {{$ref: 'c/items.yaml#/Item'}}\n    D: {{type: object, properties: {{x: {{$ref: 'a/items.yaml#/Item'}}}}}}\n"
        );
        let folder = Folder::new(
            "names",
            &[
                ("spec.yaml", &spec),
                ("a/items.yaml", "Item: {type: string}\n"),
                ("b/items.yaml", "Item: {type: boolean}\n"),
                ("c/items.yaml", "Item: {type: number}\n"),
            ],
        );
        let first = folder.bundle();
        assert!(first.2.is_empty(), "{:#?}", first.2);
        let schemas = &first.0["components"]["schemas"];
        // The spec's own `Item` keeps its name; `A` is the first to take `a/items.yaml`'s.
        assert_eq!(schemas["Item"], json!({"type": "integer"}));
        assert_eq!(schemas["A"], json!({"type": "string"}));
        assert_eq!(
            schemas["D"]["properties"]["x"],
            json!({"$ref": "#/components/schemas/A"})
        );
        assert_eq!(schemas["B"], json!({"type": "boolean"}));
        let folder_two = Folder::new(
            "names-unique",
            &[
                (
                    "spec.yaml",
                    &format!(
                        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Item: {{type: integer}}\n    D: {{type: object, properties: {{a: {{$ref: 'a/items.yaml#/Item'}}, b: {{$ref: 'b/items.yaml#/Item'}}, c: {{$ref: 'c/items.yaml#/Item'}}}}}}\n"
                    ),
                ),
                ("a/items.yaml", "Item: {type: string}\n"),
                ("b/items.yaml", "Item: {type: boolean}\n"),
                ("c/items.yaml", "Item: {type: number}\n"),
            ],
        );
        let (doc, _, problems) = folder_two.bundle();
        assert!(problems.is_empty(), "{problems:#?}");
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["D"]["properties"],
            json!({
                "a": {"$ref": "#/components/schemas/items_Item"},
                "b": {"$ref": "#/components/schemas/Item_2"},
                "c": {"$ref": "#/components/schemas/Item_3"},
            })
        );
        assert_eq!(schemas["Item_3"], json!({"type": "number"}));
        assert_eq!(
            folder_two.bundle().0,
            doc,
            "the same files give the same document"
        );
    }

    #[test]
    fn cycles_across_files_become_cycles_of_components() {
        let spec = format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Node: {{type: object, properties: {{next: {{$ref: 'b.yaml#/Link'}}}}}}\n"
        );
        let folder = Folder::new(
            "cycle",
            &[
                ("spec.yaml", &spec),
                (
                    "b.yaml",
                    "Link:\n  type: object\n  properties:\n    node: {$ref: 'spec.yaml#/components/schemas/Node'}\n    other: {$ref: 'c.json#/Other'}\n",
                ),
                (
                    "c.json",
                    r#"{"Other": {"type": "object", "properties": {"back": {"$ref": "b.yaml#/Link"}}}}"#,
                ),
            ],
        );
        let (doc, sources, problems) = folder.bundle();
        assert!(problems.is_empty(), "{problems:#?}");
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["Link"]["properties"],
            json!({"node": {"$ref": "#/components/schemas/Node"}, "other": {"$ref": "#/components/schemas/Other"}})
        );
        assert_eq!(
            schemas["Other"]["properties"]["back"],
            json!({"$ref": "#/components/schemas/Link"})
        );
        assert_eq!(sources.files.len(), 3);
    }

    #[test]
    fn path_items_are_copied_in_place_with_their_refs_relative_to_their_file() {
        let spec = format!("{HEAD}paths:\n  /a:\n    $ref: 'paths/a.yaml'\n");
        let folder = Folder::new(
            "inline",
            &[
                ("spec.yaml", &spec),
                (
                    "paths/a.yaml",
                    "get:\n  responses:\n    '200': {$ref: '../responses.yaml#/ok'}\n",
                ),
                ("responses.yaml", "ok: {description: fine}\n"),
            ],
        );
        let (doc, sources, problems) = folder.bundle();
        assert!(problems.is_empty(), "{problems:#?}");
        assert_eq!(
            doc["paths"]["/a"],
            json!({"get": {"responses": {"200": {"$ref": "#/components/responses/ok"}}}})
        );
        assert_eq!(
            doc["components"]["responses"]["ok"],
            json!({"description": "fine"})
        );
        let moved = sources.locate(Diagnostic {
            severity: crate::diag::Severity::Error,
            file: folder.0.join("spec.yaml"),
            location: Location::Pointer("#/paths/~1a/get/responses".into()),
            message: "m".into(),
            help: None,
        });
        assert_eq!(moved.file, folder.0.join("paths/a.yaml"));
        assert_eq!(moved.location, Location::Pointer("#/get/responses".into()));
        let hoisted = sources.locate(Diagnostic {
            severity: crate::diag::Severity::Error,
            file: folder.0.join("spec.yaml"),
            location: Location::Pointer("#/components/responses/ok/description".into()),
            message: "m".into(),
            help: None,
        });
        assert_eq!(hoisted.file, folder.0.join("responses.yaml"));
        assert_eq!(
            hoisted.location,
            Location::Pointer("#/ok/description".into())
        );
    }

    #[test]
    fn a_ref_that_cannot_be_followed_is_one_error_where_it_is_written() {
        let spec = format!(
            "{HEAD}paths:\n  /a:\n    get:\n      parameters:\n        - $ref: 'gone.yaml#/p'\n        - {{name: q, in: query}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: 'parts.yaml#/Thing'}}\n  /b:\n    $ref: 'https://example.com/paths.yaml#/b'\n"
        );
        let folder = Folder::new(
            "errors",
            &[
                ("spec.yaml", &spec),
                (
                    "parts.yaml",
                    "Thing:\n  type: object\n  properties:\n    x: {$ref: 'sub/../missing.json'}\n    y: {$ref: '#/Nothing'}\n    z: {$ref: 'broken.yaml#/z'}\n    w: {$ref: '#anchor'}\n",
                ),
                ("broken.yaml", "z: [unclosed\n"),
            ],
        );
        let (doc, _, problems) = folder.bundle();
        assert_eq!(problems.len(), 7, "{problems:#?}");
        let expected = [
            "DIR/spec.yaml at #/paths/~1a/get/parameters/0/$ref: `$ref` `gone.yaml#/p` points at the file `DIR/gone.yaml`, which cannot be read: ",
            "DIR/spec.yaml at #/paths/~1b/$ref: `$ref` `https://example.com/paths.yaml#/b` points at a remote document, which orq-codegen does not fetch\n  help: there is no network at build time",
            "DIR/parts.yaml at #/Thing/properties/x/$ref: `$ref` `sub/../missing.json` points at the file `DIR/missing.json`, which cannot be read: ",
            "DIR/parts.yaml at #/Thing/properties/y/$ref: `$ref` `#/Nothing` points at `#/Nothing` in `DIR/parts.yaml`, which has nothing there",
            "DIR/broken.yaml:2:1: YAML syntax error: ",
            "DIR/parts.yaml at #/Thing/properties/z/$ref: `$ref` `broken.yaml#/z` points at the file `DIR/broken.yaml`, which does not parse\n  help: fix the problem reported in that file",
            "DIR/parts.yaml at #/Thing/properties/w/$ref: the fragment of `$ref` `#anchor` is not a JSON pointer",
        ];
        for (found, expected) in problems.iter().zip(expected) {
            assert!(
                found.starts_with(expected),
                "{found}\n  expected: {expected}"
            );
        }
        assert!(
            problems[2].contains(
                "help: the path is relative to the file that holds the `$ref` (DIR/parts.yaml)"
            ),
            "{}",
            problems[2]
        );
        // What failed is gone, so each problem is one error.
        let op = &doc["paths"]["/a"]["get"];
        assert_eq!(op["parameters"], json!([{"name": "q", "in": "query"}]));
        assert_eq!(
            doc["components"]["schemas"]["Thing"]["properties"],
            json!({"x": {}, "y": {}, "z": {}, "w": {}})
        );
        assert!(doc["paths"].get("/b").is_none());
    }

    #[test]
    fn a_remote_component_is_one_error_and_no_file() {
        let spec = format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Remote: {{$ref: 'https://example.com/a.yaml#/A'}}\n    Local: {{$ref: 'a.yaml#/A'}}\n"
        );
        let folder = Folder::new(
            "remote-component",
            &[("spec.yaml", &spec), ("a.yaml", "A: {type: string}\n")],
        );
        let (doc, sources, problems) = folder.bundle();
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(
            problems[0].starts_with("DIR/spec.yaml at #/components/schemas/Remote/$ref: "),
            "{}",
            problems[0]
        );
        assert_eq!(folder.shown(&sources), ["spec.yaml", "a.yaml"]);
        assert_eq!(doc["components"]["schemas"]["Remote"], json!({}));
        assert_eq!(
            doc["components"]["schemas"]["Local"],
            json!({"type": "string"})
        );
    }

    #[test]
    fn copies_that_multiply_are_bounded() {
        // Each file's callback has two path items that are the next file: 2^20 copies.
        let mut files = vec![(
            "spec.yaml".to_string(),
            format!("{HEAD}paths:\n  /a: {{$ref: 'f0.yaml'}}\n"),
        )];
        for i in 0..20 {
            let next = format!("f{}.yaml", i + 1);
            files.push((
                format!("f{i}.yaml"),
                format!("post:\n  responses: {{}}\n  callbacks:\n    c:\n      a: {{$ref: '{next}'}}\n      b: {{$ref: '{next}'}}\n"),
            ));
        }
        files.push(("f20.yaml".into(), "get: {responses: {}}\n".into()));
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let folder = Folder::new("multiply", &files);
        let started = std::time::Instant::now();
        let (_, _, problems) = folder.bundle();
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "no hang"
        );
        assert_eq!(
            problems.len(),
            1,
            "reported once, not {} times",
            problems.len()
        );
        assert!(
            problems[0].contains("more than 10000 path items"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn a_loop_of_copied_targets_is_an_error() {
        let spec = format!("{HEAD}paths:\n  /a: {{$ref: 'a.yaml'}}\n");
        let folder = Folder::new(
            "loop",
            &[
                ("spec.yaml", &spec),
                ("a.yaml", "$ref: 'b.yaml'\n"),
                ("b.yaml", "$ref: 'a.yaml'\n"),
            ],
        );
        let (_, _, problems) = folder.bundle();
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(
            problems[0].starts_with("DIR/b.yaml at #/$ref: `$ref` `a.yaml` leads back to itself"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn a_document_without_refs_to_other_files_is_left_alone() {
        let mut diags = Diagnostics::new(Path::new("x.yaml"));
        let mut doc = json!({"paths": {"/a": {"$ref": "#/x"}}, "components": {"examples": {"e": {"value": {"$ref": "other.yaml"}}}}});
        let before = doc.clone();
        let sources = bundle(&mut doc, Path::new("x.yaml"), &mut diags);
        assert!(diags.is_empty());
        assert_eq!(doc, before, "data inside examples is never followed");
        assert_eq!(sources.files, [PathBuf::from("x.yaml")]);
    }

    #[test]
    fn paths_and_fragments_are_decoded_and_normalized() {
        assert_eq!(
            split("my%20models.yaml#/components/schemas/A%7EB"),
            Some(("my models.yaml".into(), "/components/schemas/A~B".into()))
        );
        assert_eq!(split("x.yaml#name"), None);
        assert_eq!(split("x.json"), Some(("x.json".into(), String::new())));
        assert_eq!(
            normalize(Path::new("a/./b/../../c/d")),
            PathBuf::from("c/d")
        );
        assert_eq!(normalize(Path::new("../a/../b")), PathBuf::from("../b"));
        assert_eq!(uri_scheme("https://x/y.yaml"), Some("https"));
        assert_eq!(uri_scheme("urn:x"), Some("urn"));
        assert_eq!(uri_scheme("C:/specs/a.yaml"), None);
        assert_eq!(uri_scheme("a.yaml#/b:c"), None);
    }
}
