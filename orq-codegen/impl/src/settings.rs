//! The one settings builder shared by the macro, `build.rs`, the CLI and tests.

use std::collections::{BTreeMap, BTreeSet};

/// How to generate an SDK. Build with `Settings::new()` and the `with_*` methods.
#[derive(Clone, Debug)]
pub struct Settings {
    pub(crate) client_name: String,
    pub(crate) env_prefix: Option<String>,
    pub(crate) derives: Vec<String>,
    pub(crate) tags: Option<BTreeSet<String>>,
    pub(crate) operations: Option<BTreeSet<String>>,
    pub(crate) replace: BTreeMap<String, String>,
    pub(crate) runtime: String,
    pub(crate) include_spec: Option<String>,
    pub(crate) response_builders: bool,
    pub(crate) doc_tests: Option<DocsOptions>,
    pub(crate) mock: Option<Mock>,
    pub(crate) surface_file: Option<std::path::PathBuf>,
    pub(crate) features_per_tag: bool,
    pub(crate) models_only: bool,
}

/// Where the generated SDK lives, as a user of it names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocsOptions {
    /// The path of the module or crate holding the SDK, e.g. `orq_client` or `crate::api`.
    pub sdk_path: String,
    /// Where the runtime's crates and types are re-exported for the user (`chrono`, `url`,
    /// `serde_json`, `Error`, ...), e.g. `orq_client` or `orq_runtime`.
    pub runtime_path: String,
}

/// Whether and how the SDK gets its `mock` module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Mock {
    /// Always.
    Always,
    /// Under `#[cfg(feature = "...")]` of the crate that holds the SDK.
    Feature(String),
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            client_name: "Client".into(),
            env_prefix: None,
            derives: Vec::new(),
            tags: None,
            operations: None,
            replace: BTreeMap::new(),
            runtime: "::orq_runtime".into(),
            include_spec: None,
            response_builders: false,
            doc_tests: None,
            mock: None,
            surface_file: None,
            features_per_tag: false,
            models_only: false,
        }
    }
}

impl Settings {
    /// Defaults: client type `Client`, runtime `::orq_runtime`, every operation.
    pub fn new() -> Self {
        Self::default()
    }

    /// Name of the generated client type (default `Client`).
    pub fn with_client_name(mut self, name: impl Into<String>) -> Self {
        self.client_name = name.into();
        self
    }

