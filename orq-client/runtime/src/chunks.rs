//! Reading a response body chunk by chunk with a limit on each wait: shared by the
//! streams over a response ([`EventStream`](crate::EventStream),
//! [`ByteStream`](crate::ByteStream)).

use std::time::Duration;

use bytes::Bytes;

/// The response back, with its next chunk (`None` at the end) or why there is none.
pub(crate) type ChunkRead = (reqwest::Response, Result<Option<Bytes>, ReadError>);

/// Why the next chunk did not come.
pub(crate) enum ReadError {
    /// The connection failed.
    Transport(reqwest::Error),
    /// Nothing arrived for this long.
    Idle(Duration),
}

/// The next chunk of `response`, waiting at most `idle` for it.
pub(crate) async fn read_chunk(
    mut response: reqwest::Response,
    idle: Option<Duration>,
) -> ChunkRead {
    let result = match idle {
        None => response.chunk().await.map_err(ReadError::Transport),
        Some(limit) => match tokio::time::timeout(limit, response.chunk()).await {
            Ok(chunk) => chunk.map_err(ReadError::Transport),
            Err(_) => Err(ReadError::Idle(limit)),
        },
    };
    (response, result)
}
