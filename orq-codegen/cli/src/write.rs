//! Writing the generated file so that nobody ever sees half of it.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

/// Write `contents` to `path` atomically: into a new file next to it, then renamed over
/// it, so a reader (the compiler, an editor, a crashed run) sees the old file or the new
/// one, never a partial one. An unchanged file is left alone (its modification time too),
/// and a replaced file keeps its permissions.
pub fn atomically(path: &Path, contents: &str) -> io::Result<()> {
    if fs::read(path).is_ok_and(|old| old == contents.as_bytes()) {
        return Ok(());
    }
    let Some(name) = path.file_name() else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the output path names no file",
        ));
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir)?;
    // The same directory, so that the rename stays on one file system.
    for attempt in 0..100 {
        let temp = dir.join(format!(
            ".{}.{}-{attempt}.tmp",
            name.to_string_lossy(),
            std::process::id()
        ));
        let mut file = match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => file,
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(err) => return Err(err),
        };
        let written = file
            .write_all(contents.as_bytes())
            .and_then(|()| file.sync_all())
            .and_then(|()| match fs::metadata(path) {
                Ok(old) => fs::set_permissions(&temp, old.permissions()),
                Err(_) => Ok(()),
            })
            .and_then(|()| {
                drop(file);
                fs::rename(&temp, path)
            });
        if written.is_err() {
            let _ = fs::remove_file(&temp);
        }
        return written;
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("no free temporary file name next to {}", path.display()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("sub/sdk.rs");
        atomically(&out, "one").expect("first write");
        atomically(&out, "two").expect("second write");
        assert_eq!(fs::read_to_string(&out).expect("read"), "two");
        let names: Vec<_> = fs::read_dir(out.parent().expect("dir"))
            .expect("list")
            .map(|entry| entry.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["sdk.rs"]);
    }

    #[test]
    fn an_unchanged_file_is_not_rewritten() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("sdk.rs");
        atomically(&out, "same").expect("write");
        let before = fs::metadata(&out)
            .and_then(|m| m.modified())
            .expect("mtime");
        std::thread::sleep(std::time::Duration::from_millis(20));
        atomically(&out, "same").expect("write again");
        let after = fs::metadata(&out)
            .and_then(|m| m.modified())
            .expect("mtime");
        assert_eq!(before, after);
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("sdk.rs");
        fs::write(&out, "old").expect("write");
        fs::set_permissions(&out, fs::Permissions::from_mode(0o640)).expect("chmod");
        atomically(&out, "new").expect("replace");
        let mode = fs::metadata(&out).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }
}
