//! A decoded success value together with the response's status and headers.

use std::ops::{Deref, DerefMut};

use http::{HeaderMap, StatusCode};

use crate::error::record::CallRecord;
use crate::redact::RedactedHeaders;

/// What `send_with_response()` returns: the decoded value plus the status and headers
/// (rate-limit counters, `Location`, ...), the server's [`request_id`](Self::request_id)
/// and the call's [`attempts`](Self::attempts). Derefs to the value.
///
/// `Debug` hides the values of sensitive headers (`set-cookie`, ...).
#[derive(Clone, PartialEq)]
pub struct ResponseValue<T> {
    status: StatusCode,
    headers: HeaderMap,
    value: T,
    call: CallRecord,
}

impl<T> ResponseValue<T> {
    /// Wrap a decoded value.
    pub fn new(status: StatusCode, headers: HeaderMap, value: T) -> Self {
        ResponseValue {
            status,
            headers,
            value,
            call: CallRecord::default(),
        }
    }

    /// The value with what the pipeline recorded about its call.
    pub(crate) fn recorded(mut self, call: CallRecord) -> Self {
        self.call = call;
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The server's id for the request, to quote to the API's support: the header
    /// the client names, else `x-request-id`, `request-id`, ... (see
    /// [`Error::request_id`](crate::Error::request_id)).
    pub fn request_id(&self) -> Option<&str> {
        self.call.request_id(&self.headers)
    }

    /// How many attempts the call made (1 when it was not retried).
    pub fn attempts(&self) -> u32 {
        self.call.attempts()
    }

    /// What the runtime recorded about the call.
    pub fn call(&self) -> CallRecord {
        self.call
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
            .field("call", &self.call)
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
