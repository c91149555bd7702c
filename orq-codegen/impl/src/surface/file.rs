//! The surface file: a [`Surface`] as text to commit and review, and back.
//!
//! One item a line, `kind owner member {attributes}`, in a fixed order (the client, its
//! servers and groups, then each operation followed by its arguments, setters and
//! response variants, then each model followed by its members), every map sorted:
//!
//! ```text
//! operation groups::Contacts::create - {"operation_id":"createContact","http":"POST /v2/contacts",...}
//! argument groups::Contacts::create body {"position":0,"type":"models::CreateContactRequestBody",...}
//! field models::CreateContactRequestBody email {"type":"OptionalNullable<String>","json":"email",...}
//! ```
//!
//! A change to the API is a change to the lines of the items it touches, each line
//! readable on its own in a review's diff; the attributes are JSON so the file reads back
//! exactly. A field's or response's place is left out where it follows from its owner's
//! (`{model}/properties/{json}`, `{operation}/responses/{status}`).

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::{Alias, Client, Enum, Field, Group, Member, Model, Operation, Param, Response};
use super::{Server, Struct, Surface, Union};

/// The first line of every surface file; its number is the format's version.
pub const HEADER: &str = "# orq-codegen API surface 1";

/// What the first line of a surface file of any version starts with.
const MAGIC: &str = "# orq-codegen API surface";

/// Whether `text` is a surface file (of any version of the format).
pub fn is_surface(text: &str) -> bool {
    text.starts_with(MAGIC)
}

/// Why a surface file could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// The 1-based line (0: the file as a whole).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            0 => write!(f, "{}", self.message),
            line => write!(f, "line {line}: {}", self.message),
        }
    }
}

impl std::error::Error for ParseError {}

/// An argument line: the argument's position, then its attributes.
#[derive(Serialize, Deserialize)]
struct Argument {
    position: usize,
    #[serde(flatten)]
    param: Param,
}

/// An enum value line.
#[derive(Serialize, Deserialize)]
struct Value {
    wire: String,
}

/// The surface as the lines of its file.
pub fn render(surface: &Surface) -> String {
    let mut out = Lines(String::new());
    out.0.push_str(HEADER);
    out.0.push_str(
        "\n# The public API of a generated SDK, one item a line (written by orq-codegen: do not edit).\n",
    );
    let client = &surface.client.name;
    out.line("client", client, None, &surface.client);
    for (index, server) in surface.servers.iter().enumerate() {
        out.line("server", client, Some(&index.to_string()), server);
    }
    for (name, group) in &surface.groups {
        out.line("group", client, Some(name), group);
    }
    for (path, op) in &surface.operations {
        out.line("operation", path, None, op);
        for (position, (name, param)) in op.arguments.iter().enumerate() {
            let argument = Argument {
                position,
                param: param.clone(),
            };
            out.line("argument", path, Some(name), &argument);
        }
        for (name, param) in &op.setters {
            out.line("setter", path, Some(name), param);
        }
        for (kind, responses) in [("success", &op.successes), ("error", &op.errors)] {
            for (variant, response) in responses {
                let mut response = response.clone();
                if response.at == response_at(&op.at, &response.status) {
                    response.at.clear();
                }
                out.line(kind, path, Some(variant), &response);
            }
        }
    }
    for (name, model) in &surface.models {
        let owner = format!("models::{name}");
        match model {
            Model::Struct(s) => {
                out.line("struct", &owner, None, s);
                for (field, attrs) in &s.fields {
                    let mut attrs = attrs.clone();
                    if attrs.at == field_at(&s.at, &attrs.json) {
                        attrs.at.clear();
                    }
                    out.line("field", &owner, Some(field), &attrs);
                }
            }
            Model::Enum(e) => {
                out.line("enum", &owner, None, e);
                for (variant, wire) in &e.values {
                    let value = Value { wire: wire.clone() };
                    out.line("value", &owner, Some(variant), &value);
                }
            }
            Model::Alias(a) => out.line("alias", &owner, None, a),
            Model::Union(u) => {
                out.line("union", &owner, None, u);
                for (variant, member) in &u.members {
                    out.line("member", &owner, Some(variant), member);
                }
            }
        }
    }
    out.0
}

struct Lines(String);

impl Lines {
    fn line(&mut self, kind: &str, owner: &str, member: Option<&str>, attrs: &impl Serialize) {
        // Plain structs of strings, bools and maps of strings always serialize.
        let json = serde_json::to_string(attrs).unwrap_or_else(|_| "{}".to_owned());
        let member = member.unwrap_or("-");
        self.0
            .push_str(&format!("{kind} {owner} {member} {json}\n"));
    }
}

