//! The page section of one operation: description, examples, parameters, response,
//! errors.

use std::fmt::Write;

use super::example::{Target, expr, parse_example};
use super::{Docs, cell, check, limits, row};
use crate::emit::docs::{constraint_lines, form_text, note_text, status_text};
use crate::ir::{
    Api, EnvCredential, MediaKind, Operation, Param, ResponseCase, StatusMatch, SuccessShape,
};
use crate::naming::status_variant;
use crate::settings::DocsOptions;
use crate::settings::Settings;

/// The example of `op`'s group method as rustdoc lines: the call with its required
/// arguments, then `.await?`. With [`Settings::with_doc_tests`] it is a `no_run` doctest
/// (compiled by `cargo test --doc`, never run) naming the SDK by that path; without, it is
/// shown but not compiled (`ignore`), so a large SDK adds no doctests to its crate.
pub(crate) fn rustdoc_example(api: &Api, settings: &Settings, op: &Operation) -> Vec<String> {
    let runtime = settings.runtime.trim_start_matches("::").to_owned();
    let fallback = DocsOptions {
        sdk_path: "crate".to_owned(),
        runtime_path: runtime,
    };
    let options = settings.doc_tests.as_ref().unwrap_or(&fallback);
    let docs = Docs::new(api, settings, options);
    let (lets, args) = docs.arguments(op);
    let call = use_call(op, &docs.method_call(op, &args));
    let body = format!("{}{lets}{call}", docs.construct_client());
    let mut out = vec!["# Example".to_owned(), String::new()];
    match &settings.doc_tests {
        Some(paths) => {
            let client = &settings.client_name;
            out.push("```no_run".to_owned());
            if body.contains("models::") {
                out.push(format!("use {}::{{{client}, models}};", paths.sdk_path));
            } else {
                out.push(format!("use {}::{client};", paths.sdk_path));
            }
            out.push("# async fn example() -> Result<(), Box<dyn std::error::Error>> {".to_owned());
            out.extend(body.lines().map(str::to_owned));
            if op.events.is_none() {
                out.push("# let _ = result;".to_owned());
            }
            out.push("# Ok(())".to_owned());
            out.push("# }".to_owned());
        }
        None => {
            out.push("```ignore".to_owned());
            out.extend(body.lines().map(str::to_owned));
        }
    }
    out.push("```".to_owned());
    out
}

/// The example's use of the call: `.await` its result, or for a stream of server-sent
/// events, the loop over the events.
fn use_call(op: &Operation, call: &str) -> String {
    if op.events.is_none() {
        return format!("let result = {call}.await?;");
    }
    format!(
        "let mut events = {call}.await?;\nwhile let Some(event) = events.next().await {{\n    let event = event?;\n    println!(\"{{:?}}\", event.data);\n}}"
    )
}

