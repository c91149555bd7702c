//! Transport pieces below the client's pipeline: reading bodies within bounds, what a
//! failure is worth retrying, redirects, attempt deadlines on reusable timers, the TLS
//! backend of the built-in HTTP client.

pub(crate) mod classify;
pub(crate) mod deadline;
pub(crate) mod read;
pub(crate) mod redirect;
pub(crate) mod tls;
