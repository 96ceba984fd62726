//! createOrGet on behalf of a user with an app registration (client credentials) through
//! `azure_identity`: the application permission `OnlineMeetings.ReadWrite.All` and an
//! application access policy granted to the user are required.
//!
//! ```sh
//! AZURE_TENANT_ID=… AZURE_CLIENT_ID=… AZURE_CLIENT_SECRET=… GRAPH_USER_ID=… \
//!   cargo run --example azure_identity --features azure
//! ```

use azure_identity::ClientSecretCredential;
use graph_online_meetings::auth::azure::AzureTokenProvider;
use graph_online_meetings::types::CreateOrGetRequest;
use graph_online_meetings::{Cloud, CreateOrGet, GraphClient};

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("set {name}"))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Tokens are requested for https://graph.microsoft.com/.default and cached and
    // refreshed by the credential. For a national cloud, choose it here too (the
    // credential's `ClientSecretCredentialOptions`) and with `.cloud(…)` below.
    let credential = ClientSecretCredential::new(
        &env("AZURE_TENANT_ID")?,
        env("AZURE_CLIENT_ID")?,
        env("AZURE_CLIENT_SECRET")?.into(),
        None,
    )?;
    let client = GraphClient::builder()
        .cloud(Cloud::Global)
        .token_provider(AzureTokenProvider::new(credential))
        .build()?;

    let user_id = env("GRAPH_USER_ID")?; // object ID or userPrincipalName
    let request = CreateOrGetRequest::new("azure-identity-example-0001").with_subject("Standup");
    let response = client.user(&user_id).create_or_get(&request).await?;
    let verb = match response.value() {
        CreateOrGet::Created(_) => "created",
        CreateOrGet::Existing(_) => "found",
    };
    println!(
        "{verb}: {} (request-id {})",
        response
            .meeting()
            .join_web_url
            .as_deref()
            .unwrap_or_default(),
        response.request_id().unwrap_or("none")
    );
    Ok(())
}
