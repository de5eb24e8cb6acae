//! Downloads that never leave half a file behind and never overwrite one silently: stream to a
//! temporary file in the target folder, check it, sync it, then link it into place under a
//! name made from the document's title.

use std::path::{Path, PathBuf};

use bytes::Bytes;
use futures_util::{Stream, TryStreamExt};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};

use crate::error::{DeskError, Result};

/// What is being saved and how to check it.
#[derive(Debug, Clone)]
pub struct DownloadTarget {
    /// The folder the user picked.
    pub dir: PathBuf,
    /// The document's title; the file name is made from it.
    pub title: String,
    /// Extension to use when the title has none (without the dot), e.g. "pdf".
    pub extension: String,
    /// Check the `%PDF-` signature.
    pub expect_pdf: bool,
    /// Check the size when the server said it.
    pub expected_size: Option<u64>,
    /// The most this file may hold, whatever the server says or sends
    /// ([`MAX_DOWNLOAD_BYTES`] unless a test asks for less).
    pub max_size: u64,
}

/// The most one downloaded file may hold (a signed PDF or a Collect upload is far smaller): a
/// server that sends more, or announces more, is refused before the disk fills.
pub const MAX_DOWNLOAD_BYTES: u64 = 2 * 1024 * 1024 * 1024;

