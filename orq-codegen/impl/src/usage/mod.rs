//! IR -> usage docs: Markdown pages in the layout of the orq TypeScript and Python
//! SDKs' docs (`README.md`, `sdks/{group}/README.md`, `models/{model}.md`). A group page
//! has, per operation, its description, a Rust example, the standalone-function form,
//! the parameter table (name, type, required, description, limits), the response and
//! the errors; a model page has its fields, values or variants.
//!
//! The examples are complete programs: rustdoc can compile them (orq-client includes
//! its pages as doctests).

mod example;

use std::collections::BTreeMap;
use std::fmt::Write;
use std::io;
use std::path::{Path, PathBuf};

use heck::ToSnakeCase;

use crate::emit::docs::{constraint_lines, note_text, status_text};
use crate::ir::{
    Api, EnvCredential, MediaKind, Operation, Param, Presence, ResponseCase, StatusMatch, Ty,
    TypeDef, TypeKind,
};
use crate::settings::Settings;
use example::{Paths, Target, expr, parse_example};

/// Where the generated SDK lives, as a user of it names it.
#[derive(Clone, Debug)]
pub struct DocsOptions {
    /// The path of the module or crate holding the SDK, e.g. `orq_client` or `crate::api`.
    pub sdk_path: String,
    /// Where the runtime's crates and types are re-exported for the user (`chrono`, `url`,
    /// `serde_json`, `Error`, ...), e.g. `orq_client` or `orq_runtime`.
    pub runtime_path: String,
}

/// Every page, by path relative to the docs directory, in a stable order.
pub fn pages(api: &Api, settings: &Settings, options: &DocsOptions) -> BTreeMap<String, String> {
    let docs = Docs {
        api,
        settings,
        options,
        paths: Paths {
            models: "models",
            reexports: &options.runtime_path,
        },
    };
    let mut pages = BTreeMap::new();
    pages.insert("README.md".to_owned(), docs.index());
    for group in api.groups.values() {
        pages.insert(
            format!("sdks/{}/README.md", group.snake),
            docs.group(&group.snake),
        );
    }
    for def in api.types.values() {
        pages.insert(format!("models/{}", model_file(&def.name)), docs.model(def));
    }
    pages
}

