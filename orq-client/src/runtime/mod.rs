//! The hand-written runtime that generated SDKs call into.
//!
//! One module per concern; the items users need are re-exported at the
//! crate root, the ones only generated code needs under `__private`.

pub mod auth;
pub mod bytes;
pub mod client;
pub mod encode;
pub mod error;
mod execute;
pub mod forms;
pub mod hooks;
pub mod oauth2;
pub mod optional;
pub mod options;
pub mod query;
pub mod request;
pub mod response;
pub mod response_value;
pub mod retry;
pub mod servers;
pub mod union;
pub mod validate;
