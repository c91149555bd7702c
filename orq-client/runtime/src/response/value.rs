//! A decoded success value together with the response's status and headers.

use std::ops::{Deref, DerefMut};

use http::{HeaderMap, StatusCode};

use crate::redact::RedactedHeaders;

/// What `send_with_response()` returns: the decoded value plus the status and headers
/// (rate-limit counters, request ids, `Location`, ...). Derefs to the value.
///
/// `Debug` hides the values of sensitive headers (`set-cookie`, ...).
#[derive(Clone, PartialEq)]
pub struct ResponseValue<T> {
    status: StatusCode,
    headers: HeaderMap,
    value: T,
}

impl<T> ResponseValue<T> {
    /// Wrap a decoded value.
    pub fn new(status: StatusCode, headers: HeaderMap, value: T) -> Self {
        ResponseValue {
            status,
            headers,
            value,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded value.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// Status, headers and value.
    pub fn into_parts(self) -> (StatusCode, HeaderMap, T) {
        (self.status, self.headers, self.value)
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for ResponseValue<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseValue")
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("value", &self.value)
            .finish()
    }
}

impl<T> Deref for ResponseValue<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> DerefMut for ResponseValue<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.value
    }
}
