//! Reading a response body, bounded: whole within a size limit ([`read_limited`], the
//! [`Limited`] buffer), or chunk by chunk with a limit on each wait ([`Chunks`], behind
//! the streams over a response: [`EventStream`](crate::EventStream),
//! [`ByteStream`](crate::ByteStream)). Every way of reading a body fails with the one
//! [`ReadError`].

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

use crate::error::Error;
use crate::error::record::CallRecord;

/// The response back, with its next chunk (`None` at the end) or why there is none.
type ChunkRead = (reqwest::Response, Result<Option<Bytes>, ReadError>);

/// Why a body, or its next chunk, could not be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// Longer than the limit: by its `Content-Length`, or counted.
    TooLarge,
    /// The connection failed.
    Transport(reqwest::Error),
    /// Nothing arrived for this long.
    Idle(Duration),
}

impl ReadError {
    /// The error a stream over a response ends with when its body stops after the
    /// headers (`status`, `headers`) and `received` bytes: one kind per cause, each
    /// keeping what the caller was told so far. A broken connection is
    /// [`Error::Interrupted`] (never retried: part of the body was handed out), a gap
    /// longer than the idle timeout [`Error::Timeout`], a body or event past `limit`
    /// [`Error::ResponseTooLarge`]. The stream records its call in it.
    pub(crate) fn after_headers(
        self,
        operation: &'static str,
        status: StatusCode,
        headers: &HeaderMap,
        received: u64,
        limit: u64,
    ) -> Error {
        let call = CallRecord::default();
        match self {
            ReadError::Transport(source) => Error::Interrupted {
                operation,
                status,
                headers: Box::new(headers.clone()),
                received,
                source: source.without_url(),
                call,
            },
            ReadError::Idle(timeout) => Error::Timeout {
                operation,
                timeout,
                call,
            },
            ReadError::TooLarge => Error::ResponseTooLarge {
                operation,
                status,
                headers: Box::new(headers.clone()),
                limit,
                call,
            },
        }
    }
}

/// A body gathered in memory up to a limit: refused by its declared length before
/// anything is read, else counted chunk by chunk.
pub(crate) struct Limited {
    body: Vec<u8>,
    limit: usize,
}

impl Limited {
    /// An empty body for at most `limit` bytes, of which `declared` (a
    /// `Content-Length`) are announced: more than the limit is refused at once.
    ///
    /// The declared length is reserved at once, so the body is not copied while it
    /// grows. Otherwise the buffer doubles until it would pass half the limit, then
    /// takes the whole limit: at worst 1.5 times the limit is in use, while that last
    /// growth copies.
    pub(crate) fn new(limit: u64, declared: Option<u64>) -> Result<Self, ReadError> {
        if declared.is_some_and(|length| length > limit) {
            return Err(ReadError::TooLarge);
        }
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let reserved = declared.map_or(0, |length| usize::try_from(length).unwrap_or(limit));
        Ok(Limited {
            body: Vec::with_capacity(reserved),
            limit,
        })
    }

    /// Appends `chunk`, or refuses it when the body would pass the limit.
    pub(crate) fn push(&mut self, chunk: &[u8]) -> Result<(), ReadError> {
        let needed = self.body.len() + chunk.len();
        if needed > self.limit {
            return Err(ReadError::TooLarge);
        }
        if needed > self.body.capacity() {
            let doubled = needed.max(self.body.capacity() * 2);
            let grown = if doubled > self.limit / 2 {
                self.limit
            } else {
                doubled
            };
            self.body.reserve_exact(grown - self.body.len());
        }
        self.body.extend_from_slice(chunk);
        Ok(())
    }

    /// The body gathered.
    pub(crate) fn finish(self) -> Bytes {
        Bytes::from(self.body)
    }
}

/// The whole body of `response`, if it is at most `limit` bytes: refused by its
/// `Content-Length` before reading, else counted while reading and dropped (closing the
/// connection) once past the limit.
pub(crate) async fn read_limited(
    response: &mut reqwest::Response,
    limit: u64,
) -> Result<Bytes, ReadError> {
    let mut body = Limited::new(limit, response.content_length())?;
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Transport)? {
        body.push(&chunk)?;
    }
    Ok(body.finish())
}

