//! Spec text -> rustdoc attributes.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{
    Api, Constraints, Docs, Field, Form, MediaKind, Note, Operation, Param, ResponseCase,
    StatusMatch, Ty, TypeDef,
};

/// Make spec Markdown safe for rustdoc: fenced blocks become ```` ```text ```` (never
/// compiled as doctests), and indentation that Markdown would read as a code block is removed.
pub fn sanitize(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    // A bare CR is not allowed in a `///` comment (prettyplease output): make it a line break.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            out.push(if in_fence {
                "```".to_string()
            } else {
                "```text".to_string()
            });
            in_fence = !in_fence;
        } else if in_fence {
            out.push(line.to_string());
        } else {
            out.push(trimmed.trim_end().to_string());
        }
    }
    if in_fence {
        out.push("```".to_string());
    }
    out.join("\n")
}

/// Lines of documentation for an item.
pub fn lines(docs: &Docs, constraints: Option<&Constraints>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(title) = &docs.title {
        out.push(sanitize(title));
    }
    if let Some(description) = &docs.description {
        if !out.is_empty() {
            out.push(String::new());
        }
        out.push(sanitize(description));
    }
    let mut facts = Vec::new();
    if let Some(format) = &docs.format {
        facts.push(format!("Format: `{format}`."));
    }
    if let Some(c) = constraints {
        facts.extend(constraint_lines(c));
    }
    if let Some(default) = &docs.default {
        facts.push(format!(
            "Default: `{}` (the server's, when a request leaves the field out; never filled in by this client).",
            code(default)
        ));
    }
    if let Some(example) = &docs.example {
        facts.push(format!("Example: `{}`.", code(example)));
    }
    facts.extend(docs.notes.iter().map(note_text));
    if docs.deprecated {
        facts.push("Deprecated by the API.".to_string());
    }
    if !facts.is_empty() {
        if !out.is_empty() {
            out.push(String::new());
        }
        out.extend(facts.into_iter().map(|f| format!("- {f}")));
    }
    out
}

/// Human-readable forms of the checks the client runs before sending.
pub fn constraint_lines(c: &Constraints) -> Vec<String> {
    let mut out = Vec::new();
    let characters = |n: u64| if n == 1 { "character" } else { "characters" };
    match (c.min_length, c.max_length) {
        (Some(min), Some(max)) => out.push(format!("Length: {min} to {max} {}.", characters(max))),
        (Some(min), None) => out.push(format!("Length: at least {min} {}.", characters(min))),
        (None, Some(max)) => out.push(format!("Length: at most {max} {}.", characters(max))),
        (None, None) => {}
    }
    if !c.allowed.is_empty() {
        let values: Vec<String> = c.allowed.iter().map(|v| format!("`{}`", code(v))).collect();
        out.push(format!("One of: {}.", values.join(", ")));
    }
    if let Some(p) = &c.pattern {
        out.push(format!("Pattern: `{}`.", code(p)));
    }
    if let Some((m, exclusive)) = c.minimum {
        out.push(format!(
            "Minimum: {m}{}.",
            if exclusive { " (exclusive)" } else { "" }
        ));
    }
    if let Some((m, exclusive)) = c.maximum {
        out.push(format!(
            "Maximum: {m}{}.",
            if exclusive { " (exclusive)" } else { "" }
        ));
    }
    if let Some(m) = c.multiple_of {
        out.push(format!("Multiple of {m}."));
    }
    match (c.min_items, c.max_items) {
        (Some(min), Some(max)) => out.push(format!("Items: {min} to {max}.")),
        (Some(min), None) => out.push(format!("Items: at least {min}.")),
        (None, Some(max)) => out.push(format!("Items: at most {max}.")),
        (None, None) => {}
    }
    if c.unique_items {
        out.push("Items must be unique.".to_string());
    }
    if let Some(min) = c.min_properties {
        out.push(format!("Properties: at least {min}."));
    }
    if let Some(max) = c.max_properties {
        out.push(format!("Properties: at most {max}."));
    }
    out
}

