//! The generator's identity for the expansion cache (`src/cache.rs`): a digest of this
//! crate's own sources, so that an edited generator (a path or git dependency, the same
//! version) never reuses what an earlier one expanded. Cargo runs this again whenever a
//! file under `src/` or the manifest changes.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let mut files = vec![root.join("Cargo.toml")];
    collect(&root.join("src"), &mut files);
    files.sort();
    // Two SipHashes with different keys: 128 bits. Speed does not matter here, once per
    // build of the generator.
    let mut lanes = [
        std::collections::hash_map::DefaultHasher::new(),
        std::collections::hash_map::DefaultHasher::new(),
    ];
    1u8.hash(&mut lanes[1]);
    for file in &files {
        let relative = file.strip_prefix(&root).unwrap_or(file);
        let bytes = std::fs::read(file).unwrap_or_default();
        for lane in &mut lanes {
            relative.hash(lane);
            bytes.hash(lane);
        }
    }
    println!(
        "cargo:rustc-env=ORQ_CODEGEN_SOURCES={:016x}{:016x}",
        lanes[0].finish(),
        lanes[1].finish()
    );
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.toml");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
