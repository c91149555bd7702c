//! [`Incoming`]: a request of the mock server decoded into an operation's typed request,
//! each parameter and the body checked, every violation recorded for the 400.

use bytes::Bytes;
use http::{HeaderMap, header};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::validate::Validate;
use crate::validate::violation::Violation;

/// Where a parameter travels (generated code only).
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum In {
    /// A path variable.
    Path,
    /// A query parameter.
    Query,
    /// A header.
    Header,
    /// A cookie.
    Cookie,
}

/// A request being decoded into an operation's typed request (generated code only):
/// each accessor records a violation instead of failing, so that a 400 lists them all.
#[doc(hidden)]
pub struct Incoming {
    pub(crate) path: Vec<(String, String)>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) violations: Vec<Violation>,
}

impl Incoming {
    /// The parameter `name`: `None` when absent (a violation if `required`) or when it
    /// does not decode into `T` (a violation).
    pub fn param<T: DeserializeOwned>(
        &mut self,
        location: In,
        name: &str,
        required: bool,
    ) -> Option<T> {
        let values: Vec<String> = match location {
            In::Path => lookup(&self.path, name),
            In::Query => lookup(&self.query, name),
            In::Header => self
                .headers
                .get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok().map(str::to_owned))
                .collect(),
            In::Cookie => cookies(&self.headers)
                .filter(|(key, _)| *key == name)
                .map(|(_, value)| value.to_owned())
                .collect(),
        };
        let place = match location {
            In::Path => "path",
            In::Query => "query",
            In::Header => "header",
            In::Cookie => "cookie",
        };
        if values.is_empty() {
            if required {
                self.violations
                    .push(Violation::missing(format!("{place}.{name}")));
            }
            return None;
        }
        let decoded = decode_param(&values);
        if decoded.is_none() {
            self.violations.push(Violation::new(
                format!("{place}.{name}"),
                "type",
                format!("{values:?} does not decode into the parameter's type"),
            ));
        }
        decoded
    }

    /// The body as JSON of type `T`: `None` when empty (a violation if `required`) or
    /// when it does not decode (a violation naming where).
    pub fn json_body<T: DeserializeOwned>(&mut self, required: bool) -> Option<T> {
        if self.absent_body(required) {
            return None;
        }
        let mut deserializer = serde_json::Deserializer::from_slice(&self.body);
        match serde_path_to_error::deserialize(&mut deserializer) {
            Ok(value) => Some(value),
            Err(error) => {
                let path = error.path().to_string();
                let path = if path == "." { String::new() } else { path };
                self.violations.push(Violation::new(
                    format!("body{}{path}", if path.is_empty() { "" } else { "." }),
                    "type",
                    error.into_inner().to_string(),
                ));
                None
            }
        }
    }

    /// The body as text: `None` when empty (a violation if `required`) or not UTF-8.
    pub fn text_body(&mut self, required: bool) -> Option<String> {
        if self.absent_body(required) {
            return None;
        }
        match String::from_utf8(self.body.to_vec()) {
            Ok(text) => Some(text),
            Err(_) => {
                self.violations
                    .push(Violation::new("body", "type", "is not UTF-8 text"));
                None
            }
        }
    }

    /// The raw body (forms, multipart and binary bodies): `None` when empty (a
    /// violation if `required`).
    pub fn raw_body(&mut self, required: bool) -> Option<Bytes> {
        if self.absent_body(required) {
            return None;
        }
        Some(self.body.clone())
    }

    /// Records the violations of the spec's limits in `value`, below `body`.
    pub fn validate<T: Validate>(&mut self, value: &T) {
        value.validate_at("body", &mut self.violations);
    }

    fn absent_body(&mut self, required: bool) -> bool {
        let absent = self.body.is_empty();
        if absent && required {
            self.violations.push(Violation::missing("body"));
        }
        absent
    }
}

fn lookup(pairs: &[(String, String)], name: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(key, _)| key == name)
        .map(|(_, value)| value.clone())
        .collect()
}

pub(crate) fn cookies(headers: &HeaderMap) -> impl Iterator<Item = (&str, &str)> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
}

/// A parameter's text values as `T`, whatever `T` is: a string (`"abc"`, enums), a
/// scalar (`42`, `true`), then an array of them (repeated `name=a&name=b`, or one
/// comma-joined value).
fn decode_param<T: DeserializeOwned>(values: &[String]) -> Option<T> {
    let scalar = |text: &str| {
        serde_json::from_str::<Value>(text)
            .ok()
            .filter(|v| !v.is_object() && !v.is_array())
    };
    let item = |text: &str| scalar(text).unwrap_or_else(|| Value::String(text.to_owned()));
    let mut candidates = Vec::new();
    if let [one] = values {
        candidates.push(Value::String(one.clone()));
        candidates.extend(scalar(one));
        candidates.push(Value::Array(one.split(',').map(&item).collect()));
    }
    candidates.push(Value::Array(values.iter().map(|v| item(v)).collect()));
    candidates
        .into_iter()
        .find_map(|candidate| serde_json::from_value(candidate).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_decode_into_strings_scalars_and_arrays() {
        assert_eq!(decode_param::<String>(&["42".into()]), Some("42".into()));
        assert_eq!(decode_param::<i64>(&["42".into()]), Some(42));
        assert_eq!(decode_param::<bool>(&["true".into()]), Some(true));
        assert_eq!(decode_param::<i64>(&["x".into()]), None);
        assert_eq!(
            decode_param::<Vec<i64>>(&["1".into(), "2".into()]),
            Some(vec![1, 2])
        );
        assert_eq!(
            decode_param::<Vec<String>>(&["a,b".into()]),
            Some(vec!["a".into(), "b".into()])
        );
    }
}
