//! Constraint checks called by generated `Validate` impls.
//!
//! Each function appends a [`Violation`] to `out` when its constraint fails;
//! `None` limits are not checked.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use regress::Regex;

use crate::validate::violation::Violation;

/// The path of `field` inside `path`: `join("", "a") == "a"`, `join("a", "b") == "a.b"`.
/// Generated checks make one for every field they look at, violation or not: a field
/// of the top level is borrowed, not copied.
pub fn join<'a>(path: &str, field: &'a str) -> Cow<'a, str> {
    if path.is_empty() {
        Cow::Borrowed(field)
    } else {
        Cow::Owned(format!("{path}.{field}"))
    }
}

/// The path of item `index` inside `path`: `index("tags", 3) == "tags[3]"`.
pub fn index(path: &str, index: usize) -> String {
    format!("{path}[{index}]")
}

/// `format: email`: a light syntax check (something before and after one `@`,
/// no whitespace); the server remains the judge of deliverability.
pub fn email(out: &mut Vec<Violation>, path: &str, value: &str) {
    let valid = value.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && !domain.is_empty() && !domain.contains('@')
    }) && !value.chars().any(char::is_whitespace);
    if !valid {
        out.push(Violation::new(
            path,
            "format",
            format!("must be an email address (got `{value}`)"),
        ));
    }
}

/// `enum` of numbers or booleans: `value` must equal one of `allowed`
/// (JSON texts, e.g. `"1.5"`, `"true"`).
pub fn allowed<T: serde::Serialize + ?Sized>(
    out: &mut Vec<Violation>,
    path: &str,
    value: &T,
    allowed: &[&str],
) {
    let Ok(value) = serde_json::to_value(value) else {
        return;
    };
    let found = allowed.iter().any(|text| {
        serde_json::from_str::<serde_json::Value>(text).is_ok_and(|a| match (&a, &value) {
            (serde_json::Value::Number(a), serde_json::Value::Number(v)) => {
                a.as_f64() == v.as_f64()
            }
            _ => a == value,
        })
    });
    if !found {
        out.push(Violation::new(
            path,
            "enum",
            format!("must be one of {} (got {value})", allowed.join(", ")),
        ));
    }
}

/// `minLength` / `maxLength`, counted in characters (Unicode scalar values).
pub fn length(
    out: &mut Vec<Violation>,
    path: &str,
    value: &str,
    min: Option<u64>,
    max: Option<u64>,
) {
    let len = value.chars().count() as u64;
    if let Some(min) = min.filter(|&min| len < min) {
        let message = format!(
            "must be at least {min} {} (got {len})",
            plural(min, "character")
        );
        out.push(Violation::new(path, "minLength", message));
    }
    if let Some(max) = max.filter(|&max| len > max) {
        let message = format!(
            "must be at most {max} {} (got {len})",
            plural(max, "character")
        );
        out.push(Violation::new(path, "maxLength", message));
    }
}

/// `pattern`: the value must contain a match of the regular expression.
///
/// Patterns are ECMA-262 regular expressions (as JSON Schema says), checked with the
/// `regress` engine: look-around and back-references work. Each pattern is compiled
/// once and cached; one even `regress` cannot compile is skipped with a warning
/// rather than rejecting every request (the generator already said so).
pub fn pattern(out: &mut Vec<Violation>, path: &str, value: &str, pattern: &'static str) {
    let Some(regex) = compiled(pattern) else {
        return;
    };
    if regex.find(value).is_none() {
        out.push(Violation::new(
            path,
            "pattern",
            format!("must match the pattern `{pattern}`"),
        ));
    }
}

fn compiled(pattern: &'static str) -> Option<Arc<Regex>> {
    type Cache = Mutex<HashMap<&'static str, Option<Arc<Regex>>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let mut cache = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    cache
        .entry(pattern)
        // Unicode mode (`\p{L}`) first; without it for the identity escapes (`\-`)
        // that only non-Unicode mode accepts and real specs use.
        .or_insert_with(
            || match Regex::with_flags(pattern, "u").or_else(|_| Regex::new(pattern)) {
                Ok(regex) => Some(Arc::new(regex)),
                Err(error) => {
                    tracing::warn!(pattern, %error, "schema pattern not supported; not checked");
                    None
                }
            },
        )
        .clone()
}