/// See [`crate::sync_usage_docs`].
pub fn sync(dir: &Path, pages: &BTreeMap<String, String>, check: bool) -> io::Result<Vec<PathBuf>> {
    let mut changed = Vec::new();
    for (name, text) in pages {
        let path = dir.join(name);
        if std::fs::read(&path).is_ok_and(|old| old == text.as_bytes()) {
            continue;
        }
        if !check {
            crate::build::write_if_changed(&path, text)?;
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

impl Docs<'_> {
    fn client_var(&self) -> String {
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
        out.push_str("## Groups\n\n");
        for group in api.groups.values() {
            let count = api
                .operations
                .iter()
                .filter(|op| op.group == group.snake)
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
        let ops: Vec<&Operation> = self
            .api
            .operations
            .iter()
            .filter(|op| op.group == snake)
            .collect();
        let mut out = format!("# {}\n(*{}()*)\n\n## Overview\n\n", group.tag, group.snake);
        if let Some(description) = &group.description {
            writeln!(out, "{}\n", description.trim()).ok();
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

    fn operation(&self, op: &Operation) -> String {
        let mut out = format!("## {}\n\n", op.names.method);
        for text in [&op.docs.title, &op.docs.description].into_iter().flatten() {
            writeln!(out, "{}\n", text.trim()).ok();
        }
        writeln!(
            out,
            "`{} {}` (operation `{}`)\n",
            op.method.as_str(),
            op.path.raw,
            op.operation_id
        )
        .ok();
        if op.docs.deprecated {
            out.push_str("> **Deprecated** by the API.\n\n");
        }
        for note in &op.notes {
            writeln!(out, "> Note: {}\n", note_text(note)).ok();
        }
        let (lets, args) = self.arguments(op);
        let var = self.client_var();
        let setup = format!("{}{lets}", self.construct_client());
        let call = format!(
            "{var}.{}().{}({})",
            op.group,
            op.names.method,
            args.join(", ")
        );
        out.push_str("### Example Usage\n\n");
        out.push_str(&self.program(&format!("{setup}let result = {call}.await?;")));
        out.push_str(
            "\n### Standalone function\n\nThe same call as a function taking the client first:\n\n",
        );
        let mut func_args = vec![format!("&{var}")];
        func_args.extend(args);
        let call = format!("funcs::{}({})", op.names.func, func_args.join(", "));
        out.push_str(&self.program(&format!("{setup}let result = {call}.await?;")));
        out.push_str("\n### Parameters\n\n");
        out.push_str(&self.parameters(op));
        out.push_str("\n### Response\n\n");
        out.push_str(&self.response(op));
        out.push_str("\n### Errors\n\n");
        out.push_str(&self.errors(op));
        out
    }

    /// How the examples get a client: from the environment when the spec has a
    /// credential it reads, else with the builder.
    fn construct_client(&self) -> String {
        let client = &self.settings.client_name;
        let var = self.client_var();
        let prefix = self.settings.env_prefix();
        match self.api.env_credential {
            EnvCredential::None => format!("let {var} = {client}::builder().build()?;\n"),
            EnvCredential::Bearer | EnvCredential::ApiKey => format!(
                "let {var} = {client}::from_env()?; // {prefix}_API_KEY, optional {prefix}_SERVER_URL\n"
            ),
        }
    }

    /// A complete program around `body`, as a ```` ```rust,no_run ```` block that imports
    /// the client, and `funcs` and `models` when it uses them.
    fn program(&self, body: &str) -> String {
        let mut names = vec![self.settings.client_name.clone()];
        for module in ["funcs", "models"] {
            if body.contains(&format!("{module}::")) {
                names.push(module.to_owned());
            }
        }
        let uses = if names.len() == 1 {
            format!("use {}::{};", self.options.sdk_path, names[0])
        } else {
            format!("use {}::{{{}}};", self.options.sdk_path, names.join(", "))
        };
        let body = format!("{body}\nprintln!(\"{{result:?}}\");").replace('\n', "\n    ");
        format!(
            "```rust,no_run\n{uses}\n\n#[tokio::main]\nasync fn main() -> Result<(), Box<dyn std::error::Error>> {{\n    {body}\n    Ok(())\n}}\n```\n"
        )
    }

    /// The example arguments of the call (required parameters, then the body), and the
    /// `let` statements that build the ones too long to write inline.
    fn arguments(&self, op: &Operation) -> (String, Vec<String>) {
        let mut lets = String::new();
        let mut inline = |name: &str, value: String| {
            if value.contains('\n') {
                writeln!(lets, "let {name} = {value};").ok();
                name.to_owned()
            } else {
                value
            }
        };
        let mut args: Vec<String> = op
            .params
            .iter()
            .filter(|p| p.required)
            .map(|p| {
                let example = p.docs.example.as_deref().and_then(parse_example);
                let value = expr(
                    self.api,
                    &self.paths,
                    &p.ty,
                    &p.wire_name,
                    example.as_ref(),
                    Target::Into,
                );
                inline(&p.rust_name, value)
            })
            .collect();
        if let Some(body) = op.body.as_ref().filter(|b| b.required) {
            let example = body.docs.example.as_deref().and_then(parse_example);
            let value = expr(
                self.api,
                &self.paths,
                &body.ty,
                "body",
                example.as_ref(),
                Target::Into,
            );
            args.push(inline("body", value));
        }
        (lets, args)
    }

    fn parameters(&self, op: &Operation) -> String {
        let mut out = String::from(
            "Required parameters are the method's arguments, in this order; optional ones are set on the request (`.name(value)`) before `.await`.\n\n",
        );
        out.push_str("| Parameter | Type | Required | Description | Limits |\n");
        out.push_str("| --- | --- | --- | --- | --- |\n");
        let mut ordered: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
        ordered.extend(op.params.iter().filter(|p| !p.required));
        for p in ordered {
            let mut description = cell(p.docs.description.as_deref().unwrap_or(""));
            if !description.is_empty() {
                description.push(' ');
            }
            write!(description, "({} `{}`)", p.location.as_str(), p.wire_name).ok();
            let name = if p.required {
                format!("`{}`", p.rust_name)
            } else {
                format!("`.{}(..)`", p.rust_name)
            };
            row(
                &mut out,
                [
                    name,
                    self.type_cell(&p.ty),
                    check(p.required),
                    description,
                    limits(&constraint_lines(&p.constraints)),
                ],
            );
        }
        if let Some(body) = &op.body {
            let name = if body.required {
                "`body`"
            } else {
                "`.body(..)`"
            };
            let mut description = cell(body.docs.description.as_deref().unwrap_or(""));
            if !description.is_empty() {
                description.push(' ');
            }
            write!(description, "(`{}`", body.media_type).ok();
            for (media, kind) in &body.alternatives {
                write!(
                    description,
                    "; or `{media}` with `.encode_as_{}()`",
                    kind.as_str()
                )
                .ok();
            }
            description.push(')');
            row(
                &mut out,
                [
                    name.to_owned(),
                    self.type_cell(&body.ty),
                    check(body.required),
                    description,
                    String::new(),
                ],
            );
        }
        let rt = &self.options.runtime_path;
        for (name, ty, description) in [
            (
                "`.retries(..)`",
                format!("`{rt}::RetryConfig`"),
                "Overrides the client's retry configuration for this call.",
            ),
            (
                "`.timeout(..)`",
                "`std::time::Duration`".to_owned(),
                "Overrides the per-attempt timeout for this call.",
            ),
            (
                "`.header(..)`",
                "name, value".to_owned(),
                "Adds a header to this call (CR/LF refused).",
            ),
            (
                "`.options(..)`",
                format!("`{rt}::CallOptions`"),
                "Retries, timeout and headers at once.",
            ),
        ] {
            row(
                &mut out,
                [
                    name.to_owned(),
                    ty,
                    check(false),
                    description.to_owned(),
                    String::new(),
                ],
            );
        }
        out
    }

    fn response(&self, op: &Operation) -> String {
        let typed: Vec<&ResponseCase> = op.success.iter().filter(|c| c.ty.is_some()).collect();
        let one = typed.first().filter(|first| {
            typed.iter().all(|c| c.ty == first.ty) && typed.len() == op.success.len()
        });
        let mut out = match (typed.is_empty(), one) {
            (true, _) => "**`()`** (the response has no content)\n".to_owned(),
            (false, Some(case)) => format!("**{}**\n", self.case_type(case)),
            (false, None) => {
                let mut out = format!(
                    "**`{}::requests::{}`**, one variant per status:\n\n",
                    self.options.sdk_path, op.names.response
                );
                for case in &op.success {
                    writeln!(
                        out,
                        "* {}: {} - {}",
                        status_text(case.status),
                        self.case_type(case),
                        cell(&case.description)
                    )
                    .ok();
                }
                out
            }
        };
        out.push_str(
            "\n`.send_with_response()` instead of `.await` also gives the status and the response headers.\n",
        );
        out
    }

    fn case_type(&self, case: &ResponseCase) -> String {
        match (&case.ty, &case.kind) {
            (None, _) => "no content".to_owned(),
            (Some(ty), MediaKind::Json) => self.type_cell(ty),
            (Some(_), MediaKind::Text) => "`String`".to_owned(),
            (Some(_), _) => format!("`{}::bytes::Bytes`", self.options.runtime_path),
        }
    }

    fn errors(&self, op: &Operation) -> String {
        let rt = &self.options.runtime_path;
        let mut out = String::from("| Error | Status | Body |\n| --- | --- | --- |\n");
        // Statuses with the same body and description share a row (`4XX, 5XX`).
        let mut rows: Vec<(String, Vec<String>)> = Vec::new();
        for case in &op.errors {
            let body = format!("{} - {}", self.case_type(case), cell(&case.description));
            match rows.iter_mut().find(|(b, _)| *b == body) {
                Some((_, statuses)) => statuses.push(status_text(case.status)),
                None => rows.push((body, vec![status_text(case.status)])),
            }
        }
        for (body, statuses) in rows {
            row(
                &mut out,
                [format!("`{rt}::Error::Api`"), statuses.join(", "), body],
            );
        }
        let covered = |digit| {
            op.errors.iter().any(|c| {
                matches!(c.status, StatusMatch::Default) || c.status == StatusMatch::Range(digit)
            })
        };
        if !(covered(4) && covered(5)) {
            let other = if op.errors.is_empty() {
                "4XX, 5XX"
            } else {
                "any other 4XX, 5XX"
            };
            row(
                &mut out,
                [
                    format!("`{rt}::Error::Api`"),
                    other.to_owned(),
                    "the raw body (`err.raw_body()`)".to_owned(),
                ],
            );
        }
        writeln!(
            out,
            "\nEvery `Error::Api` keeps the status, the headers and the raw body; a declared body is parsed with `err.api_model::<T>()`. The other errors: `InvalidRequest` (a value breaks a limit, nothing sent), `Transport`, `Timeout`, `Decode` (a success body that does not match the spec) and `Config`."
        )
        .ok();
        out
    }

    /// A type as the docs show it, linking generated models to their pages.
    fn type_cell(&self, ty: &Ty) -> String {
        type_text(ty).cell()
    }

    fn model(&self, def: &TypeDef) -> String {
        let mut out = format!("# {}\n\n", def.name);
        for text in [&def.docs.title, &def.docs.description]
            .into_iter()
            .flatten()
        {
            writeln!(out, "{}\n", text.trim()).ok();
        }
        if def.docs.deprecated {
            out.push_str("> **Deprecated** by the API.\n\n");
        }
        for note in &def.docs.notes {
            writeln!(out, "> Note: {}\n", note_text(note)).ok();
        }
        writeln!(out, "`{}::models::{}`\n", self.options.sdk_path, def.name).ok();
        match &def.kind {
            TypeKind::Struct(s) => {
                out.push_str("## Fields\n\n| Field | Type | Required | Description | Limits | Example |\n| --- | --- | --- | --- | --- | --- |\n");
                for f in &s.fields {
                    let ty = match f.presence {
                        Presence::Required => type_text(&f.ty),
                        Presence::RequiredNullable | Presence::Optional => wrap("Option", &f.ty),
                        Presence::OptionalNullable => wrap("OptionalNullable", &f.ty),
                    }
                    .cell();
                    let mut description = cell(
                        f.docs
                            .description
                            .as_deref()
                            .or(f.docs.title.as_deref())
                            .unwrap_or(""),
                    );
                    if f.json_name != f.rust_name {
                        write!(description, " (JSON `{}`)", f.json_name).ok();
                    }
                    if f.read_only {
                        description.push_str(" Read-only: set by the server.");
                    }
                    let mut limits_text = constraint_lines(&f.constraints);
                    limits_text.extend(
                        constraint_lines(&f.item_constraints)
                            .into_iter()
                            .map(|l| format!("Each item: {l}")),
                    );
                    if let Some(format) = &f.docs.format {
                        limits_text.push(format!("Format: `{format}`."));
                    }
                    row(
                        &mut out,
                        [
                            format!("`{}`", f.rust_name),
                            ty,
                            check(matches!(
                                f.presence,
                                Presence::Required | Presence::RequiredNullable
                            )),
                            description.trim().to_owned(),
                            limits(&limits_text),
                            f.docs
                                .example
                                .as_deref()
                                .map(|e| format!("`{}`", cell(e).replace('`', "'")))
                                .unwrap_or_default(),
                        ],
                    );
                }
                if let Some(additional) = &s.additional {
                    writeln!(
                        out,
                        "\nOther properties are kept in a map of {}.",
                        self.type_cell(additional)
                    )
                    .ok();
                }
            }
            TypeKind::Enum(e) => {
                out.push_str("## Values\n\n| Variant | Value |\n| --- | --- |\n");
                for v in &e.variants {
                    row(
                        &mut out,
                        [format!("`{}`", v.rust_name), format!("`{}`", v.value)],
                    );
                }
                out.push_str("\nAny other value the server sends is kept as `Unknown`.\n");
            }
            TypeKind::Alias(ty, constraints) => {
                writeln!(out, "An alias of {}.", self.type_cell(ty)).ok();
                let lines = constraint_lines(constraints);
                if !lines.is_empty() {
                    writeln!(out, "\nLimits: {}", lines.join(" ")).ok();
                }
            }
            TypeKind::Union(u) => {
                let kind = if u.any_of { "anyOf" } else { "oneOf" };
                writeln!(out, "One of these (`{kind}`):\n").ok();
                out.push_str("| Variant | Type |\n| --- | --- |\n");
                for v in &u.variants {
                    row(
                        &mut out,
                        [format!("`{}`", v.rust_name), self.type_cell(&v.ty)],
                    );
                }
                if let Some(discriminator) = &u.discriminator {
                    writeln!(out, "\nChosen by the property `{discriminator}`.").ok();
                }
                out.push_str("\nAny other value is kept as `Unknown`.\n");
            }
        }
        out
    }
}

/// A type's text: plain (shown as code) or with links to model pages (Markdown).
enum TypeText {
    Plain(String),
    Linked(String),
}

impl TypeText {
    /// As a table cell: plain text as code, linked text as Markdown.
    fn cell(self) -> String {
        match self {
            TypeText::Plain(text) => format!("`{text}`"),
            TypeText::Linked(text) => text,
        }
    }
}

/// `Outer<inner>`.
fn wrap(outer: &str, inner: &Ty) -> TypeText {
    match type_text(inner) {
        TypeText::Plain(text) => TypeText::Plain(format!("{outer}<{text}>")),
        TypeText::Linked(text) => TypeText::Linked(format!("{outer}\\<{text}\\>")),
    }
}

fn type_text(ty: &Ty) -> TypeText {
    let plain = |text: &str| TypeText::Plain(text.to_owned());
    match ty {
        Ty::String => plain("String"),
        Ty::Bool => plain("bool"),
        Ty::I8 => plain("i8"),
        Ty::I16 => plain("i16"),
        Ty::I32 => plain("i32"),
        Ty::I64 => plain("i64"),
        Ty::U8 => plain("u8"),
        Ty::U16 => plain("u16"),
        Ty::U32 => plain("u32"),
        Ty::U64 => plain("u64"),
        Ty::F32 => plain("f32"),
        Ty::F64 => plain("f64"),
        Ty::DateTime => plain("DateTime<Utc>"),
        Ty::Date => plain("NaiveDate"),
        Ty::Url => plain("Uri"),
        Ty::Uuid => plain("Uuid"),
        Ty::Base64 => plain("Base64Bytes"),
        Ty::Binary => plain("Binary"),
        Ty::Json => plain("serde_json::Value"),
        Ty::JsonObject => plain("serde_json::Map<String, Value>"),
        Ty::Bytes => plain("Bytes"),
        Ty::Multipart => plain("Multipart"),
        Ty::Vec(inner) => wrap("Vec", inner),
        Ty::Map(inner) => match type_text(inner) {
            TypeText::Plain(text) => TypeText::Plain(format!("BTreeMap<String, {text}>")),
            TypeText::Linked(text) => TypeText::Linked(format!("BTreeMap\\<String, {text}\\>")),
        },
        Ty::Nullable(inner) => wrap("Option", inner),
        Ty::Boxed(inner) => type_text(inner),
        Ty::Named(name) => TypeText::Linked(format!(
            "[models::{name}](../../models/{})",
            model_file(name)
        )),
        Ty::External(path) => TypeText::Plain(path.clone()),
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
        let settings = Settings::new().with_client_name("Pets");
        let (api, diags) = crate::test_api(SPEC, &settings);
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
            page.contains("| `orq_runtime::Error::Api` | any other 4XX, 5XX | the raw body"),
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
        assert!(page.contains("| `orq_runtime::Error::Api` | 404 | [models::Error](../../models/error.md) - no such pet |"), "{page}");
        assert!(
            page.contains("| `orq_runtime::Error::Api` | any other 4XX, 5XX | the raw body"),
            "{page}"
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
