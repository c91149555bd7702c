//! [`Body`]: what a binary request body (or a multipart file part) is read from:
//! bytes in memory, a file, or a stream.
//!
//! Bytes and files named by path can be sent again, so a call with them is retried
//! like any other. A stream (or an open `tokio::fs::File`) can be read only once: a
//! call sending one makes a single attempt.
//!
//! A file by path is sent with its size as `Content-Length`, so it must be a regular
//! file whose size is its length: a directory, a FIFO, a device or a `/proc` file is
//! refused before anything is sent, and a file that grows or shrinks while it is sent
//! fails the call ([`FileChanged`]) instead of being cut or padded.

use std::fmt;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use futures_util::{StreamExt, TryStreamExt};
use tokio::io::AsyncReadExt;

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
    pieces: Pieces,
}

/// The pieces of a body: most bodies are one, held without a `Vec`.
#[derive(Clone)]
enum Pieces {
    One(Source),
    Many(Vec<Source>),
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
    /// sent as `Content-Length`: it must be a regular file (not a directory, a FIFO, a
    /// device or a `/proc` file), and one that changes size while it is sent fails the
    /// call with [`Error::Io`](crate::Error::Io).
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
        self.sources().iter().all(|s| !matches!(s, Source::Once(_)))
    }

    /// The bytes, when the body is all in memory.
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match self.sources() {
            [Source::Bytes(bytes)] => Some(bytes),
            _ => None,
        }
    }

    /// The last component of the path, for a body read from a file by path.
    pub(crate) fn file_name(&self) -> Option<String> {
        match self.sources() {
            [Source::Path(path)] => Some(path.file_name()?.to_string_lossy().into_owned()),
            _ => None,
        }
    }

    fn single(source: Source) -> Self {
        Body {
            pieces: Pieces::One(source),
        }
    }

    /// The pieces, in order.
    pub(crate) fn sources(&self) -> &[Source] {
        match &self.pieces {
            Pieces::One(source) => std::slice::from_ref(source),
            Pieces::Many(sources) => sources,
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
        match <[Source; 1]>::try_from(joined) {
            Ok([one]) => Self::single(one),
            Err(many) => Body {
                pieces: Pieces::Many(many),
            },
        }
    }

    /// The transport body for one attempt, with its length when known. Files are
    /// opened now; a stream is taken (a second attempt finds it gone).
    pub(crate) async fn open(&self) -> std::io::Result<(reqwest::Body, Option<u64>)> {
        match self.as_bytes() {
            Some(bytes) => Ok((bytes.clone().into(), Some(bytes.len() as u64))),
            // In a future of its own, boxed: bytes in memory (most bodies) leave the
            // future of every attempt as small as if there were no files.
            None => Box::pin(self.open_pieces()).await,
        }
    }

    /// [`open`](Self::open) for a body of files, streams or several pieces.
    async fn open_pieces(&self) -> std::io::Result<(reqwest::Body, Option<u64>)> {
        let sources = self.sources();
        let mut parts: Vec<Chunks> = Vec::with_capacity(sources.len());
        let mut length = Some(0u64);
        for source in sources {
            match source {
                Source::Bytes(bytes) => {
                    length = length.map(|n| n + bytes.len() as u64);
                    let bytes = bytes.clone();
                    parts.push(Box::pin(futures_util::stream::once(
                        async move { Ok(bytes) },
                    )));
                }
                Source::Path(path) => {
                    let (file, size) = open_regular(path).await?;
                    length = length.map(|n| n + size);
                    parts.push(Box::pin(Exactly::new(file_chunks(file), path, size)));
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

/// The file at `path` opened for sending, with its size: only a regular file whose size
/// is its length.
async fn open_regular(path: &Path) -> std::io::Result<(tokio::fs::File, u64)> {
    let named = |error: std::io::Error| {
        std::io::Error::new(error.kind(), format!("{}: {error}", path.display()))
    };
    let refused = |what: &str| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "{}: not a regular file ({what}); only a regular file can be sent by path (send its bytes or a stream instead)",
                path.display()
            ),
        )
    };
    let kind = |metadata: &std::fs::Metadata| {
        let kind = metadata.file_type();
        if kind.is_file() {
            None
        } else if kind.is_dir() {
            Some("a directory")
        } else {
            Some("a FIFO, a socket or a device")
        }
    };
    // Looked at before opening: opening a FIFO waits for a writer.
    if let Some(what) = kind(&tokio::fs::metadata(path).await.map_err(named)?) {
        return Err(refused(what));
    }
    let mut file = tokio::fs::File::open(path).await.map_err(named)?;
    // The file opened, which is what is sent, whatever the path names by now.
    let metadata = file.metadata().await.map_err(named)?;
    if let Some(what) = kind(&metadata) {
        return Err(refused(what));
    }
    let size = metadata.len();
    if size == 0 {
        // `/proc` and `/sys` files say 0 and hold text; an empty file reads nothing.
        let mut probe = [0u8; 1];
        if file.read(&mut probe).await.map_err(named)? > 0 {
            return Err(refused(
                "its size, 0, is not its length, as for /proc files",
            ));
        }
    }
    Ok((file, size))
}

/// A file sent by path read more or fewer bytes than its size when it was opened (which
/// was sent as `Content-Length`): it changed while it was sent.
#[derive(Debug)]
pub(crate) struct FileChanged {
    path: PathBuf,
    size: u64,
    /// The bytes read, when the file ended early; `None` when it had more.
    read: Option<u64>,
}

impl fmt::Display for FileChanged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the file changed while it was sent: it had {} bytes when opened (sent as its length), ",
            self.path.display(),
            self.size
        )?;
        match self.read {
            Some(read) => write!(f, "then ended after {read}"),
            None => write!(f, "then more"),
        }
    }
}

