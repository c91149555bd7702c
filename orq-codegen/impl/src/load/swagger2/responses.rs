//! Swagger 2.0 responses: `schema` -> `content` per `produces`, `examples` -> each media
//! type's `example`, header type keywords -> their `schema`.

use serde_json::{Map, Value};

use super::{Converter, JSON, object, split_schema};
use crate::diag::Ptr;

impl Converter<'_> {
    /// A map of responses (an operation's, or the document's), each converted.
    pub(super) fn responses(
        &mut self,
        responses: &Value,
        at: &Ptr,
        now: &Ptr,
        produces: &[String],
    ) -> Value {
        let Value::Object(responses) = responses else {
            return responses.clone();
        };
        if at != now {
            self.moves.record(now.to_string(), at.to_string());
        }
        let converted = responses.iter().map(|(code, response)| {
            let value = match response {
                Value::Object(r) if !r.contains_key("$ref") => {
                    self.response(r, &at.at(code), &now.at(code), produces)
                }
                other => other.clone(),
            };
            (code.clone(), value)
        });
        Value::Object(converted.collect())
    }

    fn response(
        &mut self,
        r: &Map<String, Value>,
        at: &Ptr,
        now: &Ptr,
        produces: &[String],
    ) -> Value {
        let mut out = Map::new();
        for (key, value) in r {
            match key.as_str() {
                "schema" | "examples" => {}
                "headers" => {
                    out.insert(
                        key.clone(),
                        self.headers(value, &at.at("headers"), &now.at("headers")),
                    );
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        out.entry("description")
            .or_insert_with(|| Value::String(String::new()));
        let examples = r.get("examples").and_then(Value::as_object);
        let mut media: Vec<String> = produces.to_vec();
        if media.is_empty() {
            let file = r
                .get("schema")
                .and_then(|s| s.get("type"))
                .and_then(Value::as_str)
                == Some("file");
            media.push(
                if file {
                    "application/octet-stream"
                } else {
                    JSON
                }
                .into(),
            );
        }
        if let Some(schema) = r.get("schema") {
            let content = media.iter().map(|m| {
                let mut media_type = object([("schema", schema.clone())]);
                if let (Some(example), Value::Object(map)) =
                    (examples.and_then(|e| e.get(m)), &mut media_type)
                {
                    map.insert("example".into(), example.clone());
                }
                let schema_at = now.at("content").at(m).at("schema");
                self.moves
                    .record(schema_at.to_string(), at.at("schema").to_string());
                (m.clone(), media_type)
            });
            out.insert("content".into(), Value::Object(content.collect()));
        }
        Value::Object(out)
    }

    /// Response headers: their type keywords become their `schema`.
    fn headers(&mut self, headers: &Value, at: &Ptr, now: &Ptr) -> Value {
        let Value::Object(headers) = headers else {
            return headers.clone();
        };
        let converted = headers.iter().map(|(name, header)| {
            let Value::Object(fields) = header else {
                return (name.clone(), header.clone());
            };
            let (mut out, schema) = split_schema(fields);
            out.insert("schema".into(), Value::Object(schema));
            self.moves.record(
                now.at(name).at("schema").to_string(),
                at.at(name).to_string(),
            );
            (name.clone(), Value::Object(out))
        });
        Value::Object(converted.collect())
    }
}
