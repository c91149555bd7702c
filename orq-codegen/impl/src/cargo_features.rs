//! The `[features]` table an SDK crate declares when its groups are cargo features
//! (setting `features_per_tag`), as `orq-codegen features` prints it, and whether the
//! table of a `Cargo.toml` is stale for the spec.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::ir::Api;
use crate::settings::{Mock, Settings};

/// The aggregate feature: every group.
pub const FULL: &str = "full";

/// The cargo features of an SDK crate whose groups are features.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeatureTable {
    /// Each group's feature and what it compiles (`tag `Pets``), in feature order; the
    /// operations without tags last.
    pub groups: Vec<(String, String)>,
    /// The feature of the `mock` setting, which enables `orq-runtime/mock`.
    pub mock: Option<String>,
}

impl FeatureTable {
    /// The table of `api` (lowered with `features_per_tag`); `None` without the setting.
    pub fn of(api: &Api, settings: &Settings) -> Option<Self> {
        let features = api.features.as_ref()?;
        let mut groups: Vec<(String, String)> = api
            .groups
            .values()
            .filter_map(|g| {
                let feature = features.groups.get(&g.snake)?;
                Some((feature.clone(), format!("tag `{}`", g.tag)))
            })
            .collect();
        groups.sort();
        if let Some(untagged) = &features.untagged {
            groups.push((untagged.clone(), "the operations without tags".to_string()));
        }
        let mock = match &settings.mock {
            Some(Mock::Feature(feature)) => Some(feature.clone()),
            _ => None,
        };
        Some(FeatureTable { groups, mock })
    }

    /// The features `full` enables: every group's.
    pub fn full(&self) -> Vec<&str> {
        self.groups.iter().map(|(f, _)| f.as_str()).collect()
    }

    /// The `[features]` table to paste into the SDK crate's `Cargo.toml`, commented.
    pub fn render(&self) -> String {
        let quoted = |features: &[&str]| {
            let items: Vec<String> = features.iter().map(|f| format!("\"{f}\"")).collect();
            format!("[{}]", items.join(", "))
        };
        let mut out = String::from("[features]\n");
        out.push_str(
            "# Every group, and the default TLS backend: a dependent that names no feature gets\n\
             # the whole SDK. `default-features = false, features = [\"<group>\", \"rustls\"]`\n\
             # compiles one group (with the models it uses) and nothing else. With\n\
             # `default = []` instead, dependents name the groups they call: the least\n\
             # compile time, but every dependent must choose.\n",
        );
        let _ = writeln!(out, "default = {}", quoted(&[FULL, "rustls"]));
        let _ = writeln!(out, "{FULL} = {}", quoted(&self.full()));
        out.push_str("# One feature per group (orq-codegen features; --check says when stale).\n");
        let width = self.groups.iter().map(|(f, _)| f.len()).max().unwrap_or(0);
        for (feature, what) in &self.groups {
            let _ = writeln!(out, "{feature:width$} = [] # {what}");
        }
        out.push_str(
            "# The TLS backend, forwarded to orq-runtime (a dependency with\n\
             # `default-features = false`, so that dependents choose).\n\
             rustls = [\"orq-runtime/rustls\"]\n\
             rustls-ring = [\"orq-runtime/rustls-ring\"]\n\
             native-tls = [\"orq-runtime/native-tls\"]\n",
        );
        if let Some(mock) = &self.mock {
            out.push_str("# The typed mock server (`mock = \"feature\"`).\n");
            let _ = writeln!(out, "{mock} = [\"orq-runtime/mock\"]");
        }
        out
    }

