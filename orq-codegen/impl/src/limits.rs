//! Every limit the generator enforces on a document, in one place.
//!
//! The limits keep recursion bounded: a document nests at most [`DOCUMENT_DEPTH`]
//! levels (checked before anything recursive reads it), and lowering follows `$ref`
//! chains, which can loop without nesting, at most [`REF_CHAIN`] hops and recurses at
//! most [`LOWERING_DEPTH`] levels.

/// Deepest nesting of maps and lists a document may have. The YAML and JSON parsers
/// stop at 128; schemas need about two levels each (a schema, then its property or
/// item), so this allows about 45 levels of inline schemas.
pub const DOCUMENT_DEPTH: usize = 96;

/// Deepest nesting of YAML flow collections (`[`, `{`), checked on the text before
/// parsing: the YAML scanner slows down quadratically on them (100 000 `[` take minutes).
pub const FLOW_DEPTH: usize = 1000;

/// Stack of the thread that parses a document. `openapiv3`'s untagged and flattened
/// enums make serde recurse many frames per level of nesting, so a deeply nested (but
/// valid) document overflows a 2 MiB thread in debug builds. Only touched pages are
/// committed.
pub const PARSE_STACK: usize = 256 * 1024 * 1024;

/// At most this many shape errors are reported for one document.
pub const SHAPE_ERRORS: usize = 50;

/// Deepest recursion of lowering: inline schemas, and `allOf` members reached through
/// `$ref`s (which can form a loop without any document nesting).
pub const LOWERING_DEPTH: usize = 256;

/// Most `$ref` hops followed from one place (a component that is a `$ref` to a
/// component that is a `$ref`...), and most aliases followed when emitting.
pub const REF_CHAIN: usize = 32;

/// Most targets of `$ref`s to other files copied in place (path items, operations:
/// what `components` cannot hold). Each copy is walked, and copies can nest, so without a
/// bound a few small files could multiply into an enormous document.
pub const INLINED_REFS: usize = 10_000;

/// Longest generated name for an inline schema before it is shortened.
pub const TYPE_NAME_LENGTH: usize = 64;

// The limits must stay inside what the parsers themselves accept, or a document the
// generator allows would fail with the parser's less helpful error.
const _: () = assert!(
    DOCUMENT_DEPTH < 128,
    "serde_json and serde_yaml stop at 128 levels"
);
const _: () = assert!(
    LOWERING_DEPTH >= DOCUMENT_DEPTH,
    "lowering must reach every level"
);
const _: () = assert!(REF_CHAIN > 0 && TYPE_NAME_LENGTH > 0);
