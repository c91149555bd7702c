//! [`Body`]: what a binary request body (or a multipart file part) is read from:
//! bytes in memory, a file, or a stream.
//!
//! Bytes and files named by path can be sent again, so a call with them is retried
//! like any other. A stream (or an open `tokio::fs::File`) can be read only once: a
//! call sending one makes a single attempt.

use std::fmt;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures_core::Stream;
use futures_util::{StreamExt, TryStreamExt};

use crate::values::binary::Binary;

/// A chunk stream as the transport takes it.
type Chunks = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send>>;
type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The content of a binary request body or of a multipart file part.
///
/// ```
/// use orq_runtime::Body;
/// let in_memory = Body::from(vec![1u8, 2, 3]);
/// assert!(in_memory.is_replayable());
/// let by_path = Body::path("report.pdf"); // opened when sent, again on each retry
/// assert!(by_path.is_replayable());
/// let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(vec![1u8])]);
/// let once = Body::stream(chunks); // read once: the call is not retried
/// assert!(!once.is_replayable());
/// ```
#[derive(Clone)]
pub struct Body {
    pub(crate) sources: Vec<Source>,
}

/// One piece of a body.
#[derive(Clone)]
pub(crate) enum Source {
    Bytes(Bytes),
    /// A file, opened when the request is sent (and again for each retry).
    Path(PathBuf),
    /// A stream, taken by the first attempt; clones share it.
    Once(Arc<Mutex<Option<Chunks>>>),
}

impl Body {
    /// A file, opened when the request is sent and again for each retry. Its size is
    /// sent as `Content-Length`.
    pub fn path(path: impl Into<PathBuf>) -> Self {
        Self::single(Source::Path(path.into()))
    }

    /// A stream of chunks, read once as the request is sent: a call with a stream
    /// body is never retried (the chunks are gone), and is sent chunked.
    pub fn stream<S, B, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes> + 'static,
        E: Into<BoxError> + 'static,
    {
        let chunks: Chunks = Box::pin(stream.map_ok(Into::into).map_err(Into::into));
        Self::single(Source::Once(Arc::new(Mutex::new(Some(chunks)))))
    }

    /// Whether the body can be sent again (bytes and files by path), so that a
    /// failed call may be retried.
    pub fn is_replayable(&self) -> bool {
        self.sources.iter().all(|s| !matches!(s, Source::Once(_)))
    }

    /// The bytes, when the body is all in memory.
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match self.sources.as_slice() {
            [Source::Bytes(bytes)] => Some(bytes),
            _ => None,
        }
    }

    /// The last component of the path, for a body read from a file by path.
    pub(crate) fn file_name(&self) -> Option<String> {
        match self.sources.as_slice() {
            [Source::Path(path)] => Some(path.file_name()?.to_string_lossy().into_owned()),
            _ => None,
        }
    }

    fn single(source: Source) -> Self {
        Body {
            sources: vec![source],
        }
    }

    /// The pieces of several bodies, one after the other (multipart).
    pub(crate) fn concat(sources: Vec<Source>) -> Self {
        // Adjacent bytes are joined, so an all-in-memory form stays one buffer.
        let mut joined: Vec<Source> = Vec::with_capacity(sources.len());
        for source in sources {
            match (joined.last_mut(), source) {
                (Some(Source::Bytes(last)), Source::Bytes(next)) => {
                    let mut both = Vec::with_capacity(last.len() + next.len());
                    both.extend_from_slice(last);
                    both.extend_from_slice(&next);
                    *last = both.into();
                }
                (_, source) => joined.push(source),
            }
        }
        Body { sources: joined }
    }

    /// The transport body for one attempt, with its length when known. Files are
    /// opened now; a stream is taken (a second attempt finds it gone).
    pub(crate) async fn open(&self) -> std::io::Result<(reqwest::Body, Option<u64>)> {
        if let Some(bytes) = self.as_bytes() {
            return Ok((bytes.clone().into(), Some(bytes.len() as u64)));
        }
        let mut parts: Vec<Chunks> = Vec::with_capacity(self.sources.len());
        let mut length = Some(0u64);
        for source in &self.sources {
            match source {
                Source::Bytes(bytes) => {
                    length = length.map(|n| n + bytes.len() as u64);
                    let bytes = bytes.clone();
                    parts.push(Box::pin(futures_util::stream::once(
                        async move { Ok(bytes) },
                    )));
                }
                Source::Path(path) => {
                    let file = tokio::fs::File::open(path).await.map_err(|error| {
                        std::io::Error::new(error.kind(), format!("{}: {error}", path.display()))
                    })?;
                    let size = file.metadata().await?.len();
                    length = length.map(|n| n + size);
                    parts.push(file_chunks(file));
                }
                Source::Once(cell) => {
                    length = None;
                    let taken = cell.lock().ok().and_then(|mut slot| slot.take());
                    let stream = taken.ok_or_else(|| {
                        std::io::Error::other(
                            "the body stream was already sent (a stream can be sent only once)",
                        )
                    })?;
                    parts.push(stream);
                }
            }
        }
        let body = futures_util::stream::iter(parts).flatten();
        Ok((reqwest::Body::wrap_stream(body), length))
    }
}

