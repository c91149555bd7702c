use super::*;
use crate::surface::tests::surface_of;
use std::collections::BTreeSet;

/// The changes from `old` to `new` (operation and schema fragments of a spec) as
/// `impact kind item` lines.
fn changes(old: &str, new: &str) -> Vec<String> {
    let spec = |body: &str| format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n{body}");
    diff(&surface_of(&spec(old)), &surface_of(&spec(new)))
        .iter()
        .map(|c| format!("{:?} {} {}", c.impact, c.kind.as_str(), c.item))
        .collect()
}

#[test]
fn the_same_spec_has_no_change() {
    let spec = "paths:\n  /a:\n    get:\n      operationId: getA\n      tags: [a]\n      responses: {'204': {description: ok}}\n";
    assert!(changes(spec, spec).is_empty());
}

#[test]
fn operations_are_matched_by_path_then_by_request() {
    let old = r#"
paths:
  /pets/{id}:
    get: {operationId: getPet, tags: [pets], parameters: [{name: id, in: path, required: true, schema: {type: string}}], responses: {'204': {description: ok}}}
    delete: {operationId: deletePet, tags: [pets], parameters: [{name: id, in: path, required: true, schema: {type: string}}], responses: {'204': {description: ok}}}
"#;
    let new = r#"
paths:
  /pets/{petId}:
    get: {operationId: showPet, tags: [pets], parameters: [{name: petId, in: path, required: true, schema: {type: string}}], responses: {'204': {description: ok}}}
  /pets:
    post: {operationId: addPet, tags: [pets], responses: {'204': {description: ok}}}
"#;
    assert_eq!(
        changes(old, new),
        [
            // The argument renamed with its path variable is still the first: no change.
            "Breaking operation_removed groups::Pets::delete_pet",
            "Breaking operation_renamed groups::Pets::show_pet",
            "Additive operation_added groups::Pets::add_pet",
        ]
    );
}

#[test]
fn a_parameter_that_changes_between_argument_and_setter_is_one_change() {
    let op = |limit: bool, order: &str| {
        format!(
            r#"
paths:
  /pets/{{a}}/{{b}}:
    get:
      operationId: list
      parameters:
        - {{name: {first}, in: path, required: true, schema: {{type: string}}}}
        - {{name: {second}, in: path, required: true, schema: {{type: string}}}}
        - {{name: limit, in: query, required: {limit}, schema: {{type: integer}}}}
      responses: {{'204': {{description: ok}}}}
"#,
            first = &order[..1],
            second = &order[1..],
        )
    };
    assert_eq!(
        changes(&op(false, "ab"), &op(true, "ab")),
        ["Breaking parameter_made_required Api::list"]
    );
    assert_eq!(
        changes(&op(true, "ab"), &op(false, "ab")),
        ["Breaking parameter_made_optional Api::list"]
    );
    // Both are strings: calls compile, with the values swapped.
    assert_eq!(
        changes(&op(false, "ab"), &op(false, "ba")),
        ["Behavior arguments_reordered Api::list"]
    );
}

#[test]
fn presence_changes_break_the_build_only_when_the_type_changes() {
    let field = |required: &str, nullable: bool| {
        format!(
            "paths: {{}}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      required: [{required}]\n      properties:\n        name: {{type: string, nullable: {nullable}}}\n        other: {{type: string}}\n"
        )
    };
    // `Option<String>` either way: omitted when `None`, or sent as `null`.
    assert_eq!(
        changes(&field("other", false), &field("name", true)),
        [
            "Breaking field_presence_changed models::Pet::other",
            "Behavior field_presence_changed models::Pet::name",
        ]
    );
    assert_eq!(
        changes(&field("name", false), &field("other", false)),
        [
            "Breaking field_presence_changed models::Pet::name",
            "Breaking field_presence_changed models::Pet::other",
        ]
    );
}

#[test]
fn enum_values_added_break_exhaustive_matches_and_renamed_wire_values_change_behaviour() {
    let schema = |values: &str| {
        format!(
            "paths: {{}}\ncomponents:\n  schemas:\n    Status: {{type: string, enum: [{values}]}}\n"
        )
    };
    assert_eq!(
        changes(&schema("active, gone"), &schema("active, gone, held")),
        ["Breaking enum_value_added models::Status::Held"]
    );
    assert_eq!(
        changes(&schema("active, gone"), &schema("active")),
        ["Breaking enum_value_removed models::Status::Gone"]
    );
    assert_eq!(
        changes(&schema("active"), &schema("ACTIVE")),
        ["Behavior enum_value_changed models::Status::Active"]
    );
}

