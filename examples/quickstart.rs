//! Quickstart: build a createOrGet request with the generated models and print the JSON
//! that would be sent to `POST /me/onlineMeetings/createOrGet`.
//!
//! Run with `cargo run --example quickstart`.

use graph_online_meetings::types::{CreateOrGetRequest, OnlineMeeting};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let start = chrono::DateTime::parse_from_rfc3339("2026-12-01T09:00:00-08:00")?;
    let request = CreateOrGetRequest {
        external_id: "7eb8263f-d0e0-4149-bb1c-1f0476083c56".into(),
        subject: Some("Quarterly planning".into()),
        start_date_time: Some(start),
        end_date_time: Some(start + chrono::Duration::minutes(30)),
        chat_info: None,
        participants: None,
        additional_properties: Default::default(),
    };
    println!("POST /v1.0/me/onlineMeetings/createOrGet");
    println!("{}", serde_json::to_string_pretty(&request)?);

    // Responses keep what the models do not know: read one and write it back.
    let response = r##"{"id":"m1","subject":"Quarterly planning","allowedPresenters":"someFutureValue","@odata.type":"#microsoft.graph.onlineMeeting"}"##;
    let meeting: OnlineMeeting = serde_json::from_str(response)?;
    println!(
        "\nparsed a response: id={:?}, allowedPresenters={:?}",
        meeting.id, meeting.allowed_presenters
    );
    println!("written back: {}", serde_json::to_string(&meeting)?);
    Ok(())
}
