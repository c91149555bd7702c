//! The expansion cache: what an expansion produced, kept where cargo keeps build output
//! and used again while the spec's files, the settings and the generator are unchanged.
//!
//! A proc macro runs whenever the crate that calls it is compiled, unoptimized in a dev
//! build: reading, lowering and emitting a large spec again costs seconds each time,
//! though its code only changes when a file of the spec, the macro's options or the
//! generator does. An entry records exactly those:
//!
//! - its name is the digest of the generator's identity, the settings, the spec's path
//!   and the spec's bytes, so another spec, other options or another generator looks
//!   elsewhere (and the header repeats them, checked on read);
//! - it lists every file the spec's `$ref`s led to with the digest of its bytes as read,
//!   checked on read: a changed byte anywhere is a miss;
//! - the generator's identity is its version, a digest of its own sources (made by its
//!   build script, so an edit of a path or git dependency counts) and the `TypeId` of one
//!   of its types, which changes with the versions of its dependencies, its features,
//!   the profile and the compiler.
//!
//! It holds the token stream as text (what `proc_macro2::TokenStream::from_str` parses
//! back, which inside a proc macro is rustc's own lexer), the degradations and, with the
//! build setting `surface`, the spec's surface file text. Expansions with errors are never
//! stored.
//!
//! Entries are written to a temporary file and renamed into place, so a reader sees a
//! whole entry or none, whatever other builds run at once; an entry is checked on read
//! (format, header, lengths, a digest of its content, the token text parsing) and one that
//! fails is removed and regenerated, never trusted. The directory is bounded (entries and
//! bytes): a hit marks its entry as used, and the least recently used go first.
//!
//! Where: [`Cache::for_macro`] reads [`VAR`] (`off` disables the cache, a path moves it),
//! else uses the `OUT_DIR` that cargo gave this crate's build script, inside the target
//! directory of the build that compiled the macro (a custom `--target-dir` or
//! `CARGO_TARGET_DIR` included), which `cargo clean` removes.

extern crate proc_macro;

use std::ffi::OsString;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, SystemTime};

use proc_macro2::TokenStream;
use serde::{Deserialize, Serialize};

use crate::digest::{self, Digest, Digester};
use crate::record::SurfaceCheck;
use crate::{Diagnostic, Generated, Settings};

/// The environment variable that turns the macro's cache off (`off`, `0`, `false` or
/// `no`) or moves it (a directory; relative to the directory the compiler runs in).
pub const VAR: &str = "ORQ_CODEGEN_CACHE";

/// The first line of every entry; a new format gets a new line.
const FORMAT: &str = "orq-codegen expansion cache 1";

/// Most entries kept: several SDKs, each in a few versions (branches, settings).
const MAX_ENTRIES: usize = 32;

/// Most bytes kept (an entry of a 600-operation SDK is about 8 MB).
const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// A temporary file older than this was left by a build that stopped mid-write.
const STALE_TEMPORARY: Duration = Duration::from_secs(600);

/// A directory of expansions.
#[derive(Clone, Debug)]
pub struct Cache {
    dir: PathBuf,
    generator: String,
    max_entries: usize,
    max_bytes: u64,
}

/// What [`Cache::expand`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The expansion came from the cache.
    Hit,
    /// It was generated and stored.
    Stored,
    /// It was generated and not stored: it has errors, the spec changed while it was
    /// read, or the entry could not be written (the directory is read-only or full).
    NotStored,
}

/// An entry's header: what it was made from, and what follows it.
#[derive(Serialize, Deserialize)]
struct Header {
    generator: String,
    settings: String,
    spec: PathBuf,
    /// Every file read, the spec first, with the digest of its bytes.
    files: Vec<(PathBuf, String)>,
    degradations: Vec<Diagnostic>,
    tokens: Section,
    surface: Option<Section>,
}

/// A part of the entry after the header.
#[derive(Serialize, Deserialize)]
struct Section {
    len: usize,
    digest: String,
}

impl Section {
    fn of(text: &str) -> Self {
        Section {
            len: text.len(),
            digest: digest::of(text.as_bytes()).to_string(),
        }
    }

    /// The section at the start of `rest`, checked, and what follows it.
    fn read<'a>(&self, rest: &'a str) -> Option<(&'a str, &'a str)> {
        let text = rest.get(..self.len)?;
        (digest::of(text.as_bytes()).to_string() == self.digest).then(|| (text, &rest[self.len..]))
    }
}

impl Cache {
    /// A cache in `dir` (created when first written).
    pub fn in_dir(dir: impl Into<PathBuf>) -> Self {
        Cache {
            dir: dir.into(),
            generator: generator(),
            max_entries: MAX_ENTRIES,
            max_bytes: MAX_BYTES,
        }
    }

