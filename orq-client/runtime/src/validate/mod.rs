//! Client-side validation of request models against their schema constraints.
//!
//! Generated models implement [`Validate`]; generated operations call
//! [`Validate::validate`] before anything is sent, and a failure becomes
//! [`Error::InvalidRequest`](crate::Error::InvalidRequest) listing every
//! violation at once. The impls of the runtime's own value types live beside
//! each type (`values/`).

pub mod check;
pub(crate) mod violation;

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

use crate::validate::violation::{ValidationError, Violation};

/// A value whose schema constraints can be checked before a request is sent.
pub trait Validate {
    /// Appends every violation found in `self` to `out`, with paths below `path`.
    fn validate_at(&self, path: &str, out: &mut Vec<Violation>);

    /// Checks `self` as a whole; all violations are reported together.
    fn validate(&self) -> Result<(), ValidationError> {
        let mut out = Vec::new();
        self.validate_at("", &mut out);
        if out.is_empty() {
            Ok(())
        } else {
            Err(ValidationError::new(out))
        }
    }
}

/// Types without constraints of their own: their checks, if any, are made by
/// the field that holds them (`check::length`, `check::integer`...).
macro_rules! no_constraints {
    ($($ty:ty),* $(,)?) => {
        $(impl Validate for $ty {
            fn validate_at(&self, _path: &str, _out: &mut Vec<Violation>) {}
        })*
    };
}

no_constraints!(
    bool,
    char,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    f32,
    f64,
    String,
    str,
    (),
    bytes::Bytes,
    url::Url,
    serde_json::Value,
    serde_json::Map<String, serde_json::Value>,
    chrono::NaiveDate,
    chrono::NaiveDateTime,
    chrono::NaiveTime,
    uuid::Uuid,
);

impl<Tz: chrono::TimeZone> Validate for chrono::DateTime<Tz> {
    fn validate_at(&self, _path: &str, _out: &mut Vec<Violation>) {}
}

impl<T: Validate + ?Sized> Validate for &T {
    fn validate_at(&self, path: &str, out: &mut Vec<Violation>) {
        (**self).validate_at(path, out);
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate_at(&self, path: &str, out: &mut Vec<Violation>) {
        (**self).validate_at(path, out);
    }
}

impl<T: Validate + ?Sized> Validate for std::sync::Arc<T> {
    fn validate_at(&self, path: &str, out: &mut Vec<Violation>) {
        (**self).validate_at(path, out);
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_at(&self, path: &str, out: &mut Vec<Violation>) {
        if let Some(value) = self {
            value.validate_at(path, out);
        }
    }
}

impl<T: Validate> Validate for [T] {
    fn validate_at(&self, path: &str, out: &mut Vec<Violation>) {
        for (index, item) in self.iter().enumerate() {
            item.validate_at(&check::index(path, index), out);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_at(&self, path: &str, out: &mut Vec<Violation>) {
        self.as_slice().validate_at(path, out);
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate_at(&self, path: &str, out: &mut Vec<Violation>) {
        for (key, value) in self {
            value.validate_at(&check::join(path, key), out);
        }
    }
}

impl<T: Validate, S: BuildHasher> Validate for HashMap<String, T, S> {
    fn validate_at(&self, path: &str, out: &mut Vec<Violation>) {
        // Sorted so that the reported order does not depend on hashing.
        let mut entries: Vec<_> = self.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        for (key, value) in entries {
            value.validate_at(&check::join(path, key), out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::check::length;

    struct Tag(String);

    impl Validate for Tag {
        fn validate_at(&self, path: &str, out: &mut Vec<Violation>) {
            length(out, path, &self.0, None, Some(3));
        }
    }

    #[test]
    fn containers_delegate_with_paths() {
        let tags = vec![Tag("ok".into()), Tag("too long".into())];
        let mut out = Vec::new();
        tags.validate_at("tags", &mut out);
        assert_eq!(
            out[0].to_string(),
            "tags[1]: must be at most 3 characters (got 8)"
        );

        let map: HashMap<String, Tag> = [
            ("b".to_owned(), Tag("long".into())),
            ("a".to_owned(), Tag("long".into())),
        ]
        .into();
        let error = map.validate().unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid request (2 problems): a: must be at most 3 characters (got 4); b: must be at most 3 characters (got 4)"
        );

        assert_eq!(
            Violation::missing("contact.id").to_string(),
            "contact.id: is required but was not set"
        );
    }
}
