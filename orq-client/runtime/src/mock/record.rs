//! [`Call`]: one request the mock server received, as a test reads it back.

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use serde_json::Value;

use crate::redact::{BodyPreview, is_sensitive_name};
use crate::spec::security::{ApiKeyLocation, SecurityScheme};
use crate::validate::violation::Violation;

/// One request the mock server received, with what it answered.
#[derive(Clone)]
pub struct Call {
    /// The `operationId` it routed to; `None` when no route matched.
    pub operation: Option<&'static str>,
    /// The HTTP method.
    pub method: Method,
    /// The path, still percent-encoded.
    pub path: String,
    /// The query string, still percent-encoded.
    pub query: Option<String>,
    /// The request headers.
    pub headers: HeaderMap,
    /// The raw body.
    pub body: Bytes,
    /// The status the mock server answered.
    pub status: StatusCode,
    /// Why the request was refused with 400; empty otherwise.
    pub violations: Vec<Violation>,
    pub(crate) request: Option<Arc<dyn Any + Send + Sync>>,
    /// The security alternatives of the route it matched (the query API keys to hide).
    pub(crate) security: &'static [&'static [SecurityScheme]],
}

impl Call {
    /// The typed request the handler received (the SDK's `mock::{Operation}Request`),
    /// when it decoded and `T` is its type.
    pub fn request<T: 'static>(&self) -> Option<&T> {
        self.request.as_deref()?.downcast_ref()
    }

    /// The body as JSON, if it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// Header values are left out: they carry credentials. So are the values of query
/// parameters that are API keys of the route, or named like a credential (`api_key`,
/// `access_token`, `key`, ...); the body is shown cut to a snippet.
impl fmt::Debug for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<&str> = self.headers.keys().map(|name| name.as_str()).collect();
        let query = self.query.as_deref().map(|query| self.redacted(query));
        f.debug_struct("Call")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &query)
            .field("headers", &headers)
            .field("body", &BodyPreview(&self.body))
            .field("status", &self.status)
            .field("violations", &self.violations)
            .finish()
    }
}

impl Call {
    /// `query` with the values of credentials replaced by `<redacted>`.
    fn redacted(&self, query: &str) -> String {
        let schemes = self
            .security
            .iter()
            .flat_map(|alternative| alternative.iter());
        let keys: Vec<&str> = schemes
            .filter_map(|scheme| match scheme {
                SecurityScheme::ApiKey {
                    name,
                    location: ApiKeyLocation::Query,
                    ..
                } => Some(*name),
                _ => None,
            })
            .collect();
        query
            .split('&')
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                let decoded = percent_encoding::percent_decode_str(name).decode_utf8_lossy();
                if !value.is_empty() && (keys.contains(&&*decoded) || is_sensitive_name(&decoded)) {
                    format!("{name}=<redacted>")
                } else {
                    pair.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join("&")
    }
}