impl std::error::Error for FileChanged {}

impl FileChanged {
    /// The change of a file behind `error` (a failed exchange), as an I/O error.
    pub(crate) fn find(error: &(dyn std::error::Error + 'static)) -> Option<std::io::Error> {
        let mut cause = Some(error);
        while let Some(error) = cause {
            if let Some(changed) = error.downcast_ref::<FileChanged>() {
                let kind = std::io::ErrorKind::InvalidData;
                return Some(std::io::Error::new(kind, changed.to_string()));
            }
            cause = error.source();
        }
        None
    }
}

/// The chunks of a file that must hold exactly `size` bytes: fails with [`FileChanged`]
/// at the first byte past it, or at an end before it. The chunk that reaches `size` is
/// held until the file's end is seen: the transport stops reading a body once it has
/// sent its `Content-Length`, so a byte past it would otherwise go unnoticed.
struct Exactly {
    chunks: Chunks,
    path: PathBuf,
    size: u64,
    read: u64,
    /// The chunk that reached `size`, until the end of the file is seen.
    held: Option<Bytes>,
    done: bool,
}

impl Exactly {
    fn new(chunks: Chunks, path: &Path, size: u64) -> Self {
        Exactly {
            chunks,
            path: path.to_owned(),
            size,
            read: 0,
            held: None,
            done: false,
        }
    }

    fn changed(&mut self, read: Option<u64>) -> Option<Result<Bytes, BoxError>> {
        self.done = true;
        self.held = None;
        Some(Err(Box::new(FileChanged {
            path: self.path.clone(),
            size: self.size,
            read,
        })))
    }
}

impl Stream for Exactly {
    type Item = Result<Bytes, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if self.done {
                return Poll::Ready(None);
            }
            match std::task::ready!(self.chunks.as_mut().poll_next(cx)) {
                Some(Ok(chunk)) if chunk.is_empty() => {}
                Some(Ok(chunk)) => {
                    if self.held.is_some() || self.read + chunk.len() as u64 > self.size {
                        return Poll::Ready(self.changed(None));
                    }
                    self.read += chunk.len() as u64;
                    if self.read < self.size {
                        return Poll::Ready(Some(Ok(chunk)));
                    }
                    self.held = Some(chunk);
                }
                Some(Err(error)) => {
                    self.done = true;
                    return Poll::Ready(Some(Err(error)));
                }
                None if self.read < self.size => {
                    let read = self.read;
                    return Poll::Ready(self.changed(Some(read)));
                }
                None => {
                    self.done = true;
                    return Poll::Ready(self.held.take().map(Ok));
                }
            }
        }
    }
}

impl fmt::Debug for Body {
    /// The kind and size of each piece, never its content.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for source in self.sources() {
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
        let (ours, theirs) = (self.sources(), other.sources());
        ours.len() == theirs.len()
            && ours.iter().zip(theirs).all(|pair| match pair {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What `Exactly` makes of `chunks` for a file of `size` bytes: the bytes it passed
    /// on, and its error.
    async fn exactly(chunks: &[&'static [u8]], size: u64) -> (Vec<u8>, Option<String>) {
        let items: Vec<Result<Bytes, BoxError>> =
            chunks.iter().map(|c| Ok(Bytes::from_static(c))).collect();
        let mut stream = Exactly::new(
            Box::pin(futures_util::stream::iter(items)),
            Path::new("f.bin"),
            size,
        );
        let (mut passed, mut error) = (Vec::new(), None);
        while let Some(item) = stream.next().await {
            match item {
                Ok(chunk) => passed.extend_from_slice(&chunk),
                Err(e) => error = Some(e.to_string()),
            }
        }
        (passed, error)
    }

    #[tokio::test]
    async fn a_file_must_hold_exactly_its_size() {
        assert_eq!(exactly(&[b"ab", b"cd"], 4).await, (b"abcd".to_vec(), None));
        assert_eq!(exactly(&[], 0).await, (Vec::new(), None));
        // One byte more, even after the chunk that reached the size: refused, and that
        // chunk is never passed on.
        let (passed, error) = exactly(&[b"ab", b"cd", b"e"], 4).await;
        assert_eq!(passed, b"ab");
        assert!(error.unwrap().contains("then more"));
        let (_, error) = exactly(&[b"abcde"], 4).await;
        assert!(error.unwrap().contains("then more"));
        let (passed, error) = exactly(&[b"ab"], 4).await;
        assert_eq!(passed, b"ab");
        assert!(error.unwrap().ends_with("then ended after 2"));
    }
}
