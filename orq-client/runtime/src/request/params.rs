//! Parameters whose values are arrays or objects (OpenAPI `style`/`explode`):
//! `form` and `deepObject` in the query, `simple` in paths and headers, comma
//! lists in cookies.

use serde::Serialize;
use serde_json::Value;

use crate::error::Error;
use crate::request::RequestSpec;
use crate::validate::violation::{ValidationError, Violation};
use crate::values::read_only::writing_request;
use crate::wire::encode::encode_path_segment;

/// Add the query parameter `name` with an array or object `value`:
///
/// - arrays: `name=a&name=b` (`explode: true`, the default of `style: form`) or `name=a,b`;
/// - objects: `name[k]=v` (`style: deepObject`), `k=v` (`form`, exploded) or `name=k,v`;
/// - `null` adds nothing; scalars add one pair. Nested values travel as JSON text.
pub fn query_value<T: Serialize + ?Sized>(
    request: &mut RequestSpec,
    name: &str,
    value: &T,
    explode: bool,
    deep_object: bool,
) -> Result<(), Error> {
    let value = to_json(name, value)?;
    match value {
        Value::Null => {}
        Value::Array(items) if explode => {
            for item in &items {
                request.query(name, scalar(item));
            }
        }
        Value::Array(items) => {
            request.query(name, items.iter().map(scalar).collect::<Vec<_>>().join(","));
        }
        Value::Object(map) if deep_object => {
            for (key, item) in &map {
                request.query(&format!("{name}[{key}]"), scalar(item));
            }
        }
        Value::Object(map) if explode => {
            for (key, item) in &map {
                request.query(key, scalar(item));
            }
        }
        Value::Object(map) => {
            let joined: Vec<String> = map
                .iter()
                .flat_map(|(k, v)| [k.clone(), scalar(v)])
                .collect();
            request.query(name, joined.join(","));
        }
        scalar_value => {
            request.query(name, scalar(&scalar_value));
        }
    }
    Ok(())
}

/// Add the query parameter `name` with an array `value` joined by
/// `delimiter` (`style: spaceDelimited` or `pipeDelimited`, not exploded):
/// `name=a%20b` or `name=a|b` once encoded. Objects join keys and values.
pub fn query_delimited<T: Serialize + ?Sized>(
    request: &mut RequestSpec,
    name: &str,
    value: &T,
    delimiter: &str,
) -> Result<(), Error> {
    let value = to_json(name, value)?;
    let parts: Vec<String> = match value {
        Value::Null => return Ok(()),
        Value::Array(items) => items.iter().map(scalar).collect(),
        Value::Object(map) => map
            .iter()
            .flat_map(|(k, v)| [k.clone(), scalar(v)])
            .collect(),
        other => vec![scalar(&other)],
    };
    request.query(name, parts.join(delimiter));
    Ok(())
}

/// The text of a path, header or cookie parameter with an array or object
/// `value` in `style: simple` (RFC 6570 `{name}`): arrays `a,b,c`; objects
/// `k1,v1,k2,v2`, or `k1=v1,k2=v2` with `explode: true`. Each item goes
/// through `encode` (percent-encoding for paths, nothing for headers), the
/// commas do not.
fn simple_value<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    explode: bool,
    encode: impl Fn(&str) -> String,
) -> Result<String, Error> {
    let value = to_json(name, value)?;
    let parts: Vec<String> = match value {
        Value::Array(items) => items.iter().map(|item| encode(&scalar(item))).collect(),
        Value::Object(map) if explode => map
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(&scalar(v))))
            .collect(),
        Value::Object(map) => map
            .iter()
            .flat_map(|(k, v)| [encode(k), encode(&scalar(v))])
            .collect(),
        other => vec![encode(&scalar(&other))],
    };
    Ok(parts.join(","))
}

/// A header or cookie parameter value in `style: simple` (see the module docs).
pub fn simple_text<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    explode: bool,
) -> Result<String, Error> {
    simple_value(name, value, explode, str::to_owned)
}

/// A path parameter with an array or object value in `style: simple`,
/// percent-encoded item by item: `[a/b, c]` becomes `a%2Fb,c`, one segment.
pub fn simple_path_segment<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    explode: bool,
) -> Result<String, Error> {
    simple_value(name, value, explode, encode_path_segment)
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The parameter as JSON, or an [`Error::InvalidRequest`] naming it.
fn to_json<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<Value, Error> {
    writing_request(|| serde_json::to_value(value)).map_err(|err| {
        Error::InvalidRequest(ValidationError::single(Violation::new(
            name,
            "serialize",
            err.to_string(),
        )))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_style() {
        let list = ["a/b", "c d"];
        assert_eq!(
            simple_path_segment("p", &list, false).unwrap(),
            "a%2Fb,c%20d"
        );
        assert_eq!(simple_text("h", &[1, 2, 3], false).unwrap(), "1,2,3");
        let object = serde_json::json!({"n": 5, "role": "admin"});
        assert_eq!(simple_text("h", &object, false).unwrap(), "n,5,role,admin");
        assert_eq!(simple_text("h", &object, true).unwrap(), "n=5,role=admin");
    }
}
