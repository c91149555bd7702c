//! [`OptionalNullable`]: a field that can be absent, explicitly `null`, or set.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::redact::{Redacted, Secret};

use crate::validate::Validate;
use crate::validate::violation::Violation;

/// A field that can be left out, sent as `null`, or sent with a value.
///
/// JSON APIs often tell "do not touch this field" (absent) apart from "clear
/// this field" (`null`); `Option<T>` cannot express both. Generated models
/// declare such fields as
///
/// ```
/// use orq_runtime::OptionalNullable;
///
/// #[derive(serde::Serialize, serde::Deserialize, Default)]
/// struct UpdateContact {
///     #[serde(default, skip_serializing_if = "OptionalNullable::is_unset")]
///     email: OptionalNullable<String>,
/// }
///
/// let clear = UpdateContact { email: OptionalNullable::Null };
/// assert_eq!(serde_json::to_string(&clear).unwrap(), r#"{"email":null}"#);
/// let keep = UpdateContact::default();
/// assert_eq!(serde_json::to_string(&keep).unwrap(), "{}");
/// let set = UpdateContact { email: "a@example.com".into() };
/// assert_eq!(serde_json::to_string(&set).unwrap(), r#"{"email":"a@example.com"}"#);
/// ```
///
/// Serializing [`Unset`](Self::Unset) on its own writes `null`; the
/// `skip_serializing_if` attribute is what leaves the field out.
/// Deserializing reads `null` as [`Null`](Self::Null) and any other value as
/// [`Value`](Self::Value); an absent field becomes `Unset` through
/// `#[serde(default)]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub enum OptionalNullable<T> {
    /// Not set: the field is left out of the request.
    #[default]
    Unset,
    /// Explicitly `null`.
    Null,
    /// Set to a value.
    Value(T),
}

impl<T> OptionalNullable<T> {
    /// True if the field is left out.
    pub fn is_unset(&self) -> bool {
        matches!(self, Self::Unset)
    }

    /// True if the field is explicitly `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// True if the field holds a value.
    pub fn is_value(&self) -> bool {
        matches!(self, Self::Value(_))
    }

    /// Borrows the value, keeping the state.
    pub fn as_ref(&self) -> OptionalNullable<&T> {
        match self {
            Self::Unset => OptionalNullable::Unset,
            Self::Null => OptionalNullable::Null,
            Self::Value(value) => OptionalNullable::Value(value),
        }
    }

    /// Mutably borrows the value, keeping the state.
    pub fn as_mut(&mut self) -> OptionalNullable<&mut T> {
        match self {
            Self::Unset => OptionalNullable::Unset,
            Self::Null => OptionalNullable::Null,
            Self::Value(value) => OptionalNullable::Value(value),
        }
    }

    /// The value, if there is one (`Unset` and `Null` both give `None`).
    pub fn as_value(&self) -> Option<&T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Unset | Self::Null => None,
        }
    }

    /// Takes the value, if there is one.
    pub fn into_value(self) -> Option<T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Unset | Self::Null => None,
        }
    }

    /// Maps the value, keeping `Unset` and `Null` as they are.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> OptionalNullable<U> {
        match self {
            Self::Unset => OptionalNullable::Unset,
            Self::Null => OptionalNullable::Null,
            Self::Value(value) => OptionalNullable::Value(f(value)),
        }
    }
}

impl<T> From<T> for OptionalNullable<T> {
    fn from(value: T) -> Self {
        Self::Value(value)
    }
}

impl From<&str> for OptionalNullable<String> {
    fn from(value: &str) -> Self {
        Self::Value(value.to_owned())
    }
}

impl<T> From<Option<T>> for OptionalNullable<T> {
    /// `None` becomes [`Null`](OptionalNullable::Null): an `Option` that was
    /// given on purpose means "send null", not "leave out".
    fn from(value: Option<T>) -> Self {
        match value {
            Some(value) => Self::Value(value),
            None => Self::Null,
        }
    }
}

impl<T: Serialize> Serialize for OptionalNullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Value(value) => serializer.serialize_some(value),
            Self::Unset | Self::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OptionalNullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.into())
    }
}

/// Checks the value when there is one: absent and `null` have no constraints to break.
impl<T: Validate> Validate for OptionalNullable<T> {
    fn validate_at(&self, path: &str, out: &mut Vec<Violation>) {
        if let Some(value) = self.as_value() {
            value.validate_at(path, out);
        }
    }
}

impl<T: Secret> Secret for OptionalNullable<T> {
    fn fmt_redacted(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unset => f.write_str("Unset"),
            Self::Null => f.write_str("Null"),
            Self::Value(value) => f.debug_tuple("Value").field(&Redacted(value)).finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Patch {
        #[serde(default, skip_serializing_if = "OptionalNullable::is_unset")]
        name: OptionalNullable<String>,
        #[serde(default, skip_serializing_if = "OptionalNullable::is_unset")]
        age: OptionalNullable<u32>,
    }

    fn round_trip(patch: &Patch) -> (serde_json::Value, Patch) {
        let value = serde_json::to_value(patch).unwrap();
        let back = serde_json::from_value(value.clone()).unwrap();
        (value, back)
    }

    #[test]
    fn unset_is_omitted_and_reads_back_unset() {
        let patch = Patch {
            name: OptionalNullable::Unset,
            age: OptionalNullable::Unset,
        };
        let (value, back) = round_trip(&patch);
        assert_eq!(value, json!({}));
        assert_eq!(back, patch);
    }

    #[test]
    fn null_is_sent_and_reads_back_null() {
        let patch = Patch {
            name: OptionalNullable::Null,
            age: OptionalNullable::Unset,
        };
        let (value, back) = round_trip(&patch);
        assert_eq!(value, json!({ "name": null }));
        assert_eq!(back, patch);
    }

    #[test]
    fn value_is_sent_and_reads_back_value() {
        let patch = Patch {
            name: "Ada".into(),
            age: 36.into(),
        };
        let (value, back) = round_trip(&patch);
        assert_eq!(value, json!({ "name": "Ada", "age": 36 }));
        assert_eq!(back, patch);
    }

    #[test]
    fn unset_alone_serializes_as_null() {
        let unset: OptionalNullable<u8> = OptionalNullable::Unset;
        assert_eq!(serde_json::to_string(&unset).unwrap(), "null");
    }

    #[test]
    fn accessors() {
        let value: OptionalNullable<u8> = 3.into();
        assert!(value.is_value() && !value.is_null() && !value.is_unset());
        assert_eq!(value.as_value(), Some(&3));
        assert_eq!(value.as_ref(), OptionalNullable::Value(&3));
        assert_eq!(value.clone().map(|v| v * 2), OptionalNullable::Value(6));
        assert_eq!(value.into_value(), Some(3));
        assert_eq!(OptionalNullable::<u8>::from(None), OptionalNullable::Null);
        assert_eq!(OptionalNullable::<u8>::Null.into_value(), None);
        assert!(OptionalNullable::<u8>::default().is_unset());
    }

    struct Tag(String);

    impl Validate for Tag {
        fn validate_at(&self, path: &str, out: &mut Vec<Violation>) {
            crate::validate::check::length(out, path, &self.0, None, Some(3));
        }
    }

    #[test]
    fn only_a_value_is_validated() {
        let nested: OptionalNullable<Option<Box<Tag>>> =
            OptionalNullable::Value(Some(Box::new(Tag("long".into()))));
        assert_eq!(
            nested.validate().unwrap_err().violations[0].constraint,
            "maxLength"
        );
        assert!(OptionalNullable::<Tag>::Null.validate().is_ok());
    }
}
