//! Changes -> a report: text for a terminal, Markdown for a `CHANGELOG.md`, JSON for
//! tools. Each renders the same changes in the same order.

use std::fmt::Write;

use serde::Serialize;

use super::{Change, Impact, counts};

/// The report's format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// Plain text, grouped by impact.
    #[default]
    Text,
    /// A changelog section.
    Markdown,
    /// One JSON document.
    Json,
}

/// One side of a comparison: the spec as the user named it and the API it describes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Side {
    /// The spec (or surface file) as given.
    pub spec: String,
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
}

/// What a report shows.
#[derive(Clone, Copy, Debug)]
pub struct Report<'a> {
    /// The old side.
    pub old: &'a Side,
    /// The new side.
    pub new: &'a Side,
    /// The changes, as [`super::diff`] orders them.
    pub changes: &'a [Change],
}

impl Report<'_> {
    /// The report in `format`.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Text => self.text(),
            Format::Markdown => self.markdown(),
            Format::Json => self.json(),
        }
    }

    /// The changes of each impact that has any, most severe first.
    fn by_impact(&self) -> impl Iterator<Item = (Impact, Vec<&Change>)> {
        Impact::ALL.into_iter().filter_map(|impact| {
            let changes: Vec<&Change> =
                self.changes.iter().filter(|c| c.impact == impact).collect();
            (!changes.is_empty()).then_some((impact, changes))
        })
    }

    fn text(&self) -> String {
        let mut out = format!(
            "{} -> {}: {}\n",
            self.old.spec,
            self.new.spec,
            summary(self.changes)
        );
        for (impact, changes) in self.by_impact() {
            writeln!(out, "\n{}:", impact.label()).ok();
            for change in changes {
                writeln!(out, "  {}: {}", change.item, change.message).ok();
                writeln!(out, "      {}", place(change, "")).ok();
            }
        }
        out
    }

    fn markdown(&self) -> String {
        let (old, new) = (self.old, self.new);
        let versions = match old.version == new.version {
            true => new.version.clone(),
            false => format!("{} -> {}", old.version, new.version),
        };
        let mut out = format!("## {} {versions}: API changes\n\n", new.title);
        writeln!(out, "{}.", capitalized(&summary(self.changes))).ok();
        for (impact, changes) in self.by_impact() {
            let heading = match impact {
                Impact::Breaking => "Breaking changes (the build breaks)",
                Impact::Behavior => "Behaviour changes (compiles, acts differently at run time)",
                Impact::Additive => "Additions",
            };
            writeln!(out, "\n### {heading}\n").ok();
            for change in changes {
                writeln!(
                    out,
                    "- `{}`: {}. <sub>{}</sub>",
                    change.item,
                    change.message,
                    place(change, "`")
                )
                .ok();
            }
        }
        out
    }

    fn json(&self) -> String {
        #[derive(Serialize)]
        struct Json<'a> {
            old: &'a Side,
            new: &'a Side,
            summary: Summary,
            changes: &'a [Change],
        }
        #[derive(Serialize)]
        struct Summary {
            breaking: usize,
            behavior: usize,
            additive: usize,
        }
        let [breaking, behavior, additive] = counts(self.changes);
        let json = Json {
            old: self.old,
            new: self.new,
            summary: Summary {
                breaking,
                behavior,
                additive,
            },
            changes: self.changes,
        };
        // Strings, numbers and plain structs always serialize.
        let mut text = serde_json::to_string_pretty(&json).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// `3 changes: 1 breaks the build, 1 changes behaviour at run time, 1 additive`.
pub fn summary(changes: &[Change]) -> String {
    let [breaking, behavior, additive] = counts(changes);
    if changes.is_empty() {
        return "no change to the API".to_owned();
    }
    let plural = |n: usize, one: &str, many: &str| match n {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    };
    format!(
        "{}: {}, {}, {}",
        plural(changes.len(), "change", "changes"),
        plural(breaking, "breaks the build", "break the build"),
        plural(
            behavior,
            "changes behaviour at run time",
            "change behaviour at run time"
        ),
        plural(additive, "additive", "additive")
    )
}

