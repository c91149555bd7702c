//! The serde impls of generated structs (generated code only): [`wire_struct!`] writes
//! them from one line per field, and everything that does not depend on the struct is
//! here, compiled once.
//!
//! What `#[derive(Serialize, Deserialize)]` would write per struct (a field enum with its
//! own visitor and `Deserialize`, a `visit_seq`, a duplicate check and a missing-field
//! branch per field) is what rustc spends most of a large SDK's time on; a generated
//! struct's impls are now a loop over [`next_key`] and one [`slot`] call per field,
//! with the same behaviour:
//!
//! - keys are matched exactly against the JSON names (borrowed or not: an escaped key is
//!   a key like any other), unknown keys are skipped, a key seen twice is an error
//!   (`duplicate field `name``);
//! - a required field that is missing is what serde makes of it: `None` for an `Option`
//!   (a required, nullable field), otherwise the error `missing field `name``
//!   ([`take`]); an optional one is its `Default` (`None`, `Unset`, `null`);
//! - an optional field is left out when it has nothing to send (`None`, `Unset`), and a
//!   `readOnly` one also while a request is written (see `read_only`);
//! - the struct is read with `deserialize_struct` and written with `serialize_struct`
//!   under its Rust name, so formats see what the derive showed them (serde_json, forms,
//!   `serde_json::Value`), and serde_json adds the position to every error as before.
//!
//! Unlike the derive, a struct is not read from a sequence (`[1, "a"]` in field order):
//! no API sends one for an object schema, and an untagged union must not take an array
//! for one of its object members.
//!
//! [`wire_struct!`]: crate::__wire_struct

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

/// A generated struct's side of its `Deserialize` impl: its JSON field names and how it
/// reads its fields from a map.
pub trait WireStruct: Sized {
    /// The struct's Rust name, as serde's derive names it (`expecting`, formats).
    const NAME: &'static str;
    /// The JSON name of each field, in declaration order.
    const FIELDS: &'static [&'static str];

    /// Reads the fields from `map`: [`next_key`] says which field a key is, [`slot`]
    /// reads its value, [`skip`] ignores an unknown one, [`take`] finishes a required one.
    fn visit_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// `T`'s `Deserialize`: a struct (a map) named `T::NAME` with the fields `T::FIELDS`.
#[inline]
pub fn deserialize_struct<'de, T: WireStruct, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_struct(T::NAME, T::FIELDS, StructVisitor(PhantomData))
}

struct StructVisitor<T>(PhantomData<T>);

impl<'de, T: WireStruct> Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::visit_map(map)
    }
}

/// The next key of `T`'s map as the index of its field in `T::FIELDS`, `T::FIELDS.len()`
/// for a key the struct does not have, `None` at the end.
#[inline]
pub fn next_key<'de, T: WireStruct, A: MapAccess<'de>>(
    map: &mut A,
) -> Result<Option<usize>, A::Error> {
    map.next_key_seed(FieldIndex::<T>(PhantomData))
}

/// A key of `T`'s map read as a field's index: the key's text searched in `T::FIELDS`,
/// with no allocation whether the format lends the text or not. As with serde's derive,
/// a format that writes fields by number (`u64`) names the field at that index. One type
/// per struct, so that an optimized build compares keys with the struct's names as
/// constants, as the derive's `match` did.
struct FieldIndex<T>(PhantomData<T>);

impl<T: WireStruct> FieldIndex<T> {
    #[inline]
    fn find(key: &[u8]) -> usize {
        T::FIELDS
            .iter()
            .position(|name| name.as_bytes() == key)
            .unwrap_or(T::FIELDS.len())
    }
}

impl<'de, T: WireStruct> DeserializeSeed<'de> for FieldIndex<T> {
    type Value = usize;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<T: WireStruct> Visitor<'_> for FieldIndex<T> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_u64<E: de::Error>(self, index: u64) -> Result<usize, E> {
        let len = T::FIELDS.len();
        Ok(usize::try_from(index).map_or(len, |index| index.min(len)))
    }

    #[inline]
    fn visit_str<E: de::Error>(self, key: &str) -> Result<usize, E> {
        Ok(Self::find(key.as_bytes()))
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<usize, E> {
        Ok(Self::find(key))
    }
}

/// Reads the value of the field `name` into `slot`: an error if the map already gave it.
#[inline]
pub fn slot<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Skips the value of a key the struct does not have.
#[inline]
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|IgnoredAny| ())
}

