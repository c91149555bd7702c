//! IR -> usage docs: Markdown pages in the layout of the orq TypeScript and Python
//! SDKs' docs (`README.md`, `sdks/{group}/README.md`, `models/{model}.md`). A group page
//! has, per operation, its description, a Rust example, the standalone-function form,
//! the parameter table (name, type, required, description, limits), the response and
//! the errors; a model page has its fields, values or variants.
//!
//! The examples are complete programs: rustdoc can compile them (orq-client includes
//! its pages as doctests).

mod example;
mod model;
mod operation;

use std::collections::BTreeMap;
use std::fmt::Write;
use std::io;
use std::path::{Path, PathBuf};

use heck::ToSnakeCase;

use crate::files::write_if_changed;
use crate::ir::{Api, Operation};
use crate::settings::{DocsOptions, Settings};
use example::Paths;

/// The rustdoc example of an operation's group method (see [`operation::rustdoc_example`]).
pub(crate) use operation::rustdoc_example;

/// Every page, by path relative to the docs directory, in a stable order.
pub fn pages(api: &Api, settings: &Settings, options: &DocsOptions) -> BTreeMap<String, String> {
    let docs = Docs::new(api, settings, options);
    let mut pages = BTreeMap::new();
    pages.insert("README.md".to_owned(), docs.index());
    for group in api.groups.values() {
        pages.insert(
            format!("sdks/{}/README.md", group.snake),
            docs.group(&group.snake),
        );
    }
    if api.operations.iter().any(|op| op.group.is_none()) {
        pages.insert(OWN_PAGE.to_owned(), docs.own_operations());
    }
    for def in api.types.values() {
        pages.insert(format!("models/{}", model_file(&def.name)), docs.model(def));
    }
    pages
}

/// The page of the client's own operations (those without tags): beside the group
/// folders of `sdks/`, so no tag can take its name.
const OWN_PAGE: &str = "sdks/README.md";

/// See [`crate::sync_usage_docs`].
pub fn sync(dir: &Path, pages: &BTreeMap<String, String>, check: bool) -> io::Result<Vec<PathBuf>> {
    let mut changed = Vec::new();
    for (name, text) in pages {
        let path = dir.join(name);
        if std::fs::read(&path).is_ok_and(|old| old == text.as_bytes()) {
            continue;
        }
        if !check {
            write_if_changed(&path, text)?;
        }
        changed.push(path);
    }
    for extra in leftover_pages(dir, pages) {
        if !check {
            std::fs::remove_file(&extra)?;
        }
        changed.push(extra);
    }
    Ok(changed)
}

/// Markdown files under `dir/sdks` and `dir/models` that are not among `pages`.
fn leftover_pages(dir: &Path, pages: &BTreeMap<String, String>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending: Vec<PathBuf> = ["sdks", "models"].iter().map(|d| dir.join(d)).collect();
    while let Some(current) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                let relative = path.strip_prefix(dir).ok().and_then(Path::to_str);
                let known = relative.is_some_and(|r| pages.contains_key(&r.replace('\\', "/")));
                if !known {
                    out.push(path);
                }
            }
        }
    }
    out.sort();
    out
}

/// The file name of a model's page (`createcontactrequestbody.md`, as in the seeds).
fn model_file(name: &str) -> String {
    format!("{}.md", name.to_lowercase())
}

struct Docs<'a> {
    api: &'a Api,
    settings: &'a Settings,
    options: &'a DocsOptions,
    paths: Paths<'a>,
}

impl<'a> Docs<'a> {
    fn new(api: &'a Api, settings: &'a Settings, options: &'a DocsOptions) -> Self {
        Docs {
            api,
            settings,
            options,
            paths: Paths {
                models: "models",
                reexports: &options.runtime_path,
            },
        }
    }

    pub(super) fn client_var(&self) -> String {
        self.settings.client_name.to_snake_case()
    }