/// Text inside backticks cannot contain backticks.
fn code(text: &str) -> String {
    let mut text = text.replace('`', "'");
    if text.len() > 300 {
        let cut = (0..=300)
            .rev()
            .find(|i| text.is_char_boundary(*i))
            .unwrap_or(0);
        text.truncate(cut);
        text.push_str("...");
    }
    text
}

/// For an item the API deprecates: the `#[deprecated]` attribute for it, and the
/// `#[allow(deprecated)]` its own code needs; nothing otherwise.
pub fn deprecation(docs: &Docs) -> (TokenStream, TokenStream) {
    if docs.deprecated {
        (
            quote!(#[deprecated = "deprecated by the API"]),
            quote!(#[allow(deprecated)]),
        )
    } else {
        (TokenStream::new(), TokenStream::new())
    }
}

/// `#[doc = "..."]` attributes for `lines`.
pub fn attrs(lines: &[String]) -> TokenStream {
    let lines = lines
        .iter()
        // No bare CR may reach a `///` comment once prettyplease prints it. (Two splits
        // on one character each: those are `memchr`s, fast in the unoptimized builds
        // macros run in, where a split on either of two characters is not.)
        .flat_map(|l| l.split('\n'))
        .flat_map(|l| l.split('\r'))
        .map(|l| format!(" {l}"));
    quote! { #( #[doc = #lines] )* }
}
/// What a note says in the docs of the item it is about, with the place in the spec.
pub fn note_text(note: &Note) -> String {
    format!("{} (spec: `{}`)", note.kind, note.at)
}

/// `lines`, or when the spec says nothing, `fallback`'s line: every generated item has
/// rustdoc, so a crate with `#![deny(missing_docs)]` compiles an SDK.
pub fn or_else(lines: Vec<String>, fallback: impl FnOnce() -> String) -> Vec<String> {
    if lines.is_empty() {
        vec![fallback()]
    } else {
        lines
    }
}

/// The doc line of a named type the spec does not describe.
pub fn undescribed_schema(def: &TypeDef) -> String {
    format!(
        "The schema at `{}` (the spec gives no description).",
        def.origin
    )
}

/// The doc line of a property the spec does not describe.
pub fn undescribed_field(f: &Field) -> String {
    format!(
        "The `{}` property (the spec gives no description).",
        f.json_name.replace('`', "'")
    )
}

/// Whether a field holds a secret (`format: password`), which `Debug` never shows.
pub fn is_secret(f: &Field) -> bool {
    is_password(&f.docs)
}

/// Whether a value so documented is a secret (`format: password`).
pub fn is_password(docs: &Docs) -> bool {
    docs.format.as_deref() == Some("password")
}

/// The docs of a parameter's setter.
pub fn param(p: &Param) -> Vec<String> {
    let mut lines = lines(&p.docs, Some(&p.constraints));
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(format!(
        "Sent as the {} parameter `{}`.",
        p.location.as_str(),
        p.wire_name
    ));
    lines
}

/// How the two forms of an operation that answers JSON or an event stream relate.
pub fn form_text(form: &Form) -> String {
    match form {
        Form::Json { stream_method } => format!(
            "The server can also answer this request as an event stream: `{stream_method}` reads it so. This form asks for `application/json`."
        ),
        Form::Stream { json_method, flag } => {
            let flag = match flag {
                Some(_) => "sets the body's `stream` to `true` and ",
                None => "",
            };
            format!(
                "The event-stream form of `{json_method}`: the same request, which {flag}asks for `text/event-stream`."
            )
        }
    }
}

/// The docs of an operation's entry points and request builder: its description, the
/// method and path, parameters, body, responses, errors and notes. `in_requests`: for
/// the builder, in the `requests` module, where the error type is linked by its name
/// (rustdoc calls a `super::requests::` target there redundant).
pub fn operation(api: &Api, op: &Operation, in_requests: bool) -> Vec<String> {
    let mut out = lines(&op.docs, None);
    if !out.is_empty() {
        out.push(String::new());
    }
    out.push(format!(
        "`{} {}` (operation `{}`)",
        op.method.as_str(),
        op.path.raw,
        op.operation_id
    ));
    let one_line = |text: &str| sanitize(text).replace('\n', " ");
    let params: Vec<String> = op
        .params
        .iter()
        .map(|p| {
            let description = p
                .docs
                .description
                .as_deref()
                .map(|d| format!(": {}", one_line(d)))
                .unwrap_or_default();
            let required = if p.required { "" } else { ", optional" };
            format!(
                "- `{}` ({} `{}`{required}){description}",
                p.rust_name,
                p.location.as_str(),
                p.wire_name
            )
        })
        .collect();
    if !params.is_empty() {
        out.push(String::new());
        out.push("Parameters:".into());
        out.extend(params);
    }
    if let Some(body) = &op.body {
        out.push(String::new());
        let description = body
            .docs
            .description
            .as_deref()
            .map(|d| format!(": {}", one_line(d)))
            .unwrap_or_default();
        out.push(format!("Body (`{}`){description}", body.media_type));
        for (media, kind) in &body.alternatives {
            out.push(format!(
                "(or `{media}`: call `.encode_as_{}()` on the request)",
                kind.as_str()
            ));
        }
        if body.kind == MediaKind::Multipart && body.ty != Ty::Multipart {
            out.push(String::new());
            out.push(
                "Sent as a form: file properties are file parts, objects JSON parts, arrays repeated parts, the rest text parts.".into(),
            );
        }
    }
    // Each status with a link to its body's model, where it has one.
    let statuses = |cases: &[ResponseCase]| {
        cases
            .iter()
            .map(|c| {
                let model = match (&c.ty, &c.kind) {
                    (Some(Ty::Named(name)), MediaKind::Json) => {
                        format!(" ([`{name}`](super::models::{name}))")
                    }
                    _ => String::new(),
                };
                format!(
                    "- {}{model}: {}",
                    status_text(c.status),
                    one_line(&c.description)
                )
            })
            .collect::<Vec<_>>()
    };
    if !op.success.is_empty() {
        out.push(String::new());
        out.push("Responses:".into());
        out.extend(statuses(&op.success));
    }
    if let Some(events) = &op.events {
        out.push(String::new());
        out.extend(events_text(events));
    }
    if let Some(form) = &op.form {
        out.push(String::new());
        out.push(form_text(form));
    }
    if let Some(paging) = op.paging.as_ref().filter(|_| op.events.is_none()) {
        out.push(String::new());
        out.push(paging_text(api, op, paging));
    }
    out.push(String::new());
    if op.errors.is_empty() {
        out.push(
            "Errors: any other status is `Error::Api` with the status, headers and raw body."
                .into(),
        );
    } else {
        let error = &op.names.error;
        let link = match in_requests {
            true => format!("[`{error}`]"),
            false => format!("[`{error}`](super::requests::{error})"),
        };
        out.push(match op.errors_are_statuses() {
            true => format!(
                "Errors: every error status is `Error::Api` with the status, headers and raw body; these declared ones have no body, and {link}`::from_error(&err)` says which came back:"
            ),
            false => format!(
                "Errors: every error status is `Error::Api` with the status, headers and raw body; these declared ones are parsed into {link}, read with `{error}::from_error(&err)`:"
            ),
        });
        out.extend(statuses(&op.errors));
    }
    if op.docs.deprecated {
        out.push(String::new());
        out.push("Deprecated by the API.".into());
    }
    for note in &op.notes {
        out.push(String::new());
        out.push(format!("Note: {}", note_text(note)));
    }
    out
}

/// What awaiting an event-stream operation gives, and how the stream ends.
fn events_text(events: &crate::ir::Events) -> Vec<String> {
    let data = if events.json {
        "decoded from JSON"
    } else {
        "as text"
    };
    let end = match &events.sentinel {
        Some(sentinel) => format!("at the event whose data is `{}`, or ", sanitize(sentinel)),
        None => String::new(),
    };
    vec![format!(
        "Returns a stream: `.await` gives an `EventStream` of server-sent events once the headers arrive, each event's data {data}. Read it with `while let Some(event) = events.next().await`; an event that does not decode is an `Err` item and the stream goes on; it ends {end}when the server closes the connection. `.idle_timeout(..)` bounds the wait between chunks (by default the per-attempt timeout); dropping the stream closes the connection."
    )]
}

/// How a paged operation's pages and items are read.
pub(crate) fn paging_text(api: &Api, op: &Operation, paging: &crate::ir::Paging) -> String {
    use crate::ir::Paging;
    let by = match paging {
        Paging::Offset { param, .. } => format!("The offset `{param}` grows by each page's length"),
        Paging::Page { param, .. } => format!("The page number `{param}` grows by one"),
        Paging::Cursor { param, next, .. } => format!("`{param}` takes the cursor at `{next}`"),
        Paging::Url { next, .. } => format!("The next page is the URL at `{next}`"),
        Paging::LinkHeader => {
            "The next page is the URL of the `Link` header's `rel=\"next\"`".to_owned()
        }
    };
    let source = match paging {
        Paging::LinkHeader => "the response declares a `Link` header",
        _ => "`x-speakeasy-pagination`",
    };
    let items = match (
        super::paging::typed_items(api, op, paging),
        paging.results(),
    ) {
        (Some(_), _) => "typed".to_owned(),
        (None, Some(path)) => format!(
            "as `serde_json::Value`s, since `{path}` is not a list field of the response model"
        ),
        (None, None) => "as `serde_json::Value`s, since the response is not a list".to_owned(),
    };
    format!(
        "Paged ({source}): `.pages()` is a stream of every page, `.items()` a stream of the items of every page, {items}. {by}. Per-call options and retries apply to each page. The pages end at an empty page or one without a next marker; a server that repeats a cursor or URL ends them with `Error::Paging`."
    )
}

/// A response entry's status as the spec writes it (`200`, `4XX`, `default`).
pub fn status_text(status: StatusMatch) -> String {
    match status {
        StatusMatch::Exact(n) => n.to_string(),
        StatusMatch::Range(n) => format!("{n}XX"),
        StatusMatch::Default => "default".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::NoteKind;

    #[test]
    fn spec_markdown_is_made_safe_for_rustdoc() {
        assert_eq!(
            sanitize("Intro\r\n    indented\n```\nlet x = 1;\n```\n~~~js\nopen"),
            "Intro\nindented\n```text\nlet x = 1;\n```\n```text\nopen\n```"
        );
    }

    #[test]
    fn limits_read_as_sentences() {
        let c = Constraints {
            min_length: Some(1),
            max_length: Some(120),
            minimum: Some((0.0, true)),
            unique_items: true,
            allowed: vec!["1.5".into(), "2".into()],
            ..Constraints::default()
        };
        assert_eq!(
            constraint_lines(&c),
            [
                "Length: 1 to 120 characters.",
                "One of: `1.5`, `2`.",
                "Minimum: 0 (exclusive).",
                "Items must be unique.",
            ]
        );
    }

    #[test]
    fn notes_name_what_was_done() {
        let note = Note {
            at: crate::diag::Ptr::root().at("paths").at("/a/{b}"),
            kind: NoteKind::UnusedPathParam {
                name: "c".into(),
                path: "/a/{b}".into(),
            },
        };
        assert_eq!(
            note_text(&note),
            "the spec declares the path parameter `c`, but the path `/a/{b}` has no `{c}`: it is neither an argument nor sent. (spec: `#/paths/~1a~1{b}`)"
        );
    }
}
