//! What the published crates carry is what the repository holds.
//!
//! `orq-client` expands its SDK from `orq-client/spec/orq.yaml`, a symlink to the one file
//! a person edits, `spec/orq.yaml`: `cargo package` stores the target's bytes, so the
//! packaged crate holds the spec, while in the repository there is nothing to keep in sync.
//! Each crate's license files are symlinks to the repository's in the same way. A checkout
//! that turned the links into files (git on Windows without `core.symlinks`) fails here
//! instead of generating a different SDK.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `link` holds the same bytes as `target` and, where the platform has symlinks, is one.
fn assert_linked(link: &str, target: &str) {
    let (link_path, target_path) = (root().join(link), root().join(target));
    let read = |path: &Path| {
        std::fs::read(path).unwrap_or_else(|err| panic!("read {}: {err}", path.display()))
    };
    assert!(
        read(&link_path) == read(&target_path),
        "{link} differs from {target}: it must be a symlink to it (on Windows, clone with \\
         `git config core.symlinks true`)"
    );
    #[cfg(unix)]
    {
        let meta = std::fs::symlink_metadata(&link_path).expect("link metadata");
        assert!(
            meta.file_type().is_symlink(),
            "{link} is not a symlink to {target}"
        );
    }
}

#[test]
fn orq_client_packages_the_spec_people_edit() {
    assert_linked("orq-client/spec/orq.yaml", "spec/orq.yaml");
}

#[test]
fn every_published_crate_carries_the_license_files() {
    for dir in [
        "orq-codegen",
        "orq-codegen/impl",
        "orq-codegen/cli",
        "orq-client",
        "orq-client/runtime",
    ] {
        for file in ["LICENSE-MIT", "LICENSE-APACHE"] {
            assert_linked(&format!("{dir}/{file}"), file);
        }
    }
}
