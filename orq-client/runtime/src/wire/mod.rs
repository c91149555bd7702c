//! Encoding for the wire, with no I/O: percent-encoding, header and cookie values,
//! request bodies (bytes, files, streams, multipart forms), server URLs and the URLs of
//! requests under them.

pub(crate) mod body;
pub(crate) mod encode;
pub(crate) mod endpoint;
pub(crate) mod headers;
pub(crate) mod multipart;
pub(crate) mod server_url;
