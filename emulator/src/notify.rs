//! Change notifications as Graph sends them: built when a meeting ends (a transcript and
//! a recording created) for every subscription that watches it, with the resource
//! encrypted for the subscription's certificate when it asked for resource data, signed
//! validation tokens beside it, and delivered again until the receiver answers `2xx`.

use std::sync::Arc;

use aws_lc_rs::cipher::{AES_256, EncryptionContext, PaddedBlockEncryptingKey, UnboundCipherKey};
use aws_lc_rs::iv::FixedLength;
use aws_lc_rs::rsa::{OAEP_SHA1_MGF1SHA1, OaepPublicEncryptingKey, PublicEncryptingKey};
use aws_lc_rs::{digest, hmac, rand};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use chrono::Utc;
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value, json};

use crate::artifacts::Session;
use crate::owner::Owner;
use crate::state::ServerState;
use crate::subscriptions::StoredSubscription;

/// The public keys that sign the emulator's validation tokens, as a JWK set (JSON): what
/// a receiver checks the tokens of an emulator's notifications against, where it would
/// use the Microsoft identity platform's published keys.
pub const TOKEN_KEYS_JSON: &str = include_str!("keys/token-keys.json");

/// The private key of [`TOKEN_KEYS_JSON`]. A published test key: the tokens it signs
/// prove nothing outside tests.
const TOKEN_SIGNING_KEY_PEM: &str = include_str!("keys/token-signing-key.pem");

/// The key ID of the token signing key, in its JWK and in each token's header.
const TOKEN_KEY_ID: &str = "test-signing-key";

/// The application ID of Graph's change-notification publisher, which validation tokens
/// are issued to.
const GRAPH_CHANGE_TRACKING_APP_ID: &str = "0bf30f3b-4a52-48df-9a82-234910c4a086";

/// Resource data encrypted as Graph does for a subscription's certificate: a fresh
/// AES-256 key wraps with the certificate's RSA key (OAEP, SHA-1), the resource
/// encrypted with it (CBC, PKCS7 padding, the key's first 16 bytes as IV), and the
/// HMAC-SHA256 of the encrypted bytes under the key as `dataSignature`. The
/// `encryptedContent` object, with `encryptionCertificateId` and the certificate's SHA-1
/// thumbprint.
///
/// # Errors
///
/// Text saying why when `certificate` is not a base64 DER X.509 certificate with an RSA
/// key.
pub fn encrypt_content(
    certificate: &str,
    certificate_id: &str,
    data: &[u8],
) -> Result<Value, String> {
    let (der, key) = certificate_key(certificate)?;
    let mut symmetric = [0u8; 32];
    rand::fill(&mut symmetric).map_err(|_| "no random bytes".to_owned())?;
    let mut wrapped = vec![0; key.ciphertext_size()];
    let wrapped = key
        .encrypt(&OAEP_SHA1_MGF1SHA1, &symmetric, &mut wrapped, None)
        .map_err(|_| "the data key does not encrypt with the certificate's key".to_owned())?;
    let mut iv = [0u8; 16];
    iv.copy_from_slice(&symmetric[..16]);
    let cipher = UnboundCipherKey::new(&AES_256, &symmetric)
        .and_then(PaddedBlockEncryptingKey::cbc_pkcs7)
        .map_err(|_| "no AES key".to_owned())?;
    let mut encrypted = data.to_vec();
    cipher
        .less_safe_encrypt(
            &mut encrypted,
            EncryptionContext::Iv128(FixedLength::from(iv)),
        )
        .map_err(|_| "the data does not encrypt".to_owned())?;
    let signature = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &symmetric), &encrypted);
    let thumbprint: String = digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, &der)
        .as_ref()
        .iter()
        .map(|byte| format!("{byte:02X}"))
        .collect();
    Ok(json!({
        "data": STANDARD.encode(&encrypted),
        "dataSignature": STANDARD.encode(signature.as_ref()),
        "dataKey": STANDARD.encode(wrapped),
        "encryptionCertificateId": certificate_id,
        "encryptionCertificateThumbprint": thumbprint,
    }))
}

