//! The cargo features of an SDK whose groups are features (setting `features_per_tag`):
//! one per group, named from its tag, one for the operations without tags, and for each
//! named type the features of the operations that reach it. Computed once on the
//! finished types, so that emit only reads which feature gates what.

use std::collections::{BTreeMap, BTreeSet};

use super::types::{operation_types, reachable};
use crate::ir::{Features, Group, Operation, TypeDef};
use crate::naming::{FeatureScope, UNTAGGED_FEATURE};
use crate::settings::{Mock, Settings};

/// The features of `operations` and the types they reach.
pub fn features(
    defs: &BTreeMap<String, TypeDef>,
    operations: &[Operation],
    groups: &BTreeMap<String, Group>,
    settings: &Settings,
) -> Features {
    let mock_feature = match &settings.mock {
        Some(Mock::Feature(feature)) => Some(feature.as_str()),
        _ => None,
    };
    // In the order of the groups' names, so that reordering tags renames nothing.
    let mut scope = FeatureScope::new(mock_feature);
    let groups: BTreeMap<String, String> = groups
        .values()
        .map(|g| (g.snake.clone(), scope.claim(&g.tag)))
        .collect();
    let untagged = operations
        .iter()
        .any(|op| op.group.is_none())
        .then(|| UNTAGGED_FEATURE.to_string());
    let mut features = Features {
        groups,
        untagged,
        types: BTreeMap::new(),
    };
    // One walk per feature over the types its operations name.
    let mut roots: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for op in operations {
        if let Some(feature) = features.of_group(op.group.as_deref()) {
            roots.entry(feature).or_default().push(op);
        }
    }
    let mut types: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (feature, ops) in roots {
        let reached = reachable(defs, ops.into_iter().flat_map(operation_types));
        for name in reached.into_iter().filter(|name| defs.contains_key(name)) {
            types.entry(name).or_default().insert(feature.to_string());
        }
    }
    features.types = types;
    features
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use crate::ir::Features;
    use crate::settings::Settings;

    fn features_of(yaml: &str, settings: Settings) -> Features {
        let (api, problems) = crate::test_api(yaml, &settings.with_features_per_tag(true));
        assert!(problems.is_empty(), "{problems:?}");
        api.features.expect("the setting is on")
    }

    fn set(features: &[&str]) -> BTreeSet<String> {
        features.iter().map(|f| f.to_string()).collect()
    }

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
tags: [{name: Pets}, {name: Store Orders}]
components:
  schemas:
    Pet:
      type: object
      properties:
        owner: {$ref: "#/components/schemas/Owner"}
        toys: {type: array, items: {$ref: "#/components/schemas/Toy"}}
        notes: {type: object, additionalProperties: {$ref: "#/components/schemas/Note"}}
    Owner: {type: object, properties: {name: {type: string}}}
    Toy: {type: object, properties: {name: {type: string}}}
    Note: {type: object, properties: {text: {type: string}}}
    Order:
      type: object
      properties:
        item: {$ref: "#/components/schemas/Item"}
        buyer: {$ref: "#/components/schemas/Owner"}
    Item:
      oneOf:
        - $ref: "#/components/schemas/Toy"
        - $ref: "#/components/schemas/Food"
    Food: {type: object, properties: {kcal: {type: integer}}}
    Problem: {type: object, properties: {message: {type: string}}}
    Health: {type: object, properties: {ok: {type: boolean}}}
    Unused: {type: object, properties: {x: {type: string}}}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [Pets]
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}}}}
        "400": {description: bad, content: {application/json: {schema: {$ref: "#/components/schemas/Problem"}}}}
  /orders:
    post:
      operationId: placeOrder
      tags: [Store Orders, Pets]
      requestBody: {content: {application/json: {schema: {$ref: "#/components/schemas/Order"}}}}
      responses:
        "204": {description: placed}
        "400": {description: bad, content: {application/json: {schema: {$ref: "#/components/schemas/Problem"}}}}
  /health:
    get:
      operationId: health
      parameters:
        - {name: verbose, in: query, schema: {$ref: "#/components/schemas/Health"}}
      responses:
        "204": {description: ok}
"##;

    #[test]
    fn each_group_is_a_feature_named_from_its_first_tag_and_untagged_operations_have_one() {
        let features = features_of(SPEC, Settings::new());
        assert_eq!(features.groups["pets"], "pets");
        assert_eq!(features.groups["store_orders"], "store-orders");
        assert_eq!(features.untagged.as_deref(), Some("untagged"));
        assert_eq!(
            features.all().collect::<Vec<_>>(),
            ["pets", "store-orders", "untagged"]
        );
        assert_eq!(features.of_group(Some("pets")), Some("pets"));
        assert_eq!(features.of_group(None), Some("untagged"));
    }

    #[test]
    fn types_are_gated_by_every_feature_that_reaches_them_through_any_shape() {
        let features = features_of(SPEC, Settings::new());
        let types = &features.types;
        // Through a response array, fields, arrays and maps.
        assert_eq!(types["Pet"], set(&["pets"]));
        assert_eq!(types["Note"], set(&["pets"]));
        // `Toy`: an item of `Pet.toys`, and a member of the union `Item` of orders.
        assert_eq!(types["Toy"], set(&["pets", "store-orders"]));
        // A body, its fields, and a union's members.
        assert_eq!(types["Order"], set(&["store-orders"]));
        assert_eq!(types["Item"], set(&["store-orders"]));
        assert_eq!(types["Food"], set(&["store-orders"]));
        // Shared: reached by both groups.
        assert_eq!(types["Owner"], set(&["pets", "store-orders"]));
        assert_eq!(types["Problem"], set(&["pets", "store-orders"]));
        // A parameter of an untagged operation.
        assert_eq!(types["Health"], set(&["untagged"]));
        // Reached by no operation: not gated.
        assert!(!types.contains_key("Unused"));
    }

    #[test]
    fn inheritance_and_recursion_reach_children_and_stop() {
        let features = features_of(
            r##"
openapi: 3.0.3
info: {title: t, version: "1"}
components:
  schemas:
    Animal:
      type: object
      required: [kind]
      properties:
        kind: {type: string}
      discriminator: {propertyName: kind}
    Dog:
      allOf:
        - $ref: "#/components/schemas/Animal"
        - type: object
          properties:
            bark: {$ref: "#/components/schemas/Sound"}
            pups: {type: array, items: {$ref: "#/components/schemas/Dog"}}
    Sound: {type: string, enum: [woof, yip]}
paths:
  /animals:
    get:
      operationId: listAnimals
      tags: [zoo]
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Animal"}}}}
  /dogs:
    get:
      operationId: listDogs
      tags: [kennel]
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Dog"}}}}
"##,
            Settings::new(),
        );
        let types = &features.types;
        assert_eq!(features.untagged, None, "every operation has a tag");
        // The base (a union of its children) reaches the child and what the child holds;
        // the child, recursive through `pups`, does not reach its base.
        assert_eq!(types["Animal"], set(&["zoo"]));
        assert_eq!(types["Dog"], set(&["kennel", "zoo"]));
        assert_eq!(types["Sound"], set(&["kennel", "zoo"]));
    }

    #[test]
    fn the_mock_feature_is_never_a_group_feature() {
        let spec = SPEC.replace("Store Orders", "testing");
        let features = features_of(&spec, Settings::new().with_mock_feature("testing"));
        assert_eq!(features.groups["testing"], "testing-2");
    }

    #[test]
    fn without_the_setting_there_are_no_features() {
        let (api, _) = crate::test_api(SPEC, &Settings::new());
        assert!(api.features.is_none());
    }
}