impl DownloadTarget {
    pub fn pdf(dir: impl Into<PathBuf>, title: impl Into<String>) -> Self {
        DownloadTarget {
            dir: dir.into(),
            title: title.into(),
            extension: "pdf".into(),
            expect_pdf: true,
            expected_size: None,
            max_size: MAX_DOWNLOAD_BYTES,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SavedFile {
    pub path: PathBuf,
    pub file_name: String,
    pub size: u64,
    pub sha256: String,
}

/// Bytes so far and the total when known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ByteProgress {
    pub done: u64,
    pub total: Option<u64>,
}

/// The most characters of an extension kept.
const MAX_EXTENSION_CHARS: usize = 10;

/// Clean an extension from the server: ASCII letters and digits only, at most
/// [`MAX_EXTENSION_CHARS`], lower case; empty when nothing is left.
fn clean_extension(extension: &str) -> String {
    extension
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(MAX_EXTENSION_CHARS)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Make a safe file name from a title: no path separators, control characters or characters
/// Windows forbids; no leading dots; not empty; at most 180 bytes; with `extension` (cleaned to
/// ASCII letters and digits) if the title has no extension of that kind. Every cut is made on
/// a character boundary, whatever the title holds.
pub fn safe_file_name(title: &str, extension: &str) -> String {
    let mut name: String = title
        .trim()
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    name = name.trim().trim_start_matches('.').trim().to_string();
    // Collapse runs of replacement characters.
    while name.contains("__") {
        name = name.replace("__", "_");
    }
    let ext = clean_extension(extension);
    // The title's own extension is dropped when it is this one (in any case); the split is at
    // the last '.', which is always a character boundary.
    let mut stem = match name.rsplit_once('.') {
        Some((stem, own))
            if !ext.is_empty() && !stem.is_empty() && own.eq_ignore_ascii_case(&ext) =>
        {
            stem.to_string()
        }
        _ => name,
    };
    stem = stem.trim_end_matches(['.', ' ']).to_string();
    // Windows reserved device names.
    let upper = stem.to_uppercase();
    let reserved = ["CON", "PRN", "AUX", "NUL"].contains(&upper.as_str())
        || ((upper.starts_with("COM") || upper.starts_with("LPT"))
            && upper.len() == 4
            && upper.as_bytes()[3].is_ascii_digit());
    if reserved {
        stem.push('_');
    }
    if stem.is_empty() || stem == "_" {
        stem = "document".to_string();
    }
    let max = 180;
    if stem.len() > max {
        let mut cut = max;
        while !stem.is_char_boundary(cut) {
            cut -= 1;
        }
        stem.truncate(cut);
        stem = stem.trim_end_matches(['.', ' ']).to_string();
    }
    if ext.is_empty() {
        stem
    } else {
        format!("{stem}.{ext}")
    }
}

/// `name`, or `name (2)`, `name (3)` … before the extension.
fn numbered(name: &str, n: u32) -> String {
    if n <= 1 {
        return name.to_string();
    }
    match name.rfind('.') {
        Some(i) if i > 0 => format!("{} ({n}){}", &name[..i], &name[i..]),
        _ => format!("{name} ({n})"),
    }
}

/// Removes the temporary file unless the download finished.
struct TempGuard {
    path: Option<PathBuf>,
}

impl Drop for TempGuard {
    fn drop(&mut self) {
        if let Some(p) = self.path.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Save what `reader` yields into `target`. `progress` is called as bytes arrive.
pub async fn save_reader<R>(
    target: &DownloadTarget,
    mut reader: R,
    mut progress: impl FnMut(ByteProgress),
) -> Result<SavedFile>
where
    R: AsyncRead + Unpin,
{
    let mut part = PartialFile::create(target).await?;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = reader
            .read(&mut buf)
            .await
            .map_err(|e| DeskError::Offline(format!("The download was interrupted: {e}")))?;
        if n == 0 {
            break;
        }
        part.write_all(&buf[..n]).await.map_err(write_error)?;
        progress(ByteProgress {
            done: part.bytes_written(),
            total: target.expected_size,
        });
    }
    part.finish().await
}

/// A write into a [`PartialFile`] failed: a check (not a PDF, too long) or the disk.
pub fn write_error(e: std::io::Error) -> DeskError {
    if e.kind() == std::io::ErrorKind::InvalidData {
        DeskError::Server(e.to_string())
    } else {
        DeskError::io("Could not write the file", e)
    }
}

/// A download in progress: write into it (it is an `AsyncWrite`), then [`PartialFile::finish`]
/// checks, syncs and moves it into place. Dropped unfinished, it removes its temporary file.
pub struct PartialFile {
    target: DownloadTarget,
    file: tokio::fs::File,
    guard: TempGuard,
    tmp_path: PathBuf,
    hasher: Sha256,
    size: u64,
    head: Vec<u8>,
}

impl PartialFile {
    pub async fn create(target: &DownloadTarget) -> Result<PartialFile> {
        if let Some(announced) = target.expected_size.filter(|&n| n > target.max_size) {
            return Err(DeskError::Server(format!(
                "The server announced a file of {announced} bytes, more than the {} a download may hold.",
                target.max_size
            )));
        }
        let meta = tokio::fs::metadata(&target.dir).await.map_err(|e| {
            DeskError::io(
                format!("The folder {} cannot be used", target.dir.display()),
                e,
            )
        })?;
        if !meta.is_dir() {
            return Err(DeskError::invalid_field(
                "dir",
                format!("{} is not a folder", target.dir.display()),
            ));
        }
        let file_name = safe_file_name(&target.title, &target.extension);
        let tmp_path = target.dir.join(format!(
            ".{}.{}.part",
            file_name,
            uuid::Uuid::new_v4().simple()
        ));
        let guard = TempGuard {
            path: Some(tmp_path.clone()),
        };
        let file = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp_path)
            .await
            .map_err(|e| DeskError::io("Could not create a file in that folder", e))?;
        Ok(PartialFile {
            target: target.clone(),
            file,
            guard,
            tmp_path,
            hasher: Sha256::new(),
            size: 0,
            head: Vec::with_capacity(5),
        })
    }

    pub fn bytes_written(&self) -> u64 {
        self.size
    }

    fn check_head(&self) -> Result<()> {
        if self.target.expect_pdf && self.head.len() >= 5 && self.head != b"%PDF-" {
            return Err(DeskError::Server(
                "The server did not send a PDF for this document".into(),
            ));
        }
        Ok(())
    }

    /// Check (PDF signature, size), sync, and move into place under a free name.
    pub async fn finish(mut self) -> Result<SavedFile> {
        if self.target.expect_pdf && self.head != b"%PDF-" {
            return Err(DeskError::Server(
                "The server did not send a PDF for this document".into(),
            ));
        }
        if let Some(expected) = self.target.expected_size {
            if self.size != expected {
                return Err(DeskError::Offline(format!(
                    "The download stopped early ({} of {expected} bytes)",
                    self.size
                )));
            }
        }
        self.file
            .flush()
            .await
            .map_err(|e| DeskError::io("Could not write the file", e))?;
        self.file
            .sync_all()
            .await
            .map_err(|e| DeskError::io("Could not save the file to disk", e))?;
        let file_name = safe_file_name(&self.target.title, &self.target.extension);
        let dir = self.target.dir.clone();
        let tmp = self.tmp_path.clone();
        let name = file_name.clone();
        let final_path =
            tokio::task::spawn_blocking(move || place_without_overwrite(&dir, &tmp, &name))
                .await??;
        self.guard.path = None;
        let final_name = final_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or(file_name);
        Ok(SavedFile {
            path: final_path,
            file_name: final_name,
            size: self.size,
            sha256: hex::encode(self.hasher.clone().finalize()),
        })
    }
}

impl tokio::io::AsyncWrite for PartialFile {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        if self.size + buf.len() as u64 > self.target.max_size {
            return std::task::Poll::Ready(Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "the server sent more than the {} bytes a download may hold",
                    self.target.max_size
                ),
            )));
        }
        if let Some(expected) = self.target.expected_size {
            if self.size + buf.len() as u64 > expected {
                return std::task::Poll::Ready(Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("more than the {expected} bytes announced"),
                )));
            }
        }
        let this = &mut *self;
        match std::pin::Pin::new(&mut this.file).poll_write(cx, buf) {
            std::task::Poll::Ready(Ok(n)) => {
                let chunk = &buf[..n];
                if this.head.len() < 5 {
                    let take = (5 - this.head.len()).min(n);
                    this.head.extend_from_slice(&chunk[..take]);
                    if let Err(e) = this.check_head() {
                        return std::task::Poll::Ready(Err(std::io::Error::new(
                            std::io::ErrorKind::InvalidData,
                            e.to_string(),
                        )));
                    }
                }
                this.hasher.update(chunk);
                this.size += n as u64;
                std::task::Poll::Ready(Ok(n))
            }
            other => other,
        }
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.file).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.file).poll_shutdown(cx)
    }
}

