//! What the generator hands over from the spec as constants: security schemes and
//! paging rules (pure data, and the pure rules that read it).

pub(crate) mod json_path;
pub(crate) mod paging;
pub(crate) mod security;
