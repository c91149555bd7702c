//! The value types generated models hold or accept, each with its serde rules and its
//! `Validate` impl.

pub(crate) mod binary;
pub(crate) mod enums;
pub(crate) mod input;
pub(crate) mod optional;
pub(crate) mod read_only;
pub(crate) mod union;
pub(crate) mod uri;
pub(crate) mod wire_struct;