/// One line per change, `impact: item: message`, for `cargo:warning` and `check`.
pub fn lines(changes: &[Change]) -> Vec<String> {
    changes
        .iter()
        .map(|c| format!("{}: {}: {}", c.impact.label(), c.item, c.message))
        .collect()
}

/// Where the change is in each spec; `code` quotes the pointers.
fn place(change: &Change, code: &str) -> String {
    match (&change.old_at, &change.new_at) {
        (Some(old), Some(new)) if old == new => format!("at {code}{new}{code}"),
        (Some(old), Some(new)) => format!("old {code}{old}{code}, new {code}{new}{code}"),
        (Some(old), None) => format!("old {code}{old}{code}"),
        (None, Some(new)) => format!("new {code}{new}{code}"),
        (None, None) => String::new(),
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::ChangeKind;
    use super::*;

    fn changes() -> Vec<Change> {
        vec![
            Change {
                impact: Impact::Breaking,
                kind: ChangeKind::OperationRemoved,
                item: "groups::Contacts::delete".into(),
                message: "operation removed (`DELETE /v2/contacts/{id}`)".into(),
                old_at: Some("#/paths/~1v2~1contacts~1{id}/delete".into()),
                new_at: None,
            },
            Change {
                impact: Impact::Additive,
                kind: ChangeKind::SetterAdded,
                item: "requests::ContactsList::limit".into(),
                message: "optional setter `.limit(..)` added (query limit)".into(),
                old_at: None,
                new_at: Some("#/paths/~1v2~1contacts/get/parameters/0".into()),
            },
        ]
    }

    fn sides() -> (Side, Side) {
        let side = |spec: &str, version: &str| Side {
            spec: spec.into(),
            title: "Contacts".into(),
            version: version.into(),
        };
        (side("old.yaml", "1.0"), side("new.yaml", "1.1"))
    }

    fn rendered(format: Format) -> String {
        let (old, new) = sides();
        let changes = changes();
        Report {
            old: &old,
            new: &new,
            changes: &changes,
        }
        .render(format)
    }

    #[test]
    fn text_groups_changes_by_impact_with_their_places() {
        assert_eq!(
            rendered(Format::Text),
            "old.yaml -> new.yaml: 2 changes: 1 breaks the build, 0 change behaviour at run time, 1 additive\n\
             \nbreaks the build:\n  groups::Contacts::delete: operation removed (`DELETE /v2/contacts/{id}`)\n      old #/paths/~1v2~1contacts~1{id}/delete\n\
             \nadditive:\n  requests::ContactsList::limit: optional setter `.limit(..)` added (query limit)\n      new #/paths/~1v2~1contacts/get/parameters/0\n"
        );
    }

    #[test]
    fn markdown_is_a_changelog_section() {
        let text = rendered(Format::Markdown);
        assert!(
            text.starts_with(
                "## Contacts 1.0 -> 1.1: API changes\n\n2 changes: 1 breaks the build"
            ),
            "{text}"
        );
        assert!(text.contains("\n### Breaking changes (the build breaks)\n\n- `groups::Contacts::delete`: operation removed (`DELETE /v2/contacts/{id}`). <sub>old `#/paths/~1v2~1contacts~1{id}/delete`</sub>\n"), "{text}");
        assert!(
            text.contains("\n### Additions\n\n- `requests::ContactsList::limit`"),
            "{text}"
        );
        assert!(
            !text.contains("Behaviour changes"),
            "empty sections are left out: {text}"
        );
    }

    #[test]
    fn json_has_the_sides_a_summary_and_stable_kind_names() {
        let text = rendered(Format::Json);
        let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(value["summary"]["breaking"], 1);
        assert_eq!(value["summary"]["additive"], 1);
        assert_eq!(value["old"]["version"], "1.0");
        assert_eq!(value["changes"][0]["kind"], "operation_removed");
        assert_eq!(value["changes"][0]["impact"], "breaking");
        assert_eq!(value["changes"][0]["new_at"], serde_json::Value::Null);
        assert_eq!(value["changes"][1]["item"], "requests::ContactsList::limit");
    }

    #[test]
    fn no_change_says_so() {
        assert_eq!(summary(&[]), "no change to the API");
        assert_eq!(
            lines(&changes())[0],
            "breaks the build: groups::Contacts::delete: operation removed (`DELETE /v2/contacts/{id}`)"
        );
    }
}
