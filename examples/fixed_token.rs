//! createOrGet with a fixed access token, for example one from
//! `az account get-access-token --resource https://graph.microsoft.com`.
//!
//! ```sh
//! GRAPH_TOKEN=eyJ0eXAi… cargo run --example fixed_token
//! ```
//!
//! Set `GRAPH_BASE_URL=http://127.0.0.1:8080` to call the emulator instead of Graph.

use graph_online_meetings::types::CreateOrGetRequest;
use graph_online_meetings::{ApiVersion, Cloud, CreateOrGet, Error, GraphClient, Response};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("GRAPH_TOKEN").map_err(|_| "set GRAPH_TOKEN to an access token")?;
    let mut builder = GraphClient::builder()
        .cloud(Cloud::Global)
        .api_version(ApiVersion::V1)
        .bearer_token(token);
    if let Ok(base_url) = std::env::var("GRAPH_BASE_URL") {
        builder = builder.base_url(base_url);
    }
    let client = builder.build()?;

    let start = chrono::Utc::now().fixed_offset();
    let request = CreateOrGetRequest::new("fixed-token-example-0001")
        .with_subject("Incident review")
        .with_times(start, start + chrono::Duration::minutes(30));

    match client
        .me()
        .create_or_get(&request)
        .await
        .map(Response::into_inner)
    {
        Ok(CreateOrGet::Created(meeting)) => {
            println!("created: {}", meeting.join_web_url.unwrap_or_default());
        }
        Ok(CreateOrGet::Existing(meeting)) => {
            println!(
                "already there: {}",
                meeting.join_web_url.unwrap_or_default()
            );
        }
        Err(Error::Api(err)) => {
            // For example: 403 Forbidden: ErrorAccessDenied: … (request-id …)
            eprintln!("Graph said no: {err}");
            if let Some(delay) = err.retry_after() {
                eprintln!("it asked to wait {delay:?}");
            }
            return Err(Error::Api(err).into());
        }
        Err(err) => return Err(err.into()),
    }
    Ok(())
}
