//! [`Violation`] and [`ValidationError`]: what a broken schema constraint is, and
//! every one found in a request.

use std::fmt;

/// One broken constraint.
///
/// `Display` renders `path: message`, for example
/// `external_id: must be at most 120 characters (got 130)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Where in the request: `body.tags[3]`, `metadata.region`; empty for the value itself.
    pub path: String,
    /// The JSON Schema keyword that failed: `maxLength`, `pattern`, `required`...
    pub constraint: &'static str,
    /// What is wrong, naming the limit and the actual value.
    pub message: String,
}

impl Violation {
    /// A violation of `constraint` at `path`.
    pub fn new(
        path: impl Into<String>,
        constraint: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self {
            path: path.into(),
            constraint,
            message: message.into(),
        }
    }

    /// A required field that was not set.
    pub fn missing(path: impl Into<String>) -> Self {
        Self::new(path, "required", "is required but was not set")
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Every violation found in a request; nothing was sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    /// The violations, in the order the fields were checked.
    pub violations: Vec<Violation>,
}

impl ValidationError {
    /// Wraps a list of violations.
    pub fn new(violations: Vec<Violation>) -> Self {
        Self { violations }
    }

    /// A validation error with a single violation.
    pub fn single(violation: Violation) -> Self {
        Self::new(vec![violation])
    }
}

impl From<Violation> for ValidationError {
    fn from(violation: Violation) -> Self {
        Self::single(violation)
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.violations.as_slice() {
            [] => f.write_str("invalid request"),
            [only] => write!(f, "invalid request: {only}"),
            all => {
                write!(f, "invalid request ({} problems): ", all.len())?;
                for (index, violation) in all.iter().enumerate() {
                    if index > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{violation}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ValidationError {}
