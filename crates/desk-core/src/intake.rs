//! Checking the PDFs a user drops or picks for a casefile before anything is queued.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub mod pdf;

/// The default largest file accepted (Penneo does not publish a limit; 50 MiB is a safe bet).
pub const DEFAULT_MAX_BYTES: u64 = 50 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct IntakeOptions {
    pub max_bytes: u64,
    /// File names already in the draft (a new file may not repeat one).
    pub existing_names: Vec<String>,
}

impl Default for IntakeOptions {
    fn default() -> Self {
        IntakeOptions {
            max_bytes: DEFAULT_MAX_BYTES,
            existing_names: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum RejectReason {
    NotFound,
    NotAFile,
    Unreadable,
    Empty,
    NotPdf,
    Encrypted,
    TooLarge,
    DuplicateName,
    /// Built in a way no ordinary document is (a compression bomb, absurd nesting): refused
    /// before anything tries to open it. See [`pdf`].
    TooComplex,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AcceptedFile {
    /// Absolute path.
    pub path: PathBuf,
    pub file_name: String,
    /// A title proposed from the file name.
    pub title: String,
    pub size: u64,
    pub sha256: String,
    /// Pages, when the PDF could be parsed.
    pub page_count: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RejectedFile {
    pub path: PathBuf,
    pub file_name: String,
    pub reason: RejectReason,
    /// A sentence for the user naming the file and the problem.
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "status")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum IntakeResult {
    Accepted(AcceptedFile),
    Rejected(RejectedFile),
}

fn reject(path: &Path, name: &str, reason: RejectReason, message: String) -> IntakeResult {
    IntakeResult::Rejected(RejectedFile {
        path: path.to_path_buf(),
        file_name: name.to_string(),
        reason,
        message,
    })
}

/// Check one file. `seen` holds the (lower-cased) names accepted so far.
fn check_one(path: &Path, opts: &IntakeOptions, seen: &mut HashSet<String>) -> IntakeResult {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        match std::env::current_dir() {
            Ok(d) => d.join(path),
            Err(_) => path.to_path_buf(),
        }
    };
    let meta = match std::fs::metadata(&abs) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return reject(
                &abs,
                &name,
                RejectReason::NotFound,
                format!("{name} was not found."),
            );
        }
        Err(e) => {
            return reject(
                &abs,
                &name,
                RejectReason::Unreadable,
                format!("{name} cannot be read: {e}."),
            );
        }
    };
    if !meta.is_file() {
        return reject(
            &abs,
            &name,
            RejectReason::NotAFile,
            format!("{name} is a folder or a special file, not a PDF document."),
        );
    }
    if meta.len() == 0 {
        return reject(
            &abs,
            &name,
            RejectReason::Empty,
            format!("{name} is empty."),
        );
    }
    if meta.len() > opts.max_bytes {
        return reject(
            &abs,
            &name,
            RejectReason::TooLarge,
            format!(
                "{name} is {:.1} MB; the limit is {:.0} MB.",
                meta.len() as f64 / 1_048_576.0,
                opts.max_bytes as f64 / 1_048_576.0
            ),
        );
    }
    // Read what was checked and no more: a file that grew (or was swapped) since its size was
    // checked is refused rather than read to its new end.
    let bytes = match std::fs::File::open(&abs)
        .and_then(|f| read_at_most(f, meta.len().min(opts.max_bytes)))
    {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            return reject(
                &abs,
                &name,
                RejectReason::TooLarge,
                format!(
                    "{name} grew while it was being checked; add it again when it is complete."
                ),
            );
        }
        Err(e) => {
            return reject(
                &abs,
                &name,
                RejectReason::Unreadable,
                format!("{name} cannot be read: {e}."),
            );
        }
    };
    if !bytes.starts_with(b"%PDF-") {
        return reject(
            &abs,
            &name,
            RejectReason::NotPdf,
            format!("{name} is not a PDF (its content is not PDF, whatever its name says)."),
        );
    }
    let facts = match pdf::inspect(&bytes) {
        Ok(f) => f,
        Err(why) => {
            return reject(
                &abs,
                &name,
                RejectReason::TooComplex,
                format!("{name} was not added: {why}, which no ordinary document does. It may be damaged, or made to crash programs that open it."),
            );
        }
    };
    let page_count = facts.pages;
    if facts.encrypted {
        return reject(&abs, &name, RejectReason::Encrypted, format!("{name} is password-protected or encrypted; Penneo cannot sign it. Save an unprotected copy and add that."));
    }
    let key = name.to_lowercase();
    let taken = opts.existing_names.iter().any(|n| n.to_lowercase() == key);
    if taken || !seen.insert(key) {
        return reject(
            &abs,
            &name,
            RejectReason::DuplicateName,
            format!("A document named {name} is already in this casefile."),
        );
    }
    let title = Path::new(&name)
        .file_stem()
        .map(|s| s.to_string_lossy().replace(['_'], " ").trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| name.clone());
    IntakeResult::Accepted(AcceptedFile {
        path: abs,
        file_name: name,
        title,
        size: bytes.len() as u64,
        sha256: hex::encode(Sha256::digest(&bytes)),
        page_count,
    })
}

/// Reads all of `r` when it holds at most `max` bytes; `None` when it holds more (only
/// `max + 1` bytes are ever read, so an endless or growing source cannot fill memory).
fn read_at_most(r: impl Read, max: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::with_capacity(usize::try_from(max).unwrap_or(0).min(64 << 20));
    r.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= max).then_some(bytes))
}

