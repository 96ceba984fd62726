//! Run by `scripts/corpus-compiles.sh` in a copy of the client crate whose spec has the
//! schemas of `codegen/tests/specs/wide_schema.yaml` appended: a model of 300 properties
//! (past the 64 bits of one machine word) reads and writes JSON losslessly, explicit
//! nulls included, on every property. Not a test of the codegen crate itself (it is in a
//! subdirectory, which cargo does not build as a test there).

use graph_online_meetings::types::Wide;
use serde_json::{Value, json};

/// A value for property `index` by its kind (the spec cycles through six).
fn value(index: usize) -> Value {
    match index % 6 {
        0 => json!(format!("text {index}")),
        1 => json!(index * 1000),
        2 => json!(index % 4 == 0),
        3 => json!([format!("a{index}"), "b"]),
        4 => json!(format!("2026-01-01T09:{:02}:00+05:30", index % 60)),
        _ => json!({"displayName": format!("inner {index}"), "futureFlag": index}),
    }
}

#[test]
fn three_hundred_properties_round_trip_with_their_nulls() {
    let mut object = serde_json::Map::new();
    for index in 0..300 {
        let name = format!("field{index:03}");
        // Every third property is an explicit null (or `[]` for a list), the last among
        // them; the others carry a value.
        let member = match (index % 3, index % 6) {
            (0, 3) => json!([]),
            (0, _) => Value::Null,
            _ => value(index),
        };
        object.insert(name, member);
    }
    object.insert("@odata.context".into(), json!("https://graph.example/$metadata"));
    let original = Value::Object(object);

    let wide: Wide = serde_json::from_value(original.clone()).expect("decodes");
    assert!(wide.is_explicit_null("field000"));
    assert!(wide.is_explicit_null("field297"), "an explicit [] past bit 64");
    assert!(wide.is_explicit_null("field294"), "an explicit null past bit 64");
    assert!(!wide.is_explicit_null("field299"));
    assert_eq!(wide.field001, Some(1000));
    assert_eq!(wide.field298.map(|t| t.to_rfc3339()).as_deref(), Some("2026-01-01T09:58:00+05:30"));
    assert_eq!(
        wide.field299.as_ref().and_then(|inner| inner.display_name.as_deref()),
        Some("inner 299")
    );
    assert_eq!(wide.additional_properties.len(), 1);

    let written = serde_json::to_value(&wide).expect("encodes");
    assert_eq!(written, original, "read and written back, nothing lost");
    let again: Wide = serde_json::from_value(written).expect("decodes again");
    assert_eq!(again, wide);
}