/// Error enums are `#[non_exhaustive]`: a status added is additive, one removed breaks.
/// `DeclaredStatus` (no declared error has a body) has no variant to name: a status
/// removed only changes what `from_error` says, unless the error type goes with it.
#[test]
fn error_statuses_added_are_additive_and_removed_ones_break() {
    let op = |responses: &str| {
        format!(
            "paths:\n  /a:\n    get:\n      operationId: getA\n      responses: {{'204': {{description: ok}}{responses}}}\n"
        )
    };
    let missing = ", '404': {description: missing}";
    let conflict = ", '409': {description: conflict}";
    let problem =
        ", '400': {description: bad, content: {application/json: {schema: {type: object}}}}";
    let with = |parts: &[&str]| op(&parts.concat());
    assert_eq!(
        changes(&op(""), &with(&[missing])),
        ["Additive error_status_added requests::GetAError"]
    );
    assert_eq!(
        changes(&with(&[missing]), &with(&[missing, conflict])),
        ["Additive error_status_added requests::GetAError"]
    );
    assert_eq!(
        changes(&with(&[missing, conflict]), &with(&[missing])),
        ["Behavior error_status_removed requests::GetAError"]
    );
    assert_eq!(
        changes(&with(&[missing]), &op("")),
        ["Breaking error_status_removed requests::GetAError"]
    );
    // With a body on one status, the enum: statuses are its variants.
    assert_eq!(
        changes(
            &with(&[problem, missing]),
            &with(&[problem, missing, conflict])
        ),
        ["Additive error_status_added requests::GetAError::Status409"]
    );
    assert_eq!(
        changes(&with(&[problem, missing]), &with(&[problem])),
        ["Breaking error_status_removed requests::GetAError::Status404"]
    );
}

#[test]
fn a_group_whose_operations_all_moved_was_renamed() {
    let spec = |tag: &str| {
        format!(
            "paths:\n  /a:\n    get: {{operationId: getA, tags: [{tag}], responses: {{'204': {{description: ok}}}}}}\n    put: {{operationId: putA, tags: [{tag}], responses: {{'204': {{description: ok}}}}}}\n"
        )
    };
    assert_eq!(
        changes(&spec("people"), &spec("users")),
        [
            "Breaking group_renamed Api::users",
            "Breaking operation_renamed groups::Users::get_a",
            "Breaking operation_renamed groups::Users::put_a",
        ]
    );
}

#[test]
fn a_schema_with_another_rust_name_is_renamed() {
    let spec = |op: &str, key: &str| {
        format!(
            "paths:\n  /a:\n    post:\n      operationId: {op}\n      requestBody: {{required: true, content: {{application/json: {{schema: {{type: object, properties: {{{key}: {{type: string}}}}}}}}}}}}\n      responses: {{'204': {{description: ok}}}}\n"
        )
    };
    let renamed = changes(&spec("makeA", "name"), &spec("createA", "name"));
    assert!(
        renamed.contains(&"Breaking model_renamed models::CreateARequestBody".to_owned()),
        "{renamed:#?}"
    );
}

#[test]
fn changes_are_ordered_by_impact_then_item_and_counted() {
    let old =
        "paths:\n  /a:\n    get: {operationId: getA, responses: {'204': {description: ok}}}\n";
    let new =
        "paths:\n  /b:\n    get: {operationId: getB, responses: {'204': {description: ok}}}\n";
    let spec = |body: &str| format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n{body}");
    let found = diff(&surface_of(&spec(old)), &surface_of(&spec(new)));
    assert_eq!(counts(&found), [1, 0, 1]);
    assert_eq!(found[0].old_at.as_deref(), Some("#/paths/~1a/get"));
    assert_eq!(found[0].new_at, None);
    assert_eq!(found[0].message, "operation removed (`GET /a`)");
    assert_eq!(found[1].new_at.as_deref(), Some("#/paths/~1b/get"));
}

#[test]
fn every_kind_has_a_distinct_stable_name() {
    let names: BTreeSet<&str> = ChangeKind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(names.len(), ChangeKind::ALL.len());
    assert!(
        names
            .iter()
            .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
    );
}
