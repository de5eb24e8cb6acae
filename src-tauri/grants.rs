//! Paths the webview may hand back: only those the backend itself gave out, through a file
//! dialog or a drop on the window it saw. Each is a one-time grant of one kind; a command that
//! takes a path consumes its grant, so a script in the webview cannot read, write or probe a
//! path the user never chose.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{CommandError, CommandResult};

/// What the user chose a path for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantKind {
    /// A file to read: picked with "Browse…" or dropped on the window.
    ReadFile,
    /// A folder to download into ("Choose folder").
    Folder,
    /// A file to write ("Save as").
    SaveFile,
}

/// Grants not yet used; past this many the oldest are forgotten all at once (a window that
/// drops thousands of files without adding them loses nothing it still needs: the next drop
/// grants again).
const MAX_GRANTS: usize = 4096;

#[derive(Default)]
pub struct Grants {
    open: Mutex<HashMap<PathBuf, GrantKind>>,
}

impl Grants {
    /// Records paths the backend handed out (a dialog's answer, a drop it saw).
    pub fn grant(&self, kind: GrantKind, paths: impl IntoIterator<Item = PathBuf>) {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        for p in paths {
            if open.len() >= MAX_GRANTS {
                open.clear();
            }
            open.insert(p, kind);
        }
    }

    /// Uses up the grants of every path in `paths`, or of none: `invalid_input` (naming
    /// `field`) when one of them was never granted for `kind`.
    pub fn take_all(&self, kind: GrantKind, paths: &[PathBuf], field: &str) -> CommandResult<()> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(p) = paths.iter().find(|p| open.get(*p) != Some(&kind)) {
            return Err(not_granted(field, p));
        }
        for p in paths {
            open.remove(p);
        }
        Ok(())
    }

    /// Uses up the grant of one path.
    pub fn take(&self, kind: GrantKind, path: &Path, field: &str) -> CommandResult<()> {
        self.take_all(kind, &[path.to_path_buf()], field)
    }
}

fn not_granted(field: &str, p: &Path) -> CommandError {
    CommandError::invalid(
        field,
        format!(
            "{} was not chosen in a dialog or dropped on the window; choose it again.",
            p.display()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grant_is_used_once_and_only_for_its_kind() {
        let g = Grants::default();
        let a = PathBuf::from("/tmp/a.pdf");
        let b = PathBuf::from("/tmp/b.pdf");
        g.grant(GrantKind::ReadFile, [a.clone(), b.clone()]);
        assert!(g.take(GrantKind::SaveFile, &a, "path").is_err());
        // All or nothing: one unknown path uses up none.
        assert!(g
            .take_all(
                GrantKind::ReadFile,
                &[a.clone(), "/etc/passwd".into()],
                "paths"
            )
            .is_err());
        g.take_all(GrantKind::ReadFile, &[a.clone(), b.clone()], "paths")
            .unwrap();
        assert!(g.take(GrantKind::ReadFile, &a, "paths").is_err());
    }
}
