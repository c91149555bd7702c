//! [`CallRecord`]: what the pipeline records about a call in its response, the values
//! and streams made from it, and its errors: how many attempts it made, and which
//! header holds the server's request id.

use std::fmt;
use std::num::NonZeroU16;
use std::sync::{Mutex, PoisonError};

use http::{HeaderMap, HeaderName};

/// The headers servers name their request id in, read in this order after the one the
/// client names ([`ClientBuilder::request_id_header`](crate::ClientBuilder::request_id_header)):
/// the common `x-request-id` and `request-id`, AWS (`x-amzn-requestid`,
/// `x-amz-request-id`) and Azure (`x-ms-request-id`).
pub const REQUEST_ID_HEADERS: [&str; 5] = [
    "x-request-id",
    "request-id",
    "x-amzn-requestid",
    "x-amz-request-id",
    "x-ms-request-id",
];

/// [`REQUEST_ID_HEADERS`] as header names: a lookup hashes no text.
static STANDARD: [HeaderName; 5] = [
    HeaderName::from_static(REQUEST_ID_HEADERS[0]),
    HeaderName::from_static(REQUEST_ID_HEADERS[1]),
    HeaderName::from_static(REQUEST_ID_HEADERS[2]),
    HeaderName::from_static(REQUEST_ID_HEADERS[3]),
    HeaderName::from_static(REQUEST_ID_HEADERS[4]),
];

/// A header name a client reads request ids from, interned: a record holds two bytes
/// for it instead of a string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct RequestIdHeader(NonZeroU16);

/// The names behind [`RequestIdHeader`]s, each once. A program names a handful (one per
/// API it calls), so the table stays tiny; past `u16::MAX` names, new ones are not read.
static NAMES: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

impl RequestIdHeader {
    /// The id of `name`, added to the table on first use.
    pub(crate) fn intern(name: &'static str) -> Option<Self> {
        let mut names = NAMES.lock().unwrap_or_else(PoisonError::into_inner);
        let index = match names.iter().position(|known| *known == name) {
            Some(index) => index,
            None => {
                names.push(name);
                names.len() - 1
            }
        };
        u16::try_from(index + 1)
            .ok()
            .and_then(NonZeroU16::new)
            .map(Self)
    }

    /// The name this id stands for.
    pub(crate) fn name(self) -> Option<&'static str> {
        let names = NAMES.lock().unwrap_or_else(PoisonError::into_inner);
        names.get(usize::from(self.0.get()) - 1).copied()
    }
}

/// What the runtime recorded about the call a response, an error or a stream comes
/// from: read it through `attempts()` and `request_id()` of [`Error`](crate::Error),
/// [`Response`](crate::Response), [`ResponseValue`](crate::ResponseValue),
/// [`ByteStream`](crate::ByteStream) and [`EventStream`](crate::EventStream).
///
/// Four bytes, copied, never allocated: the request id stays in the response headers
/// and is found when asked for, so recording it costs a call nothing and no error
/// grows.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CallRecord {
    /// Saturates at `u16::MAX` (a call's retry budget ends long before).
    attempts: u16,
    request_id_header: Option<RequestIdHeader>,
}

impl CallRecord {
    /// A call that made `attempts` attempts, on a client reading its request ids from
    /// `request_id_header` before the usual ones.
    pub(crate) fn new(attempts: u32, request_id_header: Option<RequestIdHeader>) -> Self {
        CallRecord {
            attempts: u16::try_from(attempts).unwrap_or(u16::MAX),
            request_id_header,
        }
    }

    /// How many attempts the call made: 1 without retries, 0 when nothing was sent (or
    /// for a value assembled by hand).
    pub fn attempts(&self) -> u32 {
        u32::from(self.attempts)
    }

    /// The header the client names for request ids, if any
    /// ([`ClientBuilder::request_id_header`](crate::ClientBuilder::request_id_header)).
    pub fn request_id_header(&self) -> Option<&'static str> {
        self.request_id_header.and_then(RequestIdHeader::name)
    }

    /// The request id in `headers`: the client's header, else the first of
    /// [`REQUEST_ID_HEADERS`] present with a non-empty text value.
    pub fn request_id<'h>(&self, headers: &'h HeaderMap) -> Option<&'h str> {
        if headers.is_empty() {
            return None;
        }
        let text = |value: &'h http::HeaderValue| {
            value
                .to_str()
                .ok()
                .map(str::trim)
                .filter(|id| !id.is_empty())
        };
        if let Some(id) = self
            .request_id_header()
            .and_then(|name| headers.get(name))
            .and_then(text)
        {
            return Some(id);
        }
        STANDARD
            .iter()
            .find_map(|name| headers.get(name).and_then(text))
    }
}

impl fmt::Debug for CallRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallRecord")
            .field("attempts", &self.attempts)
            .field("request_id_header", &self.request_id_header())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(name, value)| {
                (
                    HeaderName::from_static(name),
                    http::HeaderValue::from_static(value),
                )
            })
            .collect()
    }

    #[test]
    fn the_usual_headers_are_read_in_order() {
        let call = CallRecord::default();
        for name in REQUEST_ID_HEADERS {
            let headers = headers(&[(name, " id-1 ")]);
            assert_eq!(call.request_id(&headers), Some("id-1"), "{name}");
        }
        let both = headers(&[("x-ms-request-id", "azure"), ("x-request-id", "first")]);
        assert_eq!(call.request_id(&both), Some("first"));
        let blank = headers(&[("x-request-id", " ")]);
        assert_eq!(call.request_id(&blank), None);
        assert_eq!(call.request_id(&HeaderMap::new()), None);
    }

    #[test]
    fn the_clients_header_comes_first() {
        let call = CallRecord::new(2, RequestIdHeader::intern("X-Trace-Id"));
        let both = headers(&[("x-request-id", "usual"), ("x-trace-id", "mine")]);
        assert_eq!(call.request_id(&both), Some("mine"));
        let usual = headers(&[("x-request-id", "usual")]);
        assert_eq!(call.request_id(&usual), Some("usual"));
        assert_eq!(call.attempts(), 2);
        assert_eq!(call.request_id_header(), Some("X-Trace-Id"));
        assert_eq!(
            RequestIdHeader::intern("X-Trace-Id"),
            call.request_id_header,
            "interned once"
        );
    }

    #[test]
    fn a_record_takes_no_room_in_an_error() {
        assert_eq!(std::mem::size_of::<CallRecord>(), 4);
        // It fits in the padding of the largest variants: errors did not grow.
        #[cfg(target_pointer_width = "64")]
        assert_eq!(std::mem::size_of::<crate::error::Error>(), 104);
        assert_eq!(
            CallRecord::new(70_000, None).attempts(),
            u32::from(u16::MAX)
        );
    }
}
