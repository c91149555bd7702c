//! Helpers for generated `oneOf`/`anyOf` enums.
//!
//! Unions read the value as JSON first, then pick the member: by the
//! discriminator property when the spec gives one, else the first member that
//! accepts the value. A value no member accepts is kept in the enum's
//! `Unknown` variant instead of failing, so a server adding a variant never
//! breaks old clients.

use serde::de::DeserializeOwned;
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// Read a union's value and its discriminator (when it is a string).
pub fn tagged<'de, D: Deserializer<'de>>(
    deserializer: D,
    property: &str,
) -> Result<(Option<String>, Value), D::Error> {
    let value = Value::deserialize(deserializer)?;
    let tag = value
        .get(property)
        .and_then(Value::as_str)
        .map(str::to_owned);
    Ok((tag, value))
}

/// Decode the member a discriminator selected; its errors are real errors.
pub fn member<T: DeserializeOwned, E: serde::de::Error>(value: Value) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}

/// Try one member of an untagged union: the member and how many of the value's
/// object keys it would drop (0 for an exact fit). Generated code prefers the
/// member that keeps the most, so `{"name": .., "bark": true}` is a `Dog`
/// rather than a `Cat` that happens to accept and ignore `bark`.
pub fn attempt<T: DeserializeOwned + Serialize>(value: &Value) -> Option<(T, usize)> {
    let member = T::deserialize(value).ok()?;
    let loss = match (value, serde_json::to_value(&member)) {
        (Value::Object(sent), Ok(Value::Object(kept))) => {
            sent.keys().filter(|k| !kept.contains_key(*k)).count()
        }
        _ => 0,
    };
    Some((member, loss))
}

/// The member an untagged union's value decodes into: each [`or`](Self::or) tries
/// one member in the spec's order and keeps it if it drops fewer of the value's keys
/// than the best so far; after an exact fit nothing more is tried; [`or_else`](Self::or_else)
/// gives the best, or the value kept as it is when no member fits. One chained call in
/// generated code instead of a block per member.
pub struct Pick<U> {
    value: Value,
    best: Option<(usize, U)>,
}

impl<U> Pick<U> {
    /// Starts with the union's value, read as JSON.
    #[inline]
    pub fn new(value: Value) -> Self {
        Self { value, best: None }
    }

    /// Tries the member `T`, wrapped by `variant`.
    #[inline]
    pub fn or<T: DeserializeOwned + Serialize>(mut self, variant: fn(T) -> U) -> Self {
        if matches!(self.best, Some((0, _))) {
            return self;
        }
        if let Some((member, loss)) = attempt(&self.value)
            && self.best.as_ref().is_none_or(|(least, _)| loss < *least)
        {
            self.best = Some((loss, variant(member)));
        }
        self
    }

    /// The best member, or `unknown` of the value when none fits.
    #[inline]
    pub fn or_else(self, unknown: fn(Value) -> U) -> U {
        match self.best {
            Some((_, member)) => member,
            None => unknown(self.value),
        }
    }
}

/// Read a union's value as JSON.
pub fn value<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
    Value::deserialize(deserializer)
}

/// Serialize a member of a discriminated union, adding the discriminator
/// property when the member's own fields do not carry it.
pub fn serialize_tagged<T: Serialize, S: Serializer>(
    value: &T,
    property: &str,
    tag: &str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match serde_json::to_value(value).map_err(S::Error::custom)? {
        Value::Object(fields) if !fields.contains_key(property) => {
            // The tag goes first, where readers of the JSON look for it.
            let mut tagged = serde_json::Map::new();
            tagged.insert(property.to_owned(), Value::String(tag.to_owned()));
            tagged.extend(fields);
            tagged.serialize(serializer)
        }
        other => other.serialize(serializer),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Cat {
        lives: u8,
    }

    #[test]
    fn tag_is_added_once() {
        let mut out = Vec::new();
        let mut ser = serde_json::Serializer::new(&mut out);
        serialize_tagged(&Cat { lives: 9 }, "kind", "cat", &mut ser).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"kind":"cat","lives":9}"#
        );
        let (tag, value) = tagged(&serde_json::json!({"kind": "cat", "lives": 9}), "kind").unwrap();
        assert_eq!(tag.as_deref(), Some("cat"));
        assert_eq!(
            member::<Cat, serde_json::Error>(value).unwrap(),
            Cat { lives: 9 }
        );
        assert_eq!(attempt::<Cat>(&serde_json::json!("x")), None);
        assert_eq!(
            attempt::<Cat>(&serde_json::json!({"lives": 1, "bark": true})),
            Some((Cat { lives: 1 }, 1))
        );
    }
}
