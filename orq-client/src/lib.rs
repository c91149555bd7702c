//! Typed async client for the orq.ai API, generated at compile time from
//! its OpenAPI document by `orq_codegen::generate!`.
//!
//! This crate is thin on purpose: the SDK the macro expands from the spec, plus
//! re-exports of the runtime items its API uses ([`Error`], [`RetryConfig`],
//! [`CallOptions`], [`OptionalNullable`], ...). The runtime itself is the
//! `orq-runtime` crate, which SDKs generated from other specs use without this one.
//!
//! The quickstart below is the first page of the guide; the runtime's pages (errors,
//! retries, streams, files, the mock server) are the documentation of
//! [`orq-runtime`](https://docs.rs/orq-runtime), the generator's of
//! [`orq-codegen`](https://docs.rs/orq-codegen).
//!
// The page is `docs/quickstart.md` in the repository, linked under `docs/guide/`.
#![doc = include_str!("../docs/guide/links.md")]
#![doc = include_str!("../docs/guide/quickstart.md")]
#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

/// Blocking calls (feature `blocking`): `orq.contacts().create(body).send_blocking()`.
#[cfg(feature = "blocking")]
pub use orq_runtime::SendBlocking;
pub use orq_runtime::{
    ApiErrorModel, AsyncHook, BackoffConfig, Base64Bytes, Binary, CallOptions, CallRecord,
    ClientBuilder, ClientCredentials, Error, Hook, HookContext, IntoBody, IntoMap, Multipart, Open,
    OperationErrors, OptionalNullable, Parsed, RawRequest, RawResponseFuture, Response,
    ResponseValue, RetryConfig, UnknownVariant, Uri, ValidationError, Violation, WireEnum,
};
pub use orq_runtime::{chrono, http, serde_json, url, uuid};

orq_codegen::generate!(
    // A symlink to the repository's spec/orq.yaml (the file to edit), packaged as a file.
    spec = "spec/orq.yaml",
    client = "Orq",
    doc_tests = "orq_client",
    mock = "mock"
);

/// The usage docs under `docs/` (written by `orq-codegen docs`, kept fresh by
/// `tests/tests/usage_docs.rs`), compiled as doctests so that every example in them
/// keeps building against the SDK.
#[cfg(doctest)]
#[doc = include_str!("../docs/sdks/contacts/README.md")]
mod usage_docs {}

/// The guide's runtime pages and the repository's front page, compiled as doctests here:
/// `orq-runtime` renders those pages but cannot build their examples (they call generated
/// SDKs, and the runtime depends on no generator); this crate has the generator, the
/// runtime and the orq SDK. The examples of other APIs generate theirs from
/// `docs/pets.yaml`.
#[cfg(doctest)]
mod guide {
    #[doc = include_str!("../docs/guide/front-page.md")]
    mod front_page {}
    #[doc = include_str!("../docs/guide/errors.md")]
    mod errors {}
    #[doc = include_str!("../docs/guide/retries-and-timeouts.md")]
    mod retries_and_timeouts {}
    #[doc = include_str!("../docs/guide/client.md")]
    mod client {}
    #[doc = include_str!("../docs/guide/streams-and-pages.md")]
    mod streams_and_pages {}
    #[doc = include_str!("../docs/guide/files.md")]
    mod files {}
    #[doc = include_str!("../docs/guide/blocking.md")]
    mod blocking {}
    #[doc = include_str!("../docs/guide/mock-server.md")]
    mod mock_server {}
}