    fn index(&self) -> String {
        let api = self.api;
        let mut out = format!("# {} {}\n\n", api.title, api.version);
        if let Some(description) = &api.description {
            writeln!(out, "{}\n", description.trim()).ok();
        }
        let client = &self.settings.client_name;
        writeln!(
            out,
            "The Rust SDK `{}` generated from this API's OpenAPI document: the client `{client}`, one group of operations per tag, and the models.\n",
            self.options.sdk_path
        )
        .ok();
        let own = api
            .operations
            .iter()
            .filter(|op| op.group.is_none())
            .count();
        if own > 0 {
            writeln!(
                out,
                "## Operations of the client\n\n* [{client}](sdks/README.md): `{}.method()`, {own} operation{} without a tag\n",
                self.client_var(),
                if own == 1 { "" } else { "s" }
            )
            .ok();
        }
        out.push_str("## Groups\n\n");
        for group in api.groups.values() {
            let count = api
                .operations
                .iter()
                .filter(|op| op.group.as_deref() == Some(group.snake.as_str()))
                .count();
            writeln!(
                out,
                "* [{}](sdks/{}/README.md): `{}.{}()`, {count} operation{}",
                group.tag,
                group.snake,
                self.client_var(),
                group.snake,
                if count == 1 { "" } else { "s" }
            )
            .ok();
        }
        out.push_str("\n## Models\n\n");
        for def in api.types.values() {
            let summary = summary(
                def.docs
                    .title
                    .as_deref()
                    .or(def.docs.description.as_deref()),
            );
            writeln!(
                out,
                "* [{}](models/{}){}",
                def.name,
                model_file(&def.name),
                summary.map(|s| format!(" - {s}")).unwrap_or_default()
            )
            .ok();
        }
        out
    }

    fn group(&self, snake: &str) -> String {
        let Some(group) = self.api.groups.get(snake) else {
            return String::new();
        };
        let mut out = format!("# {}\n(*{}()*)\n\n## Overview\n\n", group.tag, group.snake);
        if let Some(description) = &group.description {
            writeln!(out, "{}\n", description.trim()).ok();
        }
        self.operations(out, Some(snake))
    }

    /// The page of the operations without tags, methods of the client itself.
    fn own_operations(&self) -> String {
        let client = &self.settings.client_name;
        let out = format!(
            "# {client}\n(*{}*)\n\n## Overview\n\nThe operations without a tag: methods of the client itself.\n\n",
            self.client_var()
        );
        self.operations(out, None)
    }

    /// `out`, then the list and the sections of the operations of `group`.
    fn operations(&self, mut out: String, group: Option<&str>) -> String {
        let ops: Vec<&Operation> = self
            .api
            .operations
            .iter()
            .filter(|op| op.group.as_deref() == group)
            .collect();
        if let Some(feature) = self.api.features.as_ref().and_then(|f| f.of_group(group)) {
            writeln!(
                out,
                "Compiled with the SDK crate's cargo feature `{feature}` (`features = [\"{feature}\"]` where you depend on it).\n"
            )
            .ok();
        }
        out.push_str("### Available Operations\n\n");
        for op in &ops {
            let summary = summary(op.docs.title.as_deref().or(op.docs.description.as_deref()));
            writeln!(
                out,
                "* [{0}](#{1}){2}",
                op.names.method,
                anchor(&op.names.method),
                summary.map(|s| format!(" - {s}")).unwrap_or_default()
            )
            .ok();
        }
        for op in ops {
            out.push('\n');
            out.push_str(&self.operation(op));
        }
        out
    }
}
/// The first sentence-ish line of a description, for lists.
fn summary(text: Option<&str>) -> Option<String> {
    let line = text?.lines().map(str::trim).find(|l| !l.is_empty())?;
    Some(cell(line))
}

/// Text safe inside a table cell: one line, `|` escaped.
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

fn limits(lines: &[String]) -> String {
    cell(&lines.join(" "))
}

fn check(required: bool) -> String {
    if required {
        ":heavy_check_mark:".to_owned()
    } else {
        ":heavy_minus_sign:".to_owned()
    }
}

fn row<const N: usize>(out: &mut String, cells: [String; N]) {
    writeln!(out, "| {} |", cells.join(" | ")).ok();
}

/// GitHub's heading anchor for a method name: lower case, `_` kept.
fn anchor(name: &str) -> String {
    name.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: Pets, version: "2"}
servers: [{url: "https://pets.example"}]
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
  schemas:
    Pet:
      type: object
      description: A pet | with a pipe
      required: [name]
      properties:
        name: {type: string, minLength: 1, example: Rex}
        tag: {type: string, nullable: true}
    Error:
      type: object
      properties:
        message: {type: string}
