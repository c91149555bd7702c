//! The typed mock server of generated SDKs (cargo feature `mock`), for the tests of
//! apps that embed an SDK.
//!
//! An SDK generated with `mock = true` has a `mock` module: its `MockServer` wraps
//! this one with one typed registration method per operation and a `client()`
//! pointed at it. Everything else lives here once: the HTTP server on 127.0.0.1,
//! routing by method and path template (with percent-decoding), credential checks,
//! body and parameter decoding, validation, recording and the error answers:
//!
//! - a request no route matches: 404;
//! - an operation that needs credentials, sent without them: 401;
//! - an operation without a handler: 501 naming the operation;
//! - a body or parameter that does not decode, or breaks a limit of the spec: 400,
//!   with the violations as JSON (`{"message": .., "violations": [{"path", "constraint",
//!   "message"}]}`) and in the recorded [`Call`];
//! - a body larger than [`DEFAULT_MAX_REQUEST_BYTES`] (or
//!   [`MockServer::set_max_request_bytes`]): 413, without reading it;
//! - a handler that panics: 500 with the panic's message, and the server goes on.
//!
//! Every request is recorded, answered or not; see [`MockServer::calls`]. `Debug` of a
//! [`Call`] hides header values and the query's API keys.

mod incoming;
mod record;
mod reply;
mod routing;
mod server;

pub use crate::mock::incoming::{In, Incoming};
pub use crate::mock::record::Call;
pub use crate::mock::reply::Reply;
pub use crate::mock::routing::Route;
pub use crate::mock::server::{DEFAULT_MAX_REQUEST_BYTES, MockServer};
