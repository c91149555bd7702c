//! The JSONPath subset of paging rules (`$`, `.name`, `['name']` / `["name"]`, `[n]`,
//! `[-n]` from the end), read from a page's bytes in one pass: only what the paths name
//! is built (a cursor's text, a count, the items asked for), the rest of the page is
//! skipped without being kept. A page is never parsed into a `serde_json::Value` beside
//! its typed value.

use std::collections::VecDeque;
use std::fmt;
use std::hash::{BuildHasher, Hasher, RandomState};

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

/// One step of a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step<'p> {
    /// `.name`, `['name']`, `["name"]`.
    Key(&'p str),
    /// `[n]`; a negative index counts from the end (`[-1]` is the last item).
    Index(i64),
}

/// The steps of `path`, or `None` when it is not a path of the subset.
pub(crate) fn parse(path: &str) -> Option<Vec<Step<'_>>> {
    let mut rest = path.trim().strip_prefix('$')?;
    let mut steps = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            steps.push(Step::Key(&after[..end]));
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']')?;
            let key = after[..end].trim();
            steps.push(match key.strip_prefix(['\'', '"']) {
                Some(quoted) => Step::Key(quoted.strip_suffix(['\'', '"'])?),
                None => Step::Index(key.parse().ok()?),
            });
            rest = &after[end + 1..];
        } else {
            return None;
        }
    }
    Some(steps)
}

/// What to take from the value a path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Want {
    /// A string, or a number as its text.
    Text,
    /// An integer.
    Integer,
    /// How many items an array holds, and a fingerprint of them.
    Items,
    /// The items of an array, as JSON values.
    Values,
}

/// What a path named, as its [`Want`] asked.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Found {
    Text(String),
    Integer(i64),
    Items { count: usize, fingerprint: u64 },
    Values(Vec<Value>),
}

/// A path and what to take from it.
pub(crate) type Target<'t, 'p> = (&'t [Step<'p>], Want);

/// What each target names in the JSON `body`, in one pass (`None` where a path leads
/// nowhere or to a value of another kind; all `None` when `body` is no JSON).
/// Fingerprints hash the items' text with `hasher`.
pub(crate) fn read(
    body: &[u8],
    targets: &[Target<'_, '_>],
    hasher: &RandomState,
) -> Vec<Option<Found>> {
    let mut found = vec![None; targets.len()];
    let mut json = serde_json::Deserializer::from_slice(body);
    let root = Node {
        targets,
        active: (0..targets.len()).collect(),
        depth: 0,
        found: &mut found,
        hasher,
    };
    if root
        .deserialize(&mut json)
        .and_then(|()| json.end())
        .is_err()
    {
        return vec![None; targets.len()];
    }
    found
}

/// A value of the body that some targets lead through (or end at).
struct Node<'r, 't, 'p> {
    targets: &'r [Target<'t, 'p>],
    /// The targets that lead here; each has `depth` steps behind it.
    active: Vec<usize>,
    depth: usize,
    found: &'r mut [Option<Found>],
    hasher: &'r RandomState,
}

