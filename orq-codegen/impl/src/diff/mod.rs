//! Two API surfaces -> what changed for the SDK's users, each change classified.
//!
//! A change *breaks the build* when code that uses the SDK as documented may stop
//! compiling: an item removed or renamed, a type changed, an argument added, a variant
//! added to an enum users `match` on exhaustively (string enums, unions, and the success
//! enums of operations; error enums are `#[non_exhaustive]`, so a `match` on one already
//! has a `_` arm and an error status added is additive). It *changes behaviour at run time* when
//! that code still compiles but does something else: another request is sent, a value
//! is checked differently, `build()` now requires a field, a server moved. Everything
//! else is *additive*: new items that existing code does not see (a field added to a
//! struct is additive because structs are built with their builders).
//!
//! Items are matched by Rust path; an operation that lost its path is matched by its
//! request (method and path template) and reported renamed, a model by its place in the
//! spec.

use serde::Serialize;

use crate::surface::Surface;

mod client;
mod models;
mod operations;
pub mod report;

/// How a change affects code that uses the SDK.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// Code using the SDK may stop compiling.
    Breaking,
    /// It compiles, but does something else at run time.
    Behavior,
    /// New items only.
    Additive,
}

impl Impact {
    /// Every impact, most severe first.
    pub const ALL: [Impact; 3] = [Impact::Breaking, Impact::Behavior, Impact::Additive];

    /// What it means, as a heading: `breaks the build`.
    pub fn label(self) -> &'static str {
        match self {
            Impact::Breaking => "breaks the build",
            Impact::Behavior => "changes behaviour at run time",
            Impact::Additive => "additive",
        }
    }
}

macro_rules! change_kinds {
    ($($(#[$doc:meta])* $kind:ident = $name:literal,)*) => {
        /// What changed. Its `as_str` is the stable name tools read (`--format json`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum ChangeKind {
            $($(#[$doc])* $kind,)*
        }

        impl ChangeKind {
            /// Every kind of change.
            pub const ALL: &'static [ChangeKind] = &[$(ChangeKind::$kind,)*];

            /// The kind's stable name, `operation_removed`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ChangeKind::$kind => $name,)*
                }
            }
        }
    };
}

change_kinds! {
    /// A server was added to `SERVERS`.
    ServerAdded = "server_added",
    /// A server was removed from `SERVERS` (`server_url_for` of its index now fails).
    ServerRemoved = "server_removed",
    /// A server's URL or variables changed.
    ServerChanged = "server_changed",
    /// `DEFAULT_SERVER_URL` changed: requests go elsewhere unless a server is set.
    DefaultServerChanged = "default_server_changed",
    /// What `from_env` reads changed.
    CredentialChanged = "credential_changed",
    /// A group accessor was added.
    GroupAdded = "group_added",
    /// A group accessor was removed.
    GroupRemoved = "group_removed",
    /// A group accessor was renamed (its operations moved to another tag).
    GroupRenamed = "group_renamed",
    /// An operation was added.
    OperationAdded = "operation_added",
    /// An operation was removed.
    OperationRemoved = "operation_removed",
    /// An operation's method was renamed or moved to another group.
    OperationRenamed = "operation_renamed",
    /// An operation's function or request builder was renamed.
    OperationItemRenamed = "operation_item_renamed",
    /// An operation sends another request (method or path).
    RequestChanged = "request_changed",
    /// A required argument was added.
    ArgumentAdded = "argument_added",
    /// A required argument was removed.
    ArgumentRemoved = "argument_removed",
    /// The required arguments come in another order.
    ArgumentsReordered = "arguments_reordered",
    /// A required argument's type changed.
    ArgumentTypeChanged = "argument_type_changed",
    /// An optional parameter (a setter) became a required argument.
    ParameterMadeRequired = "parameter_made_required",
    /// A required argument became optional (a setter).
    ParameterMadeOptional = "parameter_made_optional",
    /// An optional setter was added.
    SetterAdded = "setter_added",
    /// An optional setter was removed.
    SetterRemoved = "setter_removed",
    /// An optional setter's type changed.
    SetterTypeChanged = "setter_type_changed",
    /// A parameter travels elsewhere or is written differently (location, name, style,
    /// media type).
    ParameterWireChanged = "parameter_wire_changed",
    /// The checks on a value changed (lengths, ranges, patterns, items).
    LimitsChanged = "limits_changed",
    /// What awaiting an operation gives changed.
    OutputTypeChanged = "output_type_changed",
    /// A success status was added to an operation's response enum.
    SuccessStatusAdded = "success_status_added",
    /// A success status was removed from an operation's response enum.
    SuccessStatusRemoved = "success_status_removed",
    /// A success status's payload type changed.
    SuccessPayloadChanged = "success_payload_changed",
    /// An error status was declared.
    ErrorStatusAdded = "error_status_added",
    /// An error status is no longer declared.
    ErrorStatusRemoved = "error_status_removed",
    /// An error status's payload type changed.
    ErrorPayloadChanged = "error_payload_changed",
    /// An operation's error type changed between an enum of its own and the runtime's
    /// `DeclaredStatus` (a declared error gained or lost the only body).
    ErrorTypeChanged = "error_type_changed",
    /// An operation pages now (`.pages()`, `.items()`).
    PagingAdded = "paging_added",
    /// An operation no longer pages.
    PagingRemoved = "paging_removed",
    /// An operation pages by another rule.
    PagingChanged = "paging_changed",
    /// An operation's success is a stream of server-sent events now.
    StreamingAdded = "streaming_added",
    /// An operation's success is no longer a stream of events.
    StreamingRemoved = "streaming_removed",
    /// An operation's events are read differently (JSON or text, the end sentinel).
    StreamingChanged = "streaming_changed",
    /// An operation sends other credentials.
    SecurityChanged = "security_changed",
    /// An operation's declared retry policy changed.
    RetriesChanged = "retries_changed",
    /// An operation was deprecated, or is no longer.
    DeprecationChanged = "deprecation_changed",
    /// A model was added.
    ModelAdded = "model_added",
    /// A model was removed.
    ModelRemoved = "model_removed",
    /// A model was renamed (the same schema has another Rust name).
    ModelRenamed = "model_renamed",
    /// A model is another kind of type (struct, enum, alias, union).
    ModelKindChanged = "model_kind_changed",
    /// A struct got `builder()`.
    BuilderAdded = "builder_added",
    /// A struct lost `builder()`.
    BuilderRemoved = "builder_removed",
    /// A field was added.
    FieldAdded = "field_added",
    /// A field was removed.
    FieldRemoved = "field_removed",
    /// A field's type changed.
    FieldTypeChanged = "field_type_changed",
    /// A field's required/optional or nullable state changed.
    FieldPresenceChanged = "field_presence_changed",
    /// A field's JSON key, `readOnly` or `writeOnly` changed.
    FieldWireChanged = "field_wire_changed",
    /// An enum value was added.
    EnumValueAdded = "enum_value_added",
    /// An enum value was removed.
    EnumValueRemoved = "enum_value_removed",
    /// An enum variant stands for another wire value.
    EnumValueChanged = "enum_value_changed",
    /// A union member was added.
    UnionMemberAdded = "union_member_added",
    /// A union member was removed.
    UnionMemberRemoved = "union_member_removed",
    /// A union member's type changed.
    UnionMemberTypeChanged = "union_member_type_changed",
    /// A union picks its member differently (discriminator, tags, `anyOf`/`oneOf`).
    UnionDispatchChanged = "union_dispatch_changed",
    /// The type an alias names changed.
    AliasTypeChanged = "alias_type_changed",
}

impl Serialize for ChangeKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One change, with the Rust item it touches and where it is in each spec.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// How it affects code that uses the SDK.
    pub impact: Impact,
    /// What changed.
    pub kind: ChangeKind,
    /// The Rust item, by its path in the SDK: `groups::Contacts::create`,
    /// `models::CreateContactRequestBody::email`.
    pub item: String,
    /// What changed, in words (Rust in backticks).
    pub message: String,
    /// Where it was in the old spec (none: it is new).
    pub old_at: Option<String>,
    /// Where it is in the new spec (none: it is gone).
    pub new_at: Option<String>,
}

