//! [`Uri`]: the Rust type of `format: uri` (and `url`) strings.

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::validate::Validate;
use crate::validate::violation::Violation;
use crate::values::optional::OptionalNullable;

/// A `format: uri` value: the text exactly as it travels, parsed on demand.
///
/// `url::Url` follows the WHATWG URL standard, which is stricter than the URI RFC
/// (3986) that `format: uri` names: `https://a.b.2` is a valid URI that `Url` refuses.
/// Typing a response field as `Url` would make one such value fail the whole
/// response; `Uri` always decodes, keeps the text, and gives the `Url` when it parses.
/// Requests stay strict: a request body or model whose `Uri` does not parse as a URL
/// fails `build()`, and a response one is logged (`tracing`, `warn`) like every other
/// response that breaks the spec.
///
/// ```
/// use orq_runtime::Uri;
/// let ok = Uri::from(url::Url::parse("https://example.com/a").unwrap());
/// assert_eq!(ok.to_url().unwrap().host_str(), Some("example.com"));
/// let odd: Uri = serde_json::from_str(r#""https://a.b.2""#).unwrap();
/// assert_eq!(odd.as_str(), "https://a.b.2");
/// assert!(odd.to_url().is_err());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Uri(String);

impl Uri {
    /// A URI from its text (not checked: [`Uri::to_url`] parses it).
    pub fn new(text: impl Into<String>) -> Self {
        Uri(text.into())
    }

    /// The text as sent or received.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text, owned.
    pub fn into_string(self) -> String {
        self.0
    }

    /// The value parsed as a `url::Url` (WHATWG rules).
    pub fn to_url(&self) -> Result<url::Url, url::ParseError> {
        url::Url::parse(&self.0)
    }
}

impl From<url::Url> for Uri {
    fn from(url: url::Url) -> Self {
        Uri(url.into())
    }
}

impl From<&url::Url> for Uri {
    fn from(url: &url::Url) -> Self {
        Uri(url.as_str().to_owned())
    }
}

impl From<String> for Uri {
    fn from(text: String) -> Self {
        Uri(text)
    }
}

impl From<&str> for Uri {
    fn from(text: &str) -> Self {
        Uri(text.to_owned())
    }
}

/// Text for an optional, nullable `uri` field: `.avatar_url("https://…")`.
impl From<&str> for OptionalNullable<Uri> {
    fn from(text: &str) -> Self {
        Self::Value(Uri::from(text))
    }
}

impl From<String> for OptionalNullable<Uri> {
    fn from(text: String) -> Self {
        Self::Value(Uri(text))
    }
}

impl From<Uri> for String {
    fn from(uri: Uri) -> Self {
        uri.0
    }
}

impl FromStr for Uri {
    type Err = Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Uri(text.to_owned()))
    }
}

impl AsRef<str> for Uri {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Uri {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Uri {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl fmt::Display for Uri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Validate for Uri {
    fn validate_at(&self, path: &str, out: &mut Vec<Violation>) {
        if let Err(error) = self.to_url() {
            out.push(Violation::new(
                path,
                "format",
                format!("must be a URL (`{}`: {error})", self.0),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_text_decodes_and_only_urls_validate() {
        let odd: Uri = serde_json::from_str(r#""https://a.b.2""#).unwrap();
        assert_eq!(serde_json::to_string(&odd).unwrap(), r#""https://a.b.2""#);
        let mut out = Vec::new();
        odd.validate_at("link", &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].path, "link");
        assert_eq!(out[0].constraint, "format");
        let mut out = Vec::new();
        Uri::new("https://example.com/x").validate_at("link", &mut out);
        assert!(out.is_empty());
    }
}