/// A required field's value: the one read, or what serde makes of a missing field
/// ([`missing`]).
#[inline]
pub fn take<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    slot: Option<T>,
    name: &'static str,
) -> Result<T, A::Error> {
    match slot {
        Some(value) => Ok(value),
        None => missing(name),
    }
}

/// What serde's derive makes of the missing field `name`: a type that reads `null` as a
/// value (`Option`) reads it as absent, any other is the error `missing field `name``.
pub fn missing<'de, T: Deserialize<'de>, E: de::Error>(name: &'static str) -> Result<T, E> {
    T::deserialize(Missing(name, PhantomData))
}

/// A field that is not there, seen as a deserializer: `None` to whatever asks for an
/// option, `missing field` to anything else.
struct Missing<E>(&'static str, PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(de::Error::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// A struct being written (`serialize_struct`), one field after the other: each field
/// is written, or left out when it says so. The first error stops the writing and is
/// what [`end`](Self::end) returns, so a generated impl is one call per field with no
/// `?` after each (one less branch and return path per field for rustc to check).
pub struct Fields<S: Serializer> {
    state: Result<S::SerializeStruct, S::Error>,
}

impl<S: Serializer> Fields<S> {
    /// Starts the struct `name`, whose fields are left out where `skip` (the fields'
    /// flags, in order) says so.
    #[inline]
    pub fn new(serializer: S, name: &'static str, skip: &[bool]) -> Self {
        let len = skip.iter().filter(|skip| !**skip).count();
        Self {
            state: serializer.serialize_struct(name, len),
        }
    }

    /// The next field: `value` under the JSON name `name`, or left out (`skip`).
    #[inline(always)]
    pub fn field<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T, skip: bool) {
        if let Ok(state) = &mut self.state {
            let written = if skip {
                state.skip_field(name)
            } else {
                state.serialize_field(name, value)
            };
            if let Err(error) = written {
                self.state = Err(error);
            }
        }
    }

    /// Ends the struct, or gives the first error.
    #[inline]
    pub fn end(self) -> Result<S::Ok, S::Error> {
        self.state?.end()
    }
}