/// Read a surface file's text back.
pub fn parse(text: &str) -> Result<Surface, ParseError> {
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, first)) if first.trim_end() == HEADER => {}
        Some((_, first)) if is_surface(first) => {
            return Err(ParseError {
                line: 1,
                message: format!(
                    "written in another version of the format (`{}`; this generator reads `{HEADER}`)",
                    first.trim_end()
                ),
            });
        }
        _ => {
            return Err(ParseError {
                line: 1,
                message: format!("not a surface file: it does not start with `{HEADER}`"),
            });
        }
    }
    let mut reader = Reader::default();
    for (index, line) in lines {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        reader.line(line).map_err(|message| ParseError {
            line: index + 1,
            message,
        })?;
    }
    Ok(reader.surface)
}

#[derive(Default)]
struct Reader {
    surface: Surface,
}

impl Reader {
    fn line(&mut self, line: &str) -> Result<(), String> {
        let mut parts = line.splitn(4, ' ');
        let (Some(kind), Some(owner), Some(member), Some(json)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err("expected `kind owner member {attributes}`".to_owned());
        };
        let member = (member != "-").then_some(member);
        let surface = &mut self.surface;
        match kind {
            "client" => {
                let mut client: Client = attrs(json)?;
                client.name = owner.to_owned();
                surface.client = client;
            }
            "server" => {
                let server: Server = attrs(json)?;
                let index: usize = named(member)?
                    .parse()
                    .map_err(|_| "a server's member is its index".to_owned())?;
                if index != surface.servers.len() {
                    return Err(format!("server {index} is out of order"));
                }
                surface.servers.push(server);
            }
            "group" => {
                let group: Group = attrs(json)?;
                surface.groups.insert(named(member)?.to_owned(), group);
            }
            "operation" => {
                let op: Operation = attrs(json)?;
                surface.operations.insert(owner.to_owned(), op);
            }
            "argument" | "setter" | "success" | "error" => {
                let name = named(member)?.to_owned();
                let op = surface
                    .operations
                    .get_mut(owner)
                    .ok_or_else(|| format!("`{kind}` of `{owner}` before its `operation` line"))?;
                match kind {
                    "argument" => {
                        let argument: Argument = attrs(json)?;
                        if argument.position != op.arguments.len() {
                            return Err(format!("argument `{name}` is out of order"));
                        }
                        op.arguments.push((name, argument.param));
                    }
                    "setter" => {
                        op.setters.insert(name, attrs(json)?);
                    }
                    _ => {
                        let mut response: Response = attrs(json)?;
                        if response.at.is_empty() {
                            response.at = response_at(&op.at, &response.status);
                        }
                        match kind {
                            "success" => op.successes.insert(name, response),
                            _ => op.errors.insert(name, response),
                        };
                    }
                }
            }
            "struct" | "enum" | "alias" | "union" => {
                let name = model_name(owner)?;
                let model = match kind {
                    "struct" => Model::Struct(attrs::<Struct>(json)?),
                    "enum" => Model::Enum(attrs::<Enum>(json)?),
                    "alias" => Model::Alias(attrs::<Alias>(json)?),
                    _ => Model::Union(attrs::<Union>(json)?),
                };
                surface.models.insert(name.to_owned(), model);
            }
            "field" | "value" | "member" => {
                let name = named(member)?.to_owned();
                let model = surface
                    .models
                    .get_mut(model_name(owner)?)
                    .ok_or_else(|| format!("`{kind}` of `{owner}` before its model's line"))?;
                match (kind, model) {
                    ("field", Model::Struct(s)) => {
                        let mut field: Field = attrs(json)?;
                        if field.at.is_empty() {
                            field.at = field_at(&s.at, &field.json);
                        }
                        s.fields.insert(name, field);
                    }
                    ("value", Model::Enum(e)) => {
                        e.values.insert(name, attrs::<Value>(json)?.wire);
                    }
                    ("member", Model::Union(u)) => {
                        u.members.insert(name, attrs::<Member>(json)?);
                    }
                    (_, model) => {
                        return Err(format!("a `{kind}` line of the {} `{owner}`", model.kind()));
                    }
                }
            }
            other => return Err(format!("unknown kind of line `{other}`")),
        }
        Ok(())
    }
}

/// Where a response is when the operation at `op` declares it directly.
fn response_at(op: &str, status: &str) -> String {
    format!("{op}/responses/{status}")
}

/// Where a field is when the model at `model` declares it directly (JSON pointer
/// escaping: `~` is `~0`, `/` is `~1`).
fn field_at(model: &str, json: &str) -> String {
    let token = json.replace('~', "~0").replace('/', "~1");
    format!("{model}/properties/{token}")
}

fn attrs<T: DeserializeOwned>(json: &str) -> Result<T, String> {
    serde_json::from_str(json).map_err(|err| format!("the attributes do not read: {err}"))
}

fn named(member: Option<&str>) -> Result<&str, String> {
    member.ok_or_else(|| "this kind of line names a member".to_owned())
}

fn model_name(owner: &str) -> Result<&str, String> {
    owner
        .strip_prefix("models::")
        .ok_or_else(|| format!("a model is named `models::Name`, not `{owner}`"))
}
