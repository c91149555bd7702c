//! Form bodies into a request, as generated code sets them:
//! `application/x-www-form-urlencoded` from a model, `multipart/form-data` from a model
//! or an untyped [`Multipart`].

use bytes::Bytes;
use serde::Serialize;
use serde_json::Value;

use crate::error::Error;
use crate::request::RequestSpec;
use crate::validate::violation::{ValidationError, Violation};
use crate::values::read_only::writing_request;
use crate::wire::multipart::{FormParts, Multipart, MultipartForm};

/// Set a multipart body.
pub fn multipart_body(request: &mut RequestSpec, form: &Multipart) {
    let (body, content_type) = form.encode();
    request.body(body, &content_type);
}

/// Set a multipart body from a model, with the spec's `encoding` (property name,
/// content type).
pub fn multipart_form<T: MultipartForm>(
    request: &mut RequestSpec,
    model: T,
    encoding: &[(&str, &str)],
) -> Result<(), Error> {
    let form = FormParts::of(model, encoding)?;
    multipart_body(request, &form);
    Ok(())
}

/// Set an `application/x-www-form-urlencoded` body from a model: each property is one
/// `key=value` pair, arrays repeat the key, nested objects travel as JSON text, absent and
/// `null` properties are left out.
pub fn form_body<T: Serialize + ?Sized>(request: &mut RequestSpec, body: &T) -> Result<(), Error> {
    let value = writing_request(|| serde_json::to_value(body)).map_err(|err| {
        Error::InvalidRequest(ValidationError::single(Violation::new(
            "body",
            "serialize",
            err.to_string(),
        )))
    })?;
    let mut pairs = url::form_urlencoded::Serializer::new(String::new());
    if let Value::Object(map) = value {
        for (key, item) in &map {
            match item {
                Value::Null => {}
                Value::Array(items) => {
                    for item in items {
                        pairs.append_pair(key, &scalar(item));
                    }
                }
                other => {
                    pairs.append_pair(key, &scalar(other));
                }
            }
        }
    }
    request.body(
        Bytes::from(pairs.finish()),
        "application/x-www-form-urlencoded",
    );
    Ok(())
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
