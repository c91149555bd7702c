//! [`ByteStream`]: the body of a binary response, read as it arrives.

use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use http::{HeaderMap, StatusCode};
use tokio::io::{AsyncWrite, AsyncWriteExt};

use crate::error::Error;
use crate::error::record::CallRecord;
use crate::transport::read::{Chunks, Limited, ReadError};

/// The body of a successful binary response (`application/octet-stream`, images,
/// archives...), read as it arrives: a `Stream` of `Result<Bytes, Error>` chunks.
///
/// - [`write_to`](Self::write_to) and [`save`](Self::save) copy it to a writer or a
///   file chunk by chunk, whatever its size.
/// - [`bytes`](Self::bytes) reads it whole, up to the client's response limit
///   ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)),
///   past which it fails with [`Error::ResponseTooLarge`].
///
/// Retries end with the response headers: a connection that breaks later is an
/// [`Error::Interrupted`] item (with the bytes read so far), after which the stream
/// ends. The per-attempt timeout applies to each wait for the next chunk, not to the
/// whole download. Dropping the stream closes the connection.
pub struct ByteStream {
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    /// A body already in memory, given out as one chunk.
    buffered: Option<Bytes>,
    body: Chunks,
    limit: u64,
    received: u64,
    call: CallRecord,
}

impl ByteStream {
    pub(crate) fn new(
        operation: &'static str,
        response: reqwest::Response,
        idle_timeout: Option<Duration>,
        limit: u64,
    ) -> Self {
        ByteStream {
            operation,
            status: response.status(),
            headers: response.headers().clone(),
            buffered: None,
            body: Chunks::new(response, idle_timeout),
            limit,
            received: 0,
            call: CallRecord::default(),
        }
    }

    /// The stream with what the pipeline recorded about its call.
    pub(crate) fn recorded(mut self, call: CallRecord) -> Self {
        self.call = call;
        self
    }

    /// A stream over a body already in memory (a response read whole).
    pub(crate) fn from_bytes(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        limit: u64,
    ) -> Self {
        ByteStream {
            operation,
            status,
            headers,
            buffered: (!body.is_empty()).then_some(body),
            body: Chunks::closed(),
            limit,
            received: 0,
            call: CallRecord::default(),
        }
    }

    /// The server's id for the request (see
    /// [`Error::request_id`](crate::Error::request_id)), if the response has one.
    pub fn request_id(&self) -> Option<&str> {
        self.call.request_id(&self.headers)
    }

