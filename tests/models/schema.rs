//! The models and the spec describe the same thing.
//!
//! 1. schemars round trip: the JSON Schema schemars derives for every model (OpenAPI 3.0
//!    settings) is compared with the spec's `components.schemas` after this documented
//!    normalization:
//!    * schema names: the spec's `onlineMeeting` is the Rust `OnlineMeeting` (first letter
//!      upper-cased); `$ref` prefixes are dropped, only the target name is compared;
//!    * a property is reduced to its shape: a reference (through `allOf`/`anyOf`), or a
//!      type with its `format`, or an array of such a shape; nullability is not compared
//!      (every optional Rust field accepts `null`);
//!    * an enum is reduced to its set of members (the Rust side is open: it also accepts
//!      any other string, which it declares with a second `anyOf` branch);
//!    * descriptions, ordering and `additionalProperties` (every Rust model keeps unknown
//!      properties) are not compared;
//!    * `required` is compared.
//! 2. corpus against the spec: every property in every fixture is either defined by the
//!    spec's schema at that place, or is one of the undocumented properties Graph is known
//!    to send (listed below), so the corpus proves the spec complete for real payloads.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use graph_online_meetings::types::{
    AttendanceRecord, AttendanceRecordCollectionResponse, CallRecording,
    CallRecordingCollectionResponse, CallTranscript, CallTranscriptCollectionResponse,
    ChangeNotificationCollection, CreateOrGetRequest, MeetingAttendanceReport,
    MeetingAttendanceReportCollectionResponse, OdataError, OnlineMeeting,
    OnlineMeetingCollectionResponse, Subscription, SubscriptionCollectionResponse,
    SubscriptionRenewal,
};
use serde_json::{Value, json};

fn spec() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi/onlinemeetings.yaml");
    graph_online_meetings_codegen::load_value(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn rust_schemas() -> BTreeMap<String, Value> {
    let mut generator = schemars::generate::SchemaSettings::openapi3().into_generator();
    generator.subschema_for::<OnlineMeeting>();
    generator.subschema_for::<CreateOrGetRequest>();
    generator.subschema_for::<OdataError>();
    generator.subschema_for::<OnlineMeetingCollectionResponse>();
    // The other roots of the spec's sync (`x-graph-sync-roots`): after the meeting.
    generator.subschema_for::<MeetingAttendanceReport>();
    generator.subschema_for::<AttendanceRecord>();
    generator.subschema_for::<CallTranscript>();
    generator.subschema_for::<CallRecording>();
    // The pages of the lists.
    generator.subschema_for::<MeetingAttendanceReportCollectionResponse>();
    generator.subschema_for::<AttendanceRecordCollectionResponse>();
    generator.subschema_for::<CallTranscriptCollectionResponse>();
    generator.subschema_for::<CallRecordingCollectionResponse>();
    // Subscriptions and the notifications they bring.
    generator.subschema_for::<Subscription>();
    generator.subschema_for::<SubscriptionRenewal>();
    generator.subschema_for::<SubscriptionCollectionResponse>();
    generator.subschema_for::<ChangeNotificationCollection>();
    generator
        .definitions()
        .iter()
        .map(|(name, schema)| (name.clone(), schema.clone()))
        .collect()
}

fn pascal(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The comparable shape of one schema.
#[derive(Debug, PartialEq)]
enum Shape {
    Object {
        properties: BTreeMap<String, String>,
        required: BTreeSet<String>,
    },
    Enum(BTreeSet<String>),
    Other(String),
}

/// A property's shape as text: `ref Identity`, `string/date-time`, `array of ref X`.
fn property_shape(schema: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        return format!("ref {}", pascal(name));
    }
    for keyword in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(members)) = schema.get(keyword) {
            let shapes: Vec<String> = members
                .iter()
                .filter(|m| m.get("type") != Some(&json!("null")))
                .map(property_shape)
                .collect();
            if let [single] = shapes.as_slice() {
                return single.clone();
            }
            return format!("{keyword} of {}", shapes.join(", "));
        }
    }
    let kind = match schema.get("type") {
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .collect::<Vec<_>>()
            .join("|"),
        Some(Value::String(kind)) => kind.clone(),
        _ => "any".to_owned(),
    };
    match (kind.as_str(), schema.get("format").and_then(Value::as_str)) {
        ("array", _) => format!("array of {}", property_shape(&schema["items"])),
        // The generator keeps `uuid` strings as `String` (its conversion in
        // codegen/src/generate.rs), whose schemars schema has no format.
        ("string", Some("uuid")) => "string".to_owned(),
        // schemars adds integer formats from the Rust type; the spec's int32/int64 match.
        (kind, Some(format)) => format!("{kind}/{format}"),
        (kind, None) => kind.to_owned(),
    }
}