/// The certificate's DER and its RSA public key, or why not.
pub(crate) fn certificate_key(
    certificate: &str,
) -> Result<(Vec<u8>, OaepPublicEncryptingKey), String> {
    let der = STANDARD
        .decode(certificate.trim())
        .map_err(|err| format!("encryptionCertificate is not base64: {err}"))?;
    let cert_der = rustls_pki_types::CertificateDer::from(der.as_slice());
    let parsed = webpki::EndEntityCert::try_from(&cert_der)
        .map_err(|err| format!("encryptionCertificate is not an X.509 certificate: {err:?}"))?;
    let spki = parsed.subject_public_key_info();
    let key = PublicEncryptingKey::from_der(spki.as_ref())
        .map_err(|err| format!("encryptionCertificate has no RSA key: {err}"))
        .and_then(|key| {
            OaepPublicEncryptingKey::new(key).map_err(|_| "the key does not do RSA-OAEP".to_owned())
        })?;
    Ok((der, key))
}

/// A validation token as Graph's publisher gets from the identity platform: for `app_id`
/// in `tenant_id`, valid for an hour, signed with the key of [`TOKEN_KEYS_JSON`].
pub fn validation_token(tenant_id: &str, app_id: &str) -> Result<String, String> {
    #[derive(serde::Serialize)]
    struct Claims<'a> {
        aud: &'a str,
        iss: String,
        iat: i64,
        nbf: i64,
        exp: i64,
        appid: &'a str,
        appidacr: &'a str,
        tid: &'a str,
        ver: &'a str,
    }
    let now = Utc::now().timestamp();
    let claims = Claims {
        aud: app_id,
        iss: format!("https://sts.windows.net/{tenant_id}/"),
        iat: now,
        nbf: now,
        exp: now + 3600,
        appid: GRAPH_CHANGE_TRACKING_APP_ID,
        appidacr: "2",
        tid: tenant_id,
        ver: "1.0",
    };
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = Some(TOKEN_KEY_ID.to_owned());
    // With both of the JWT crate's backends enabled by other crates it has no default.
    if jsonwebtoken::crypto::CryptoProvider::try_get_default().is_none() {
        let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
    }
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(TOKEN_SIGNING_KEY_PEM.as_bytes())
        .map_err(|err| format!("the token signing key is unusable: {err}"))?;
    jsonwebtoken::encode(&header, &claims, &key).map_err(|err| format!("no token: {err}"))
}

/// What a subscription's resource watches of a session: its transcript, its recording.
fn watches(resource: &str, session: &Session) -> (bool, bool) {
    let parts: Vec<String> = resource
        .trim_start_matches('/')
        .split('/')
        .map(|part| percent_decode_str(part).decode_utf8_lossy().into_owned())
        .collect();
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    let organizer = |id: &str| id.eq_ignore_ascii_case(&session.organizer_id);
    match parts.as_slice() {
        ["communications", "onlineMeetings", "getAllTranscripts"] => (true, false),
        ["communications", "onlineMeetings", "getAllRecordings"] => (false, true),
        ["communications", "onlineMeetings", id, "transcripts"] => {
            (*id == session.meeting_id, false)
        }
        ["communications", "onlineMeetings", id, "recordings"] => {
            (false, *id == session.meeting_id)
        }
        ["users", id, "onlineMeetings", "getAllTranscripts"] => (organizer(id), false),
        ["users", id, "onlineMeetings", "getAllRecordings"] => (false, organizer(id)),
        _ => (false, false),
    }
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
        deliver(state, url, body);
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
    deliver(state, url, body);
    Ok(Some(()))
}

/// Sends `body` to `url` in the background, again after each answer that is not `2xx`,
/// as the emulator's [`Redelivery`](crate::Redelivery) says; counts what happened.
fn deliver(state: &ServerState, url: String, body: Value) {
    let http = state.http.clone();
    let store = Arc::clone(&state.subscriptions);
    let redelivery = state.redelivery;
    let body = Bytes::from(body.to_string());
    store.delivery_started();
    state.runtime.spawn(async move {
        let mut wait = redelivery.first;
        for attempt in 1..=redelivery.attempts.max(1) {
            match crate::subscriptions::post_json(&http, &url, body.clone()).await {
                Ok(()) => {
                    store.delivery_ended(true);
                    return;
                }
                Err(reason) => {
                    tracing::debug!(%url, attempt, %reason, "notification not accepted");
                    store.redelivery();
                }
            }
            if attempt < redelivery.attempts {
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(redelivery.longest);
            }
        }
        tracing::warn!(%url, "notification dropped after every attempt");
        store.delivery_ended(false);
    });
}
