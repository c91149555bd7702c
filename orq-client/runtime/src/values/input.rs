//! What builder setters and operations accept: [`Parsed`] (a typed value or its text),
//! [`IntoMap`] (pairs, maps or a JSON object) and [`IntoBody`] (a model or its builder).
//! Whatever cannot be converted becomes a [`Violation`] reported by `build()`, or an
//! [`Error::InvalidRequest`](crate::Error::InvalidRequest) of the call: never a panic
//! at the call site.

use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;

use serde_json::{Map, Value};

use crate::validate::violation::{ValidationError, Violation};
use crate::values::optional::OptionalNullable;

/// A value of `T`, or text to be parsed as one: what setters of `date-time`, `date`
/// and `uuid` fields take. A text that does not parse is reported by the builder's
/// `build()` at that field, so `.created_at("2024-01-15T10:30:00Z")` needs no `parse()`.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed<T>(Result<T, Rejected>);

/// A text a [`Parsed`] refused, and why.
#[derive(Clone, Debug, PartialEq)]
struct Rejected {
    text: String,
    reason: String,
}

impl Rejected {
    /// The violation at `path`.
    fn at(self, path: &str) -> Violation {
        Violation::new(path, "format", format!("`{}` {}", self.text, self.reason))
    }
}

impl<T> From<T> for Parsed<T> {
    fn from(value: T) -> Self {
        Parsed(Ok(value))
    }
}

/// `From<&str>` and `From<String>` for each type read from text.
macro_rules! from_text {
    ($($ty:ty => $reason:literal, $parse:expr;)*) => {
        $(
            impl From<&str> for Parsed<$ty> {
                fn from(text: &str) -> Self {
                    let parse: fn(&str) -> Option<$ty> = $parse;
                    Parsed(parse(text).ok_or_else(|| Rejected {
                        text: text.to_owned(),
                        reason: $reason.to_owned(),
                    }))
                }
            }

            impl From<String> for Parsed<$ty> {
                fn from(text: String) -> Self {
                    Self::from(text.as_str())
                }
            }

            impl From<&String> for Parsed<$ty> {
                fn from(text: &String) -> Self {
                    Self::from(text.as_str())
                }
            }
        )*
    };
}

from_text! {
    chrono::DateTime<chrono::Utc> => "is not an RFC 3339 date-time", |text| text.parse().ok();
    chrono::NaiveDate => "is not a date (YYYY-MM-DD)", |text| text.parse().ok();
    uuid::Uuid => "is not a UUID", |text| text.parse().ok();
}

/// A map a setter can be built from: `[("k", v)]`, a `Vec` of pairs, a `HashMap`,
/// the field's own `BTreeMap`, a `serde_json::Map`, or a `serde_json::Value` holding
/// an object (any other `Value` is reported by `build()`).
///
/// `M` is the field's type: `BTreeMap<String, T>` or `serde_json::Map<String, Value>`.
pub trait IntoMap<M: MapTarget> {
    /// The map, or why this value is not one.
    fn into_map(self) -> Result<M, String>;
}

/// A field type [`IntoMap`] builds: a map from strings.
pub trait MapTarget: Sized {
    /// The type of the values.
    type Value;

    /// The map of `pairs` (a later key replaces an earlier one).
    fn from_pairs(pairs: impl Iterator<Item = (String, Self::Value)>) -> Self;
}

impl<T> MapTarget for BTreeMap<String, T> {
    type Value = T;

    fn from_pairs(pairs: impl Iterator<Item = (String, T)>) -> Self {
        pairs.collect()
    }
}

impl MapTarget for Map<String, Value> {
    type Value = Value;

    fn from_pairs(pairs: impl Iterator<Item = (String, Value)>) -> Self {
        pairs.collect()
    }
}

fn pairs<M: MapTarget, K: Into<String>, V: Into<M::Value>>(
    pairs: impl IntoIterator<Item = (K, V)>,
) -> M {
    M::from_pairs(pairs.into_iter().map(|(k, v)| (k.into(), v.into())))
}

impl<M: MapTarget, K: Into<String>, V: Into<M::Value>, const N: usize> IntoMap<M> for [(K, V); N] {
    fn into_map(self) -> Result<M, String> {
        Ok(pairs(self))
    }
}

impl<M: MapTarget, K: Into<String>, V: Into<M::Value>> IntoMap<M> for Vec<(K, V)> {
    fn into_map(self) -> Result<M, String> {
        Ok(pairs(self))
    }
}

impl<M: MapTarget, K: Into<String>, V: Into<M::Value>, S> IntoMap<M> for HashMap<K, V, S> {
    fn into_map(self) -> Result<M, String> {
        Ok(pairs(self))
    }
}

/// The field's own type, as is (so `BTreeMap::new()` needs no annotation).
impl<T> IntoMap<BTreeMap<String, T>> for BTreeMap<String, T> {
    fn into_map(self) -> Result<Self, String> {
        Ok(self)
    }
}

