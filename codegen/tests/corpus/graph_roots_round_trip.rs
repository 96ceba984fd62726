//! Run by `scripts/corpus-compiles.sh` in a copy of the client crate whose spec gained
//! roots from outside meetings (`event` with its `attachments` expanded and
//! `attachment`'s derived types, `message`, `driveItem`, `user`, `group`, `chatMessage`,
//! and types that use every Edm primitive), synced from the bundled metadata: a
//! Graph-shaped JSON of each reads into its model and writes back the same JSON, and an
//! event's attachments are told apart by `@odata.type`. Not a test of the codegen crate
//! itself (it is in a subdirectory, which cargo does not build as a test there).

use std::path::Path;

use graph_online_meetings::types::{
    AccessPackageApprovalStage, AnyAttachment, ApplicationRiskScore, BookingsAvailabilityWindow,
    CallRecordsPstnCallLogRow, ChatMessage, DriftedProperty, DriveItem, Event, Group, Message, RgbColor,
    TimeRange, User,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The sample `name`, from the corpus beside this file.
fn sample(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("codegen/tests/corpus/graph_roots")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `value` with every RFC 3339 date-time written as chrono writes it: the models keep a
/// date-time's instant and offset, not how many fractional digits it had.
fn normalized(value: Value) -> Value {
    match value {
        Value::String(text) => match chrono::DateTime::parse_from_rfc3339(&text) {
            Ok(time) => Value::String(time.to_rfc3339()),
            Err(_) => Value::String(text),
        },
        Value::Array(items) => Value::Array(items.into_iter().map(normalized).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, normalized(v))).collect())
        }
        other => other,
    }
}

/// `original` read as `T` and written back: the same JSON.
fn round_trip<T: DeserializeOwned + Serialize>(what: &str, original: &Value) -> T {
    let model: T = serde_json::from_value(original.clone())
        .unwrap_or_else(|e| panic!("{what} does not decode: {e}"));
    let written = serde_json::to_value(&model).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(
        normalized(written),
        normalized(original.clone()),
        "{what} does not round-trip"
    );
    model
}

#[test]
fn an_event_s_attachments_are_told_apart_by_their_odata_type() {
    let event: Event = round_trip("event", &sample("event.json"));
    let kinds: Vec<&str> = event
        .attachments
        .iter()
        .map(|attachment| match attachment {
            AnyAttachment::FileAttachment(file) => {
                assert_eq!(file.content_bytes.as_deref(), Some("SGVsbG8sIFdvcmxkIQ=="));
                "file"
            }
            AnyAttachment::ItemAttachment(item) => {
                assert_eq!(item.size, Some(32005));
                "item"
            }
            AnyAttachment::ReferenceAttachment(_) => "reference",
            AnyAttachment::Attachment(base) => {
                assert_eq!(
                    base.odata_type.as_deref(),
                    Some("#microsoft.graph.futureAttachment")
                );
                assert!(base.additional_properties.contains_key("hologram"));
                "unknown"
            }
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["file", "item", "reference", "unknown"]);
}

#[test]
fn graph_s_roots_round_trip() {
    round_trip::<Message>("message", &sample("message.json"));
    round_trip::<DriveItem>("driveItem", &sample("drive_item.json"));
    round_trip::<User>("user", &sample("user.json"));
    round_trip::<Group>("group", &sample("group.json"));
    round_trip::<ChatMessage>("chatMessage", &sample("chat_message.json"));
}

/// Every Edm primitive Graph uses, in the types that use them: `Edm.Byte`, `TimeOfDay`,
/// `Duration`, `Untyped`, `Single`, `Date`, `Decimal` (and `Guid`, `Binary` in the
/// user's and the event's samples).
#[test]
fn every_edm_primitive_round_trips() {
    let samples = sample("primitives.json");
    let part = |name: &str| samples[name].clone();
    let color: RgbColor = round_trip("rgbColor", &part("rgbColor"));
    assert_eq!((color.r, color.g, color.b), (Some(255), Some(128), Some(0)));
    let range: TimeRange = round_trip("timeRange", &part("timeRange"));
    assert_eq!(range.start_time.as_deref(), Some("08:00:00.0000000"));
    let stage: AccessPackageApprovalStage =
        round_trip("accessPackageApprovalStage", &part("accessPackageApprovalStage"));
    assert_eq!(stage.duration_before_escalation.as_deref(), Some("PT12H30M"));
    let drifted: DriftedProperty = round_trip("driftedProperty", &part("driftedProperty"));
    assert_eq!(drifted.current_value.as_ref().map(|v| v["mode"].clone()), Some("strict".into()));
    round_trip::<ApplicationRiskScore>("applicationRiskScore", &part("applicationRiskScore"));
    let window: BookingsAvailabilityWindow =
        round_trip("bookingsAvailabilityWindow", &part("bookingsAvailabilityWindow"));
    assert_eq!(window.start_date.map(|d| d.to_string()).as_deref(), Some("2026-04-01"));
    let row: CallRecordsPstnCallLogRow = round_trip("pstnCallLogRow", &part("pstnCallLogRow"));
    assert_eq!(row.charge, Some(0.27));
}
