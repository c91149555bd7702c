//! String enums: [`WireEnum`] (what every generated one implements), [`Open`] (how
//! fields and parameters hold one, keeping values a newer server sends) and
//! [`UnknownVariant`] (the error of parsing a text that names no variant).

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::validate::Validate;
use crate::validate::violation::Violation;

/// A closed enum of strings, as generated for a `type: string` schema with an `enum`.
///
/// Generated enums implement it with their variants and wire values; their `as_str`,
/// `FromStr`, `Display` and serde impls are written in terms of it.
pub trait WireEnum: Copy + Eq + 'static {
    /// The enum's name, for error messages.
    const NAME: &'static str;
    /// Every variant, in the spec's order.
    const ALL: &'static [Self];
    /// The wire value of each variant of [`ALL`](Self::ALL), at the same index.
    const WIRE: &'static [&'static str];

    /// The wire value.
    fn as_str(&self) -> &'static str;

    /// The variant whose wire value is `text` (exact, case-sensitive).
    fn from_wire(text: &str) -> Option<Self> {
        Self::WIRE
            .iter()
            .position(|wire| *wire == text)
            .and_then(|index| Self::ALL.get(index).copied())
    }
}

/// A text that is not a wire value of the enum it was parsed as (`FromStr`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownVariant {
    value: String,
    name: &'static str,
    expected: &'static [&'static str],
}

impl UnknownVariant {
    /// `value` is not one of `E`'s wire values.
    pub fn new<E: WireEnum>(value: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            name: E::NAME,
            expected: E::WIRE,
        }
    }

    /// The text that was refused.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The enum it was parsed as.
    pub fn enum_name(&self) -> &'static str {
        self.name
    }

    /// The wire values the enum knows.
    pub fn expected(&self) -> &'static [&'static str] {
        self.expected
    }
}

impl fmt::Display for UnknownVariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a value of `{}` (one of",
            self.value, self.name
        )?;
        for (index, wire) in self.expected.iter().enumerate() {
            let sep = if index == 0 { " " } else { ", " };
            write!(f, "{sep}`{wire}`")?;
        }
        f.write_str(")")
    }
}

impl std::error::Error for UnknownVariant {}

/// A field or parameter holding a string enum `E`: a variant this client knows, or
/// the text of one it does not.
///
/// `Unknown` is for values a newer server sends: an API that adds a value to an enum
/// does not break this client, and a value read from the server is sent back as it
/// came (read-modify-write keeps it). Code that sets a value uses `E` itself
/// (`.status(Status::Active)`, via `From<E>`); text from elsewhere goes through
/// [`Open::from_wire`] (known text becomes `Known`) or `E::from_str` (which refuses a
/// typo). There is deliberately no `From<&str>`: a misspelt value must not compile
/// into `Unknown` silently.
///
/// Equality, hashing and ordering compare wire values, so `Unknown("active")` made by
/// hand equals `Known(Status::Active)`.
///
/// ```
/// use orq_runtime::{Open, WireEnum};
///
/// #[derive(Clone, Copy, Debug, PartialEq, Eq)]
/// enum Status { Active, Archived }
/// impl WireEnum for Status {
///     const NAME: &'static str = "Status";
///     const ALL: &'static [Self] = &[Self::Active, Self::Archived];
///     const WIRE: &'static [&'static str] = &["active", "archived"];
///     fn as_str(&self) -> &'static str { Self::WIRE[*self as usize] }
/// }
///
/// let known: Open<Status> = serde_json::from_str(r#""active""#).unwrap();
/// assert!(known == Status::Active);
/// let newer: Open<Status> = serde_json::from_str(r#""paused""#).unwrap();
/// assert_eq!(newer.known(), None);
/// assert_eq!(serde_json::to_string(&newer).unwrap(), r#""paused""#);
/// assert_eq!(Open::from_wire("archived"), Open::Known(Status::Archived));
/// ```
#[derive(Clone, Debug)]
pub enum Open<E> {
    /// A value of the spec this client was generated from.
    Known(E),
    /// A value this client does not know (typically one a newer server sent), kept
    /// as it is.
    Unknown(String),
}

