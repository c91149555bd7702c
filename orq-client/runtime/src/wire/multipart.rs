//! `multipart/form-data` bodies: from a model ([`MultipartForm`], generated, with its
//! file properties as [`FilePart`]s) or from an untyped [`Multipart`].
//!
//! Multipart bodies follow RFC 7578. Parts in memory are encoded up front; file
//! parts given by path or as a stream are read while the request is sent, so a
//! large file is never held in memory. A form is retried like any body when all its
//! parts can be sent again (bytes, files by path), and sent once otherwise.

use bytes::{BufMut, Bytes, BytesMut};
use serde::Serialize;
use serde_json::Value;

use crate::error::Error;
use crate::validate::violation::{ValidationError, Violation};
use crate::values::optional::OptionalNullable;
use crate::values::read_only::writing_request;
use crate::wire::body::{Body, Source};

/// The parts of a `multipart/form-data` body: text fields and files.
///
/// Operations whose multipart schema lists its properties take the generated model
/// instead; this untyped form is for schemas that leave the parts open.
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
    data: Body,
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a text field.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.push_text(name.into(), value.into(), None);
        self
    }

    /// Add a file: its content as bytes, a [`Body::path`] or a [`Body::stream`].
    pub fn file(
        mut self,
        name: impl Into<String>,
        filename: impl Into<String>,
        content_type: impl Into<String>,
        data: impl Into<Body>,
    ) -> Self {
        self.parts.push(Part {
            name: name.into(),
            filename: Some(filename.into()),
            content_type: Some(content_type.into()),
            data: data.into(),
        });
        self
    }

    /// Add a file part.
    pub fn part(mut self, name: impl Into<String>, file: FilePart) -> Self {
        self.push_file(name.into(), file, None);
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

    fn push_text(&mut self, name: String, value: String, content_type: Option<&str>) {
        self.parts.push(Part {
            name,
            filename: None,
            content_type: content_type.map(str::to_owned),
            data: Bytes::from(value).into(),
        });
    }

    fn push_file(&mut self, name: String, file: FilePart, default_type: Option<&str>) {
        let filename = file.file_name.or_else(|| file.body.file_name());
        let content_type = file
            .content_type
            .or_else(|| default_type.map(str::to_owned))
            .unwrap_or_else(|| "application/octet-stream".to_owned());
        self.parts.push(Part {
            name,
            filename: Some(filename.unwrap_or_else(|| "file".to_owned())),
            content_type: Some(content_type),
            data: file.body,
        });
    }

    /// The encoded body and its content type (with the boundary). The body is
    /// all in memory ([`Body::as_bytes`]) unless a file part is a path or a stream.
    pub fn encode(&self) -> (Body, String) {
        let boundary = format!("orq-boundary-{:032x}", fastrand::u128(..));
        let mut sources = Vec::with_capacity(self.parts.len() * 3 + 1);
        for part in &self.parts {
            let mut head = BytesMut::new();
            head.put_slice(format!("--{boundary}\r\n").as_bytes());
            let mut disposition = format!(
                "Content-Disposition: form-data; name=\"{}\"",
                escape(&part.name)
            );
            if let Some(filename) = &part.filename {
                disposition.push_str(&format!("; filename=\"{}\"", escape(filename)));
            }
            head.put_slice(disposition.as_bytes());
            head.put_slice(b"\r\n");
            if let Some(content_type) = &part.content_type {
                head.put_slice(
                    format!(
                        "Content-Type: {}\r\n",
                        content_type.replace(['\r', '\n'], "")
                    )
                    .as_bytes(),
                );
            }
            head.put_slice(b"\r\n");
            sources.push(Source::Bytes(head.freeze()));
            sources.extend(part.data.sources().iter().cloned());
            sources.push(Source::Bytes(Bytes::from_static(b"\r\n")));
        }
        sources.push(Source::Bytes(Bytes::from(format!("--{boundary}--\r\n"))));
        (
            Body::concat(sources),
            format!("multipart/form-data; boundary={boundary}"),
        )
    }
}

/// A file in a multipart body: its content ([`Body`]: bytes, a file by path or a
/// stream), file name and content type.
///
/// The file name defaults to the path's last component (or `file`), the content
/// type to the spec's `encoding` for the property (or `application/octet-stream`).
///
/// ```
/// use orq_runtime::FilePart;
/// let logo = FilePart::new(vec![0x89, b'P', b'N', b'G'])
///     .file_name("logo.png")
///     .content_type("image/png");
/// let report = FilePart::path("out/report.pdf"); // named `report.pdf`, read while sent
/// # let _ = (logo, report);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FilePart {
    body: Body,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl FilePart {
    /// A file part with this content.
    pub fn new(body: impl Into<Body>) -> Self {
        FilePart {
            body: body.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// The file at `path`, read while the request is sent (again on a retry).
    pub fn path(path: impl Into<std::path::PathBuf>) -> Self {
        Self::new(Body::path(path))
    }

    /// Sets the file name sent (`filename=` of the part).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the part's `Content-Type`.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The content.
    pub fn body(&self) -> &Body {
        &self.body
    }
}

macro_rules! file_part_from {
    ($($t:ty),*) => {$(
        impl From<$t> for FilePart {
            fn from(value: $t) -> Self {
                FilePart::new(value)
            }
        }
    )*};
}

file_part_from!(
    Body,
    Bytes,
    Vec<u8>,
    &'static [u8],
    &'static str,
    String,
    std::path::PathBuf,
    tokio::fs::File
);

/// Inside a JSON document (a model used both as a form and as JSON), a file part
/// travels as its bytes' UTF-8 text, like [`Binary`](crate::Binary).
impl Serialize for FilePart {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error as _;
        let text = self
            .body
            .as_bytes()
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
            .ok_or_else(|| {
                S::Error::custom(
                    "a file part inside JSON must be UTF-8 text in memory (JSON cannot carry raw bytes or files)",
                )
            })?;
        serializer.serialize_str(text)
    }
}

impl<'de> serde::Deserialize<'de> for FilePart {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(FilePart::new(String::deserialize(deserializer)?))
    }
}