    /// What is stale in the `declared` `[features]` of a `Cargo.toml` (feature -> what it
    /// enables): a group feature missing, `full` naming a feature that is no group (any
    /// more) or missing one, the mock feature missing. Empty when it is up to date.
    /// Other features (TLS, the crate's own) are the crate's business.
    pub fn stale(&self, declared: &BTreeMap<String, Vec<String>>) -> Vec<String> {
        let mut problems = Vec::new();
        for (feature, what) in &self.groups {
            if !declared.contains_key(feature) {
                problems.push(format!("the feature `{feature}` ({what}) is missing"));
            }
        }
        let full = self.full();
        match declared.get(FULL) {
            None => problems.push(format!("the feature `{FULL}` (every group) is missing")),
            Some(enabled) => {
                for feature in enabled.iter().filter(|f| !full.contains(&f.as_str())) {
                    problems.push(format!(
                        "`{FULL}` enables `{feature}`, which is no group of the spec"
                    ));
                }
                for feature in full.iter().filter(|f| !enabled.iter().any(|e| e == *f)) {
                    problems.push(format!("`{FULL}` does not enable the group `{feature}`"));
                }
            }
        }
        if let Some(mock) = &self.mock
            && !declared.contains_key(mock)
        {
            problems.push(format!(
                "the feature `{mock}` of the mock server is missing"
            ));
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets: {get: {operationId: listPets, tags: [Pets], responses: {"204": {description: ok}}}}
  /orders: {get: {operationId: listOrders, tags: [Store Orders], responses: {"204": {description: ok}}}}
  /health: {get: {operationId: health, responses: {"204": {description: ok}}}}
"#;

    fn table(settings: Settings) -> FeatureTable {
        let settings = settings.with_features_per_tag(true);
        let (api, problems) = crate::test_api(SPEC, &settings);
        assert!(problems.is_empty(), "{problems:?}");
        FeatureTable::of(&api, &settings).expect("the setting is on")
    }

    fn declared(features: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        features
            .iter()
            .map(|(f, on)| (f.to_string(), on.iter().map(|s| s.to_string()).collect()))
            .collect()
    }

    #[test]
    fn the_table_lists_every_group_full_default_and_the_tls_backends() {
        let text = table(Settings::new().with_mock_feature("testing")).render();
        assert!(text.starts_with("[features]\n"), "{text}");
        assert!(
            text.contains("\ndefault = [\"full\", \"rustls\"]\n"),
            "{text}"
        );
        assert!(
            text.contains("\nfull = [\"pets\", \"store-orders\", \"untagged\"]\n"),
            "{text}"
        );
        assert!(
            text.contains("\nstore-orders = [] # tag `Store Orders`\n"),
            "{text}"
        );
        assert!(
            text.contains("\npets         = [] # tag `Pets`\n"),
            "{text}"
        );
        assert!(
            text.contains("\nuntagged     = [] # the operations without tags\n"),
            "{text}"
        );
        assert!(
            text.contains("\nrustls-ring = [\"orq-runtime/rustls-ring\"]\n"),
            "{text}"
        );
        assert!(
            text.contains("\ntesting = [\"orq-runtime/mock\"]\n"),
            "{text}"
        );
    }

    #[test]
    fn no_table_without_the_setting() {
        let (api, _) = crate::test_api(SPEC, &Settings::new());
        assert_eq!(FeatureTable::of(&api, &Settings::new()), None);
    }

    #[test]
    fn a_declared_table_is_stale_when_groups_or_full_differ() {
        let table = table(Settings::new());
        let current = declared(&[
            ("default", &["full"]),
            ("full", &["pets", "store-orders", "untagged"]),
            ("pets", &[]),
            ("store-orders", &[]),
            ("untagged", &[]),
            ("my-own", &["dep:serde"]),
        ]);
        assert!(
            table.stale(&current).is_empty(),
            "{:?}",
            table.stale(&current)
        );

        let stale = declared(&[
            ("full", &["pets", "orders"]),
            ("pets", &[]),
            ("orders", &[]),
        ]);
        assert_eq!(
            table.stale(&stale),
            [
                "the feature `store-orders` (tag `Store Orders`) is missing",
                "the feature `untagged` (the operations without tags) is missing",
                "`full` enables `orders`, which is no group of the spec",
                "`full` does not enable the group `store-orders`",
                "`full` does not enable the group `untagged`",
            ]
        );
        assert_eq!(
            table.stale(&declared(&[
                ("pets", &[]),
                ("store-orders", &[]),
                ("untagged", &[])
            ])),
            ["the feature `full` (every group) is missing"]
        );
    }
}