/// Move `tmp` to the first free `name`, `name (2)`, … in `dir`, never replacing a file.
fn place_without_overwrite(dir: &Path, tmp: &Path, name: &str) -> Result<PathBuf> {
    for n in 1..=10_000u32 {
        let candidate = dir.join(numbered(name, n));
        // A hard link fails if the name is taken, so two downloads cannot both claim it.
        match std::fs::hard_link(tmp, &candidate) {
            Ok(()) => {
                let _ = std::fs::remove_file(tmp);
                sync_dir(dir);
                return Ok(candidate);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(_) => {
                // File systems without hard links (FAT, some network shares).
                if candidate.exists() {
                    continue;
                }
                std::fs::rename(tmp, &candidate)
                    .map_err(|e| DeskError::io("Could not move the download into place", e))?;
                sync_dir(dir);
                return Ok(candidate);
            }
        }
    }
    Err(DeskError::Conflict(format!(
        "Too many files named like {name} in that folder"
    )))
}

fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Save a stream of byte chunks (e.g. an HTTP body) into `target`.
pub async fn save_stream<S, E>(
    target: &DownloadTarget,
    stream: S,
    progress: impl FnMut(ByteProgress),
) -> Result<SavedFile>
where
    S: Stream<Item = std::result::Result<Bytes, E>> + Unpin,
    E: std::error::Error + Send + Sync + 'static,
{
    let reader = tokio_util::io::StreamReader::new(stream.map_err(std::io::Error::other));
    save_reader(target, reader, progress).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pdf_bytes(len: usize) -> Vec<u8> {
        let mut v = b"%PDF-1.7\n".to_vec();
        v.resize(len, b'x');
        v
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn file_names_are_cleaned() {
        assert_eq!(safe_file_name("Contract", "pdf"), "Contract.pdf");
        assert_eq!(safe_file_name("Contract.PDF", "pdf"), "Contract.pdf");
        assert_eq!(
            safe_file_name("../../etc/passwd", "pdf"),
            "_.._etc_passwd.pdf"
        );
        assert_eq!(safe_file_name("a/b\\c:d\u{0}e\n", "pdf"), "a_b_c_d_e.pdf");
        assert_eq!(safe_file_name("  ...  ", "pdf"), "document.pdf");
        assert_eq!(safe_file_name("CON", "pdf"), "CON_.pdf");
        assert_eq!(safe_file_name("Ærø kontrakt", "pdf"), "Ærø kontrakt.pdf");
        let long = "é".repeat(300);
        let n = safe_file_name(&long, "pdf");
        assert!(n.len() <= 184 && n.ends_with(".pdf"));
        assert!(!safe_file_name("x/../y", "pdf").contains('/'));
    }

    /// Extensions from the server are cleaned like titles, and multibyte titles whose lower
    /// case is longer or shorter than they are (İ, ẞ, ﬃ) never split a character.
    #[test]
    fn odd_extensions_and_multibyte_titles() {
        assert_eq!(safe_file_name("report", "../../x"), "report.x");
        assert_eq!(safe_file_name("report", ".P/D|F"), "report.pdf");
        assert_eq!(safe_file_name("report", "ø"), "report");
        assert_eq!(safe_file_name("report", "a b:c*d?e\u{0}"), "report.abcde");
        assert_eq!(
            safe_file_name("report", "abcdefghijklmnop"),
            "report.abcdefghij"
        );
        assert_eq!(safe_file_name("scan.JPEG", "JPEG"), "scan.jpeg");
        assert_eq!(safe_file_name(".pdf", "pdf"), "pdf.pdf");
        // Lower case that changes the length in bytes: İ (2 bytes) → i̇ (3 bytes).
        assert_eq!(safe_file_name("İİİ.pdf", "pdf"), "İİİ.pdf");
        assert_eq!(safe_file_name("ﬃİ", "pdf"), "ﬃİ.pdf");
        assert_eq!(safe_file_name("aİ.PDF", "pdf"), "aİ.pdf");
        assert_eq!(safe_file_name("ẞ.ẞ", "ẞ"), "ẞ.ẞ");
        for title in [
            "İ",
            "İ.pdf",
            "x.İpdf",
            "🙂.pdf",
            "a.😀",
            "é",
            "ß.PDF",
            "\u{301}.pdf",
        ] {
            for ext in ["pdf", "İ", "😀", "", "ẞpdf"] {
                let n = safe_file_name(title, ext);
                assert!(
                    !n.is_empty() && !n.contains(['/', '\\']),
                    "{title} {ext}: {n}"
                );
            }
        }
        // A long multibyte title with an extension cut at a character boundary.
        for len in 170..200 {
            let n = safe_file_name(&format!("{}.pdf", "İ".repeat(len)), "pdf");
            assert!(n.len() <= 184 && n.ends_with(".pdf"), "{n}");
        }
    }

    #[tokio::test]
    async fn downloads_are_capped() {
        let dir = tempfile::tempdir().unwrap();
        let body = pdf_bytes(1000);
        let mut t = DownloadTarget::pdf(dir.path(), "x");
        t.max_size = 999;
        // Sent without a size: cut off at the cap.
        let err = save_reader(&t, &body[..], |_| {}).await.unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::Server, "{err}");
        assert!(err.to_string().contains("999"), "{err}");
        // Announced larger than the cap: refused before anything is written.
        t.expected_size = Some(5000);
        let err = save_reader(&t, &body[..], |_| {}).await.unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::Server, "{err}");
        assert!(names(dir.path()).is_empty());
        t.max_size = 1000;
        t.expected_size = Some(1000);
        save_reader(&t, &body[..], |_| {}).await.unwrap();
    }

    #[tokio::test]
    async fn saves_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let body = pdf_bytes(200_000);
        let mut seen = Vec::new();
        let mut t = DownloadTarget::pdf(dir.path(), "Signed letter");
        t.expected_size = Some(body.len() as u64);
        let a = save_reader(&t, &body[..], |p| seen.push(p.done))
            .await
            .unwrap();
        assert_eq!(a.file_name, "Signed letter.pdf");
        assert_eq!(std::fs::read(&a.path).unwrap(), body);
        assert_eq!(a.sha256, hex::encode(Sha256::digest(&body)));
        assert_eq!(*seen.last().unwrap(), body.len() as u64);
        assert!(seen.windows(2).all(|w| w[0] < w[1]));

        let b = save_reader(&t, &body[..], |_| {}).await.unwrap();
        let c = save_reader(&t, &body[..], |_| {}).await.unwrap();
        assert_eq!(b.file_name, "Signed letter (2).pdf");
        assert_eq!(c.file_name, "Signed letter (3).pdf");
        assert_eq!(
            names(dir.path()),
            [
                "Signed letter (2).pdf",
                "Signed letter (3).pdf",
                "Signed letter.pdf"
            ]
        );
    }

    #[tokio::test]
    async fn rejects_non_pdf_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let t = DownloadTarget::pdf(dir.path(), "x");
        let err = save_reader(&t, &b"<html>login</html>"[..], |_| {})
            .await
            .unwrap_err();
        assert!(err.to_string().contains("PDF"), "{err}");
        let err = save_reader(&t, &b"%PD"[..], |_| {}).await.unwrap_err();
        assert!(err.to_string().contains("PDF"), "{err}");
        assert!(names(dir.path()).is_empty());
    }

    #[tokio::test]
    async fn size_mismatch_and_broken_stream_leave_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let body = pdf_bytes(1000);
        let mut t = DownloadTarget::pdf(dir.path(), "x");
        t.expected_size = Some(2000);
        let err = save_reader(&t, &body[..], |_| {}).await.unwrap_err();
        assert!(err.retryable());
        t.expected_size = Some(10);
        assert!(save_reader(&t, &body[..], |_| {}).await.is_err());
        // A stream that fails half-way.
        t.expected_size = None;
        let chunks: Vec<std::result::Result<Bytes, std::io::Error>> = vec![
            Ok(Bytes::from(body.clone())),
            Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "reset",
            )),
        ];
        let err = save_stream(&t, futures_util::stream::iter(chunks), |_| {})
            .await
            .unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::Offline);
        assert!(names(dir.path()).is_empty());
    }

    #[tokio::test]
    async fn stream_source_and_non_pdf_files() {
        let dir = tempfile::tempdir().unwrap();
        let chunks: Vec<std::result::Result<Bytes, std::io::Error>> = vec![
            Ok(Bytes::from_static(b"%PD")),
            Ok(Bytes::from_static(b"F-1.4 rest")),
        ];
        let t = DownloadTarget::pdf(dir.path(), "from stream");
        let s = save_stream(&t, futures_util::stream::iter(chunks), |_| {})
            .await
            .unwrap();
        assert_eq!(std::fs::read(s.path).unwrap(), b"%PDF-1.4 rest");
        let t = DownloadTarget {
            dir: dir.path().into(),
            title: "passport scan.png".into(),
            extension: "png".into(),
            expect_pdf: false,
            expected_size: Some(3),
            max_size: MAX_DOWNLOAD_BYTES,
        };
        let s = save_reader(&t, &b"abc"[..], |_| {}).await.unwrap();
        assert_eq!(s.file_name, "passport scan.png");
    }

    #[tokio::test]
    async fn missing_folder_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let t = DownloadTarget::pdf(dir.path().join("nope"), "x");
        assert!(save_reader(&t, &b"%PDF-"[..], |_| {}).await.is_err());
    }
}