fn shape(schema: &Value) -> Shape {
    let members = schema
        .get("enum")
        .or_else(|| schema.pointer("/anyOf/0/enum"))
        .and_then(Value::as_array);
    if let Some(members) = members {
        return Shape::Enum(
            members
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
        );
    }
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        return Shape::Object {
            properties: properties
                .iter()
                .map(|(name, p)| (name.clone(), property_shape(p)))
                .collect(),
            required: schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| {
                    r.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
        };
    }
    Shape::Other(property_shape(schema))
}

/// Every difference between the spec's schemas and the Rust models', as sentences.
fn differences(spec: &Value, rust: &BTreeMap<String, Value>) -> Vec<String> {
    let mut found = Vec::new();
    let Some(spec_schemas) = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return vec!["the spec has no components.schemas".into()];
    };
    let spec_by_rust_name: BTreeMap<String, (&String, &Value)> = spec_schemas
        .iter()
        .map(|(name, schema)| (pascal(name), (name, schema)))
        .collect();
    for (rust_name, (spec_name, spec_schema)) in &spec_by_rust_name {
        let Some(rust_schema) = rust.get(rust_name) else {
            // Inline objects (`mainError` inside `odataError`) are named by typify; a
            // schema with no Rust model under its own name must at least be referenced.
            found.push(format!(
                "schema `{spec_name}` has no Rust model `{rust_name}`"
            ));
            continue;
        };
        match (shape(spec_schema), shape(rust_schema)) {
            (
                Shape::Object { properties: sp, required: sr },
                Shape::Object { properties: rp, required: rr },
            ) => {
                for (name, spec_shape) in &sp {
                    match rp.get(name) {
                        None => found.push(format!(
                            "schema `{spec_name}`: property `{name}` is in the spec but not in `{rust_name}`"
                        )),
                        Some(rust_shape) if rust_shape != spec_shape => found.push(format!(
                            "schema `{spec_name}`: property `{name}` is `{spec_shape}` in the spec but `{rust_shape}` in `{rust_name}`"
                        )),
                        Some(_) => {}
                    }
                }
                for name in rp.keys().filter(|name| !sp.contains_key(*name)) {
                    found.push(format!(
                        "schema `{spec_name}`: property `{name}` is in `{rust_name}` but not in the spec"
                    ));
                }
                if sr != rr {
                    found.push(format!(
                        "schema `{spec_name}`: required {sr:?} in the spec but {rr:?} in `{rust_name}`"
                    ));
                }
            }
            (Shape::Enum(spec_members), Shape::Enum(rust_members)) => {
                for member in spec_members.difference(&rust_members) {
                    found.push(format!(
                        "enum `{spec_name}`: member `{member}` is in the spec but not in `{rust_name}`"
                    ));
                }
                for member in rust_members.difference(&spec_members) {
                    found.push(format!(
                        "enum `{spec_name}`: member `{member}` is in `{rust_name}` but not in the spec"
                    ));
                }
            }
            (spec_shape, rust_shape) if spec_shape != rust_shape => found.push(format!(
                "schema `{spec_name}` is {spec_shape:?} in the spec but {rust_shape:?} in `{rust_name}`"
            )),
            _ => {}
        }
    }
    for rust_name in rust
        .keys()
        .filter(|name| !spec_by_rust_name.contains_key(*name))
    {
        found.push(format!(
            "Rust model `{rust_name}` has no schema in the spec"
        ));
    }
    found
}