/// A response body read chunk by chunk, each wait bounded by `idle`. After the last
/// chunk, an error or [`close`](Self::close), the response is dropped, which closes the
/// connection; so does dropping the reader.
pub(crate) struct Chunks {
    response: Option<reqwest::Response>,
    reading: Option<Pin<Box<dyn Future<Output = ChunkRead> + Send>>>,
    idle: Option<Duration>,
}

impl Chunks {
    /// A reader of `response`'s body.
    pub(crate) fn new(response: reqwest::Response, idle: Option<Duration>) -> Self {
        Chunks {
            response: Some(response),
            reading: None,
            idle,
        }
    }

    /// A reader with nothing to read.
    pub(crate) fn closed() -> Self {
        Chunks {
            response: None,
            reading: None,
            idle: None,
        }
    }

    /// Whether a chunk may still come.
    pub(crate) fn is_open(&self) -> bool {
        self.response.is_some() || self.reading.is_some()
    }

    /// Stops reading and closes the connection.
    pub(crate) fn close(&mut self) {
        self.response = None;
        self.reading = None;
    }

    /// The next chunk: `None` at the end of the body (or once closed), an error when
    /// the connection failed or stayed idle too long (the reader is closed then).
    pub(crate) fn poll_chunk(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, ReadError>>> {
        if self.reading.is_none() {
            let Some(response) = self.response.take() else {
                return Poll::Ready(None);
            };
            self.reading = Some(Box::pin(read_chunk(response, self.idle)));
        }
        let Some(reading) = self.reading.as_mut() else {
            return Poll::Ready(None);
        };
        let (response, result) = match reading.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(read) => read,
        };
        self.reading = None;
        Poll::Ready(match result {
            Ok(Some(chunk)) => {
                self.response = Some(response);
                Some(Ok(chunk))
            }
            Ok(None) => None,
            Err(error) => Some(Err(error)),
        })
    }
}

/// The next chunk of `response`, waiting at most `idle` for it.
async fn read_chunk(mut response: reqwest::Response, idle: Option<Duration>) -> ChunkRead {
    let result = match idle {
        None => response.chunk().await.map_err(ReadError::Transport),
        Some(limit) => match tokio::time::timeout(limit, response.chunk()).await {
            Ok(chunk) => chunk.map_err(ReadError::Transport),
            Err(_) => Err(ReadError::Idle(limit)),
        },
    };
    (response, result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gather(limit: u64, declared: Option<u64>, chunks: &[&[u8]]) -> Result<Bytes, ReadError> {
        let mut body = Limited::new(limit, declared)?;
        for chunk in chunks {
            body.push(chunk)?;
        }
        Ok(body.finish())
    }

    #[test]
    fn a_body_within_the_limit_is_kept_whole() {
        let body = gather(8, None, &[b"abc", b"", b"defgh"]).unwrap();
        assert_eq!(&body[..], b"abcdefgh");
        assert_eq!(&gather(8, Some(3), &[b"abc"]).unwrap()[..], b"abc");
        assert!(gather(0, Some(0), &[]).unwrap().is_empty());
    }

    #[test]
    fn a_declared_length_past_the_limit_is_refused_before_reading() {
        assert!(matches!(gather(8, Some(9), &[]), Err(ReadError::TooLarge)));
    }

    #[test]
    fn a_counted_length_past_the_limit_is_refused_at_the_chunk_that_passes_it() {
        assert!(matches!(
            gather(8, None, &[b"abcd", b"efghi"]),
            Err(ReadError::TooLarge)
        ));
        // A server that declares less than it sends is counted all the same.
        assert!(matches!(
            gather(8, Some(2), &[b"abcdefghi"]),
            Err(ReadError::TooLarge)
        ));
    }

    #[test]
    fn the_buffer_never_grows_past_the_limit() {
        let mut body = Limited::new(100, None).unwrap();
        for _ in 0..100 {
            body.push(b"x").unwrap();
            assert!(body.body.capacity() <= 100, "{}", body.body.capacity());
        }
        assert_eq!(body.finish().len(), 100);
    }
}