impl<K: Into<String>, V: Into<Value>> IntoMap<Map<String, Value>> for BTreeMap<K, V> {
    fn into_map(self) -> Result<Map<String, Value>, String> {
        Ok(pairs(self))
    }
}

impl<M: MapTarget> IntoMap<M> for Map<String, Value>
where
    Value: Into<M::Value>,
{
    fn into_map(self) -> Result<M, String> {
        Ok(pairs(self))
    }
}

impl<M: MapTarget> IntoMap<M> for Value
where
    Value: Into<M::Value>,
{
    fn into_map(self) -> Result<M, String> {
        match self {
            Value::Object(map) => Ok(pairs(map)),
            other => Err(format!("must be a JSON object (got {})", kind(&other))),
        }
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A request body an operation accepts: the model itself (or anything `Into` it), or
/// its builder, whose `build()` runs when the call starts; a builder that fails makes
/// the call fail with [`Error::InvalidRequest`](crate::Error::InvalidRequest) before
/// anything is sent.
pub trait IntoBody<T> {
    /// The body, or why it cannot be sent.
    fn into_body(self) -> Result<T, ValidationError>;
}

impl<T, U> IntoBody<T> for U
where
    U: TryInto<T>,
    U::Error: Into<ValidationError>,
{
    fn into_body(self) -> Result<T, ValidationError> {
        self.try_into().map_err(Into::into)
    }
}

impl From<Infallible> for ValidationError {
    fn from(never: Infallible) -> Self {
        match never {}
    }
}

/// Builder support (generated code only): setters record what they refuse in the
/// builder's list, which `build()` reports. Setting a field again forgets what was
/// refused for it before.
pub mod set {
    use super::*;

    /// Forgets what was refused for the field at `path` (it is being set again).
    pub fn forget(refused: &mut Vec<Violation>, path: &str) {
        refused.retain(|v| {
            v.path
                .strip_prefix(path)
                .is_none_or(|rest| !(rest.is_empty() || rest.starts_with('[')))
        });
    }

    /// A required field that is not set, unless its setter refused what it was given
    /// (that is reported already).
    pub fn missing(violations: &mut Vec<Violation>, path: &str) {
        if !violations.iter().any(|v| v.path == path) {
            violations.push(Violation::missing(path));
        }
    }

    /// A value or its text.
    pub fn parsed<T>(
        value: impl Into<Parsed<T>>,
        path: &str,
        refused: &mut Vec<Violation>,
    ) -> Option<T> {
        forget(refused, path);
        value
            .into()
            .0
            .map_err(|rejected| refused.push(rejected.at(path)))
            .ok()
    }

    /// Values or their texts; each refused one is reported at `path[index]`.
    pub fn parsed_all<T, I: Into<Parsed<T>>>(
        items: impl IntoIterator<Item = I>,
        path: &str,
        refused: &mut Vec<Violation>,
    ) -> Option<Vec<T>> {
        forget(refused, path);
        let mut out = Vec::new();
        for (index, item) in items.into_iter().enumerate() {
            match item.into().0 {
                Ok(value) => out.push(value),
                Err(rejected) => refused.push(rejected.at(&format!("{path}[{index}]"))),
            }
        }
        Some(out)
    }

    /// A map from pairs, a map, or a JSON object.
    pub fn map<M: MapTarget>(
        value: impl IntoMap<M>,
        path: &str,
        refused: &mut Vec<Violation>,
    ) -> Option<M> {
        forget(refused, path);
        value
            .into_map()
            .map_err(|reason| refused.push(Violation::new(path, "type", reason)))
            .ok()
    }

    /// What a builder's slot of an optional field is made of by its `set_` setter
    /// (generated code only): `None` leaves the field out.
    pub trait Slot<T> {
        /// The slot holding `value`, or left empty.
        fn from_option(value: Option<T>) -> Self;
    }

    impl<T> Slot<T> for Option<T> {
        #[inline]
        fn from_option(value: Option<T>) -> Self {
            value
        }
    }

    /// An optional-and-nullable field: `None` leaves it out (`Unset`), not `null`.
    impl<T> Slot<T> for OptionalNullable<T> {
        #[inline]
        fn from_option(value: Option<T>) -> Self {
            value.map_or(OptionalNullable::Unset, OptionalNullable::Value)
        }
    }

    /// A request body kept with the outcome of building it.
    impl<T, E> Slot<T> for Option<Result<T, E>> {
        #[inline]
        fn from_option(value: Option<T>) -> Self {
            value.map(Ok)
        }
    }
}

/// `set_x(Option<T>)` for each optional field or parameter `x` of a builder (generated
/// code only): `None` leaves it out, as the AWS SDK's `set_` setters do. Each entry is
/// `x set_x: T`, `T` being what the plain setter stores; `=> refused "x"` after it
/// names the builder's list of refused values, of which the setter forgets those of `x`.
/// A leading `in args;` says the fields are those of the builder's field `args` (a
/// request builder's arguments).
#[doc(hidden)]
#[macro_export]
macro_rules! __set_options {
    (in $inner:ident; $($field:ident $set:ident: $t:ty $(=> $refused:ident $json:literal)?),* $(,)?) => {
        $(
            #[doc = concat!(
                "Sets [`", stringify!($field), "`](Self::", stringify!($field),
                ") from an `Option`: `None` leaves it out (also after an earlier call)."
            )]
            #[inline]
            pub fn $set(mut self, value: ::std::option::Option<$t>) -> Self {
                $($crate::__private::set::forget(&mut self.$inner.$refused, $json);)?
                self.$inner.$field = $crate::__private::set::Slot::from_option(value);
                self
            }
        )*
    };
    ($($field:ident $set:ident: $t:ty $(=> $refused:ident $json:literal)?),* $(,)?) => {
        $(
            #[doc = concat!(
                "Sets [`", stringify!($field), "`](Self::", stringify!($field),
                ") from an `Option`: `None` leaves it out (also after an earlier call)."
            )]
            #[inline]
            pub fn $set(mut self, value: ::std::option::Option<$t>) -> Self {
                $($crate::__private::set::forget(&mut self.$refused, $json);)?
                self.$field = $crate::__private::set::Slot::from_option(value);
                self
            }
        )*
    };
}