impl<E: WireEnum> Open<E> {
    /// The value for a wire text: `Known` when `E` has it, `Unknown` otherwise.
    pub fn from_wire(text: &str) -> Self {
        match E::from_wire(text) {
            Some(known) => Self::Known(known),
            None => Self::Unknown(text.to_owned()),
        }
    }

    /// The variant, unless the value is one this client does not know.
    pub fn known(&self) -> Option<E> {
        match self {
            Self::Known(known) => Some(*known),
            Self::Unknown(text) => E::from_wire(text),
        }
    }

    /// True for a value of the spec this client was generated from.
    pub fn is_known(&self) -> bool {
        self.known().is_some()
    }

    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Known(known) => known.as_str(),
            Self::Unknown(text) => text,
        }
    }
}

impl<E> From<E> for Open<E> {
    fn from(known: E) -> Self {
        Self::Known(known)
    }
}

impl<E: WireEnum> PartialEq for Open<E> {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl<E: WireEnum> Eq for Open<E> {}

impl<E: WireEnum> PartialEq<E> for Open<E> {
    fn eq(&self, other: &E) -> bool {
        self.as_str() == other.as_str()
    }
}

impl<E: WireEnum> Hash for Open<E> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl<E: WireEnum> PartialOrd for Open<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<E: WireEnum> Ord for Open<E> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl<E: WireEnum> AsRef<str> for Open<E> {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl<E: WireEnum> fmt::Display for Open<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl<E: WireEnum> Serialize for Open<E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de, E: WireEnum> Deserialize<'de> for Open<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(Text::<Self>(PhantomData))
    }
}

/// Nothing to check: a known value is valid, an unknown one goes back as it came.
impl<E> Validate for Open<E> {
    fn validate_at(&self, _path: &str, _out: &mut Vec<Violation>) {}
}

/// Reads a string into `Open<E>` (any text) or `E` (its wire values only).
struct Text<T>(PhantomData<T>);

trait FromText: Sized {
    fn from_text<Err: de::Error>(text: &str) -> Result<Self, Err>;
}

impl<E: WireEnum> FromText for Open<E> {
    fn from_text<Err: de::Error>(text: &str) -> Result<Self, Err> {
        Ok(Self::from_wire(text))
    }
}

/// A closed enum read from its wire value (generated code only).
struct Closed<E>(E);

impl<E: WireEnum> FromText for Closed<E> {
    fn from_text<Err: de::Error>(text: &str) -> Result<Self, Err> {
        E::from_wire(text)
            .map(Closed)
            .ok_or_else(|| de::Error::unknown_variant(text, E::WIRE))
    }
}

impl<T: FromText> Visitor<'_> for Text<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<Err: de::Error>(self, text: &str) -> Result<T, Err> {
        T::from_text(text)
    }
}

/// `E`'s `Deserialize` (generated code only): one of its wire values.
pub fn deserialize_enum<'de, E: WireEnum, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<E, D::Error> {
    deserializer
        .deserialize_str(Text::<Closed<E>>(PhantomData))
        .map(|Closed(known)| known)
}

/// `E`'s `FromStr` (generated code only).
pub fn parse_enum<E: WireEnum>(text: &str) -> Result<E, UnknownVariant> {
    E::from_wire(text).ok_or_else(|| UnknownVariant::new::<E>(text))
}

