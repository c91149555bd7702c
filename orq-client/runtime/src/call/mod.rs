//! The send paths generated request builders use: a call decoded into its value
//! (`operation`), an event stream (`events`), pages (`pages`), a blocking call
//! (`blocking`). Each is written once here, generic only where it must be.

#[cfg(feature = "blocking")]
pub(crate) mod blocking;
pub(crate) mod events;
pub(crate) mod operation;
pub(crate) mod pages;
