//! Model pages, and how types read in the docs' tables.

use std::fmt::Write;

use super::{Docs, cell, check, limits, model_file, row};
use crate::emit::docs::{constraint_lines, note_text};
use crate::ir::{Presence, Ty, TypeDef, TypeKind};

impl Docs<'_> {
    /// A type as the docs show it, linking generated models to their pages.
    pub(super) fn type_cell(&self, ty: &Ty) -> String {
        type_text(ty).cell()
    }

    pub(super) fn model(&self, def: &TypeDef) -> String {
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
                    if let Some(tag) = &f.tag {
                        write!(description, " The discriminator: `{tag}` unless set.").ok();
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
                out.push_str(if e.integer {
                    "\nAny other value the server sends is kept as `Unknown`.\n"
                } else {
                    "\nFields and parameters hold it as `Open<_>`: any other value the server sends is kept as `Open::Unknown` and sent back as it came.\n"
                });
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
                match &u.discriminator {
                    // The values of the tag that select each variant.
                    Some(_) => out.push_str("| Variant | Type | Tag |\n| --- | --- | --- |\n"),
                    None => out.push_str("| Variant | Type |\n| --- | --- |\n"),
                }
                for v in &u.variants {
                    let (name, ty) = (format!("`{}`", v.rust_name), self.type_cell(&v.ty));
                    if u.discriminator.is_some() {
                        let tags: Vec<String> = v.tags.iter().map(|t| format!("`{t}`")).collect();
                        row(&mut out, [name, ty, tags.join(", ")]);
                    } else {
                        row(&mut out, [name, ty]);
                    }
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
    match ty {
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
        leaf => TypeText::Plain(leaf.leaf_text().unwrap_or("serde_json::Value").to_owned()),
    }
}
