//! Form bodies: `application/x-www-form-urlencoded` from a model, and
//! `multipart/form-data` from [`Multipart`].
//!
//! Multipart bodies are encoded to bytes up front (RFC 7578) rather than streamed
//! through `reqwest::multipart`, so that a retried request resends the same body.

use bytes::{BufMut, Bytes, BytesMut};
use serde::Serialize;
use serde_json::Value;

use crate::error::Error;
use crate::request::RequestSpec;
use crate::validate::{ValidationError, Violation};

/// The parts of a `multipart/form-data` body: text fields and files.
///
/// ```
/// let form = orq_runtime::Multipart::new()
///     .text("Title", "report.docx")
///     .file("File", "report.docx", "application/octet-stream", vec![1u8, 2, 3]);
/// assert_eq!(form.len(), 2);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Multipart {
    parts: Vec<Part>,
}

#[derive(Clone, Debug, PartialEq)]
struct Part {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    data: Bytes,
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a text field.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.push(Part {
            name: name.into(),
            filename: None,
            content_type: None,
            data: Bytes::from(value.into()),
        });
        self
    }

    /// Add a file.
    pub fn file(
        mut self,
        name: impl Into<String>,
        filename: impl Into<String>,
        content_type: impl Into<String>,
        data: impl Into<Bytes>,
    ) -> Self {
        self.parts.push(Part {
            name: name.into(),
            filename: Some(filename.into()),
            content_type: Some(content_type.into()),
            data: data.into(),
        });
        self
    }

    /// How many parts there are.
    pub fn len(&self) -> usize {
        self.parts.len()
    }

    /// Whether there are no parts.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The encoded body and its content type (with the boundary).
    pub fn encode(&self) -> (Bytes, String) {
        let boundary = format!("orq-boundary-{:032x}", rand::random::<u128>());
        let mut out = BytesMut::new();
        for part in &self.parts {
            out.put_slice(format!("--{boundary}\r\n").as_bytes());
            let mut disposition = format!(
                "Content-Disposition: form-data; name=\"{}\"",
                escape(&part.name)
            );
            if let Some(filename) = &part.filename {
                disposition.push_str(&format!("; filename=\"{}\"", escape(filename)));
            }
            out.put_slice(disposition.as_bytes());
            out.put_slice(b"\r\n");
            if let Some(content_type) = &part.content_type {
                out.put_slice(
                    format!(
                        "Content-Type: {}\r\n",
                        content_type.replace(['\r', '\n'], "")
                    )
                    .as_bytes(),
                );
            }
            out.put_slice(b"\r\n");
            out.put_slice(&part.data);
            out.put_slice(b"\r\n");
        }
        out.put_slice(format!("--{boundary}--\r\n").as_bytes());
        (
            out.freeze(),
            format!("multipart/form-data; boundary={boundary}"),
        )
    }
}

/// RFC 7578 §4.2 / HTML: quotes and line breaks in names are percent-escaped.
fn escape(name: &str) -> String {
    name.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Set a multipart body.
pub fn multipart_body(request: &mut RequestSpec, form: &Multipart) {
    let (body, content_type) = form.encode();
    request.body(body, &content_type);
}

/// Set an `application/x-www-form-urlencoded` body from a model: each property is one
/// `key=value` pair, arrays repeat the key, nested objects travel as JSON text, absent and
/// `null` properties are left out.
pub fn form_body<T: Serialize + ?Sized>(request: &mut RequestSpec, body: &T) -> Result<(), Error> {
    let value = serde_json::to_value(body).map_err(|err| {
        Error::InvalidRequest(ValidationError::single(Violation::new(
            "body",
            "serialize",
            err.to_string(),
        )))
    })?;
    let mut pairs = url::form_urlencoded::Serializer::new(String::new());
    if let Value::Object(map) = value {
        for (key, item) in &map {
            match item {
                Value::Null => {}
                Value::Array(items) => {
                    for item in items {
                        pairs.append_pair(key, &scalar(item));
                    }
                }
                other => {
                    pairs.append_pair(key, &scalar(other));
                }
            }
        }
    }
    request.body(
        Bytes::from(pairs.finish()),
        "application/x-www-form-urlencoded",
    );
    Ok(())
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_encoding_follows_rfc_7578() {
        let form = Multipart::new().text("a\"b", "1").file(
            "f",
            "x.bin",
            "application/octet-stream",
            vec![0u8, 255],
        );
        let (body, content_type) = form.encode();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap();
        let expected = [
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"a%22b\"\r\n\r\n1\r\n").into_bytes(),
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes(),
            vec![0u8, 255],
            format!("\r\n--{boundary}--\r\n").into_bytes(),
        ]
        .concat();
        assert_eq!(body.to_vec(), expected);
    }
}
