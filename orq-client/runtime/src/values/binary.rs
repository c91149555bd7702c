//! Byte strings in JSON: [`Base64Bytes`] for `format: byte`, [`Binary`] for
//! `format: binary` properties.

use std::fmt;
use std::ops::Deref;

use base64::Engine as _;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::validate::Validate;
use crate::validate::violation::Violation;

/// Bytes that travel as base64 text (`type: string, format: byte`).
///
/// Serializes with the standard alphabet and padding; deserializing also
/// accepts the URL-safe alphabet and missing padding, as servers differ.
///
/// ```
/// use orq_runtime::Base64Bytes;
/// let bytes = Base64Bytes::from(b"hi".to_vec());
/// assert_eq!(serde_json::to_string(&bytes).unwrap(), r#""aGk=""#);
/// let back: Base64Bytes = serde_json::from_str(r#""aGk""#).unwrap();
/// assert_eq!(&back[..], b"hi");
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Base64Bytes(pub Vec<u8>);

impl Base64Bytes {
    /// The base64 text sent on the wire.
    pub fn encode(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(&self.0)
    }

    /// Decode base64 text (standard or URL-safe alphabet, padded or not).
    pub fn decode(text: &str) -> Result<Self, base64::DecodeError> {
        use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
        let trimmed = text.trim_end_matches('=');
        STANDARD_NO_PAD
            .decode(trimmed)
            .or_else(|_| URL_SAFE_NO_PAD.decode(trimmed))
            .map(Base64Bytes)
    }

    /// The bytes.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

impl fmt::Debug for Base64Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64Bytes({})", self.encode())
    }
}

impl fmt::Display for Base64Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encode())
    }
}

impl Deref for Base64Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Base64Bytes {
    fn from(bytes: Vec<u8>) -> Self {
        Base64Bytes(bytes)
    }
}

impl From<&[u8]> for Base64Bytes {
    fn from(bytes: &[u8]) -> Self {
        Base64Bytes(bytes.to_vec())
    }
}

impl<const N: usize> From<&[u8; N]> for Base64Bytes {
    fn from(bytes: &[u8; N]) -> Self {
        Base64Bytes(bytes.to_vec())
    }
}

impl Serialize for Base64Bytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.encode())
    }
}

impl<'de> Deserialize<'de> for Base64Bytes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Base64Bytes::decode(&text).map_err(|e| D::Error::custom(format!("invalid base64: {e}")))
    }
}

/// Raw octets of a `format: binary` property inside a JSON document.
///
/// JSON strings carry text, so the bytes travel as that text: they must be
/// UTF-8 to be serialized (use `format: byte` for arbitrary bytes). Bodies that
/// are binary as a whole are [`Body`](crate::Body) (requests) and
/// [`ByteStream`](crate::ByteStream) (responses) instead, and binary properties of
/// multipart forms [`FilePart`](crate::FilePart).
///
/// ```
/// use orq_runtime::Binary;
/// let raw: Binary = serde_json::from_str(r#""PK\u0003""#).unwrap();
/// assert_eq!(&raw[..], b"PK\x03");
/// assert!(serde_json::to_string(&Binary::from(vec![0xff])).is_err());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Binary(pub bytes::Bytes);

impl Deref for Binary {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl From<bytes::Bytes> for Binary {
    fn from(bytes: bytes::Bytes) -> Self {
        Binary(bytes)
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Binary(bytes.into())
    }
}

impl From<&str> for Binary {
    fn from(text: &str) -> Self {
        Binary(bytes::Bytes::copy_from_slice(text.as_bytes()))
    }
}

impl From<String> for Binary {
    fn from(text: String) -> Self {
        Binary(text.into())
    }
}

impl Serialize for Binary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error as _;
        let text = std::str::from_utf8(&self.0).map_err(|_| {
            S::Error::custom(
                "a `format: binary` value inside JSON must be UTF-8 text (JSON cannot carry raw bytes)",
            )
        })?;
        serializer.serialize_str(text)
    }
}

impl<'de> Deserialize<'de> for Binary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(Binary(text.into()))
    }
}

/// Byte strings have no constraints of their own (`maxLength` of a `format: byte`
/// string is checked by the field that holds it).
impl Validate for Base64Bytes {
    fn validate_at(&self, _path: &str, _out: &mut Vec<Violation>) {}
}

impl Validate for Binary {
    fn validate_at(&self, _path: &str, _out: &mut Vec<Violation>) {}
}