/// An open file read in chunks of 64 KiB.
fn file_chunks(file: tokio::fs::File) -> Chunks {
    Box::pin(tokio_util::io::ReaderStream::with_capacity(file, 64 * 1024).map_err(Into::into))
}

impl fmt::Debug for Body {
    /// The kind and size of each piece, never its content.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for source in &self.sources {
            match source {
                Source::Bytes(bytes) => list.entry(&format_args!("{} bytes", bytes.len())),
                Source::Path(path) => list.entry(&format_args!("file {}", path.display())),
                Source::Once(_) => list.entry(&format_args!("stream")),
            };
        }
        list.finish()
    }
}

impl PartialEq for Body {
    /// Bytes and paths compare by value, streams by identity.
    fn eq(&self, other: &Self) -> bool {
        self.sources.len() == other.sources.len()
            && self
                .sources
                .iter()
                .zip(&other.sources)
                .all(|pair| match pair {
                    (Source::Bytes(a), Source::Bytes(b)) => a == b,
                    (Source::Path(a), Source::Path(b)) => a == b,
                    (Source::Once(a), Source::Once(b)) => Arc::ptr_eq(a, b),
                    _ => false,
                })
    }
}

impl Default for Body {
    fn default() -> Self {
        Bytes::new().into()
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Self {
        Self::single(Source::Bytes(bytes))
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Bytes::from(bytes).into()
    }
}

impl From<&'static [u8]> for Body {
    fn from(bytes: &'static [u8]) -> Self {
        Bytes::from_static(bytes).into()
    }
}

impl<const N: usize> From<&'static [u8; N]> for Body {
    fn from(bytes: &'static [u8; N]) -> Self {
        Bytes::from_static(bytes).into()
    }
}

impl From<&'static str> for Body {
    fn from(text: &'static str) -> Self {
        Bytes::from_static(text.as_bytes()).into()
    }
}

impl From<String> for Body {
    fn from(text: String) -> Self {
        Bytes::from(text).into()
    }
}

impl From<Binary> for Body {
    fn from(binary: Binary) -> Self {
        binary.0.into()
    }
}

/// An open file is read once, from where its cursor is: a call sending it is not
/// retried. [`Body::path`] is retried (the file is opened again).
impl From<tokio::fs::File> for Body {
    fn from(file: tokio::fs::File) -> Self {
        let chunks = file_chunks(file);
        Self::single(Source::Once(Arc::new(Mutex::new(Some(chunks)))))
    }
}

impl From<PathBuf> for Body {
    fn from(path: PathBuf) -> Self {
        Body::path(path)
    }
}

impl From<&Path> for Body {
    fn from(path: &Path) -> Self {
        Body::path(path)
    }
}