/// A model sent as `multipart/form-data` (generated code implements it): each
/// property is one part, written with [`FormParts`].
pub trait MultipartForm {
    /// Writes the model's properties as parts.
    fn write_parts(self, form: &mut FormParts<'_>) -> Result<(), Error>;
}

/// The parts of a typed multipart body as a model writes them, with the spec's
/// per-property `encoding` (content types).
pub struct FormParts<'a> {
    form: Multipart,
    encoding: &'a [(&'a str, &'a str)],
}

impl FormParts<'_> {
    fn content_type(&self, name: &str) -> Option<&str> {
        self.encoding
            .iter()
            .find(|(property, _)| *property == name)
            .map(|(_, content_type)| *content_type)
    }

    /// A property of a file type: one file part per file (none when absent).
    pub fn file(&mut self, name: &str, files: impl FileParts) {
        let default_type = self.content_type(name).map(str::to_owned);
        files.each(&mut |file| {
            self.form
                .push_file(name.to_owned(), file, default_type.as_deref())
        });
    }

    /// Any other property: absent or `null` sends nothing; text, numbers and
    /// booleans are text parts; objects are JSON parts (`application/json`);
    /// arrays repeat the part once per item. The spec's `encoding` sets the
    /// part's content type.
    pub fn value<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        let value = writing_request(|| serde_json::to_value(value)).map_err(|err| {
            Error::InvalidRequest(ValidationError::single(Violation::new(
                format!("body.{name}"),
                "serialize",
                err.to_string(),
            )))
        })?;
        let content_type = self.content_type(name).map(str::to_owned);
        let items = match value {
            Value::Array(items) => items,
            other => vec![other],
        };
        for item in items {
            match item {
                Value::Null => {}
                Value::String(text) => {
                    self.form
                        .push_text(name.to_owned(), text, content_type.as_deref())
                }
                Value::Object(_) | Value::Array(_) => self.form.push_text(
                    name.to_owned(),
                    item.to_string(),
                    Some(content_type.as_deref().unwrap_or("application/json")),
                ),
                scalar => self.form.push_text(
                    name.to_owned(),
                    scalar.to_string(),
                    content_type.as_deref(),
                ),
            }
        }
        Ok(())
    }
}

impl<'a> FormParts<'a> {
    /// The parts `model` writes, with the spec's `encoding` (property name, content
    /// type), as one form.
    pub(crate) fn of<T: MultipartForm>(
        model: T,
        encoding: &'a [(&'a str, &'a str)],
    ) -> Result<Multipart, Error> {
        let mut parts = FormParts {
            form: Multipart::new(),
            encoding,
        };
        model.write_parts(&mut parts)?;
        Ok(parts.form)
    }
}

/// What a file property can hold: one file, an optional one, or a list.
pub trait FileParts {
    /// Calls `f` with each file.
    fn each(self, f: &mut dyn FnMut(FilePart));
}

impl FileParts for FilePart {
    fn each(self, f: &mut dyn FnMut(FilePart)) {
        f(self)
    }
}

impl<T: FileParts> FileParts for Option<T> {
    fn each(self, f: &mut dyn FnMut(FilePart)) {
        if let Some(files) = self {
            files.each(f)
        }
    }
}

impl<T: FileParts> FileParts for Vec<T> {
    fn each(self, f: &mut dyn FnMut(FilePart)) {
        for files in self {
            files.each(f)
        }
    }
}

impl<T: FileParts> FileParts for OptionalNullable<T> {
    fn each(self, f: &mut dyn FnMut(FilePart)) {
        if let OptionalNullable::Value(files) = self {
            files.each(f)
        }
    }
}

impl<T: FileParts> FileParts for Box<T> {
    fn each(self, f: &mut dyn FnMut(FilePart)) {
        (*self).each(f)
    }
}

/// RFC 7578 §4.2 / HTML: quotes and line breaks in names are percent-escaped; so is a
/// backslash, which a parser reading the quoted string by RFC 9110 would take as the
/// escape of the next character (`name="a\"` never ends).
fn escape(name: &str) -> String {
    name.replace('\\', "%5C")
        .replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_encoding_follows_rfc_7578() {
        let form = Multipart::new().text("a\"b\\", "1").file(
            "f",
            "x.bin",
            "application/octet-stream",
            vec![0u8, 255],
        );
        let (body, content_type) = form.encode();
        let body = body.as_bytes().unwrap().clone();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap();
        let expected = [
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"a%22b%5C\"\r\n\r\n1\r\n").into_bytes(),
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes(),
            vec![0u8, 255],
            format!("\r\n--{boundary}--\r\n").into_bytes(),
        ]
        .concat();
        assert_eq!(body.to_vec(), expected);
    }
}