    /// The cache the macro uses: where [`VAR`] says, or in this crate's `OUT_DIR` when
    /// that directory exists; `None` when turned off.
    pub fn for_macro() -> Option<Self> {
        location(std::env::var_os(VAR), Path::new(env!("OUT_DIR"))).map(Cache::in_dir)
    }

    /// The directory of the entries.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// [`crate::expand_file`] through the cache.
    pub fn expand_file(&self, spec: &Path, settings: &Settings) -> Generated {
        self.expand(spec, settings).0
    }

    /// [`expand_file`](Self::expand_file), and whether it came from the cache.
    pub fn expand(&self, spec: &Path, settings: &Settings) -> (Generated, Outcome) {
        // A spec that cannot be read has an error to report: generate it.
        let Ok(bytes) = std::fs::read(spec) else {
            return (crate::expand_file(spec, settings), Outcome::NotStored);
        };
        let settings_text = format!("{settings:?}");
        let spec_digest = digest::of(&bytes);
        let entry = self.entry(spec, &settings_text, &bytes);
        if let Some(hit) = self.read(&entry, spec, &settings_text, spec_digest, settings) {
            return (hit, Outcome::Hit);
        }
        let (generated, digests) = crate::expand_file_read(spec, settings);
        // Stored only when it is what the spec read to compute the name says.
        let stored = !generated.has_errors()
            && digests.first() == Some(&Some(spec_digest))
            && self
                .write(&entry, spec, &settings_text, &generated, &digests)
                .is_ok();
        let outcome = if stored {
            self.evict();
            Outcome::Stored
        } else {
            Outcome::NotStored
        };
        (generated, outcome)
    }

    /// The path of the entry for `spec` (with `bytes`) and the settings.
    fn entry(&self, spec: &Path, settings: &str, bytes: &[u8]) -> PathBuf {
        let name = Digester::new()
            .part(FORMAT.as_bytes())
            .part(self.generator.as_bytes())
            .part(settings.as_bytes())
            .part(spec.as_os_str().as_encoded_bytes())
            .part(bytes)
            .finish();
        self.dir.join(format!("{name}.expansion"))
    }

    /// The expansion recorded in `entry`, when it is whole and every file it came from
    /// is unchanged. A damaged entry is removed.
    fn read(
        &self,
        entry: &Path,
        spec: &Path,
        settings_text: &str,
        spec_digest: Digest,
        settings: &Settings,
    ) -> Option<Generated> {
        let text = std::fs::read_to_string(entry).ok()?;
        let Some((header, body)) = parse(&text) else {
            let _ = std::fs::remove_file(entry);
            return None;
        };
        if header.generator != self.generator
            || header.settings != settings_text
            || header.spec != spec
            || !unchanged(&header.files, spec_digest)
        {
            return None;
        }
        let Some(generated) = restore(&header, body, settings) else {
            let _ = std::fs::remove_file(entry);
            return None;
        };
        // Used now: the least recently used entries are evicted first.
        if let Ok(file) = std::fs::File::options().append(true).open(entry) {
            let _ = file.set_modified(SystemTime::now());
        }
        Some(generated)
    }

    /// Write the entry for `generated` whole, or not at all.
    fn write(
        &self,
        entry: &Path,
        spec: &Path,
        settings_text: &str,
        generated: &Generated,
        digests: &[Option<Digest>],
    ) -> std::io::Result<()> {
        let tokens = generated.tokens.to_string();
        let surface = generated.surface.as_ref().map(|check| check.text.as_str());
        let files = generated
            .files
            .iter()
            .zip(digests)
            .map(|(file, digest)| Some((file.clone(), (*digest)?.to_string())))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| std::io::Error::other("a file of the spec could not be read"))?;
        let header = Header {
            generator: self.generator.clone(),
            settings: settings_text.to_string(),
            spec: spec.to_path_buf(),
            files,
            degradations: generated.diagnostics.clone(),
            tokens: Section::of(&tokens),
            surface: surface.map(Section::of),
        };
        let header = serde_json::to_string(&header)?;
        let len = FORMAT.len() + header.len() + tokens.len() + surface.map_or(0, str::len) + 2;
        if len as u64 > self.max_bytes {
            return Err(std::io::Error::other("the entry is larger than the cache"));
        }
        std::fs::create_dir_all(&self.dir)?;
        let temporary = temporary_name(entry);
        let written = (|| {
            let mut file = std::fs::File::create_new(&temporary)?;
            for part in [FORMAT, "\n", &header, "\n", &tokens, surface.unwrap_or("")] {
                file.write_all(part.as_bytes())?;
            }
            file.sync_data()?;
            drop(file);
            // Atomic: readers see the old entry, or this one whole.
            std::fs::rename(&temporary, entry)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
        written
    }

    /// Remove the least recently used entries beyond the bounds, and temporary files that
    /// a build which stopped mid-write left.
    fn evict(&self) {
        let Ok(dir) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let now = SystemTime::now();
        let mut entries = Vec::new();
        for item in dir.flatten() {
            let path = item.path();
            let Ok(meta) = item.metadata() else { continue };
            let used = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
            if path.extension().is_some_and(|e| e == "expansion") {
                entries.push((used, meta.len(), path));
            } else if path.extension().is_some_and(|e| e == "tmp")
                && now.duration_since(used).unwrap_or_default() > STALE_TEMPORARY
            {
                let _ = std::fs::remove_file(&path);
            }
        }
        // Newest first; keep while within both bounds.
        entries.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.2.cmp(&b.2)));
        let mut bytes = 0;
        for (i, (_, len, path)) in entries.iter().enumerate() {
            bytes += len;
            if i >= self.max_entries || bytes > self.max_bytes {
                let _ = std::fs::remove_file(path);
            }
        }
    }
}

