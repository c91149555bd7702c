//! [`Call`]: one request the mock server received, as a test reads it back.

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use serde_json::Value;

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

/// Header values are left out: they carry credentials.
impl fmt::Debug for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<&str> = self.headers.keys().map(|name| name.as_str()).collect();
        f.debug_struct("Call")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .field("status", &self.status)
            .field("violations", &self.violations)
            .finish()
    }
}
