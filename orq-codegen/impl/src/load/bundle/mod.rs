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
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diag::{Diagnostic, Diagnostics, Location, Ptr};
use crate::digest::{self, Digest};
use crate::limits::{DOCUMENT_DEPTH, INLINED_REFS, REF_CHAIN};
use crate::load::moves::Moves;
use crate::load::syntax::{parse_json, parse_yaml};
use crate::naming::pointer_name;
use paths::{canonical, normalize, split, uri_scheme};
use places::{
    Child, Layout, Place, Slot, child_place, component_sections, entry_ref, fragment_ptr,
    layout_section_mut, pointer_string, set_ref,
};

mod local;
mod paths;
mod places;

pub use local::{resolve_local, retarget_refs};

/// What bundling read, for the build to track and for diagnostics to be located.
#[derive(Debug, Default)]
pub struct Sources {
    /// Every file read for the spec, the spec first (files that could not be read too,
    /// so that creating them triggers a rebuild).
    pub files: Vec<PathBuf>,
    /// The digest of each of `files` as read (`None`: it could not be read), so that a
    /// record of the expansion can tell later whether the files it came from changed.
    digests: Vec<Option<Digest>>,
    origins: Vec<Origin>,
    /// What the steps after bundling moved in the spec's own document, in step order.
    moves: Vec<Moves>,
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
            digests: vec![None],
            origins: Vec::new(),
            moves: Vec::new(),
        }
    }

    /// Each file read for the spec with the digest of its bytes as read (`None`: it could
    /// not be read).
    pub fn digests(&self) -> impl Iterator<Item = (&Path, Option<Digest>)> {
        self.files
            .iter()
            .zip(&self.digests)
            .map(|(file, digest)| (file.as_path(), *digest))
    }

    /// Record the digest of the spec's own bytes, which the loader read.
    pub(crate) fn spec_read(&mut self, digest: Digest) {
        self.digests[0] = Some(digest);
    }

    /// Record what a step after bundling moved, so that diagnostics inside the moved
    /// parts point back at where the spec has them.
    pub fn moved(&mut self, moves: Moves) {
        if !moves.is_empty() {
            self.moves.push(moves);
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
        let pointer = self.moved_back(pointer);
        match self.origin_of(&pointer) {
            Some((file, at)) => {
                d.location = Location::Pointer(at);
                d.file = file.to_path_buf();
            }
            None => d.location = Location::Pointer(pointer),
        }
        d
    }

    /// A pointer of the bundled document as the place it came from: `#/a/b` in the spec
    /// itself, `shared/models.yml#/Pet/...` (relative to the spec's directory) in a file
    /// a `$ref` points at.
    pub fn place(&self, pointer: &str) -> String {
        let pointer = self.moved_back(pointer);
        match self.origin_of(&pointer) {
            Some((file, pointer)) => {
                let dir = self.files.first().and_then(|spec| spec.parent());
                let file = dir
                    .and_then(|dir| file.strip_prefix(dir).ok())
                    .unwrap_or(file);
                format!("{}{pointer}", file.display())
            }
            None => pointer,
        }
    }

    /// A pointer of the document as later steps left it (Swagger 2.0 converted, local
    /// `$ref` targets moved into `components`) as the pointer of the bundled document.
    fn moved_back(&self, pointer: &str) -> String {
        self.moves
            .iter()
            .rev()
            .fold(pointer.to_owned(), |pointer, moves| moves.back(&pointer))
    }

    /// The file and pointer a pointer into a copied part came from.
    fn origin_of(&self, pointer: &str) -> Option<(&Path, String)> {
        let inside = |o: &&Origin| {
            pointer
                .strip_prefix(&o.at)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        let origin = self
            .origins
            .iter()
            .filter(inside)
            .max_by_key(|o| o.at.len())?;
        let rest = &pointer[origin.at.len()..];
        Some((&origin.file, format!("{}{rest}", origin.from)))
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
    bundler.share_nested(doc);
    bundler.remove_failed(doc);
    sources.files = bundler.files.iter().map(|f| f.path.clone()).collect();
    sources.digests = bundler.files.iter().map(|f| f.digest).collect();
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

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A file read for the spec.
struct Source {
    /// As shown in diagnostics: the spec's path joined with the `$ref`s' relative paths.
    path: PathBuf,
    /// Its content; `None` when it could not be read or parsed (already reported).
    value: Option<Value>,
    /// The digest of its bytes; `None` when it could not be read (and for the spec, whose
    /// digest the loader records).
    digest: Option<Digest>,
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
    /// Where the spec keeps reusable objects (OpenAPI 3 or Swagger 2.0).
    layout: Layout,
    diags: &'d mut Diagnostics,
}

impl<'d> Bundler<'d> {
    fn new(doc: &Value, file: &Path, diags: &'d mut Diagnostics) -> Self {
        let layout = Layout::of(doc);
        let mut taken: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
        for (section, entries) in component_sections(doc, layout) {
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
                digest: None,
            }],
            by_key,
            hoisted: BTreeMap::new(),
            taken,
            queue: Default::default(),
            failed: Vec::new(),
            inlined: 0,
            origins: Vec::new(),
            layout,
            diags,
        }
    }

    /// A component of the spec that is a `$ref` to another file gives the target its
    /// name: registered before the walk, so every `$ref` to that target uses the name.
    fn register_component_entries(&mut self, doc: &Value) {
        for (section, entries) in component_sections(doc, self.layout) {
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
                Child::Map(p) => self.walk(child, Slot::Map(p), &ctx),
                Child::List(p) => self.walk(child, Slot::List(p), &ctx),
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

    /// Walk a node of `slot`. A map or list that is itself a `$ref` (JSON Reference:
    /// `properties: {$ref: 'attributes.yml#/droplet_ids'}`) is replaced by its target
    /// when that has the shape of the place.
    fn walk(&mut self, node: &mut Value, slot: Slot, ctx: &Ctx) {
        let (place, list) = match slot {
            Slot::One(place) => return self.place(node, place, ctx),
            Slot::Map(place) => (place, false),
            Slot::List(place) => (place, true),
        };
        if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
            let reference = reference.to_string();
            if self.whole(node, &reference, slot, ctx) {
                return;
            }
        }
        match node {
            Value::Object(map) if !list => {
                for (key, child) in map.iter_mut() {
                    self.place(child, place, &ctx.child(key.as_str()));
                }
            }
            Value::Array(items) if list => {
                for (i, item) in items.iter_mut().enumerate() {
                    self.place(item, place, &ctx.child(i));
                }
            }
            _ => {}
        }
    }

    /// Follow the `$ref` of a map or list (a local one of the spec is left to
    /// `resolve_local`). Returns whether the node is done.
    fn whole(&mut self, node: &mut Value, reference: &str, slot: Slot, ctx: &Ctx) -> bool {
        if ctx.file == ROOT && reference.starts_with('#') {
            return true;
        }
        let ref_ctx = ctx.child("$ref");
        let (file, fragment) = match self.target(reference, &ref_ctx) {
            None => {
                self.failed.push((ctx.at.clone(), false));
                return true;
            }
            Some(Target::Spec(local)) => {
                set_ref(node, local);
                return true;
            }
            Some(Target::File(file, fragment)) => (file, fragment),
        };
        let fits = match (slot, self.get(file, &fragment)) {
            (Slot::List(_), Some(target)) => target.is_array(),
            (_, Some(target)) => target.is_object(),
            (_, None) => false,
        };
        if !fits {
            let shown = self.files[file].path.display().to_string();
            self.error_at(
                ctx.file,
                &ref_ctx.src,
                format!(
                    "`$ref` `{reference}` stands for {}, but `{}` in `{shown}` is not one",
                    slot.describe(),
                    pointer_string(&fragment)
                ),
                format!("point the `$ref` at {}", slot.describe()),
            );
            self.failed.push((ctx.at.clone(), false));
            return true;
        }
        self.inline(node, slot, ctx, reference, file, fragment);
        true
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
                    *value = Value::String(self.entry("schemas", &name));
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
        if let Some(section) = place.section()
            && self.layout.section_path(section).is_some()
        {
            let name = self.hoist(section, place, file, fragment.clone());
            let entry = self.entry(section, &name);
            // The spec's own component that is this `$ref`: the target goes in its place.
            if ctx.at.to_string() != entry {
                set_ref(node, entry);
                return false;
            }
        }
        self.inline(node, Slot::One(place), ctx, reference, file, fragment);
        true
    }

    /// Copy the target in place of the `$ref` and walk it in its own file.
    fn inline(
        &mut self,
        node: &mut Value,
        slot: Slot,
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
            self.failed
                .push((ctx.at.clone(), slot == Slot::One(Place::Schema)));
            return;
        }
        if self.inlined >= INLINED_REFS {
            // Reported once: the copies left out are many, and all for the same reason.
            if self.inlined > INLINED_REFS {
                self.failed
                    .push((ctx.at.clone(), slot == Slot::One(Place::Schema)));
                return;
            }
            self.inlined += 1;
            self.error_at(
                ctx.file,
                &ctx.src.at("$ref"),
                format!("more than {INLINED_REFS} path items or operations come from other files; `$ref` `{reference}` is not followed"),
                "refer to fewer copies of the same path items (callbacks that refer to files that refer back multiply)",
            );
            self.failed
                .push((ctx.at.clone(), slot == Slot::One(Place::Schema)));
            return;
        }
        let Some(content) = self.get(step.0, &step.1).cloned() else {
            return;
        };
        self.inlined += 1;
        *node = merged(content, node);
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
        self.walk(node, slot, &inner);
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

    /// The target's own name (from its fragment, `naming::pointer_name`: `droplet`,
    /// `Pet_owner`; the file's stem for a whole file), made unique in its section: first
    /// with the file's stem, then with a number.
    fn new_name(&mut self, section: &'static str, file: usize, fragment: &str) -> String {
        let stem = self.files[file]
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "external".into());
        let tokens: Vec<String> = fragment_ptr(fragment).tokens().collect();
        let own = Some(pointer_name(&tokens))
            .filter(|_| tokens.iter().any(|t| !t.is_empty()))
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
            let Some(section) = layout_section_mut(doc, self.layout, hoist.section) else {
                let holder = match self.layout {
                    Layout::OpenApi3 => "components".to_string(),
                    Layout::Swagger2 => self
                        .layout
                        .section_path(hoist.section)
                        .map(|path| path.join("."))
                        .unwrap_or_default(),
                };
                self.diags.error(
                    &Ptr::root().at(&holder),
                    format!("`{holder}` is not a mapping, so the targets of `$ref`s to other files cannot be added to it"),
                    format!("make `{holder}` a mapping"),
                );
                return;
            };
            section.insert(hoist.name.clone(), content);
            let entry = self.entry(hoist.section, &hoist.name);
            let at = Ptr::from_ref(&entry).unwrap_or_default();
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
            if let Some(node) = layout_section_mut(doc, self.layout, hoist.section)
                .and_then(|s| s.get_mut(&hoist.name))
            {
                self.place(node, hoist.place, &ctx);
            }
        }
    }

    /// A target copied in whole that holds another one copied on its own (`models.yaml#/Tag`
    /// and `models.yaml#/Tag/allOf/0`) refers to that one instead of holding a second
    /// copy: one component, so one Rust type, however it is reached.
    fn share_nested(&mut self, doc: &mut Value) {
        let hoisted: Vec<(&'static str, usize, String, String)> = self
            .hoisted
            .iter()
            .map(|((section, file, fragment), name)| {
                (*section, *file, fragment.clone(), name.clone())
            })
            .collect();
        for (section, file, fragment, name) in &hoisted {
            for (outer_section, outer_file, outer, outer_name) in &hoisted {
                let Some(rest) = fragment.strip_prefix(outer.as_str()) else {
                    continue;
                };
                if outer_file != file || !rest.starts_with('/') {
                    continue;
                }
                let inside = format!("{}{rest}", self.entry(outer_section, outer_name));
                let tokens: Vec<String> = fragment_ptr(&inside[1..]).tokens().collect();
                let kind = Place::of_section(section).map(Slot::One);
                if kind.is_none() || places::slot_of(doc, &tokens) != kind {
                    continue;
                }
                if let Some(node) = doc.pointer_mut(&inside[1..]) {
                    *node = Value::Object(serde_json::Map::from_iter([(
                        "$ref".to_string(),
                        Value::String(self.entry(section, name)),
                    )]));
                }
            }
        }
    }

    /// The `$ref` to the entry `name` of `section` (one the layout has).
    fn entry(&self, section: &str, name: &str) -> String {
        entry_ref(self.layout, section, name).unwrap_or_default()
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
        let bytes = std::fs::read(&shown).ok();
        let digest = bytes.as_deref().map(digest::of);
        let value = bytes.and_then(|bytes| self.parse(&shown, bytes));
        let file = self.files.len();
        let readable = value.is_some();
        self.files.push(Source {
            path: shown,
            value,
            digest,
        });
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

    /// Drop what failed `$ref`s stood for, so that they are one error each.
    fn remove_failed(&mut self, doc: &mut Value) {
        remove_failed(doc, std::mem::take(&mut self.failed));
    }
}

/// The target's copy with the `$ref` node's own keys (3.1 `summary` and `description`,
/// or entries next to a `$ref` in a map) put over it.
pub(super) fn merged(copy: Value, reference: &Value) -> Value {
    match (copy, reference) {
        (Value::Object(mut copy), Value::Object(own)) => {
            for (key, value) in own {
                if key != "$ref" {
                    copy.insert(key.clone(), value.clone());
                }
            }
            Value::Object(copy)
        }
        (copy, _) => copy,
    }
}

/// Drop what failed `$ref`s (by the pointer of the node holding each, with whether it
/// stood for a schema) stood for, so that they are one error each: a schema becomes
/// "any value", anything else leaves its map or list.
fn remove_failed(doc: &mut Value, failed: Vec<(Ptr, bool)>) {
    let mut by_parent: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (at, schema) in failed {
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

#[cfg(test)]
mod tests;
