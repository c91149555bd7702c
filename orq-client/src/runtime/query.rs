//! Query parameters whose values are arrays or objects (OpenAPI `style`/`explode`).

use serde::Serialize;
use serde_json::Value;

use crate::runtime::error::Error;
use crate::runtime::request::RequestSpec;
use crate::runtime::validate::{ValidationError, Violation};

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
    let value = serde_json::to_value(value).map_err(|err| {
        Error::InvalidRequest(ValidationError::single(Violation::new(
            name,
            "serialize",
            err.to_string(),
        )))
    })?;
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

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}
