//! The send paths generated request builders use: a call decoded into its value
//! (`operation`), an event stream (`events`), pages (`pages`), a blocking call
//! (`blocking`); and a call to an endpoint the spec does not describe (`raw`). Each is
//! written once here, generic only where it must be.

#[cfg(feature = "blocking")]
pub(crate) mod blocking;
pub(crate) mod events;
// Its macros are in scope for the modules below (`raw` writes its per-call options with
// `__call_option_methods!`).
#[macro_use]
pub(crate) mod operation;
pub(crate) mod pages;
pub(crate) mod raw;
