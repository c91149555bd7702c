//! Files the generator writes (the SDK of `build.rs`, usage pages): written only when
//! their text changed, so modification times stay stable and nothing rebuilds for
//! nothing.

use std::path::Path;

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