security: [{key: []}]
paths:
  /pets/{id}:
    get:
      operationId: getPet
      tags: [pets]
      summary: Get a pet
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, format: int64}, example: 7}
        - {name: fields, in: query, schema: {type: array, items: {type: string}, maxItems: 3}}
      responses:
        "200": {description: the pet, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
        "404": {description: no such pet, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}
"#;

    fn docs() -> BTreeMap<String, String> {
        docs_of(SPEC)
    }

    fn docs_of(spec: &str) -> BTreeMap<String, String> {
        let settings = Settings::new().with_client_name("Pets");
        let (api, diags) = crate::test_api(spec, &settings);
        assert!(diags.is_empty(), "{diags:?}");
        let options = DocsOptions {
            sdk_path: "pets_sdk".into(),
            runtime_path: "orq_runtime".into(),
        };
        pages(&api, &settings, &options)
    }

    #[test]
    fn one_page_per_group_and_model_plus_an_index() {
        let pages = docs();
        let names: Vec<&str> = pages.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "README.md",
                "models/error.md",
                "models/pet.md",
                "sdks/pets/README.md"
            ]
        );
        assert!(
            pages["README.md"]
                .contains("* [pets](sdks/pets/README.md): `pets.pets()`, 1 operation")
        );
    }

    #[test]
    fn an_operation_has_an_example_parameters_response_and_errors() {
        let page = &docs()["sdks/pets/README.md"];
        assert!(page.contains("* [get_pet](#get_pet) - Get a pet"), "{page}");
        assert!(
            page.contains("let pets = Pets::from_env()?; // PETS_API_KEY"),
            "{page}"
        );
        assert!(
            page.contains("let result = pets.pets().get_pet(7i64).await?;"),
            "{page}"
        );
        assert!(page.contains("use pets_sdk::Pets;\n"), "{page}");
        assert!(page.contains("use pets_sdk::{Pets, funcs};\n"), "{page}");
        assert!(
            page.contains("let result = funcs::pets_get_pet(&pets, 7i64).await?;"),
            "{page}"
        );
        assert!(
            page.contains("| `id` | `i64` | :heavy_check_mark: | (path `id`) |  |"),
            "{page}"
        );
        assert!(page.contains("| `.fields(..)` | `Vec<String>` | :heavy_minus_sign: | (query `fields`) | Items: at most 3. |"), "{page}");
        assert!(
            page.contains("**[models::Pet](../../models/pet.md)**"),
            "{page}"
        );
        assert!(page.contains("| 404 | `Some(PetsGetPetError::Status404(..))` | [models::Error](../../models/error.md) - no such pet |"), "{page}");
        assert!(
            page.contains("| any other 4XX, 5XX | `None` | the raw body (`err.raw_body()`) |"),
            "{page}"
        );
        // The typed handling, on the method, with a variant per declared status.
        assert!(page.contains("use pets_sdk::{Pets, requests};\n"), "{page}");
        assert!(
            page.contains("match pets.pets().get_pet(7i64).await {"),
            "{page}"
        );
        assert!(
            page.contains("Err(err) => match requests::PetsGetPetError::from_error(&err) {"),
            "{page}"
        );
        assert!(page.contains("Some(requests::PetsGetPetError::Status404(model)) => eprintln!(\"404: {model:?}\"),"), "{page}");
    }

    #[test]
    fn bodiless_declared_errors_are_read_by_status() {
        let spec = format!(
            "{SPEC}  /health:\n    get:\n      operationId: getHealth\n      tags: [pets]\n      responses:\n        \"204\": {{description: ok}}\n        \"503\": {{description: down}}\n        5XX: {{description: broken}}\n"
        );
        let page = &docs_of(&spec)["sdks/pets/README.md"];
        assert!(
            page.contains(
                "`pets_sdk::requests::PetsGetHealthError` is `orq_runtime::DeclaredStatus`"
            ),
            "{page}"
        );
        assert!(page.contains("| 503 | `Some(..)` | down |"), "{page}");
        assert!(page.contains("| 5XX | `Some(..)` | broken |"), "{page}");
        assert!(
            page.contains("Err(err) => match requests::PetsGetHealthError::from_error(&err).map(|e| e.status().as_u16()) {\n            Some(503) => eprintln!(\"503\"),\n            Some(500..=599) => eprintln!(\"5XX\"),\n"),
            "{page}"
        );
        // No enum, so nothing about variants or `#[non_exhaustive]`.
        let health = &page[page.find("## get_health").expect("a section")..];
        assert!(!health.contains("non_exhaustive"), "{health}");
    }

    #[test]
    fn untagged_operations_have_a_page_of_the_client_own_methods() {
        let spec = format!(
            "{SPEC}  /health:\n    get:\n      operationId: getHealth\n      responses: {{\"204\": {{description: ok}}}}\n"
        );
        let pages = docs_of(&spec);
        let page = &pages["sdks/README.md"];
        assert!(page.starts_with("# Pets\n(*pets*)"), "{page}");
        assert!(
            page.contains("let result = pets.get_health().await?;"),
            "{page}"
        );
        assert!(page.contains("funcs::get_health(&pets)"), "{page}");
        assert!(!page.contains("get_pet"), "{page}");
        assert!(
            pages["README.md"]
                .contains("* [Pets](sdks/README.md): `pets.method()`, 1 operation without a tag")
        );
        assert!(!pages["sdks/pets/README.md"].contains("get_health"));
    }

    #[test]
    fn with_groups_as_features_each_group_page_names_its_feature() {
        let settings = Settings::new()
            .with_client_name("Pets")
            .with_features_per_tag(true);
        let spec = format!(
            "{SPEC}  /health:\n    get:\n      operationId: getHealth\n      responses: {{\"204\": {{description: ok}}}}\n"
        );
        let (api, _) = crate::test_api(&spec, &settings);
        let options = DocsOptions {
            sdk_path: "pets_sdk".into(),
            runtime_path: "orq_runtime".into(),
        };
        let pages = pages(&api, &settings, &options);
        let feature = |name: &str| {
            format!(
                "Compiled with the SDK crate's cargo feature `{name}` (`features = [\"{name}\"]`"
            )
        };
        assert!(pages["sdks/pets/README.md"].contains(&feature("pets")));
        assert!(pages["sdks/README.md"].contains(&feature("untagged")));
        assert!(!docs()["sdks/pets/README.md"].contains("cargo feature"));
    }

    #[test]
    fn a_base_page_lists_each_child_with_its_tags_and_a_child_its_own() {
        let spec = SPEC.replace(
            "    Error:\n",
            "    Animal:\n      type: object\n      required: [kind]\n      properties: {kind: {type: string}}\n      discriminator: {propertyName: kind, mapping: {cat: Cat, kitty: Cat}}\n    Cat:\n      allOf: [{$ref: '#/components/schemas/Animal'}, {properties: {lives: {type: integer}}}]\n    Error:\n",
        );
        let pages = docs_of(&spec);
        let base = &pages["models/animal.md"];
        assert!(
            base.contains("| `Cat` | [models::Cat](../../models/cat.md) | `cat`, `kitty` |"),
            "{base}"
        );
        assert!(base.contains("Chosen by the property `kind`."), "{base}");
        let child = &pages["models/cat.md"];
        assert!(
            child.contains("The discriminator: `cat` unless set."),
            "{child}"
        );
    }

    #[test]
    fn sync_writes_what_differs_and_removes_leftovers() {
        let dir = std::env::temp_dir().join(format!("orq-usage-sync-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let pages = docs();
        assert_eq!(sync(&dir, &pages, true).unwrap().len(), pages.len());
        assert_eq!(sync(&dir, &pages, false).unwrap().len(), pages.len());
        assert!(sync(&dir, &pages, true).unwrap().is_empty());
        let leftover = dir.join("models/gone.md");
        std::fs::write(&leftover, "old").unwrap();
        std::fs::write(dir.join("notes.md"), "the user's own page").unwrap();
        assert_eq!(
            sync(&dir, &pages, true).unwrap(),
            std::slice::from_ref(&leftover)
        );
        assert!(leftover.exists(), "check mode changes nothing");
        sync(&dir, &pages, false).unwrap();
        assert!(!leftover.exists() && dir.join("notes.md").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_model_page_tabulates_fields_with_limits_and_examples() {
        let page = &docs()["models/pet.md"];
        assert!(page.contains("A pet | with a pipe"), "{page}");
        assert!(page.contains("| `name` | `String` | :heavy_check_mark: |  | Length: at least 1 character. | `\"Rex\"` |"), "{page}");
        assert!(
            page.contains("| `tag` | `OptionalNullable<String>` | :heavy_minus_sign: |"),
            "{page}"
        );
    }
}