/// `minimum` / `maximum` (optionally exclusive) and `multipleOf` for integers.
#[allow(clippy::too_many_arguments)] // mirrors the JSON Schema keywords one to one
pub fn integer(
    out: &mut Vec<Violation>,
    path: &str,
    value: i64,
    min: Option<i64>,
    exclusive_min: bool,
    max: Option<i64>,
    exclusive_max: bool,
    multiple_of: Option<i64>,
) {
    bounds(out, path, value, min, exclusive_min, max, exclusive_max);
    // Non-positive divisors are not valid JSON Schema and are not
    // checked; `checked_rem` is `None` only for `i64::MIN % -1`.
    let broken = |d: i64| d > 0 && value.checked_rem(d).is_some_and(|rest| rest != 0);
    if let Some(divisor) = multiple_of.filter(|&d| broken(d)) {
        let message = format!("must be a multiple of {divisor} (got {value})");
        out.push(Violation::new(path, "multipleOf", message));
    }
}

/// `minimum` / `maximum` (optionally exclusive) and `multipleOf` for numbers.
#[allow(clippy::too_many_arguments)] // mirrors the JSON Schema keywords one to one
pub fn number(
    out: &mut Vec<Violation>,
    path: &str,
    value: f64,
    min: Option<f64>,
    exclusive_min: bool,
    max: Option<f64>,
    exclusive_max: bool,
    multiple_of: Option<f64>,
) {
    if value.is_nan() {
        out.push(Violation::new(path, "type", "must be a number (got NaN)"));
        return;
    }
    bounds(out, path, value, min, exclusive_min, max, exclusive_max);
    let checkable = |d: f64| d > 0.0 && d.is_finite();
    if let Some(divisor) = multiple_of.filter(|&d| checkable(d) && !is_multiple(value, d)) {
        let message = format!("must be a multiple of {divisor} (got {value})");
        out.push(Violation::new(path, "multipleOf", message));
    }
}

fn is_multiple(value: f64, divisor: f64) -> bool {
    let quotient = value / divisor;
    (quotient - quotient.round()).abs() <= 1e-9 * quotient.abs().max(1.0)
}

fn bounds<T: PartialOrd + std::fmt::Display>(
    out: &mut Vec<Violation>,
    path: &str,
    value: T,
    min: Option<T>,
    exclusive_min: bool,
    max: Option<T>,
    exclusive_max: bool,
) {
    if let Some(min) = min {
        if exclusive_min && value <= min {
            let message = format!("must be greater than {min} (got {value})");
            out.push(Violation::new(path, "exclusiveMinimum", message));
        } else if value < min {
            let message = format!("must be at least {min} (got {value})");
            out.push(Violation::new(path, "minimum", message));
        }
    }
    if let Some(max) = max {
        if exclusive_max && value >= max {
            let message = format!("must be less than {max} (got {value})");
            out.push(Violation::new(path, "exclusiveMaximum", message));
        } else if value > max {
            let message = format!("must be at most {max} (got {value})");
            out.push(Violation::new(path, "maximum", message));
        }
    }
}

/// `minItems` / `maxItems`.
pub fn items(out: &mut Vec<Violation>, path: &str, len: usize, min: Option<u64>, max: Option<u64>) {
    count(
        out,
        path,
        len,
        (min, max),
        ("minItems", "maxItems"),
        ("item", "items"),
    );
}