impl<'p> Node<'_, '_, 'p> {
    /// The active targets that end here and want `want`.
    fn ending(&self, want: Want) -> impl Iterator<Item = usize> + '_ {
        self.active.iter().copied().filter(move |&t| {
            let (steps, wants) = self.targets[t];
            steps.len() == self.depth && wants == want
        })
    }

    /// The step each active target takes from here, if it goes on.
    fn next_step(&self, target: usize) -> Option<Step<'p>> {
        self.targets[target].0.get(self.depth).copied()
    }

    fn number(&mut self, text: impl Fn() -> Option<String>, integer: Option<i64>) {
        for t in self.ending(Want::Text).collect::<Vec<_>>() {
            self.found[t] = text().map(Found::Text);
        }
        for t in self.ending(Want::Integer).collect::<Vec<_>>() {
            self.found[t] = integer.map(Found::Integer);
        }
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<(), E> {
        for t in self.ending(Want::Text).collect::<Vec<_>>() {
            self.found[t] = Some(Found::Text(text.to_owned()));
        }
        Ok(())
    }

    fn visit_u64<E: de::Error>(mut self, n: u64) -> Result<(), E> {
        self.number(|| Some(n.to_string()), i64::try_from(n).ok());
        Ok(())
    }

    fn visit_i64<E: de::Error>(mut self, n: i64) -> Result<(), E> {
        self.number(|| Some(n.to_string()), Some(n));
        Ok(())
    }

    fn visit_f64<E: de::Error>(mut self, n: f64) -> Result<(), E> {
        let text = || serde_json::Number::from_f64(n).map(|n| n.to_string());
        self.number(text, None);
        Ok(())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let keyed: Vec<(usize, &str)> = self
            .active
            .iter()
            .filter_map(|&t| match self.next_step(t)? {
                Step::Key(key) => Some((t, key)),
                Step::Index(_) => None,
            })
            .collect();
        while let Some(matched) = map.next_key_seed(KeyMatch(&keyed))? {
            if matched.is_empty() {
                map.next_value::<IgnoredAny>()?;
            } else {
                map.next_value_seed(Node {
                    targets: self.targets,
                    active: matched,
                    depth: self.depth + 1,
                    found: &mut *self.found,
                    hasher: self.hasher,
                })?;
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let counted: Vec<usize> = self.ending(Want::Items).collect();
        let collected: Vec<usize> = self.ending(Want::Values).collect();
        let indexed: Vec<(usize, i64)> = self
            .active
            .iter()
            .filter_map(|&t| match self.next_step(t)? {
                Step::Index(index) => Some((t, index)),
                Step::Key(_) => None,
            })
            .collect();
        if counted.is_empty() && collected.is_empty() && indexed.is_empty() {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(());
        }
        // The items are read as their raw text (borrowed from the body, not copied):
        // hashed, kept as values, or kept while an index may name them.
        let from_end = indexed.iter().map(|&(_, i)| i).filter(|i| *i < 0);
        let keep_last = from_end.map(i64::unsigned_abs).max().unwrap_or(0);
        let keep_last = usize::try_from(keep_last).unwrap_or(usize::MAX);
        let mut last: VecDeque<&'de RawValue> = VecDeque::new();
        let mut picked: Vec<(usize, &'de RawValue)> = Vec::new();
        let mut values = Vec::new();
        let mut hasher = self.hasher.build_hasher();
        let mut count = 0usize;
        while let Some(item) = seq.next_element::<&'de RawValue>()? {
            let text = item.get();
            if !counted.is_empty() {
                hasher.write(text.as_bytes());
                hasher.write_u8(0xff);
            }
            if !collected.is_empty()
                && let Ok(value) = serde_json::from_str::<Value>(text)
            {
                values.push(value);
            }
            for &(t, index) in &indexed {
                if i64::try_from(count).is_ok_and(|at| at == index) {
                    picked.push((t, item));
                }
            }
            if keep_last > 0 {
                if last.len() == keep_last {
                    last.pop_front();
                }
                last.push_back(item);
            }
            count += 1;
        }
        let fingerprint = hasher.finish();
        for t in counted {
            self.found[t] = Some(Found::Items { count, fingerprint });
        }
        if let Some((&first, rest)) = collected.split_first() {
            for &t in rest {
                self.found[t] = Some(Found::Values(values.clone()));
            }
            self.found[first] = Some(Found::Values(values));
        }
        for &(t, index) in indexed.iter().filter(|(_, i)| *i < 0) {
            let back = usize::try_from(index.unsigned_abs()).unwrap_or(usize::MAX);
            if let Some(at) = last.len().checked_sub(back) {
                picked.push((t, last[at]));
            }
        }
        // What a target wants inside the item its index names: a read of that item only.
        for (t, item) in picked {
            let (steps, want) = self.targets[t];
            let tail = [(&steps[self.depth + 1..], want)];
            self.found[t] = read(item.get().as_bytes(), &tail, self.hasher)
                .pop()
                .flatten();
        }
        Ok(())
    }
}

/// A map key: which of the `(target, key)` pairs go on through it.
struct KeyMatch<'k, 'p>(&'k [(usize, &'p str)]);

