//! Quickstart: create a meeting, createOrGet twice with one `externalId`, find it by its
//! join URL, move it, and delete what was created.
//!
//! ```sh
//! cargo run --example quickstart
//! ```
//!
//! With no configuration it starts the bundled Graph emulator on 127.0.0.1 in this process
//! and signs in with an emulator token, so it works offline. To call Microsoft Graph
//! instead, set `GRAPH_TOKEN` to a delegated access token (permission
//! `OnlineMeetings.ReadWrite`); `GRAPH_BASE_URL` optionally replaces the Graph host (for a
//! proxy or an emulator you started yourself with `meetings-emulator`).

use graph_online_meetings::types::{CreateOrGetRequest, OnlineMeeting};
use graph_online_meetings::{ApiVersion, Cloud, CreateOrGet, GraphClient};
use graph_online_meetings_emulator::{Emulator, RunningEmulator, TokenKind, fake_token};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Keep the emulator (if any) alive until the end of `main`.
    let (client, emulator) = connect().await?;

    let start = chrono::Utc::now().fixed_offset();
    let meeting = OnlineMeeting::default()
        .with_subject("Quickstart: plain create")
        .with_start_date_time(start)
        .with_end_date_time(start + chrono::Duration::minutes(30));
    let created = client.me().create(&meeting).await?;
    println!(
        "create:      created meeting {} ({})",
        created.id.as_deref().unwrap_or("?"),
        created.join_web_url.as_deref().unwrap_or("no join URL")
    );

    // createOrGet is keyed by tenant + user + externalId: the first call creates the
    // meeting (201), the second finds it (200).
    let external_id = format!("quickstart-{}", start.timestamp());
    let request =
        CreateOrGetRequest::new(external_id.as_str()).with_subject("Quickstart: createOrGet");
    let first = client.me().create_or_get(&request).await?;
    report("createOrGet", &first);
    let second = client.me().create_or_get(&request).await?;
    report("createOrGet", &second);

    let same = first.meeting().id == second.meeting().id;
    println!(
        "same meeting id: {same} ({})",
        second.meeting().id.as_deref().unwrap_or("?")
    );
    let join_url = second.meeting().join_web_url.clone().unwrap_or_default();
    println!("join URL: {join_url}");

    // The rest of a meeting's life: find it by its join URL, move it, then delete what
    // this example created.
    let found = client.me().find_by_join_url(&join_url).await?;
    println!("find by join URL: {} meeting(s)", found.len());
    let id = second.meeting().id.clone().unwrap_or_default();
    let moved = client
        .me()
        .meeting(&id)
        .update(
            &OnlineMeeting::default()
                .with_subject("Quickstart: moved")
                .with_start_date_time(start + chrono::Duration::hours(1))
                .with_end_date_time(start + chrono::Duration::hours(2)),
        )
        .await?;
    println!(
        "update: {} from {}",
        moved.subject.as_deref().unwrap_or(""),
        moved
            .start_date_time
            .map(|t| t.to_rfc3339())
            .unwrap_or_default()
    );
    for meeting in [&created, second.meeting()] {
        let id = meeting.id.as_deref().unwrap_or_default();
        client.me().meeting(id).delete().await?;
        println!("delete: deleted meeting {id}");
    }
    match client.me().meeting(&id).get().await {
        Err(err) if err.is_status(reqwest::StatusCode::NOT_FOUND) => {
            println!("get after delete: 404 Not Found");
        }
        Err(err) => return Err(err.into()),
        Ok(_) => return Err("the deleted meeting is still there".into()),
    }

    if let Some(emulator) = emulator {
        emulator.shutdown().await?;
    }
    if !same {
        return Err("createOrGet returned two different meetings for one externalId".into());
    }
    Ok(())
}

/// A client for Graph when `GRAPH_TOKEN` is set, else for an emulator started here.
async fn connect() -> Result<(GraphClient, Option<RunningEmulator>), Box<dyn std::error::Error>> {
    if let Ok(token) = std::env::var("GRAPH_TOKEN") {
        let mut builder = GraphClient::builder()
            .cloud(Cloud::Global)
            .api_version(ApiVersion::V1)
            .bearer_token(token);
        if let Ok(base_url) = std::env::var("GRAPH_BASE_URL") {
            println!("calling {base_url}");
            builder = builder.base_url(base_url);
        } else {
            println!("calling Microsoft Graph");
        }
        return Ok((builder.build()?, None));
    }
    let emulator = Emulator::start("127.0.0.1:0").await?;
    println!(
        "GRAPH_TOKEN is not set: started the emulator at {}",
        emulator.base_url()
    );
    let token = fake_token(
        "contoso-tenant-0000-0000-000000000000",
        "adele-vance-0000-0000-000000000000",
        TokenKind::Delegated,
    );
    let client = GraphClient::builder()
        .base_url(emulator.base_url())
        .api_version(ApiVersion::V1)
        .bearer_token(token)
        .build()?;
    Ok((client, Some(emulator)))
}

fn report(call: &str, outcome: &CreateOrGet) {
    let what = match outcome {
        CreateOrGet::Created(_) => "created",
        CreateOrGet::Existing(_) => "existing",
    };
    println!(
        "{call}: {what} ({}) meeting {}",
        outcome.status(),
        outcome.meeting().id.as_deref().unwrap_or("?")
    );
}