    /// Prefix of the environment variables `from_env` reads (`{PREFIX}_API_KEY`,
    /// `{PREFIX}_SERVER_URL`); default: the client name in SCREAMING_SNAKE_CASE.
    pub fn with_env_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.env_prefix = Some(prefix.into());
        self
    }

    /// Derive an extra trait on every model (a path such as `Eq` or `schemars::JsonSchema`).
    pub fn with_derive(mut self, path: impl Into<String>) -> Self {
        self.derives.push(path.into());
        self
    }

    /// Generate only operations with this tag (may be called several times), and only
    /// the models they use. An operation is grouped by its first tag; operations without
    /// tags (methods of the client itself) are left out once a tag is selected.
    pub fn with_tag(mut self, tag: impl Into<String>) -> Self {
        self.tags
            .get_or_insert_with(BTreeSet::new)
            .insert(tag.into());
        self
    }

    /// Generate only the operation with this `operationId` (may be called several times),
    /// and only the models it uses.
    pub fn with_operation(mut self, operation_id: impl Into<String>) -> Self {
        self.operations
            .get_or_insert_with(BTreeSet::new)
            .insert(operation_id.into());
        self
    }

    /// Use an existing Rust type (a path) for the component schema `schema`.
    pub fn with_replacement(
        mut self,
        schema: impl Into<String>,
        rust_path: impl Into<String>,
    ) -> Self {
        self.replace.insert(schema.into(), rust_path.into());
        self
    }

    /// The path of the runtime crate in generated code (default `::orq_runtime`).
    pub fn with_runtime_path(mut self, path: impl Into<String>) -> Self {
        self.runtime = path.into();
        self
    }

    /// Compile each operation's rustdoc example as a `no_run` doctest, naming the SDK as
    /// `sdk_path` (e.g. `orq_client`) and the runtime's types as `runtime_path` (a path that
    /// re-exports them, e.g. `orq_client` or `orq_runtime`). Without it the examples are
    /// shown but not compiled (`ignore`), so a large SDK adds no doctests to its crate.
    pub fn with_doc_tests(
        mut self,
        sdk_path: impl Into<String>,
        runtime_path: impl Into<String>,
    ) -> Self {
        self.doc_tests = Some(DocsOptions {
            sdk_path: sdk_path.into(),
            runtime_path: runtime_path.into(),
        });
        self
    }

    /// Builders for every struct, also those only responses carry (by default only
    /// types a request can send get one): for tests that build responses, e.g. mocks.
    pub fn with_response_builders(mut self, on: bool) -> Self {
        self.response_builders = on;
        self
    }

    /// A `mock` module: a typed mock server of the API for the tests of apps, with one
    /// handler method per operation (needs `orq-runtime`'s feature `mock`).
    pub fn with_mock(mut self, on: bool) -> Self {
        self.mock = on.then_some(Mock::Always);
        self
    }

    /// The `mock` module of [`with_mock`](Self::with_mock), compiled only when the crate
    /// that holds the SDK enables its cargo feature `feature` (which should enable
    /// `orq-runtime/mock`), so that its users pay nothing unless they ask.
    pub fn with_mock_feature(mut self, feature: impl Into<String>) -> Self {
        self.mock = Some(Mock::Feature(feature.into()));
        self
    }

    /// Each group (tag) as a cargo feature of the crate that holds the SDK: its methods,
    /// requests, error enums, mock handlers and the models only it reaches are compiled
    /// under `#[cfg(feature = "<tag>")]`, models several groups reach under
    /// `#[cfg(any(..))]`; operations without tags under the feature `untagged`. The
    /// crate declares the features: `orq-codegen features <spec>` prints the table.
    pub fn with_features_per_tag(mut self, on: bool) -> Self {
        self.features_per_tag = on;
        self
    }

    /// Emit `const _: &[u8] = include_bytes!(path);` for the spec at `absolute_path`, and
    /// one such item for every file its `$ref`s point at, so that the build tracks them all.
    pub fn with_include_spec(mut self, absolute_path: impl Into<String>) -> Self {
        self.include_spec = Some(absolute_path.into());
        self
    }

    /// Compare the SDK's API surface with the one recorded in `path` (a file committed
    /// next to the spec): `build.rs` prints what changed as `cargo:warning`s,
    /// `orq-codegen check` reports it and the macro warns. With `ORQ_SURFACE=update` in
    /// the environment they write the file instead. The macro and `build.rs` resolve a
    /// relative path against `CARGO_MANIFEST_DIR`, as they do the spec. Off by default:
    /// then nothing is computed.
    pub fn with_surface_file(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.surface_file = Some(path.into());
        self
    }

    /// Emit only the `models` module: the structs, enums, aliases and unions with their
    /// serde impls, without builders, `Validate` impls, client, requests, functions or
    /// mock. Not an SDK: the floor `bench/compile.sh` measures the SDK against (what the
    /// types alone cost to compile), made by the same generator from the same spec.
    pub fn with_models_only(mut self, on: bool) -> Self {
        self.models_only = on;
        self
    }

    /// The surface file set by [`with_surface_file`](Self::with_surface_file).
    pub fn surface_file(&self) -> Option<&std::path::Path> {
        self.surface_file.as_deref()
    }

    pub(crate) fn env_prefix(&self) -> String {
        use heck::ToShoutySnakeCase;
        self.env_prefix
            .clone()
            .unwrap_or_else(|| self.client_name.to_shouty_snake_case())
    }

    /// Whether the operation with first tag `tag` (`None`: untagged) is generated.
    pub(crate) fn selects(&self, tag: Option<&str>, operation_id: Option<&str>) -> bool {
        let by_tag = match (&self.tags, tag) {
            (None, _) => true,
            (Some(tags), Some(tag)) => tags.contains(tag),
            (Some(_), None) => false,
        };
        let by_op = match (&self.operations, operation_id) {
            (None, _) => true,
            (Some(ops), Some(id)) => ops.contains(id),
            (Some(_), None) => false,
        };
        by_tag && by_op
    }
}

#[cfg(test)]
mod tests {
    use super::Settings;

    #[test]
    fn env_prefix_defaults_to_the_client_name_in_screaming_snake_case() {
        let settings = Settings::new().with_client_name("DocSpace");
        assert_eq!(settings.env_prefix(), "DOC_SPACE");
        assert_eq!(settings.with_env_prefix("DS").env_prefix(), "DS");
        assert_eq!(Settings::new().env_prefix(), "CLIENT");
    }

    #[test]
    fn no_filter_selects_every_operation() {
        let settings = Settings::new();
        assert!(settings.selects(Some("contacts"), Some("create")));
        assert!(settings.selects(Some("contacts"), None));
        assert!(settings.selects(None, None));
    }

    #[test]
    fn tag_and_operation_filters_both_apply() {
        let by_tag = Settings::new().with_tag("people").with_tag("files");
        assert!(by_tag.selects(Some("files"), None));
        assert!(!by_tag.selects(Some("rooms"), Some("list")));
        // Untagged operations have no tag to select them by.
        assert!(!by_tag.selects(None, Some("list")));

        let by_op = Settings::new().with_operation("getUser");
        assert!(by_op.selects(Some("people"), Some("getUser")));
        assert!(by_op.selects(None, Some("getUser")));
        assert!(!by_op.selects(Some("people"), Some("listUsers")));
        // An operation without an operationId cannot be named by the filter.
        assert!(!by_op.selects(Some("people"), None));

        let both = Settings::new().with_tag("people").with_operation("getUser");
        assert!(both.selects(Some("people"), Some("getUser")));
        assert!(!both.selects(Some("files"), Some("getUser")));
    }
}