/// A builder's conversions (generated code only): `TryFrom<Builder> for Model` (its
/// `build()`) and `From<Model> for Builder`, which fills the builder from a value (one
/// received, to edit and send back). The entries are the builder, the model, the fields
/// the builder holds as `Option` of the model's (required ones), then the others; the
/// model's read-only fields are in neither, so the builder leaves them out, as requests
/// never carry them. Written once here instead of twice per model.
#[doc(hidden)]
#[macro_export]
macro_rules! __builder_conversions {
    ($builder:ident => $model:path; $($required:ident)*; $($other:ident)*) => {
        impl ::std::convert::TryFrom<$builder> for $model {
            type Error = $crate::ValidationError;
            #[inline]
            fn try_from(
                builder: $builder,
            ) -> ::std::result::Result<Self, $crate::ValidationError> {
                builder.build()
            }
        }

        /// The builder with this value's fields set: edit a value received and send it
        /// back. Read-only fields are left out, as requests never carry them.
        impl ::std::convert::From<$model> for $builder {
            #[inline]
            #[allow(unused_variables, clippy::needless_update)]
            fn from(value: $model) -> Self {
                Self {
                    $($required: ::std::option::Option::Some(value.$required),)*
                    $($other: value.$other,)*
                    ..::std::default::Default::default()
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_is_parsed_and_a_bad_one_is_a_violation_at_its_field() {
        let mut refused = Vec::new();
        let when: Option<chrono::DateTime<chrono::Utc>> =
            set::parsed("2024-01-15T10:30:00Z", "created", &mut refused);
        assert!(when.is_some() && refused.is_empty());
        let id: Option<uuid::Uuid> = set::parsed("not-a-uuid", "id", &mut refused);
        assert_eq!(id, None);
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].to_string(), "id: `not-a-uuid` is not a UUID");
        let _: Option<uuid::Uuid> = set::parsed(uuid::Uuid::nil(), "id", &mut refused);
        assert!(
            refused.is_empty(),
            "setting the field again forgets the refusal"
        );
        let days: Option<Vec<chrono::NaiveDate>> =
            set::parsed_all(["2024-01-15", "15/01/2024"], "days", &mut refused);
        assert_eq!(days.map(|d| d.len()), Some(1));
        assert_eq!(refused[0].path, "days[1]");
    }

    #[test]
    fn maps_come_from_pairs_maps_or_a_json_object() {
        let mut refused = Vec::new();
        let from_pairs: Option<Map<String, Value>> =
            set::map([("department", "Engineering")], "metadata", &mut refused);
        let from_json: Option<Map<String, Value>> = set::map(
            json!({"department": "Engineering"}),
            "metadata",
            &mut refused,
        );
        assert_eq!(from_pairs, from_json);
        let typed: Option<BTreeMap<String, i64>> =
            set::map(HashMap::from([("a", 1)]), "counts", &mut refused);
        assert_eq!(typed.map(|m| m["a"]), Some(1));
        let empty: Option<BTreeMap<String, i64>> =
            set::map(BTreeMap::new(), "counts", &mut refused);
        assert_eq!(empty.map(|m| m.len()), Some(0));
        assert!(refused.is_empty());
        let _: Option<Map<String, Value>> = set::map(json!([1]), "metadata", &mut refused);
        assert_eq!(
            refused[0].to_string(),
            "metadata: must be a JSON object (got an array)"
        );
    }

    #[test]
    fn a_body_is_the_value_or_what_converts_to_it() {
        assert_eq!(IntoBody::<String>::into_body("text"), Ok("text".to_owned()));
    }
}