/// The serde impls of a generated struct (generated code only), from one entry per
/// field in declaration order: its index, JSON name and Rust name, then what to do
/// when it is absent or has nothing to send:
///
/// - nothing: required; a missing one is serde's (`None` for an `Option`, otherwise the
///   error `missing field`);
/// - `default`: required, but a missing one reads as its `Default` (any JSON: `null`);
/// - `opt`: an `Option`, `None` when missing, left out when `None`;
/// - `unset`: an `OptionalNullable`, `Unset` when missing, left out when `Unset`;
/// - `ro_opt`, `ro_unset`: the same for a `readOnly` field, also left out while a
///   request is written.
///
/// `wire_struct!(Pet; 0 "name" name, 1 "petType" pet_type opt, 2 "id" id ro_opt)`.
/// Written once here instead of `#[derive(Serialize, Deserialize)]` per struct.
#[doc(hidden)]
#[macro_export]
macro_rules! __wire_struct {
    ($(#[$attr:meta])* $name:ident; $($index:literal $json:literal $field:ident $($kind:ident)?),* $(,)?) => {
        $(#[$attr])*
        impl $crate::__private::WireStruct for $name {
            const NAME: &'static str = ::std::stringify!($name);
            const FIELDS: &'static [&'static str] = &[$($json),*];

            #[inline]
            fn visit_map<'de, A: $crate::__private::serde::de::MapAccess<'de>>(
                mut map: A,
            ) -> ::std::result::Result<Self, A::Error> {
                $(let mut $field = ::std::option::Option::None;)*
                while let ::std::option::Option::Some(index) =
                    $crate::__private::fields::next_key::<Self, _>(&mut map)?
                {
                    match index {
                        $($index => $crate::__private::fields::slot(&mut map, &mut $field, $json),)*
                        _ => $crate::__private::fields::skip(&mut map),
                    }?;
                }
                ::std::result::Result::Ok(Self {
                    $($field: $crate::__wire_struct!(@take A $field $json $($kind)?),)*
                })
            }
        }

        $(#[$attr])*
        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            #[inline]
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::__private::fields::deserialize_struct(deserializer)
            }
        }

        $(#[$attr])*
        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                let skip: &[bool] = &[$($crate::__wire_struct!(@skip $($kind)? self.$field)),*];
                #[allow(unused_mut)]
                let mut fields =
                    $crate::__private::fields::Fields::new(serializer, ::std::stringify!($name), skip);
                $(fields.field($json, &self.$field, skip[$index]);)*
                fields.end()
            }
        }
    };
    (@take $map:ident $field:ident $json:literal) => {
        $crate::__private::fields::take::<$map, _>($field, $json)?
    };
    (@take $map:ident $field:ident $json:literal $kind:ident) => {
        $field.unwrap_or_default()
    };
    (@skip opt $value:expr) => { ::std::option::Option::is_none(&$value) };
    (@skip unset $value:expr) => { $crate::OptionalNullable::is_unset(&$value) };
    (@skip ro_opt $value:expr) => { $crate::__private::read_only::none(&$value) };
    (@skip ro_unset $value:expr) => { $crate::__private::read_only::unset(&$value) };
    (@skip default $value:expr) => { false };
    (@skip $value:expr) => { false };
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use serde::de::value::{
        BytesDeserializer, Error as ValueError, StrDeserializer, U64Deserializer,
    };
    use serde_json::Value;

    use super::*;
    use crate::values::optional::OptionalNullable;
    use crate::values::read_only::writing_request;

    /// Every shape of field a generated struct has, through `wire_struct!`.
    #[derive(Clone, Debug, PartialEq)]
    struct Shapes {
        name: String,
        display_name: String,
        r#type: String,
        note: Option<String>,
        payload: Value,
        count: Option<i64>,
        label: OptionalNullable<String>,
        id: Option<u32>,
        seen: OptionalNullable<bool>,
        tags: Option<Vec<String>>,
    }

    crate::__wire_struct!(Shapes;
        0 "name" name, 1 "displayName" display_name, 2 "type" r#type, 3 "note" note,
        4 "payload" payload default, 5 "count" count opt, 6 "label" label unset,
        7 "id" id ro_opt, 8 "seen" seen ro_unset, 9 "tags" tags opt);

    /// The same struct as serde's derive writes it (what the generator wrote before),
    /// under the same name.
    mod derived {
        use serde_json::Value;

        use crate::values::optional::OptionalNullable;

        #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        pub(super) struct Shapes {
            name: String,
            #[serde(rename = "displayName")]
            display_name: String,
            #[serde(rename = "type")]
            r#type: String,
            note: Option<String>,
            #[serde(default)]
            payload: Value,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            count: Option<i64>,
            #[serde(default, skip_serializing_if = "OptionalNullable::is_unset")]
            label: OptionalNullable<String>,
            #[serde(default, skip_serializing_if = "crate::values::read_only::none")]
            id: Option<u32>,
            #[serde(default, skip_serializing_if = "crate::values::read_only::unset")]
            seen: OptionalNullable<bool>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            tags: Option<Vec<String>>,
        }
    }
    use derived::Shapes as Derived;

    /// An empty struct: any object, nothing written.
    #[derive(Debug, PartialEq)]
    struct Empty {}

    crate::__wire_struct!(Empty;);

    /// What a JSON text reads as (the value written back, or the error's text).
    fn read<T: for<'de> Deserialize<'de> + Serialize>(text: &str) -> Result<String, String> {
        serde_json::from_str::<T>(text)
            .map(|value| serde_json::to_string(&value).unwrap())
            .map_err(|err| err.to_string())
    }

    /// The same input reads the same through both structs: the same value written back,
    /// or the same error (kind, text and position), from JSON text and from a `Value`.
    fn same_as_derive(text: &str) -> Result<String, String> {
        let ours = read::<Shapes>(text);
        assert_eq!(ours, read::<Derived>(text), "{text}");
        if let Ok(value) = serde_json::from_str::<Value>(text) {
            let ours = serde_json::from_value::<Shapes>(value.clone()).map_err(|e| e.to_string());
            let derived = serde_json::from_value::<Derived>(value).map_err(|e| e.to_string());
            assert_eq!(
                ours.map(|v| serde_json::to_value(v).unwrap()),
                derived.map(|v| serde_json::to_value(v).unwrap()),
                "{text}"
            );
        }
        ours
    }

    const FULL: &str = r#"{"name":"a","displayName":"A","type":"t","note":"n","payload":{"k":[1]},
        "count":3,"label":"l","id":7,"seen":true,"tags":["x","y"]}"#;

    #[test]
    fn values_and_errors_are_the_derives() {
        assert_eq!(
            same_as_derive(FULL).unwrap(),
            r#"{"name":"a","displayName":"A","type":"t","note":"n","payload":{"k":[1]},"count":3,"label":"l","id":7,"seen":true,"tags":["x","y"]}"#
        );
        // Absent: required nullable `None`, any JSON `null`, optional ones left out.
        assert_eq!(
            same_as_derive(r#"{"name":"a","displayName":"A","type":"t"}"#).unwrap(),
            r#"{"name":"a","displayName":"A","type":"t","note":null,"payload":null}"#
        );
        // `null` for an optional nullable one is kept apart from absent.
        assert_eq!(
            same_as_derive(r#"{"name":"a","displayName":"A","type":"t","label":null,"seen":null}"#)
                .unwrap(),
            r#"{"name":"a","displayName":"A","type":"t","note":null,"payload":null,"label":null,"seen":null}"#
        );
        // Unknown keys skipped, whatever they hold; an escaped key is its text.
        assert_eq!(
            same_as_derive(
                r#"{"extra":{"deep":[1,{"x":null}]},"na\u006de":"a","displayName":"A","type":"t","Name":1}"#
            )
            .unwrap(),
            r#"{"name":"a","displayName":"A","type":"t","note":null,"payload":null}"#
        );
        let errors = [
            (
                r#"{"displayName":"A","type":"t"}"#,
                "missing field `name` at line 1 column 30",
            ),
            (
                "{\n  \"name\": \"a\",\n  \"type\": \"t\"\n}",
                "missing field `displayName` at line 4 column 1",
            ),
            (
                r#"{"name":"a","name":"b","displayName":"A","type":"t"}"#,
                "duplicate field `name` at line 1 column 18",
            ),
            (
                r#"{"name":"a","displayName":"A","type":"t","count":1,"count":null}"#,
                "duplicate field `count` at line 1 column 58",
            ),
            (
                r#"{"name":7,"displayName":"A","type":"t"}"#,
                "invalid type: integer `7`, expected a string at line 1 column 9",
            ),
            (
                r#"{"name":"a","displayName":"A","type":"t","count":"3"}"#,
                "invalid type: string \"3\", expected i64 at line 1 column 52",
            ),
            (
                r#""text""#,
                "invalid type: string \"text\", expected struct Shapes at line 1 column 6",
            ),
            (
                "null",
                "invalid type: null, expected struct Shapes at line 1 column 4",
            ),
            (
                r#"{"name":"a""#,
                "EOF while parsing an object at line 1 column 11",
            ),
            (r#"{"name":"a",}"#, "trailing comma at line 1 column 13"),
        ];
        for (text, message) in errors {
            assert_eq!(same_as_derive(text), Err(message.to_owned()), "{text}");
        }
    }

    #[test]
    fn a_sequence_is_not_a_struct() {
        // The derive reads `[..]` as the fields in order; no API sends one, and an
        // untagged union must not take an array for one of its object members.
        let text = r#"["a","A","t",null,null]"#;
        assert!(serde_json::from_str::<Derived>(text).is_ok());
        assert_eq!(
            read::<Shapes>(text),
            Err("invalid type: sequence, expected struct Shapes at line 1 column 1".to_owned())
        );
    }

    #[test]
    fn read_only_fields_are_left_out_of_requests_only() {
        let ours: Shapes = serde_json::from_str(FULL).unwrap();
        let derived: Derived = serde_json::from_str(FULL).unwrap();
        let request = writing_request(|| serde_json::to_string(&ours)).unwrap();
        assert_eq!(
            request,
            writing_request(|| serde_json::to_string(&derived)).unwrap()
        );
        assert!(
            !request.contains("\"id\"") && !request.contains("\"seen\""),
            "{request}"
        );
        assert_eq!(
            serde_json::to_string(&ours).unwrap(),
            serde_json::to_string(&derived).unwrap()
        );
    }

    #[test]
    fn other_formats_see_what_the_derive_showed_them() {
        // serde_urlencoded: `serialize_struct`'s fields and `skip_field`, and keys and
        // values read from a form.
        #[derive(Debug, PartialEq)]
        struct Form {
            grant_type: String,
            scope: Option<String>,
            tries: Option<u8>,
        }
        crate::__wire_struct!(Form; 0 "grant_type" grant_type, 1 "scope" scope opt, 2 "tries" tries opt);
        #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        struct DerivedForm {
            grant_type: String,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            scope: Option<String>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            tries: Option<u8>,
        }
        for text in [
            "grant_type=client&scope=read+write&tries=2",
            "tries=2&grant_type=x&other=1",
            "scope=a",
            "grant_type=a&grant_type=b",
            "grant_type=a&tries=many",
        ] {
            let ours = serde_urlencoded::from_str::<Form>(text)
                .map(|form| serde_urlencoded::to_string(&form).unwrap())
                .map_err(|e| e.to_string());
            let derived = serde_urlencoded::from_str::<DerivedForm>(text)
                .map(|form| serde_urlencoded::to_string(&form).unwrap())
                .map_err(|e| e.to_string());
            assert_eq!(ours, derived, "{text}");
        }
        // An empty struct reads any object and writes `{}`.
        assert_eq!(
            serde_json::from_str::<Empty>(r#"{"a":1}"#).unwrap(),
            Empty {}
        );
        assert_eq!(serde_json::to_string(&Empty {}).unwrap(), "{}");
        assert!(serde_json::from_str::<Empty>("[]").is_err());
    }

    #[test]
    fn fields_may_have_the_names_the_macro_uses() {
        // The macro's own locals are hygienic: fields named like them are fields.
        #[derive(Debug, PartialEq)]
        struct Names {
            map: u8,
            index: u8,
            skip: Option<u8>,
            fields: u8,
            serializer: u8,
            deserializer: u8,
            value: OptionalNullable<u8>,
        }
        crate::__wire_struct!(Names; 0 "map" map, 1 "index" index, 2 "skip" skip opt,
            3 "fields" fields, 4 "serializer" serializer, 5 "deserializer" deserializer,
            6 "value" value unset);
        let text = r#"{"map":1,"index":2,"skip":3,"fields":4,"serializer":5,"deserializer":6,"value":null}"#;
        let names: Names = serde_json::from_str(text).unwrap();
        assert_eq!((names.map, names.index, names.skip), (1, 2, Some(3)));
        assert_eq!(names.value, OptionalNullable::Null);
        assert_eq!(serde_json::to_string(&names).unwrap(), text);
    }

    #[test]
    fn keys_are_found_by_text_bytes_or_index() {
        struct Pair {
            a: u8,
            bb: u8,
        }
        crate::__wire_struct!(Pair; 0 "a" a, 1 "bb" bb);
        let seed = || FieldIndex::<Pair>(PhantomData);
        assert_eq!(
            seed().deserialize(StrDeserializer::<ValueError>::new("bb")),
            Ok(1)
        );
        assert_eq!(
            seed().deserialize(StrDeserializer::<ValueError>::new("b")),
            Ok(2)
        );
        assert_eq!(
            seed().deserialize(BytesDeserializer::<ValueError>::new(b"a")),
            Ok(0)
        );
        assert_eq!(
            seed().deserialize(U64Deserializer::<ValueError>::new(1)),
            Ok(1)
        );
        assert_eq!(
            seed().deserialize(U64Deserializer::<ValueError>::new(u64::MAX)),
            Ok(2)
        );
        let pair: Pair = serde_json::from_str(r#"{"bb":2,"a":1}"#).unwrap();
        assert_eq!((pair.a, pair.bb), (1, 2));
    }

    #[test]
    fn a_missing_field_is_what_serde_makes_of_it() {
        assert_eq!(missing::<Option<u8>, ValueError>("x"), Ok(None));
        assert_eq!(
            missing::<u8, ValueError>("x").unwrap_err().to_string(),
            "missing field `x`"
        );
        assert_eq!(
            missing::<Value, ValueError>("x").unwrap_err().to_string(),
            "missing field `x`"
        );
    }

    /// A value that fails to serialize, and one that counts its calls.
    struct Fails;
    impl Serialize for Fails {
        fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("boom"))
        }
    }
    struct Counted<'a>(&'a Cell<u8>);
    impl Serialize for Counted<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            self.0.set(self.0.get() + 1);
            serializer.serialize_u8(1)
        }
    }

    #[test]
    fn the_first_error_stops_the_writing() {
        let calls = Cell::new(0);
        let mut out = Vec::new();
        let mut json = serde_json::Serializer::new(&mut out);
        let mut fields = Fields::new(&mut json, "S", &[false; 3]);
        fields.field("a", &Counted(&calls), false);
        fields.field("b", &Fails, false);
        fields.field("c", &Counted(&calls), false);
        assert_eq!(fields.end().unwrap_err().to_string(), "boom");
        assert_eq!(calls.get(), 1);
        // Skipped fields are not counted: `{}` only when nothing is written.
        let mut out = Vec::new();
        let mut json = serde_json::Serializer::new(&mut out);
        let mut fields = Fields::new(&mut json, "S", &[true, false]);
        fields.field("a", &Counted(&calls), true);
        fields.field("b", &Counted(&calls), false);
        fields.end().unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), r#"{"b":1}"#);
        assert_eq!(calls.get(), 2);
    }
}