impl Docs<'_> {
    pub(super) fn operation(&self, op: &Operation) -> String {
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
        if let Some(form) = &op.form {
            writeln!(out, "{}\n", form_text(form)).ok();
        }
        let (lets, args) = self.arguments(op);
        let var = self.client_var();
        let setup = format!("{}{lets}", self.construct_client());
        let method_call = self.method_call(op, &args);
        out.push_str("### Example Usage\n\n");
        out.push_str(&self.program(&format!("{setup}{}", use_call(op, &method_call))));
        out.push_str(
            "\n### Standalone function\n\nThe same call as a function taking the client first:\n\n",
        );
        let mut func_args = vec![format!("&{var}")];
        func_args.extend(args);
        let call = format!("funcs::{}({})", op.names.func, func_args.join(", "));
        out.push_str(&self.program(&format!("{setup}{}", use_call(op, &call))));
        if let Some(paging) = op.paging.as_ref().filter(|_| op.events.is_none()) {
            writeln!(
                out,
                "\n### Pages\n\n{}\n",
                crate::emit::docs::paging_text(self.api, op, paging)
            )
            .ok();
            out.push_str(&self.program(&format!(
                "{setup}let mut items = {method_call}.items();\nwhile let Some(item) = items.next().await {{\n    let item = item?;\n    println!(\"{{item:?}}\");\n}}"
            )));
        }
        out.push_str("\n### Parameters\n\n");
        out.push_str(&self.parameters(op));
        out.push_str("\n### Response\n\n");
        out.push_str(&self.response(op));
        out.push_str("\n### Errors\n\n");
        out.push_str(&self.errors(op));
        if !op.errors.is_empty() {
            out.push('\n');
            out.push_str(&self.error_example(op, &setup, &method_call));
        }
        out
    }

    /// The call of `op`'s method with `args`: on its group, or on the client itself for
    /// an untagged operation.
    pub(super) fn method_call(&self, op: &Operation, args: &[String]) -> String {
        let var = self.client_var();
        let args = args.join(", ");
        match &op.group {
            Some(group) => format!("{var}.{group}().{}({args})", op.names.method),
            None => format!("{var}.{}({args})", op.names.method),
        }
    }

    /// How the examples get a client: from the environment when the spec has a
    /// credential it reads, else with the builder.
    pub(super) fn construct_client(&self) -> String {
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
    /// the client, and `funcs`, `models` and `requests` when it uses them.
    fn program(&self, body: &str) -> String {
        let mut names = vec![self.settings.client_name.clone()];
        for module in ["funcs", "models", "requests"] {
            if body.contains(&format!("{module}::")) {
                names.push(module.to_owned());
            }
        }
        let uses = if names.len() == 1 {
            format!("use {}::{};", self.options.sdk_path, names[0])
        } else {
            format!("use {}::{{{}}};", self.options.sdk_path, names.join(", "))
        };
        let body = if body.contains("let result = ") {
            format!("{body}\nprintln!(\"{{result:?}}\");")
        } else {
            body.to_owned()
        };
        let body = body.replace('\n', "\n    ");
        format!(
            "```rust,no_run\n{uses}\n\n#[tokio::main]\nasync fn main() -> Result<(), Box<dyn std::error::Error>> {{\n    {body}\n    Ok(())\n}}\n```\n"
        )
    }

    /// The example arguments of the call (required parameters, then the body), and the
    /// `let` statements that build the ones too long to write inline.
    pub(super) fn arguments(&self, op: &Operation) -> (String, Vec<String>) {
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
                Target::Body,
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
        if let Some(events) = &op.events {
            let rt = &self.options.runtime_path;
            let data = if events.json {
                self.type_cell(&events.data)
            } else {
                "`String`".to_owned()
            };
            let end = match &events.sentinel {
                Some(sentinel) => format!(
                    "it ends at the event whose data is `{sentinel}`, or when the server closes the connection"
                ),
                None => "it ends when the server closes the connection".to_owned(),
            };
            return format!(
                "**a stream of server-sent events**: `.await` gives a `{rt}::EventStream` once the response headers arrive; each item is `Result<{rt}::Event<T>, {rt}::Error>` with the event's data as {data} (`event.data`), its `event`, `id` and `retry`. An event whose data does not decode is an `Error::Decode` item with the raw data, and the stream goes on; {end}. The per-attempt timeout bounds the wait for the headers, then `.idle_timeout(..)` (by default the same) the wait between chunks. Dropping the stream closes the connection.\n"
            );
        }
        let mut out = match op.success_shape() {
            SuccessShape::Empty => "**`()`** (the response has no content)\n".to_owned(),
            // Every success has this content; the first says how it is decoded.
            SuccessShape::One(_) => format!("**{}**\n", self.case_type(&op.success[0], true)),
            SuccessShape::Mixed => {
                let mut out = format!(
                    "**`{}::requests::{}`**, one variant per status:\n\n",
                    self.options.sdk_path, op.names.response
                );
                for case in &op.success {
                    writeln!(
                        out,
                        "* {}: {} - {}",
                        status_text(case.status),
                        self.case_type(case, false),
                        cell(&case.description)
                    )
                    .ok();
                }
                out
            }
        };
        out.push_str(
            "\n`.send_with_response()` instead of `.await` also gives the status, the response headers and the server's request id (`.request_id()`).\n",
        );
        out
    }

    /// The type a response's body decodes to; a binary one is a `ByteStream` when it is
    /// the operation's one success type (`streamed`), else `Bytes` read whole.
    fn case_type(&self, case: &ResponseCase, streamed: bool) -> String {
        match (&case.ty, &case.kind) {
            (None, _) => "no content".to_owned(),
            (Some(ty), MediaKind::Json) => self.type_cell(ty),
            (Some(_), MediaKind::Text) => "`String`".to_owned(),
            (Some(_), _) if streamed => format!("`{}::ByteStream`", self.options.runtime_path),
            (Some(_), _) => format!("`{}::bytes::Bytes`", self.options.runtime_path),
        }
    }

    fn errors(&self, op: &Operation) -> String {
        let rt = &self.options.runtime_path;
        let sdk = &self.options.sdk_path;
        let error = &op.names.error;
        let mut out = String::new();
        if op.errors.is_empty() {
            writeln!(
                out,
                "The operation declares no error responses: a 4XX or 5XX is `{rt}::Error::Api` with the status, the headers and the raw body (`err.raw_body()`).\n"
            )
            .ok();
        } else {
            // The enum of the declared errors, or (none has a body) `DeclaredStatus`.
            let statuses = op.errors_are_statuses();
            let (intro, column) = match statuses {
                true => (
                    format!(
                        "A 4XX or 5XX is `{rt}::Error::Api`, which keeps the status, the headers and the raw body. The declared error responses have no body: `{sdk}::requests::{error}` is `{rt}::DeclaredStatus`, and `{error}::from_error(&err)` is `Some` for a status the spec declares (its `.status()`):"
                    ),
                    "Description",
                ),
                false => (
                    format!(
                        "A 4XX or 5XX is `{rt}::Error::Api`, which keeps the status, the headers and the raw body; a declared error body is parsed into `{sdk}::requests::{error}`, read with `{error}::from_error(&err)`:"
                    ),
                    "Body",
                ),
            };
            writeln!(out, "{intro}\n").ok();
            out.push_str(&format!(
                "| Status | `{error}::from_error(&err)` | {column} |\n| --- | --- | --- |\n"
            ));
            for case in &op.errors {
                let (read, last) = match statuses {
                    true => ("`Some(..)`".to_owned(), cell(&case.description)),
                    false => {
                        let variant = status_variant(case.status);
                        let fields = match case.parsed_error_body() {
                            true => "(..)",
                            false => "",
                        };
                        (
                            format!("`Some({error}::{variant}{fields})`"),
                            format!(
                                "{} - {}",
                                self.case_type(case, false),
                                cell(&case.description)
                            ),
                        )
                    }
                };
                row(&mut out, [status_text(case.status), read, last]);
            }
        }
        let covered = |digit| {
            op.errors.iter().any(|c| {
                matches!(c.status, StatusMatch::Default) || c.status == StatusMatch::Range(digit)
            })
        };
        if !op.errors.is_empty() {
            if !(covered(4) && covered(5)) {
                row(
                    &mut out,
                    [
                        "any other 4XX, 5XX".to_owned(),
                        "`None`".to_owned(),
                        "the raw body (`err.raw_body()`)".to_owned(),
                    ],
                );
            }
            if !op.errors_are_statuses() {
                out.push_str("\nA declared status whose body does not parse is `None` too; its raw body is kept. The enum is `#[non_exhaustive]` (a status the spec declares later is a new variant), so a `match` on it ends with `_`.\n");
            }
        }
        writeln!(
            out,
            "\nThe other errors: `InvalidRequest` (a value breaks a limit, nothing sent), `Transport`, `Timeout`, `Decode` (a success body that does not match the spec) and `Config`. Every error says how many attempts the call made (`err.attempts()`) and, when a response came, the server's request id (`err.request_id()`, also in its `Display`): quote it to the API's support."
        )
        .ok();
        out
    }

    /// A program that handles `op`'s declared errors: by variant, or by status when they
    /// are `DeclaredStatus`.
    fn error_example(&self, op: &Operation, setup: &str, call: &str) -> String {
        let name = &op.names.error;
        let statuses = op.errors_are_statuses();
        let mut arms = String::new();
        for case in &op.errors {
            let status = status_text(case.status);
            let arm = match (statuses, case.status) {
                (true, StatusMatch::Exact(n)) => format!("Some({n}) => eprintln!(\"{status}\"),"),
                (true, StatusMatch::Range(n)) => format!(
                    "Some({}..={}) => eprintln!(\"{status}\"),",
                    n * 100,
                    n * 100 + 99
                ),
                (true, StatusMatch::Default) => {
                    "Some(status) => eprintln!(\"{status}\"),".to_owned()
                }
                (false, _) => {
                    let variant = status_variant(case.status);
                    match case.parsed_error_body() {
                        true => format!(
                            "Some(requests::{name}::{variant}(model)) => eprintln!(\"{status}: {{model:?}}\"),"
                        ),
                        false => {
                            format!("Some(requests::{name}::{variant}) => eprintln!(\"{status}\"),")
                        }
                    }
                }
            };
            writeln!(arms, "        {arm}").ok();
        }
        let (read, other) = match statuses {
            true => (
                ".map(|e| e.status().as_u16())",
                "Another status, or no response at all.",
            ),
            false => (
                "",
                "Another status, a body that does not parse, or no response at all.",
            ),
        };
        let body = format!(
            "{setup}match {call}.await {{\n    Ok(result) => println!(\"{{result:?}}\"),\n    Err(err) => match requests::{name}::from_error(&err){read} {{\n{arms}        // {other}\n        _ => eprintln!(\"{{err}}\"),\n    }},\n}}"
        );
        format!(
            "Handling the declared errors by status:\n\n{}",
            self.program(&body)
        )
    }
}