#[test]
fn every_model_matches_its_spec_schema() {
    let rust = rust_schemas();
    assert!(
        rust.len() >= 25,
        "expected every model, got {:?}",
        rust.keys()
    );
    let found = differences(&spec(), &rust);
    assert!(
        found.is_empty(),
        "models and spec differ:\n{}",
        found.join("\n")
    );
}

/// The check can fail: an enum member removed from the spec is named.
#[test]
fn an_enum_member_missing_from_the_spec_is_named() {
    let mut spec = spec();
    let members = spec
        .pointer_mut("/components/schemas/onlineMeetingRole/enum")
        .and_then(Value::as_array_mut)
        .expect("onlineMeetingRole has members");
    members.retain(|m| m != "coorganizer");
    let found = differences(&spec, &rust_schemas());
    assert_eq!(
        found,
        vec![
            "enum `onlineMeetingRole`: member `coorganizer` is in `OnlineMeetingRole` but not in the spec"
        ]
    );
}

/// The check can fail: a property added only to the spec is named.
#[test]
fn a_property_only_in_the_spec_is_named() {
    let mut spec = spec();
    spec.pointer_mut("/components/schemas/onlineMeeting/properties")
        .and_then(Value::as_object_mut)
        .expect("onlineMeeting has properties")
        .insert(
            "allowTimeTravel".into(),
            json!({ "type": "boolean", "nullable": true }),
        );
    let found = differences(&spec, &rust_schemas());
    assert_eq!(
        found,
        vec![
            "schema `onlineMeeting`: property `allowTimeTravel` is in the spec but not in `OnlineMeeting`"
        ]
    );
}

/// Properties Graph sends that no v1.0 schema lists (see tests/fixtures/README.md); any
/// other property in a fixture must be in the spec.
const UNDOCUMENTED: &[&str] = &[
    "@odata.context",
    "tenantId",
    "identityProvider",
    "producers",
    "contributors",
    "autoAdmittedUsers",
    "ConferenceId",
    "azureApplicationInstance",
    // A property of `communicationsIdentitySet`, the derived type Graph sends (with
    // `@odata.type`) where the metadata declares `identitySet`; the spec follows the
    // metadata, and the models keep it in `additional_properties`.
    "applicationInstance",
];

/// Walk `value` against `schema`, collecting the properties the spec does not define.
fn undefined_properties(
    spec: &Value,
    schema: &Value,
    value: &Value,
    at: &str,
    out: &mut Vec<String>,
) {
    let schema = resolve(spec, schema);
    match value {
        Value::Object(object) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            for (name, child) in object {
                match properties.and_then(|p| p.get(name)) {
                    Some(child_schema) => undefined_properties(
                        spec,
                        child_schema,
                        child,
                        &format!("{at}/{name}"),
                        out,
                    ),
                    None if UNDOCUMENTED.contains(&name.as_str()) => {}
                    None => out.push(format!("{at}/{name}")),
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    undefined_properties(spec, item_schema, item, &format!("{at}/{i}"), out);
                }
            }
        }
        _ => {}
    }
}

/// Follow `$ref` and single-member `allOf` (the spec's nullable reference) to the schema.
fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    if let Some(target) = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|p| spec.pointer(p))
    {
        return resolve(spec, target);
    }
    match schema
        .get("allOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        Some([single]) => resolve(spec, single),
        _ => schema,
    }
}

#[test]
fn every_fixture_property_is_in_the_spec_or_known_undocumented() {
    let spec = spec();
    let meeting = json!({ "$ref": "#/components/schemas/onlineMeeting" });
    let request = json!({ "$ref": "#/components/schemas/createOrGetRequest" });
    let mut undefined = Vec::new();
    let mut checked = 0;
    for fixture in crate::fixtures::fixtures() {
        let schema = if fixture.is_create_or_get_request() {
            &request
        } else {
            &meeting
        };
        let mut found = Vec::new();
        undefined_properties(&spec, schema, &fixture.value, "", &mut found);
        undefined.extend(found.into_iter().map(|p| format!("{}: {p}", fixture.name)));
        checked += 1;
    }
    assert!(
        checked >= 30,
        "expected the whole corpus, checked {checked}"
    );
    assert!(
        undefined.is_empty(),
        "properties the spec does not define:\n{}",
        undefined.join("\n")
    );
}