/// The changes from `old` to `new`: most severe first, then by item.
pub fn diff(old: &Surface, new: &Surface) -> Vec<Change> {
    let mut differ = Differ {
        changes: Vec::new(),
    };
    differ.client(old, new);
    let moves = differ.operations(old, new);
    differ.groups(old, new, &moves);
    differ.models(old, new);
    let mut changes = differ.changes;
    changes.sort_by(|a, b| {
        (a.impact, &a.item, a.kind, &a.message).cmp(&(b.impact, &b.item, b.kind, &b.message))
    });
    changes
}

/// How many changes have each impact: `[breaking, behavior, additive]`.
pub fn counts(changes: &[Change]) -> [usize; 3] {
    Impact::ALL.map(|impact| changes.iter().filter(|c| c.impact == impact).count())
}

pub(super) struct Differ {
    changes: Vec<Change>,
}

/// Where an item is in the old and the new spec.
#[derive(Clone, Copy)]
pub(super) struct At<'a> {
    old: Option<&'a str>,
    new: Option<&'a str>,
}

impl<'a> At<'a> {
    pub(super) fn both(old: &'a str, new: &'a str) -> Self {
        At {
            old: Some(old),
            new: Some(new),
        }
    }

    pub(super) fn old(old: &'a str) -> Self {
        At {
            old: Some(old),
            new: None,
        }
    }

    pub(super) fn new(new: &'a str) -> Self {
        At {
            old: None,
            new: Some(new),
        }
    }
}

impl Differ {
    pub(super) fn push(
        &mut self,
        impact: Impact,
        kind: ChangeKind,
        item: impl Into<String>,
        message: impl Into<String>,
        at: At<'_>,
    ) {
        self.changes.push(Change {
            impact,
            kind,
            item: item.into(),
            message: message.into(),
            old_at: at.old.map(str::to_owned),
            new_at: at.new.map(str::to_owned),
        });
    }

    pub(super) fn limits(
        &mut self,
        item: &str,
        what: &str,
        old: &[String],
        new: &[String],
        at: At<'_>,
    ) {
        if old == new {
            return;
        }
        let text = |lines: &[String]| match lines.is_empty() {
            true => "nothing".to_owned(),
            false => {
                let lines: Vec<&str> = lines.iter().map(|l| l.trim_end_matches('.')).collect();
                lines.join("; ")
            }
        };
        self.push(
            Impact::Behavior,
            ChangeKind::LimitsChanged,
            item,
            format!("{what}is checked for: {} (was: {})", text(new), text(old)),
            at,
        );
    }
}

#[cfg(test)]
mod tests;
