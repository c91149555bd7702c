//! Typed async client for the orq.ai API, generated at compile time from
//! its OpenAPI document by `orq_codegen::generate!`.
//!
//! This crate is thin on purpose: the SDK the macro expands from the spec, plus
//! re-exports of the runtime items its API uses ([`Error`], [`RetryConfig`],
//! [`CallOptions`], [`OptionalNullable`], ...). The runtime itself is the
//! `orq-runtime` crate, which SDKs generated from other specs use without this one.
//!
//! ```no_run
//! use orq_client::{Orq, models::CreateContactRequestBody};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let orq = Orq::from_env()?; // ORQ_API_KEY, optional ORQ_SERVER_URL
//! let body = CreateContactRequestBody::builder().external_id("<id>").build()?;
//! let contact = orq.contacts().create(body).await?;
//! println!("{}", contact.id);
//! # Ok(()) }
//! ```
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
