//! The client: how it is built (`builder`), what it holds (`config`), the handle
//! generated clients wrap (`core`) and the pipeline every call runs through.

#[cfg(feature = "blocking")]
pub(crate) mod blocking;
pub(crate) mod builder;
pub(crate) mod config;
pub(crate) mod core;
pub(crate) mod pipeline;