    /// How many attempts the call that opened the stream made.
    pub fn attempts(&self) -> u32 {
        self.call.attempts()
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The declared `Content-Length`, if any.
    pub fn content_length(&self) -> Option<u64> {
        self.headers
            .get(http::header::CONTENT_LENGTH)?
            .to_str()
            .ok()?
            .parse()
            .ok()
    }

    /// How many bytes have been read so far.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// The whole body, if it is at most the client's response limit; else
    /// [`Error::ResponseTooLarge`] (refused by its `Content-Length` before reading, or
    /// as soon as the count passes the limit).
    pub async fn bytes(mut self) -> Result<Bytes, Error> {
        let mut body = match Limited::new(self.limit, self.content_length()) {
            Ok(body) => body,
            Err(error) => return Err(self.failed(error)),
        };
        while let Some(chunk) = self.next_chunk().await {
            if let Err(error) = body.push(&chunk?) {
                return Err(self.failed(error));
            }
        }
        Ok(body.finish())
    }

    /// Copies the body to `writer` chunk by chunk (flushing at the end); the number of
    /// bytes written. Memory use is one chunk, whatever the body's size.
    pub async fn write_to<W: AsyncWrite + Unpin + ?Sized>(
        mut self,
        writer: &mut W,
    ) -> Result<u64, Error> {
        let io = |this: &Self, source| Error::Io {
            operation: this.operation,
            source,
            call: this.call,
        };
        let mut written = 0;
        while let Some(chunk) = self.next_chunk().await {
            let chunk = match chunk {
                Ok(chunk) => chunk,
                Err(error) => {
                    // What arrived before the failure is kept (written through).
                    let _ = writer.flush().await;
                    return Err(error);
                }
            };
            writer.write_all(&chunk).await.map_err(|e| io(&self, e))?;
            written += chunk.len() as u64;
        }
        writer.flush().await.map_err(|e| io(&self, e))?;
        Ok(written)
    }

    /// Writes the body to the file at `path` chunk by chunk; the number of bytes
    /// written. Memory use is one chunk, whatever the body's size.
    ///
    /// The body goes to a temporary file beside `path` (`.{name}.{random}.part`, in the
    /// same directory so that the rename is atomic), synced to disk, then renamed over
    /// `path`: readers of `path` see the old file or the whole new one, never a part. A
    /// download that fails (a cut connection, an idle timeout, a full disk) or is
    /// dropped leaves `path` as it was and removes the temporary file. The new file has
    /// the permissions of a newly created one, not those of the file it replaces.
    pub async fn save(self, path: impl AsRef<Path>) -> Result<u64, Error> {
        let path = path.as_ref();
        let (operation, call) = (self.operation, self.call);
        let io = |source| Error::Io {
            operation,
            source: with_path(path, source),
            call,
        };
        let (mut file, partial) = Partial::create(path).await.map_err(io)?;
        let written = self.write_to(&mut file).await?;
        file.sync_all().await.map_err(io)?;
        drop(file);
        partial.finish().await.map_err(io)?;
        Ok(written)
    }

    async fn next_chunk(&mut self) -> Option<Result<Bytes, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    fn close(&mut self) {
        self.buffered = None;
        self.body.close();
    }

    /// The error that ends the stream, or [`bytes`](Self::bytes) past the limit.
    fn failed(&self, error: ReadError) -> Error {
        let (operation, status) = (self.operation, self.status);
        error
            .after_headers(operation, status, &self.headers, self.received, self.limit)
            .recorded(self.call)
    }
}

fn with_path(path: &Path, error: std::io::Error) -> std::io::Error {
    std::io::Error::new(error.kind(), format!("{}: {error}", path.display()))
}

/// The temporary file a download is saved to before it replaces its target; removed
/// when dropped unless [`finish`](Self::finish) renamed it.
struct Partial {
    temporary: Option<PathBuf>,
    target: PathBuf,
}

impl Partial {
    /// A new, empty temporary file in the directory of `target`.
    async fn create(target: &Path) -> std::io::Result<(tokio::fs::File, Partial)> {
        let name = target.file_name().ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name")
        })?;
        let directory = target.parent().unwrap_or(Path::new(""));
        loop {
            let mut temporary = std::ffi::OsString::from(".");
            temporary.push(name);
            temporary.push(format!(".{:08x}.part", fastrand::u32(..)));
            let temporary = directory.join(temporary);
            let created = tokio::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temporary)
                .await;
            match created {
                Ok(file) => {
                    let partial = Partial {
                        temporary: Some(temporary),
                        target: target.to_owned(),
                    };
                    return Ok((file, partial));
                }
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(error) => return Err(error),
            }
        }
    }

    /// Renames the (written and synced) temporary file over the target, and syncs the
    /// directory so that the rename itself survives a crash.
    async fn finish(mut self) -> std::io::Result<()> {
        let Some(temporary) = self.temporary.take() else {
            return Ok(());
        };
        if let Err(error) = tokio::fs::rename(&temporary, &self.target).await {
            self.temporary = Some(temporary);
            return Err(error);
        }
        #[cfg(unix)]
        if let Some(directory) = self.target.parent() {
            let directory = if directory.as_os_str().is_empty() {
                Path::new(".")
            } else {
                directory
            };
            // Best effort: the file itself is already synced and in place.
            if let Ok(directory) = tokio::fs::File::open(directory).await {
                let _ = directory.sync_all().await;
            }
        }
        Ok(())
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if let Some(temporary) = self.temporary.take() {
            // A quick unlink, also when the download's future is dropped.
            let _ = std::fs::remove_file(temporary);
        }
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // Every field is Unpin (the read future is boxed), so the stream is too.
        let this = Pin::into_inner(self);
        if let Some(chunk) = this.buffered.take() {
            this.received += chunk.len() as u64;
            return Poll::Ready(Some(Ok(chunk)));
        }
        let Some(result) = std::task::ready!(this.body.poll_chunk(cx)) else {
            return Poll::Ready(None);
        };
        match result {
            Ok(chunk) => {
                this.received += chunk.len() as u64;
                Poll::Ready(Some(Ok(chunk)))
            }
            Err(error) => {
                this.close();
                Poll::Ready(Some(Err(this.failed(error))))
            }
        }
    }
}

impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByteStream")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("received", &self.received)
            .field("open", &(self.buffered.is_some() || self.body.is_open()))
            .finish_non_exhaustive()
    }
}
