//! Cross-cutting checks on the finished IR and on the settings (serde_derive's
//! `check.rs` habit).

use std::collections::BTreeSet;

use crate::diag::{Diagnostics, Location};
use crate::ir::{Api, Note, TypeKind};
use crate::settings::Settings;

/// Run every check on the IR; problems go to `diags`.
pub fn check(api: &Api, diags: &mut Diagnostics) {
    degradations(api, diags);
}

/// Every note of the finished IR is a degradation: the rustdoc of its item says it, and so
/// do `check`, `build.rs` and the client's docs. Read from what is emitted, so a type a
/// `tags` filter left out reports nothing.
fn degradations(api: &Api, diags: &mut Diagnostics) {
    let mut notes: Vec<&Note> = Vec::new();
    for def in api.types.values() {
        notes.extend(&def.docs.notes);
        match &def.kind {
            TypeKind::Struct(s) => notes.extend(s.fields.iter().flat_map(|f| &f.docs.notes)),
            TypeKind::Union(u) => notes.extend(u.variants.iter().flat_map(|v| &v.docs.notes)),
            _ => {}
        }
    }
    for op in &api.operations {
        notes.extend(&op.notes);
        notes.extend(&op.docs.notes);
        notes.extend(op.params.iter().flat_map(|p| &p.docs.notes));
        notes.extend(op.body.iter().flat_map(|b| &b.docs.notes));
    }
    for note in notes {
        diags.degrade(&note.at, note.kind.to_string(), "");
    }
}

/// The settings must be valid Rust and, when the spec could be read, name things the
/// spec has: a typo in `tags = [..]` would otherwise silently generate nothing.
pub fn settings(spec: Option<&openapiv3::OpenAPI>, settings: &Settings, diags: &mut Diagnostics) {
    let mut option_error = |option: &str, message: String, help: String| {
        diags.push(
            Location::File,
            format!("option `{option}`: {message}"),
            help,
        );
    };
    let name = &settings.client_name;
    if syn::parse_str::<syn::Ident>(name).is_err() {
        option_error(
            "client",
            format!("`{name}` is not a valid Rust type name"),
            "use an identifier such as `Petstore`".into(),
        );
    }
    if syn::parse_str::<syn::Path>(&settings.runtime).is_err() {
        option_error(
            "runtime",
            format!("`{}` is not a Rust path", settings.runtime),
            "use a crate path such as `::orq_runtime`".into(),
        );
    }
    for derive in &settings.derives {
        if syn::parse_str::<syn::Path>(derive).is_err() {
            option_error(
                "derive",
                format!("`{derive}` is not a trait path"),
                "name derivable traits such as `Eq` or `schemars::JsonSchema`".into(),
            );
        }
    }
    for (schema, path) in &settings.replace {
        if syn::parse_str::<syn::Type>(path).is_err() {
            option_error(
                "replace",
                format!("`{path}` (for `{schema}`) is not a Rust type"),
                "use a type path such as `crate::types::Money`".into(),
            );
        }
    }
    let Some(spec) = spec else {
        return;
    };
    let schemas: BTreeSet<&str> = spec
        .components
        .iter()
        .flat_map(|c| c.schemas.keys())
        .map(String::as_str)
        .collect();
    for schema in settings.replace.keys() {
        if !schemas.contains(schema.as_str()) {
            option_error(
                "replace",
                format!("the spec has no component schema `{schema}`"),
                format!(
                    "the schemas under `components.schemas` are: {}",
                    list(&schemas)
                ),
            );
        }
    }
    let mut tags = BTreeSet::new();
    for (_, item) in spec.paths.paths.iter() {
        for (_, op) in item.as_item().into_iter().flat_map(|item| item.iter()) {
            tags.extend(op.tags.first().map(String::as_str));
        }
    }
    // The ids the operations get: a repeated `operationId` is selected by its numbered form.
    let ids = crate::lower::operation_ids(spec);
    let operation_ids: BTreeSet<&str> = ids.values().filter_map(|id| id.selectable()).collect();
    for tag in settings.tags.iter().flatten() {
        if !tags.contains(tag.as_str()) {
            option_error(
                "tags",
                format!("no operation has the tag `{tag}`"),
                format!(
                    "operations are grouped by their first tag; the spec's are: {}",
                    list(&tags)
                ),
            );
        }
    }
    for id in settings.operations.iter().flatten() {
        if !operation_ids.contains(id.as_str()) {
            option_error(
                "operations",
                format!("the spec has no operation with operationId `{id}`"),
                format!("the spec's operationIds are: {}", list(&operation_ids)),
            );
        }
    }
}

fn list(names: &BTreeSet<&str>) -> String {
    if names.is_empty() {
        return "(none)".into();
    }
    const SHOWN: usize = 12;
    let mut text = names
        .iter()
        .take(SHOWN)
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

#[cfg(test)]
mod tests {
    use crate::{Settings, test_api};

    const TWO_LISTS: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
tags: [{name: pets}]
paths:
  /a:
    get: {operationId: list, tags: [pets], responses: {"204": {description: ok}}}
  /b:
    get: {operationId: list, tags: [pets], responses: {"204": {description: ok}}}
"#;

    #[test]
    fn a_duplicate_operation_id_is_numbered_and_noted_at_the_second_place() {
        let (api, problems) = test_api(TWO_LISTS, &Settings::new());
        let messages: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(!problems[0].is_error(), "{messages:?}");
        assert!(
            messages[0].contains(
                "at #/paths/~1b/get: operationId `list` is used twice (first at #/paths/~1a/get): this operation is `list_2`"
            ),
            "{messages:?}"
        );
        let ids: Vec<&str> = api
            .operations
            .iter()
            .map(|o| o.operation_id.as_str())
            .collect();
        assert_eq!(ids, ["list", "list_2"]);
        // The numbered id is what the `operations` setting selects.
        let (only, problems) = test_api(TWO_LISTS, &Settings::new().with_operation("list_2"));
        assert!(problems.iter().all(|d| !d.is_error()), "{problems:?}");
        assert_eq!(only.operations.len(), 1);
        assert_eq!(only.operations[0].origin.to_string(), "#/paths/~1b/get");
    }

    #[test]
    fn options_naming_nothing_in_the_spec_list_what_it_has() {
        let settings = Settings::new()
            .with_tag("petz")
            .with_runtime_path("not a path");
        let (_, problems) = test_api(TWO_LISTS, &settings);
        let messages: Vec<String> = problems.iter().map(|d| d.message.clone()).collect();
        assert!(
            messages.contains(&"option `runtime`: `not a path` is not a Rust path".to_string()),
            "{messages:?}"
        );
        let tags = problems
            .iter()
            .find(|d| d.message.contains("`petz`"))
            .expect("the unknown tag is reported");
        assert_eq!(
            tags.help.as_deref(),
            Some("operations are grouped by their first tag; the spec's are: `pets`")
        );
    }
}
