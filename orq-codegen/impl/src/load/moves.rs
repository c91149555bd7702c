//! Where the load step put parts of the document that the spec writes elsewhere (a
//! schema a `$ref` names inside another schema, now a component; a Swagger 2.0 body
//! parameter, now a request body), so that diagnostics found later point at the place
//! the spec writes them.

/// One step's moves: `(now, was)` pointer prefixes (`#/components/schemas/Pet` was
/// `#/definitions/Pet`), in one file.
#[derive(Debug, Default, Clone)]
pub struct Moves {
    entries: Vec<(String, String)>,
}

impl Moves {
    /// Record that what is now under `now` was under `was`.
    pub fn record(&mut self, now: impl Into<String>, was: impl Into<String>) {
        let (now, was) = (now.into(), was.into());
        if now != was {
            self.entries.push((now, was));
        }
    }

    /// Whether nothing moved.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Where `pointer` was before this step. The longest recorded prefix wins; a place
    /// recorded inside a part moved again later is followed back too (a bounded number
    /// of times, so records that point at each other cannot loop).
    pub fn back(&self, pointer: &str) -> String {
        let mut pointer = pointer.to_string();
        for _ in 0..self.entries.len().min(64) {
            let Some((now, was)) = self
                .entries
                .iter()
                .filter(|(now, _)| under(&pointer, now))
                .max_by_key(|(now, _)| now.len())
            else {
                break;
            };
            pointer = format!("{was}{}", &pointer[now.len()..]);
        }
        pointer
    }

    /// Where `pointer` (written before this step) is now: the inverse of [`Moves::back`],
    /// for `$ref`s written against the document as the spec has it.
    pub fn forward(&self, pointer: &str) -> Option<String> {
        // The longest prefix; of parts moved from one place (a Swagger 2.0 parameter and
        // the schema made of its keywords), the whole one.
        let (now, was) = self
            .entries
            .iter()
            .filter(|(_, was)| under(pointer, was))
            .max_by(|a, b| a.1.len().cmp(&b.1.len()).then(b.0.len().cmp(&a.0.len())))?;
        Some(format!("{now}{}", &pointer[was.len()..]))
    }
}

/// Whether `pointer` is `prefix` or inside it.
fn under(pointer: &str, prefix: &str) -> bool {
    pointer
        .strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_go_back_to_the_longest_recorded_prefix_and_forward_again() {
        let mut moves = Moves::default();
        moves.record("#/components/schemas", "#/definitions");
        moves.record(
            "#/components/requestBodies/Pet/content/application~1json/schema",
            "#/parameters/Pet/schema",
        );
        moves.record("#/components/requestBodies/Pet", "#/parameters/Pet");
        assert_eq!(
            moves.back("#/components/schemas/Pet/properties/id"),
            "#/definitions/Pet/properties/id"
        );
        assert_eq!(
            moves.back("#/components/requestBodies/Pet/content/application~1json/schema/type"),
            "#/parameters/Pet/schema/type"
        );
        assert_eq!(
            moves.back("#/components/requestBodies/Pet/required"),
            "#/parameters/Pet/required"
        );
        assert_eq!(moves.back("#/components/schemasX"), "#/components/schemasX");
        assert_eq!(
            moves.forward("#/definitions/Pet").as_deref(),
            Some("#/components/schemas/Pet")
        );
        assert_eq!(moves.forward("#/paths"), None);
    }

    #[test]
    fn a_part_moved_twice_goes_back_to_where_the_spec_has_it() {
        let mut moves = Moves::default();
        // `Tag/allOf/0` became a component, then something inside it another one.
        moves.record(
            "#/components/schemas/Tag_allOf_0",
            "#/components/schemas/Tag/allOf/0",
        );
        moves.record(
            "#/components/schemas/Inner",
            "#/components/schemas/Tag_allOf_0/properties/x",
        );
        assert_eq!(
            moves.back("#/components/schemas/Inner/type"),
            "#/components/schemas/Tag/allOf/0/properties/x/type"
        );
        let mut looped = Moves::default();
        looped.record("#/a", "#/b");
        looped.record("#/b", "#/a");
        let _ = looped.back("#/a/x");
    }
}
