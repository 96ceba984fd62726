//! Change notifications as Graph sends them: built when a meeting ends (a transcript and
//! a recording created) for every subscription that watches it, sealed for the
//! subscription when it asked for resource data (`seal`), and handed to `delivery`; and
//! lifecycle notifications on request.

use chrono::Utc;
use serde_json::{Map, Value, json};

use crate::artifacts::Session;
use crate::owner::Owner;
use crate::seal::{encrypt_content, validation_token};
use crate::state::ServerState;
use crate::subscriptions::{StoredSubscription, Watched};

/// What a subscription's resource watches of a session: its transcript, its recording.
fn watches(resource: &str, session: &Session) -> (bool, bool) {
    let (matches, recordings) = match Watched::parse(resource) {
        Some(Watched::Tenant { recordings }) => (true, recordings),
        Some(Watched::Meeting { id, recordings }) => (id == session.meeting_id, recordings),
        Some(Watched::Organizer { id, recordings }) => {
            (id.eq_ignore_ascii_case(&session.organizer_id), recordings)
        }
        None => (false, false),
    };
    (matches && !recordings, matches && recordings)
}

/// The notifications a session's end sends: one per subscription and artifact watched,
/// with the URL to send it to.
pub(crate) fn for_session(
    subscriptions: &[(String, StoredSubscription)],
    session: &Session,
    version_base: &str,
) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (id, subscription) in subscriptions {
        if subscription.owner.tenant() != session.owner.tenant() {
            continue;
        }
        let (transcripts, recordings) = watches(text(&subscription.body, "resource"), session);
        let artifacts = [
            (
                transcripts,
                "transcripts",
                &session.transcript_id,
                "callTranscript",
                session.transcript_document(version_base),
            ),
            (
                recordings,
                "recordings",
                &session.recording_id,
                "callRecording",
                session.recording_document(version_base),
            ),
        ];
        for (watched, segment, artifact_id, kind, document) in artifacts {
            if !watched {
                continue;
            }
            match notification(
                id,
                subscription,
                session,
                segment,
                artifact_id,
                kind,
                &document,
            ) {
                Ok(body) => {
                    out.push((text(&subscription.body, "notificationUrl").to_owned(), body))
                }
                Err(reason) => {
                    tracing::warn!(subscription = %id, %reason, "notification not built")
                }
            }
        }
    }
    out
}

fn text<'a>(body: &'a Map<String, Value>, name: &str) -> &'a str {
    body.get(name).and_then(Value::as_str).unwrap_or_default()
}

/// One notification collection, as Graph posts it.
fn notification(
    id: &str,
    subscription: &StoredSubscription,
    session: &Session,
    segment: &str,
    artifact_id: &str,
    kind: &str,
    document: &Map<String, Value>,
) -> Result<Value, String> {
    let path = format!(
        "communications/onlineMeetings('{}')/{segment}('{artifact_id}')",
        session.meeting_id
    );
    let tenant = session.owner.tenant();
    let mut item = json!({
        "subscriptionId": id,
        "changeType": "created",
        "clientState": subscription.body.get("clientState").cloned().unwrap_or(Value::Null),
        "subscriptionExpirationDateTime": subscription.body.get("expirationDateTime").cloned().unwrap_or(Value::Null),
        "resource": path,
        "resourceData": {
            "id": artifact_id,
            "@odata.type": format!("#Microsoft.Graph.{kind}"),
            "@odata.id": path,
        },
        "tenantId": tenant,
    });
    let mut collection = json!({"value": []});
    if subscription.body.get("includeResourceData") == Some(&Value::Bool(true)) {
        let data = serde_json::to_vec(document).map_err(|err| err.to_string())?;
        let content = encrypt_content(
            text(&subscription.body, "encryptionCertificate"),
            text(&subscription.body, "encryptionCertificateId"),
            &data,
        )?;
        item["encryptedContent"] = content;
        let app_id = text(&subscription.body, "applicationId");
        collection["validationTokens"] = json!([validation_token(tenant, app_id)?]);
    }
    collection["value"] = json!([item]);
    Ok(collection)
}

/// A lifecycle notification for `subscription`, sent to its lifecycle URL (or its
/// notification URL when it has none).
pub(crate) fn lifecycle(
    id: &str,
    subscription: &StoredSubscription,
    event: &str,
) -> (String, Value) {
    let url = subscription
        .body
        .get("lifecycleNotificationUrl")
        .and_then(Value::as_str)
        .unwrap_or_else(|| text(&subscription.body, "notificationUrl"));
    let body = json!({"value": [{
        "subscriptionId": id,
        "lifecycleEvent": event,
        "clientState": subscription.body.get("clientState").cloned().unwrap_or(Value::Null),
        "subscriptionExpirationDateTime": subscription.body.get("expirationDateTime").cloned().unwrap_or(Value::Null),
        "resource": text(&subscription.body, "resource"),
        "tenantId": subscription.owner.tenant(),
    }]});
    (url.to_owned(), body)
}

/// Sends the notifications of a session's end to every live subscription that watches
/// it, in the background.
pub(crate) fn meeting_ended(state: &ServerState, session: &Session) {
    let live = state.subscriptions.live(Utc::now());
    let version_base = format!("{}/v1.0", state.base_url);
    for (url, body) in for_session(&live, session, &version_base) {
        send(state, url, body);
    }
}

/// Sends subscription `id` the lifecycle notification `event`, in the background, when
/// `owner` (if given) has it and it has not expired; `subscriptionRemoved` also removes
/// it. `Ok(None)` when there is no such subscription, `Err` for an unknown event.
pub(crate) fn send_lifecycle(
    state: &ServerState,
    owner: Option<&Owner>,
    id: &str,
    event: &str,
) -> Result<Option<()>, String> {
    if !["reauthorizationRequired", "subscriptionRemoved", "missed"].contains(&event) {
        return Err(format!(
            "Unknown lifecycleEvent '{event}': reauthorizationRequired, subscriptionRemoved or missed."
        ));
    }
    let now = Utc::now();
    let found = state
        .subscriptions
        .live(now)
        .into_iter()
        .find(|(candidate, s)| candidate == id && owner.is_none_or(|owner| &s.owner == owner));
    let Some((_, subscription)) = found else {
        return Ok(None);
    };
    if event == "subscriptionRemoved" {
        state.subscriptions.remove(&subscription.owner, id, now);
    }
    let (url, body) = lifecycle(id, &subscription, event);
    send(state, url, body);
    Ok(Some(()))
}

/// Hands a notification to `delivery`, with the emulator's client and settings.
fn send(state: &ServerState, url: String, body: Value) {
    crate::delivery::deliver(
        &state.runtime,
        &state.http,
        &state.deliveries,
        state.redelivery,
        url,
        body,
    );
}
