//! Check and decrypt one change-notification collection read from standard input, as
//! the receiver does for a request to the notification URL, and print each event's
//! resource as a JSON line (`{"event": …, "resource": …}`) and each refusal as
//! `{"refused": …}`. For a notification captured from Graph, or built by another tool
//! (`interop/notifications.py` builds one with Python's `cryptography`).
//!
//! ```text
//! cargo run --example receive_notification -- CLIENT_STATE APP_ID CERTIFICATE_ID KEY.pem JWKS.json < notification.json
//! ```
//!
//! `KEY.pem` is the private key of the certificate given to Graph under `CERTIFICATE_ID`;
//! `JWKS.json` the keys that sign validation tokens (Microsoft's are at
//! `https://login.microsoftonline.com/common/discovery/keys`). Exits 1 on an unusable
//! argument or input, 0 otherwise (refusals included).

use std::io::Read as _;

use graph_online_meetings::notifications::{
    DecryptionKey, Event, JwkSet, Received, Receiver, StaticKeys,
};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    if let Err(error) = run().await {
        eprintln!("receive_notification: {error}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [state, app_id, certificate_id, key_path, keys_path] = &args[..] else {
        return Err(
            "usage: CLIENT_STATE APP_ID CERTIFICATE_ID KEY.pem JWKS.json < notification.json"
                .into(),
        );
    };
    let read =
        |path: &str| std::fs::read_to_string(path).map_err(|error| format!("{path}: {error}"));
    let key = DecryptionKey::from_pem(certificate_id.as_str(), &read(key_path)?)?;
    let keys: JwkSet = serde_json::from_str(&read(keys_path)?)
        .map_err(|error| format!("{keys_path}: not a JWK set: {error}"))?;
    let receiver = Receiver::builder(state.as_str())
        .decryption_key(key)
        .app_id(app_id.as_str())
        .token_keys(StaticKeys::new(keys))
        .build()?;

    let mut body = Vec::new();
    std::io::stdin().read_to_end(&mut body)?;
    let request = http::Request::post("/notifications").body(body)?;
    let Received::Notifications(delivery) = receiver.receive(&request).await? else {
        return Err("the input is a validation handshake, not notifications".into());
    };
    for event in delivery.events {
        let line = match event {
            Event::Transcript(change) => {
                serde_json::json!({"event": "transcript", "resource": change.resource})
            }
            Event::Recording(change) => {
                serde_json::json!({"event": "recording", "resource": change.resource})
            }
            Event::Other(change) => {
                serde_json::json!({"event": "other", "resource": change.resource})
            }
            Event::Lifecycle(lifecycle) => {
                serde_json::json!({"event": "lifecycle", "lifecycleEvent": lifecycle.event.as_str()})
            }
            other => serde_json::json!({"event": format!("{other:?}")}),
        };
        println!("{line}");
    }
    for refused in delivery.refused {
        println!(
            "{}",
            serde_json::json!({"refused": refused.refusal.to_string()})
        );
    }
    Ok(())
}
