//! `readOnly` properties stay out of requests: one struct serves requests and responses,
//! so a model received from the API (or deserialized from anywhere) still holds what the
//! server set. The runtime says when it is writing a request body (JSON, a form, a
//! multipart form, a structured parameter), and the generated `skip_serializing_if` of a
//! `readOnly` field reads that: the field is left out of every request at any depth,
//! and written anywhere else (the mock server's responses, a value a user saves).
//!
//! A thread-local flag is enough because serializing is synchronous: no other code runs
//! on the thread between setting and clearing it, and it is cleared even if serializing
//! panics.

use std::cell::Cell;

use crate::values::optional::OptionalNullable;

thread_local! {
    static WRITING_REQUEST: Cell<bool> = const { Cell::new(false) };
}

/// Runs `write` (serializing a request's body or parameter) with `readOnly` fields
/// left out.
pub(crate) fn writing_request<R>(write: impl FnOnce() -> R) -> R {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            WRITING_REQUEST.with(|flag| flag.set(self.0));
        }
    }
    let _reset = Reset(WRITING_REQUEST.with(|flag| flag.replace(true)));
    write()
}

fn in_request() -> bool {
    WRITING_REQUEST.with(Cell::get)
}

/// `skip_serializing_if` of an optional `readOnly` field (generated code only): absent,
/// or a request is being written.
pub fn none<T>(value: &Option<T>) -> bool {
    value.is_none() || in_request()
}

/// `skip_serializing_if` of an optional, nullable `readOnly` field (generated code
/// only): unset, or a request is being written.
pub fn unset<T>(value: &OptionalNullable<T>) -> bool {
    value.is_unset() || in_request()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Event {
        name: &'static str,
        #[serde(skip_serializing_if = "none")]
        id: Option<u32>,
        #[serde(skip_serializing_if = "unset")]
        seen: OptionalNullable<bool>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        children: Vec<Event>,
    }

    #[test]
    fn read_only_fields_are_left_out_of_requests_only_at_every_depth() {
        let child = Event {
            name: "child",
            id: Some(2),
            seen: OptionalNullable::Null,
            children: vec![],
        };
        let event = Event {
            name: "parent",
            id: Some(1),
            seen: OptionalNullable::Value(true),
            children: vec![child],
        };
        let outside = serde_json::to_value(&event).unwrap();
        assert_eq!(
            outside,
            serde_json::json!({"name": "parent", "id": 1, "seen": true,
                "children": [{"name": "child", "id": 2, "seen": null}]})
        );
        let request = writing_request(|| serde_json::to_value(&event)).unwrap();
        assert_eq!(
            request,
            serde_json::json!({"name": "parent", "children": [{"name": "child"}]})
        );
        // Cleared afterwards, also when nested.
        assert!(!in_request());
        writing_request(|| writing_request(|| ()));
        assert!(!in_request());
        assert_eq!(serde_json::to_value(&event).unwrap(), outside);
    }

    #[test]
    fn the_flag_is_cleared_when_serializing_panics() {
        let result = std::panic::catch_unwind(|| writing_request(|| panic!("boom")));
        assert!(result.is_err());
        assert!(!in_request());
    }
}