/// The generator's identity (see the module docs).
fn generator() -> String {
    format!(
        "{} {} {:?}",
        env!("CARGO_PKG_VERSION"),
        env!("ORQ_CODEGEN_SOURCES"),
        std::any::TypeId::of::<Cache>()
    )
}

/// Where the cache is: `setting` is [`VAR`]'s value, `out_dir` this crate's `OUT_DIR`.
fn location(setting: Option<OsString>, out_dir: &Path) -> Option<PathBuf> {
    let setting = setting.filter(|value| !value.is_empty());
    if let Some(value) = &setting {
        let word = value.to_string_lossy().to_ascii_lowercase();
        match word.as_str() {
            "off" | "0" | "false" | "no" => return None,
            "on" | "1" | "true" | "yes" => {}
            _ => return std::path::absolute(value).ok(),
        }
    }
    // Compiled in: it exists where this macro was built; elsewhere (a copied binary) the
    // cache is off rather than written to a path of another machine.
    out_dir.is_dir().then(|| out_dir.join("expansions"))
}

/// A name next to `entry` no other writer uses.
fn temporary_name(entry: &Path) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    let name = entry.file_name().unwrap_or_default().to_string_lossy();
    entry.with_file_name(format!(
        ".{name}.{}.{nanos}.{}.tmp",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ))
}

/// The header of an entry and what follows it.
fn parse(text: &str) -> Option<(Header, &str)> {
    let rest = text.strip_prefix(FORMAT)?.strip_prefix('\n')?;
    let (header, body) = rest.split_once('\n')?;
    Some((serde_json::from_str(header).ok()?, body))
}

/// Whether every file of an entry still has the digest it had: the spec's is known, the
/// others are read again.
fn unchanged(files: &[(PathBuf, String)], spec_digest: Digest) -> bool {
    let Some(((_, first), others)) = files.split_first() else {
        return false;
    };
    first.parse() == Ok(spec_digest)
        && others.iter().all(|(file, recorded)| {
            std::fs::read(file)
                .is_ok_and(|bytes| Digest::from_str(recorded) == Ok(digest::of(&bytes)))
        })
}

/// The expansion an entry's body holds, when it is whole.
fn restore(header: &Header, body: &str, settings: &Settings) -> Option<Generated> {
    let (tokens, rest) = header.tokens.read(body)?;
    let (surface, rest) = match &header.surface {
        Some(section) => {
            let (text, rest) = section.read(rest)?;
            (Some(text), rest)
        }
        None => (None, rest),
    };
    if !rest.is_empty() {
        return None;
    }
    let surface = match (surface, settings.surface_file()) {
        (Some(text), Some(file)) => Some(SurfaceCheck::from_text(file, text.to_string())?),
        (None, None) => None,
        _ => return None,
    };
    Some(Generated {
        tokens: parse_tokens(tokens)?,
        diagnostics: header.degradations.clone(),
        files: header.files.iter().map(|(file, _)| file.clone()).collect(),
        surface,
    })
}

/// The token text of an entry as a token stream.
///
/// Inside a proc macro this is rustc's own lexer, called directly. `proc_macro2`'s
/// `from_str` would first lex the whole text again with its own parser (rustc cannot
/// always recover from a lexing error, so `proc_macro2` checks before it asks); in the
/// macro's unoptimized build that check was most of a cache hit's time (0.45 of 0.62 s on
/// DocSpace's 6.5 MB). The check buys nothing here: the text is this generator's own
/// `TokenStream::to_string`, and its length and digest were checked by
/// [`Section::read`], so a damaged entry never gets this far.
fn parse_tokens(text: &str) -> Option<TokenStream> {
    if proc_macro::is_available() {
        return proc_macro::TokenStream::from_str(text)
            .ok()
            .map(TokenStream::from);
    }
    TokenStream::from_str(text).ok()
}

#[cfg(test)]
mod tests;
