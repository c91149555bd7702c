//! Reading a response body chunk by chunk with a limit on each wait: shared by the
//! streams over a response ([`EventStream`](crate::EventStream),
//! [`ByteStream`](crate::ByteStream)).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;

/// The response back, with its next chunk (`None` at the end) or why there is none.
type ChunkRead = (reqwest::Response, Result<Option<Bytes>, ReadError>);

/// Why the next chunk did not come.
pub(crate) enum ReadError {
    /// The connection failed.
    Transport(reqwest::Error),
    /// Nothing arrived for this long.
    Idle(Duration),
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