/// Check every path; one result per path, in order.
pub fn check_files(paths: &[PathBuf], opts: &IntakeOptions) -> Vec<IntakeResult> {
    let mut seen = HashSet::new();
    paths
        .iter()
        .map(|p| check_one(p, opts, &mut seen))
        .collect()
}

/// SHA-256 (hex) and size of a file, read in chunks.
pub fn hash_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        size += n as u64;
    }
    Ok((hex::encode(h.finalize()), size))
}

/// A small valid PDF with `pages` pages, made with lopdf (used by tests and the demo).
pub fn sample_pdf(pages: u32, text: &str) -> Vec<u8> {
    use lopdf::{dictionary, Object, Stream};
    let mut doc = lopdf::Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let mut kids = Vec::new();
    for i in 0..pages {
        let content = format!(
            "BT /F1 18 Tf 72 720 Td ({} - page {}) Tj ET",
            text.replace(['(', ')', '\\'], ""),
            i + 1
        );
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(Object::Reference(page_id));
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => pages as i64 },
        ),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    // Writing to a Vec cannot fail for I/O reasons.
    let _ = doc.save_to(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    fn encrypted_pdf() -> Vec<u8> {
        // A PDF whose trailer names an encryption dictionary.
        let body = "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
            2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n\
            3 0 obj << /Filter /Standard /V 1 /R 2 /O (xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx) /U (xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx) /P -4 >> endobj\n\
            trailer << /Root 1 0 R /Encrypt 3 0 R /ID [<00> <00>] >>\n%%EOF\n";
        body.as_bytes().to_vec()
    }

    #[test]
    fn intake_reads_no_more_than_it_checked() {
        // An endless source (a file that keeps growing) stops one byte past the limit.
        assert_eq!(read_at_most(std::io::repeat(b'x'), 1000).unwrap(), None);
        let exact = read_at_most(&[7u8; 1000][..], 1000).unwrap().unwrap();
        assert_eq!(exact.len(), 1000);
        assert_eq!(read_at_most(&[7u8; 1001][..], 1000).unwrap(), None);
    }

    #[test]
    fn accepts_pdfs_with_page_counts_and_rejects_each_problem() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let good = write(d, "engagement_letter.pdf", &sample_pdf(3, "Engagement"));
        let other = write(d, "contract.pdf", &sample_pdf(1, "Contract"));
        let fake = write(d, "fake.pdf", b"<html>not a pdf</html>");
        let empty = write(d, "empty.pdf", b"");
        let enc = write(d, "locked.pdf", &encrypted_pdf());
        let big = write(d, "big.pdf", &sample_pdf(1, "x"));
        std::fs::create_dir(d.join("folder.pdf")).unwrap();
        let sub = d.join("sub");
        std::fs::create_dir(&sub).unwrap();
        let dup = write(&sub, "CONTRACT.pdf", &sample_pdf(2, "again"));
        // A PDF whose name does not say so is still a PDF.
        let noext = write(d, "scan", &sample_pdf(2, "scan"));

        let opts = IntakeOptions {
            max_bytes: std::fs::metadata(&good).unwrap().len() + 10,
            ..Default::default()
        };
        let big_bytes = [sample_pdf(1, "x"), vec![b' '; 100_000]].concat();
        std::fs::write(&big, big_bytes).unwrap();

        let paths = vec![
            good.clone(),
            other,
            fake,
            empty,
            enc,
            big,
            d.join("folder.pdf"),
            d.join("missing.pdf"),
            dup,
            noext,
        ];
        let res = check_files(&paths, &opts);
        let summary: Vec<std::result::Result<Option<u32>, RejectReason>> = res
            .iter()
            .map(|r| match r {
                IntakeResult::Accepted(a) => Ok(a.page_count),
                IntakeResult::Rejected(r) => Err(r.reason),
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                Ok(Some(3)),
                Ok(Some(1)),
                Err(RejectReason::NotPdf),
                Err(RejectReason::Empty),
                Err(RejectReason::Encrypted),
                Err(RejectReason::TooLarge),
                Err(RejectReason::NotAFile),
                Err(RejectReason::NotFound),
                Err(RejectReason::DuplicateName),
                Ok(Some(2)),
            ]
        );
        let IntakeResult::Accepted(a) = &res[0] else {
            unreachable!()
        };
        assert_eq!(a.title, "engagement letter");
        assert_eq!(a.sha256, hash_file(&good).unwrap().0);
        for r in &res {
            if let IntakeResult::Rejected(r) = r {
                assert!(r.message.contains(&r.file_name), "{}", r.message);
            }
        }
        // A name already in the draft is a duplicate too.
        let opts = IntakeOptions {
            existing_names: vec!["Engagement_Letter.PDF".into()],
            ..Default::default()
        };
        assert!(
            matches!(&check_files(&[good], &opts)[0], IntakeResult::Rejected(r) if r.reason == RejectReason::DuplicateName)
        );
    }

    #[cfg(unix)]
    #[test]
    fn unreadable_file_is_rejected() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "secret.pdf", &sample_pdf(1, "x"));
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
        let readable_anyway = std::fs::File::open(&p).is_ok(); // running as root
        let res = check_files(&[p], &IntakeOptions::default());
        if !readable_anyway {
            assert!(
                matches!(&res[0], IntakeResult::Rejected(r) if r.reason == RejectReason::Unreadable)
            );
        } else {
            assert!(matches!(&res[0], IntakeResult::Accepted(_)));
        }
    }
}
