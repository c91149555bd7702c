//! Cross-cutting checks on the finished IR (serde_derive's `check.rs` habit).

use std::collections::BTreeMap;

use crate::diag::Diagnostics;
use crate::ir::Api;

/// Run every check; problems go to `diags`.
pub fn check(api: &Api, diags: &mut Diagnostics) {
    duplicate_operation_ids(api, diags);
}

fn duplicate_operation_ids(api: &Api, diags: &mut Diagnostics) {
    let mut first_seen = BTreeMap::new();
    for op in &api.operations {
        if let Some(first) = first_seen.insert(op.operation_id.as_str(), &op.origin) {
            diags.error(
                &op.origin,
                format!(
                    "operationId `{}` is used twice (first at {first})",
                    op.operation_id
                ),
                "operationIds must be unique: rename one of them",
            );
            first_seen.insert(op.operation_id.as_str(), first);
        }
    }
}
