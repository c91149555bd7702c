//! The TLS backend the crate features select (see the crate's `Cargo.toml`): the
//! `reqwest` client builder every SDK client starts from.

/// A `reqwest` client builder using the selected TLS backend.
pub(crate) fn http_builder() -> reqwest::ClientBuilder {
    // rustls without aws-lc: ring is the process-wide provider unless the application
    // installed one already (then that one is used, and this is a no-op).
    #[cfg(all(feature = "rustls-ring", not(feature = "rustls")))]
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
}
