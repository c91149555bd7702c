//! The committed surface file of the build setting (`Settings::with_surface_file`): what
//! the recorded surface is, how the spec's differs from it, and writing it anew.

use std::path::{Path, PathBuf};

use crate::diff::{self, Change, report};
use crate::surface::{Surface, file};

/// The environment variable that makes the macro, `build.rs` and `orq-codegen check`
/// write the surface file instead of comparing it: `ORQ_SURFACE=update`.
pub const UPDATE_VAR: &str = "ORQ_SURFACE";

/// Whether [`UPDATE_VAR`] asks for the surface file to be written.
pub fn update_requested() -> bool {
    std::env::var(UPDATE_VAR).is_ok_and(|value| value == "update")
}

/// What the surface file says next to the spec's surface.
#[derive(Clone, Debug)]
pub struct SurfaceCheck {
    /// The surface file.
    pub file: PathBuf,
    /// What the file holds.
    pub recorded: Recorded,
    /// The changes from the recorded surface to the spec's.
    pub changes: Vec<Change>,
    /// The spec's surface, as the file should hold it.
    pub text: String,
}

/// The surface file as found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// It does not exist yet.
    Missing,
    /// It exists but does not read as a surface (the reason).
    Unreadable(String),
    /// It holds exactly the spec's surface.
    Current,
    /// It holds another surface (see the changes; none when only places in the spec or
    /// the API's version moved).
    Stale,
}

impl SurfaceCheck {
    /// Compare the file at `file` with `current`.
    pub(crate) fn new(file: &Path, current: &Surface) -> SurfaceCheck {
        let text = file::render(current);
        match Self::compare(file, text, |_| {
            Ok::<_, std::convert::Infallible>(current.clone())
        }) {
            Ok(check) => check,
            Err(never) => match never {},
        }
    }

    /// Compare the file at `file` with the surface file text `text` (the spec's surface as
    /// rendered before, e.g. by an earlier expansion); `None` when `text` is no surface.
    pub(crate) fn from_text(file: &Path, text: String) -> Option<SurfaceCheck> {
        Self::compare(file, text, file::parse).ok()
    }

    /// The comparison of [`new`](Self::new) and [`from_text`](Self::from_text): the
    /// spec's surface is only needed, as `current(text)`, when the file holds another.
    fn compare<E>(
        file: &Path,
        text: String,
        current: impl FnOnce(&str) -> Result<Surface, E>,
    ) -> Result<SurfaceCheck, E> {
        let (recorded, changes) = match std::fs::read_to_string(file) {
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => (Recorded::Missing, vec![]),
            Err(err) => (Recorded::Unreadable(err.to_string()), vec![]),
            Ok(old) if old == text => (Recorded::Current, vec![]),
            Ok(old) => match file::parse(&old) {
                Ok(old) => (Recorded::Stale, diff::diff(&old, &current(&text)?)),
                Err(err) => (Recorded::Unreadable(err.to_string()), vec![]),
            },
        };
        Ok(SurfaceCheck {
            file: file.to_path_buf(),
            recorded,
            changes,
            text,
        })
    }

    /// Whether the file holds the spec's surface.
    pub fn is_current(&self) -> bool {
        self.recorded == Recorded::Current
    }

    /// Write the spec's surface to the file (nothing when it already holds it).
    pub fn update(&self) -> std::io::Result<()> {
        crate::files::write_if_changed(&self.file, &self.text)
    }

    /// What to tell the user, one line each (none when the file is current): what
    /// happened and one line per change. `shown` is the file as the user named it; the
    /// caller adds how to update it.
    pub fn message(&self, shown: &Path) -> Vec<String> {
        let shown = shown.display();
        match &self.recorded {
            Recorded::Current => Vec::new(),
            Recorded::Missing => vec![format!("the API surface file {shown} does not exist yet")],
            Recorded::Unreadable(why) => {
                vec![format!(
                    "the API surface file {shown} cannot be read: {why}"
                )]
            }
            Recorded::Stale if self.changes.is_empty() => vec![format!(
                "the API surface file {shown} is out of date, with no change to the API (places in the spec or the API's version moved)"
            )],
            Recorded::Stale => {
                let mut lines = vec![format!(
                    "the spec changed the SDK's API since {shown}: {}",
                    report::summary(&self.changes)
                )];
                lines.extend(
                    report::lines(&self.changes)
                        .into_iter()
                        .map(|l| format!("  {l}")),
                );
                lines
            }
        }
    }
}