impl<'de> DeserializeSeed<'de> for KeyMatch<'_, '_> {
    type Value = Vec<usize>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Vec<usize>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyMatch<'_, '_> {
    type Value = Vec<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Vec<usize>, E> {
        Ok(self
            .0
            .iter()
            .filter(|(_, wanted)| *wanted == key)
            .map(|&(t, _)| t)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn one(body: &Value, path: &str, want: Want) -> Option<Found> {
        let steps = parse(path).unwrap();
        let bytes = serde_json::to_vec(body).unwrap();
        read(&bytes, &[(&steps, want)], &RandomState::new())
            .pop()
            .flatten()
    }

    fn text(value: &str) -> Option<Found> {
        Some(Found::Text(value.into()))
    }

    #[test]
    fn paths_parse_into_steps() {
        assert_eq!(parse("$"), Some(vec![]));
        assert_eq!(
            parse(" $.data['next cursor'][\"x\"][-1] "),
            Some(vec![
                Step::Key("data"),
                Step::Key("next cursor"),
                Step::Key("x"),
                Step::Index(-1)
            ])
        );
        assert_eq!(parse("data"), None);
        assert_eq!(parse("$[x]"), None);
        assert_eq!(parse("$.a[0"), None);
    }

    #[test]
    fn the_paths_of_paging_rules_are_followed() {
        let body = json!({"data": {"items": [{"id": "a"}, {"id": "b"}, {"id": "c"}]},
                          "meta": {"next cursor": "c2", "pages": 4, "ratio": 2.5}});
        assert_eq!(
            one(&body, "$['meta'][\"next cursor\"]", Want::Text),
            text("c2")
        );
        assert_eq!(
            one(&body, "$.meta.pages", Want::Integer),
            Some(Found::Integer(4))
        );
        assert_eq!(one(&body, "$.meta.pages", Want::Text), text("4"));
        assert_eq!(one(&body, "$.meta.ratio", Want::Text), text("2.5"));
        assert_eq!(one(&body, "$.meta.ratio", Want::Integer), None);
        assert_eq!(one(&body, "$.data.items[0].id", Want::Text), text("a"));
        assert_eq!(one(&body, "$.data.items[-1].id", Want::Text), text("c"));
        assert_eq!(one(&body, "$.data.items[-3].id", Want::Text), text("a"));
        assert_eq!(one(&body, "$.data.items[-4].id", Want::Text), None);
        assert_eq!(one(&body, "$.data.items[7]", Want::Text), None);
        assert_eq!(one(&body, "$.missing.deeper", Want::Text), None);
        // A value of another kind than wanted is nothing.
        assert_eq!(one(&body, "$.data", Want::Items), None);
        assert_eq!(one(&body, "$.data.items", Want::Text), None);
        assert_eq!(
            one(&body, "$.data.items", Want::Values),
            Some(Found::Values(vec![
                json!({"id": "a"}),
                json!({"id": "b"}),
                json!({"id": "c"})
            ]))
        );
        assert_eq!(
            one(&json!([1, 2]), "$", Want::Values),
            Some(Found::Values(vec![json!(1), json!(2)]))
        );
    }

    #[test]
    fn several_paths_are_read_in_one_pass() {
        let body = br#"{"data": [{"id": 1}, {"id": 2}], "next": "c3", "pad": {"deep": [[[]]]}}"#;
        let (results, next, last) = (
            parse("$.data").unwrap(),
            parse("$.next").unwrap(),
            parse("$.data[-1].id").unwrap(),
        );
        let hasher = RandomState::new();
        let found = read(
            body,
            &[
                (&results, Want::Items),
                (&next, Want::Text),
                (&last, Want::Text),
            ],
            &hasher,
        );
        let Some(Found::Items {
            count: 2,
            fingerprint,
        }) = found[0]
        else {
            panic!("{found:?}");
        };
        assert_eq!(found[1], text("c3"));
        assert_eq!(found[2], text("2"));
        // The same items give the same fingerprint, whatever else the page says.
        let again = br#"{"next": "c4", "data": [{"id": 1}, {"id": 2}]}"#;
        let found = read(again, &[(&results, Want::Items)], &hasher);
        assert_eq!(
            found[0],
            Some(Found::Items {
                count: 2,
                fingerprint
            })
        );
        let other = br#"{"data": [{"id": 2}, {"id": 1}]}"#;
        let found = read(other, &[(&results, Want::Items)], &hasher);
        assert!(!matches!(found[0], Some(Found::Items { fingerprint: f, .. }) if f == fingerprint));
    }

    #[test]
    fn no_json_finds_nothing() {
        let steps = parse("$.next").unwrap();
        let hasher = RandomState::new();
        for body in [
            &b"{\"next\": \"a\""[..],
            b"{\"next\": \"a\"} trailing",
            b"",
            b"<html>",
        ] {
            assert_eq!(read(body, &[(&steps, Want::Text)], &hasher), [None]);
        }
    }
}