/// Everything a generated string enum has besides its definition (generated code
/// only): `ALL` and `as_str`, its [`WireEnum`] impl, `FromStr`, `Display`,
/// `AsRef<str>` and serde, from its variants and their wire values in the spec's order
/// (`wire_enum!(Color; Red = "red", Green = "green")`). Written once here instead of
/// once per enum.
#[doc(hidden)]
#[macro_export]
macro_rules! __wire_enum {
    ($(#[$attr:meta])* $name:ident; $($variant:ident = $wire:literal),* $(,)?) => {
        $(#[$attr])*
        impl $name {
            /// Every variant, in the spec's order.
            pub const ALL: &'static [Self] = <Self as $crate::WireEnum>::ALL;

            /// The wire value.
            #[inline]
            pub fn as_str(&self) -> &'static str {
                match *self {
                    $(Self::$variant => $wire,)*
                }
            }
        }

        $(#[$attr])*
        impl $crate::WireEnum for $name {
            const NAME: &'static str = ::std::stringify!($name);
            const ALL: &'static [Self] = &[$(Self::$variant),*];
            const WIRE: &'static [&'static str] = &[$($wire),*];

            #[inline]
            fn as_str(&self) -> &'static str {
                Self::as_str(self)
            }
        }

        $(#[$attr])*
        impl ::std::str::FromStr for $name {
            type Err = $crate::UnknownVariant;

            #[inline]
            fn from_str(text: &str) -> ::std::result::Result<Self, $crate::UnknownVariant> {
                $crate::__private::parse_enum(text)
            }
        }

        $(#[$attr])*
        impl ::std::fmt::Display for $name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        $(#[$attr])*
        impl ::std::convert::AsRef<str> for $name {
            #[inline]
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        $(#[$attr])*
        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        $(#[$attr])*
        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::__private::deserialize_enum(deserializer)
            }
        }
    };
}

/// Everything a generated integer enum has besides its definition (generated code
/// only): `as_i64`, `Display`, `From<i64>` and serde, from its variants and their
/// values (`int_enum!(Level; V0 = 0i64, V1 = 1i64)`). The enum is open: its last
/// variant is `Unknown(i64)`, which keeps a value newer than the spec and sends it back
/// as it is. Written once here instead of once per enum.
#[doc(hidden)]
#[macro_export]
macro_rules! __int_enum {
    ($(#[$attr:meta])* $name:ident; $($variant:ident = $value:literal),* $(,)?) => {
        $(#[$attr])*
        impl $name {
            /// The wire value.
            #[inline]
            pub fn as_i64(&self) -> i64 {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(value) => *value,
                }
            }
        }

        $(#[$attr])*
        impl ::std::fmt::Display for $name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.as_i64(), f)
            }
        }

        $(#[$attr])*
        impl ::std::convert::From<i64> for $name {
            #[inline]
            fn from(value: i64) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    other => Self::Unknown(other),
                }
            }
        }

        $(#[$attr])*
        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.as_i64())
            }
        }

        // Open: `Unknown` holds a value newer than this spec (typically one the server
        // sent) and is sent back as it is, so a server adding a value never breaks a
        // read-modify-write round trip.
        $(#[$attr])*
        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <i64 as $crate::__private::serde::Deserialize>::deserialize(deserializer)
                    .map(Self::from)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    enum Color {
        Red,
        Green,
    }

    impl WireEnum for Color {
        const NAME: &'static str = "Color";
        const ALL: &'static [Self] = &[Self::Red, Self::Green];
        const WIRE: &'static [&'static str] = &["red", "green"];
        fn as_str(&self) -> &'static str {
            Self::WIRE[*self as usize]
        }
    }

    #[test]
    fn open_values_keep_unknown_text_and_compare_by_wire_value() {
        let values: Vec<Open<Color>> = serde_json::from_str(r#"["green","teal"]"#).unwrap();
        assert_eq!(values[0], Open::Known(Color::Green));
        assert!(values[0] == Color::Green);
        assert_eq!(values[1], Open::Unknown("teal".into()));
        assert_eq!(
            serde_json::to_string(&values).unwrap(),
            r#"["green","teal"]"#
        );
        assert_eq!(
            Open::<Color>::Unknown("red".into()).known(),
            Some(Color::Red)
        );
        let set: HashSet<Open<Color>> = [Open::Unknown("red".into()), Color::Red.into()].into();
        assert_eq!(set.len(), 1);
        assert_eq!(format!("{:>6}", values[1]), "  teal");
    }

    #[test]
    fn closed_enums_refuse_text_they_do_not_know() {
        let err = parse_enum::<Color>("gren").unwrap_err();
        assert_eq!(err.value(), "gren");
        assert_eq!(err.enum_name(), "Color");
        assert_eq!(
            err.to_string(),
            "`gren` is not a value of `Color` (one of `red`, `green`)"
        );
        assert_eq!(parse_enum::<Color>("red"), Ok(Color::Red));
        let mut json = serde_json::Deserializer::from_str(r#""teal""#);
        let err = deserialize_enum::<Color, _>(&mut json).unwrap_err();
        assert!(err.to_string().contains("unknown variant `teal`"), "{err}");
    }
}