/// `uniqueItems`: reports the first pair of equal items (equal as JSON).
///
/// Linear in the size of the array: each item is serialized once and
/// looked up in a hash set. Only the first `max_items` items are looked
/// at: a longer array is already a `maxItems` violation, and a huge one
/// must not cost more than the largest valid one.
pub fn unique<T: serde::Serialize>(
    out: &mut Vec<Violation>,
    path: &str,
    items: &[T],
    max_items: Option<u64>,
) {
    let checked = max_items.map_or(items.len(), |max| {
        items.len().min(usize::try_from(max).unwrap_or(usize::MAX))
    });
    let mut seen = HashMap::with_capacity(checked);
    for (second, item) in items[..checked].iter().enumerate() {
        // Serializing generated types cannot fail; a value that does is
        // not checked rather than misreported.
        let Ok(json) = serde_json::to_value(item) else {
            return;
        };
        if let Some(first) = seen.insert(canonical(&json), second) {
            let message = format!("items must be unique (items {first} and {second} are equal)");
            out.push(Violation::new(path, "uniqueItems", message));
            return;
        }
    }
}

/// A JSON text equal for equal JSON values: object keys sorted, numbers
/// compared by value (`1` and `1.0` are equal in JSON Schema).
fn canonical(value: &serde_json::Value) -> String {
    fn write(value: &serde_json::Value, out: &mut String) {
        use serde_json::Value;
        match value {
            Value::Number(n) => match n.as_f64() {
                Some(f) if f.fract() == 0.0 && f.abs() < 9e15 => {
                    out.push_str(&(f as i64).to_string())
                }
                _ => out.push_str(&n.to_string()),
            },
            Value::Array(items) => {
                out.push('[');
                for item in items {
                    write(item, out);
                    out.push(',');
                }
                out.push(']');
            }
            Value::Object(map) => {
                let mut entries: Vec<_> = map.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                out.push('{');
                for (key, item) in entries {
                    out.push_str(&Value::String(key.clone()).to_string());
                    out.push(':');
                    write(item, out);
                    out.push(',');
                }
                out.push('}');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = String::new();
    write(value, &mut out);
    out
}

/// `minProperties` / `maxProperties`.
pub fn properties(
    out: &mut Vec<Violation>,
    path: &str,
    len: usize,
    min: Option<u64>,
    max: Option<u64>,
) {
    count(
        out,
        path,
        len,
        (min, max),
        ("minProperties", "maxProperties"),
        ("property", "properties"),
    );
}

/// A count of items or properties against its bounds: the keywords and the noun
/// (singular, plural) the violations name.
fn count(
    out: &mut Vec<Violation>,
    path: &str,
    len: usize,
    (min, max): (Option<u64>, Option<u64>),
    (min_keyword, max_keyword): (&'static str, &'static str),
    (one, many): (&str, &str),
) {
    let len = len as u64;
    let noun = |n: u64| if n == 1 { one } else { many };
    if let Some(min) = min.filter(|&min| len < min) {
        let message = format!("must have at least {min} {} (got {len})", noun(min));
        out.push(Violation::new(path, min_keyword, message));
    }
    if let Some(max) = max.filter(|&max| len > max) {
        let message = format!("must have at most {max} {} (got {len})", noun(max));
        out.push(Violation::new(path, max_keyword, message));
    }
}

fn plural(count: u64, noun: &str) -> String {
    match count {
        1 => noun.to_owned(),
        _ => format!("{noun}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(f: impl FnOnce(&mut Vec<Violation>)) -> Vec<String> {
        let mut out = Vec::new();
        f(&mut out);
        out.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn join_paths() {
        assert_eq!(join("", "a"), "a");
        assert_eq!(join("a", "b"), "a.b");
        assert_eq!(index("tags", 3), "tags[3]");
    }

    #[test]
    fn length_counts_characters() {
        let long = "x".repeat(130);
        assert_eq!(
            run(|out| length(out, "external_id", &long, None, Some(120))),
            ["external_id: must be at most 120 characters (got 130)"]
        );
        assert_eq!(
            run(|out| length(out, "name", "", Some(1), None)),
            ["name: must be at least 1 character (got 0)"]
        );
        assert!(run(|out| length(out, "name", "ééé", Some(3), Some(3))).is_empty());
    }

    #[test]
    fn pattern_is_checked_and_cached() {
        for _ in 0..2 {
            assert_eq!(
                run(|out| pattern(out, "code", "abc", "^[0-9]+$")),
                ["code: must match the pattern `^[0-9]+$`"]
            );
            assert!(run(|out| pattern(out, "code", "123", "^[0-9]+$")).is_empty());
        }
        // ECMA-262 look-ahead and back-references are checked.
        let not_admin = "^(?!admin$)[a-z]+$";
        assert!(run(|out| pattern(out, "user", "alice", not_admin)).is_empty());
        assert_eq!(
            run(|out| pattern(out, "user", "admin", not_admin)),
            ["user: must match the pattern `^(?!admin$)[a-z]+$`"]
        );
        assert!(run(|out| pattern(out, "pair", "abab", r"^(ab)\1$")).is_empty());
        // What no ECMA-262 engine compiles is skipped, not reported.
        assert!(run(|out| pattern(out, "code", "x", "(")).is_empty());
    }

    #[test]
    fn integer_bounds() {
        assert_eq!(
            run(|out| integer(out, "n", 0, Some(0), true, Some(10), false, None)),
            ["n: must be greater than 0 (got 0)"]
        );
        assert_eq!(
            run(|out| integer(out, "n", 11, Some(0), false, Some(10), false, Some(2))),
            [
                "n: must be at most 10 (got 11)",
                "n: must be a multiple of 2 (got 11)"
            ]
        );
        assert_eq!(
            run(|out| integer(out, "n", 10, None, false, Some(10), true, None)),
            ["n: must be less than 10 (got 10)"]
        );
        assert!(
            run(|out| integer(out, "n", 4, Some(4), false, Some(4), false, Some(2))).is_empty()
        );
        // Never a panic, whatever the divisor.
        for divisor in [-1, 0, i64::MIN, i64::MAX, 1] {
            for value in [i64::MIN, -1, 0, 1, i64::MAX] {
                run(|out| integer(out, "n", value, None, false, None, false, Some(divisor)));
            }
        }
        assert!(
            run(|out| integer(out, "n", i64::MIN, None, false, None, false, Some(2))).is_empty()
        );
    }

    #[test]
    fn number_bounds() {
        assert_eq!(
            run(|out| number(out, "t", 2.5, Some(0.0), false, Some(2.0), false, None)),
            ["t: must be at most 2 (got 2.5)"]
        );
        assert!(run(|out| number(out, "t", 0.3, None, false, None, false, Some(0.1))).is_empty());
        assert_eq!(
            run(|out| number(out, "t", 0.35, None, false, None, false, Some(0.1))).len(),
            1
        );
        assert_eq!(
            run(|out| number(out, "t", f64::NAN, Some(0.0), false, None, false, None)),
            ["t: must be a number (got NaN)"]
        );
    }

    #[test]
    fn collections() {
        assert_eq!(
            run(|out| items(out, "tags", 0, Some(1), Some(3))),
            ["tags: must have at least 1 item (got 0)"]
        );
        assert_eq!(
            run(|out| unique(out, "tags", &["a", "b", "a"], None)),
            ["tags: items must be unique (items 0 and 2 are equal)"]
        );
        let objects = [
            serde_json::json!({"a": 1, "b": [2.0]}),
            serde_json::json!({"b": [2], "a": 1.0}),
        ];
        assert_eq!(run(|out| unique(out, "o", &objects, None)).len(), 1);
        // Past `maxItems` nothing more is looked at.
        assert!(run(|out| unique(out, "tags", &["a", "b", "a"], Some(2))).is_empty());
        assert_eq!(
            run(|out| unique(out, "tags", &["a", "a", "b"], Some(2))).len(),
            1
        );
        assert!(run(|out| unique(out, "n", &[1, 2, 3], None)).is_empty());
        assert_eq!(
            run(|out| properties(out, "meta", 3, None, Some(2))),
            ["meta: must have at most 2 properties (got 3)"]
        );
    }
}
