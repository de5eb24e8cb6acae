//! Streaming multipart upload for Send casefile creation.
//!
//! Each PDF is streamed from disk (`tokio_util::io::ReaderStream` → `reqwest::Body`) with its
//! length known up front, so the request has a `Content-Length` and memory use does not grow
//! with the size of the files.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use reqwest::multipart::{Form, Part};
use tokio_util::io::ReaderStream;

use crate::error::{Error, Result};

/// Bytes read from disk per chunk.
const CHUNK: usize = 512 * 1024;

/// A file to upload; `file_name` is the multipart filename and must equal a `documents[].name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadFile {
    /// Where the bytes are.
    pub path: PathBuf,
    /// The name sent (defaults to the path's file name).
    pub file_name: String,
}

impl UploadFile {
    /// Uses the path's file name.
    pub fn new(path: impl Into<PathBuf>) -> Result<Self> {
        let path = path.into();
        let file_name = path
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| Error::InvalidInput {
                message: format!("{} has no usable file name", path.display()),
                field: Some("files".into()),
            })?
            .to_owned();
        Ok(UploadFile { path, file_name })
    }

    /// Sends the file under another name.
    pub fn with_name(path: impl Into<PathBuf>, file_name: impl Into<String>) -> Self {
        UploadFile {
            path: path.into(),
            file_name: file_name.into(),
        }
    }
}

/// Upload progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// File bytes handed to the connection so far.
    pub bytes_sent: u64,
    /// Total file bytes.
    pub total_bytes: u64,
}

/// Progress callback (called from the upload task; keep it cheap).
pub type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

/// Shared counters of one upload.
#[derive(Clone)]
pub(crate) struct Tracker {
    sent: Arc<AtomicU64>,
    last_activity_ms: Arc<AtomicU64>,
    start: Instant,
    total: u64,
    progress: Option<ProgressFn>,
}

impl Tracker {
    pub(crate) fn new(total: u64, progress: Option<ProgressFn>) -> Self {
        Tracker {
            sent: Arc::new(AtomicU64::new(0)),
            last_activity_ms: Arc::new(AtomicU64::new(0)),
            start: Instant::now(),
            total,
            progress,
        }
    }

    fn touch(&self) {
        self.last_activity_ms
            .store(self.start.elapsed().as_millis() as u64, Ordering::Relaxed);
    }

    /// A new attempt starts from zero.
    pub(crate) fn reset(&self) {
        self.sent.store(0, Ordering::Relaxed);
        self.touch();
    }

    fn add(&self, n: u64) {
        let sent = self.sent.fetch_add(n, Ordering::Relaxed) + n;
        self.touch();
        if let Some(p) = &self.progress {
            p(Progress {
                bytes_sent: sent,
                total_bytes: self.total,
            });
        }
    }

    fn idle_for(&self) -> Duration {
        let last = self.last_activity_ms.load(Ordering::Relaxed);
        self.start
            .elapsed()
            .saturating_sub(Duration::from_millis(last))
    }

    /// Runs `fut`, failing with [`Error::Timeout`] when no byte was sent for `idle`.
    pub(crate) async fn watch<T>(
        &self,
        idle: Duration,
        fut: impl std::future::Future<Output = Result<T>>,
    ) -> Result<T> {
        self.touch();
        tokio::pin!(fut);
        let tick = (idle / 4).max(Duration::from_millis(50));
        loop {
            tokio::select! {
                r = &mut fut => return r,
                _ = tokio::time::sleep(tick) => {
                    if self.idle_for() > idle {
                        return Err(Error::Timeout);
                    }
                }
            }
        }
    }
}

/// Sizes of the files (checks they are regular files).
pub(crate) fn file_sizes(files: &[UploadFile]) -> Result<Vec<u64>> {
    files
        .iter()
        .map(|f| {
            let md = std::fs::metadata(&f.path).map_err(|e| io_err(&f.path, e))?;
            if !md.is_file() {
                return Err(Error::InvalidInput {
                    message: format!("{} is not a regular file", f.path.display()),
                    field: Some("files".into()),
                });
            }
            Ok(md.len())
        })
        .collect()
}

fn io_err(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Builds the multipart form: `data` as a text part, then one `files` part per file, each
/// streamed from disk with its known length.
pub(crate) fn build_form(
    data: &str,
    files: &[UploadFile],
    sizes: &[u64],
    tracker: &Tracker,
) -> Result<Form> {
    let mut form = Form::new().part("data", Part::text(data.to_owned()));
    for (f, &len) in files.iter().zip(sizes) {
        let std_file = std::fs::File::open(&f.path).map_err(|e| io_err(&f.path, e))?;
        let file = tokio::fs::File::from_std(std_file);
        let t = tracker.clone();
        let stream = ReaderStream::with_capacity(file, CHUNK).inspect(move |chunk| {
            if let Ok(c) = chunk {
                t.add(c.len() as u64);
            }
        });
        let part = Part::stream_with_length(reqwest::Body::wrap_stream(stream), len)
            .file_name(f.file_name.clone())
            .mime_str("application/pdf")
            .map_err(Error::from_reqwest)?;
        form = form.part("files", part);
    }
    Ok(form)
}
