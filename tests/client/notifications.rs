//! The change-notification receiver on its own: notifications built as Graph builds them
//! (the emulator's encryption and token signing, checked against Microsoft's page by
//! `interop/notifications.py`), then each check shown to refuse what it must: a bad
//! signature, a wrong `clientState`, a forged, expired, misdirected or missing validation
//! token, a key for another certificate. Refused notifications never become events.
//! Property tests throw arbitrary bodies at it: a typed error or refusals, never a panic.

use graph_online_meetings::notifications::{
    Change, DecryptionKey, Delivery, Event, JwkSet, MicrosoftKeys, ReceiveError, Received,
    Receiver, Refusal, StaticKeys,
};
use graph_online_meetings::types::{CallRecording, CallTranscript};
use graph_online_meetings_emulator::{TOKEN_KEYS_JSON, encrypt_content, validation_token};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};

use crate::common::{certificate_base64, notification_fixture};

const STATE: &str = "the secret this receiver checks";
const APP: &str = "8e460676-ae3f-4b1e-8790-ee0fb5d6148f";
const TENANT: &str = "84bd8158-6d4d-4958-8b9f-9d6445542f95";
const CERTIFICATE_ID: &str = "app-certificate";

/// The emulator's token keys and the test's own (`other-keys.json`).
fn trusted_keys() -> StaticKeys {
    let mut keys: JwkSet = serde_json::from_str(TOKEN_KEYS_JSON).expect("the emulator's keys");
    let other: JwkSet =
        serde_json::from_str(&notification_fixture("other-keys.json")).expect("other keys");
    keys.keys.extend(other.keys);
    StaticKeys::new(keys)
}

/// The app's private key, under [`CERTIFICATE_ID`].
fn app_key() -> DecryptionKey {
    DecryptionKey::from_pem(CERTIFICATE_ID, &notification_fixture("app-key.pem")).expect("app key")
}

fn receiver() -> Receiver {
    let key = app_key();
    Receiver::builder(STATE)
        .decryption_key(key)
        .app_id(APP)
        .token_keys(trusted_keys())
        .build()
        .expect("receiver")
}

fn transcript() -> Value {
    json!({
        "id": "MSMjMCMjZDAwYWU3NjUtNmM2Yi00NjQxLTgwMWQtMTkzMmFmMjEzNzdh",
        "meetingId": "MSo1N2Y5ZGFjYy03MWJmLTQ3NDMtYjQxMy01M2EdFGkdRWHJlQ",
        "callId": "af630fe0-04d3-4559-8cf9-91fe45e36296",
        "createdDateTime": "2026-01-05T09:46:01.1234567Z",
        "transcriptContentUrl": "https://graph.microsoft.com/v1.0/users/ba321e0d/onlineMeetings/MSo1/transcripts/MSMjMCMj/content",
    })
}

/// A notification with the transcript encrypted for `certificate` (under `id`).
fn item(certificate_name: &str, id: &str) -> Value {
    let data = serde_json::to_vec(&transcript()).expect("JSON");
    let content =
        encrypt_content(&certificate_base64(certificate_name), id, &data).expect("encrypted");
    json!({
        "subscriptionId": "7f105c7d-2dc5-4530-97cd-4e7ae6534c07",
        "changeType": "created",
        "clientState": STATE,
        "tenantId": TENANT,
        "resource": "communications/onlineMeetings('MSo1')/transcripts('MSMjMCMj')",
        "resourceData": {"@odata.type": "#Microsoft.Graph.callTranscript", "id": "MSMjMCMj"},
        "encryptedContent": content,
    })
}

fn collection(item: Value, tokens: Vec<String>) -> Vec<u8> {
    serde_json::to_vec(&json!({"validationTokens": tokens, "value": [item]})).expect("JSON")
}

fn good_token() -> String {
    validation_token(TENANT, APP).expect("token")
}

/// A token signed with `key_pem` as key `kid`, with `claims` over the good ones.
fn signed(key_pem: &str, kid: &str, claims: Value) -> String {
    let now = jsonwebtoken::get_current_timestamp() as i64;
    let mut all = json!({
        "aud": APP, "iss": format!("https://sts.windows.net/{TENANT}/"), "tid": TENANT,
        "appid": "0bf30f3b-4a52-48df-9a82-234910c4a086", "iat": now, "nbf": now, "exp": now + 3600,
    });
    for (name, value) in claims.as_object().expect("claims") {
        all[name] = value.clone();
    }
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = Some(kid.to_owned());
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(key_pem.as_bytes()).expect("key");
    jsonwebtoken::encode(&header, &all, &key).expect("token")
}

/// A token naming the emulator's key but signed with HS256, the key's JSON as the secret:
/// what a verifier that let the token choose its algorithm would accept.
fn hs256_token() -> String {
    let now = jsonwebtoken::get_current_timestamp() as i64;
    let claims = json!({
        "aud": APP, "iss": format!("https://sts.windows.net/{TENANT}/"), "tid": TENANT,
        "appid": "0bf30f3b-4a52-48df-9a82-234910c4a086", "nbf": now, "exp": now + 3600,
    });
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    header.kid = Some("test-signing-key".to_owned());
    let secret =
        jsonwebtoken::EncodingKey::from_secret(TOKEN_KEYS_JSON.as_bytes()).expect("a secret");
    jsonwebtoken::encode(&header, &claims, &secret).expect("token")
}

/// A token with `"alg": "none"` and no signature.
fn unsigned_token() -> String {
    use base64::Engine as _;
    let part =
        |value: Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value.to_string());
    let now = jsonwebtoken::get_current_timestamp() as i64;
    format!(
        "{}.{}.",
        part(json!({"alg": "none", "typ": "JWT", "kid": "test-signing-key"})),
        part(
            json!({"aud": APP, "iss": format!("https://sts.windows.net/{TENANT}/"), "tid": TENANT,
            "appid": "0bf30f3b-4a52-48df-9a82-234910c4a086", "exp": now + 3600})
        )
    )
}

async fn deliver(receiver: &Receiver, body: Vec<u8>) -> Delivery {
    let request = http::Request::post("/notifications")
        .body(body)
        .expect("request");
    match receiver.receive(&request).await.expect("a collection") {
        Received::Notifications(delivery) => delivery,
        other => panic!("not notifications: {other:?}"),
    }
}

#[tokio::test]
async fn a_notification_with_resource_data_decrypts_into_the_typed_resource() {
    let receiver = receiver();
    let delivery = deliver(
        &receiver,
        collection(item("app", CERTIFICATE_ID), vec![good_token()]),
    )
    .await;
    assert_eq!(delivery.refused, vec![]);
    let [Event::Transcript(change)] = &delivery.events[..] else {
        panic!("one transcript event: {:?}", delivery.events);
    };
    let expected: CallTranscript = serde_json::from_value(transcript()).expect("model");
    assert_eq!(change.resource.as_ref(), Some(&expected));
    assert_eq!((receiver.accepted(), receiver.refused()), (1, 0));
}

/// A version 2 token names Graph's publisher in `azp` and has the v2.0 issuer; a
/// receiver limited to some tenants refuses the others'.
#[tokio::test]
async fn version_2_tokens_pass_and_a_tenant_list_limits_them() {
    let other_key = notification_fixture("other-key.pem");
    let v2 = signed(
        &other_key,
        "other-key",
        json!({"iss": format!("https://login.microsoftonline.com/{TENANT}/v2.0"),
               "azp": "0bf30f3b-4a52-48df-9a82-234910c4a086", "appid": null, "ver": "2.0"}),
    );
    let delivery = deliver(
        &receiver(),
        collection(item("app", CERTIFICATE_ID), vec![v2.clone()]),
    )
    .await;
    assert_eq!(
        (delivery.events.len(), delivery.refused.len()),
        (1, 0),
        "{:?}",
        delivery.refused
    );

    let key = app_key();
    let elsewhere = Receiver::builder(STATE)
        .decryption_key(key)
        .app_id(APP)
        .tenant("00000000-0000-0000-0000-000000000001")
        .token_keys(trusted_keys())
        .build()
        .expect("receiver");
    let delivery = deliver(
        &elsewhere,
        collection(item("app", CERTIFICATE_ID), vec![v2]),
    )
    .await;
    assert!(delivery.events.is_empty());
    assert!(
        matches!(&delivery.refused[0].refusal, Refusal::ValidationToken(why) if why.contains("does not serve")),
        "{:?}",
        delivery.refused
    );
}

#[tokio::test]
async fn each_failed_check_refuses_the_notification() {
    let other_key = notification_fixture("other-key.pem");
    let app_key = notification_fixture("app-key.pem");
    let wrong_state = {
        let mut item = item("app", CERTIFICATE_ID);
        item["clientState"] = json!("the secret this receiver checkz");
        item
    };
    let no_state = {
        let mut item = item("app", CERTIFICATE_ID);
        item.as_object_mut().expect("object").remove("clientState");
        item
    };
    let bad_signature = {
        let mut changed = item("app", CERTIFICATE_ID);
        let other = item("app", CERTIFICATE_ID);
        // A signature of other data under another key: well-formed, and wrong here.
        changed["encryptedContent"]["dataSignature"] =
            other["encryptedContent"]["dataSignature"].clone();
        changed
    };
    let swapped_data = {
        let mut changed = item("app", CERTIFICATE_ID);
        let other = item("app", CERTIFICATE_ID);
        changed["encryptedContent"]["data"] = other["encryptedContent"]["data"].clone();
        changed
    };
    let other_tenant = {
        let mut item = item("app", CERTIFICATE_ID);
        item["tenantId"] = json!("00000000-0000-0000-0000-000000000001");
        item
    };
    let no_tenant = {
        let mut item = item("app", CERTIFICATE_ID);
        item.as_object_mut().expect("object").remove("tenantId");
        item
    };
    let token = |claims: Value| signed(&other_key, "other-key", claims);
    type Case = (&'static str, Value, Vec<String>, fn(&Refusal) -> bool);
    let cases: Vec<Case> = vec![
        ("wrong clientState", wrong_state, vec![good_token()], |r| {
            *r == Refusal::ClientState
        }),
        ("no clientState", no_state, vec![good_token()], |r| {
            *r == Refusal::ClientState
        }),
        (
            "signature of other data",
            bad_signature,
            vec![good_token()],
            |r| *r == Refusal::Signature,
        ),
        (
            "data of another notification",
            swapped_data,
            vec![good_token()],
            |r| *r == Refusal::Signature,
        ),
        (
            "encrypted for another certificate, named as the app's",
            item("other", CERTIFICATE_ID),
            vec![good_token()],
            |r| *r == Refusal::DataKey,
        ),
        (
            "encrypted for a certificate the receiver has no key for",
            item("other", "other-certificate"),
            vec![good_token()],
            |r| matches!(r, Refusal::UnknownCertificate(id) if id == "other-certificate"),
        ),
        (
            "no validation token",
            item("app", CERTIFICATE_ID),
            vec![],
            |r| matches!(r, Refusal::ValidationToken(_)),
        ),
        (
            "a token forged with an untrusted key under a trusted key's id",
            item("app", CERTIFICATE_ID),
            vec![signed(&app_key, "test-signing-key", json!({}))],
            |r| matches!(r, Refusal::ValidationToken(why) if why.contains("InvalidSignature")),
        ),
        (
            "a good token beside a forged one",
            item("app", CERTIFICATE_ID),
            vec![
                good_token(),
                signed(&app_key, "test-signing-key", json!({})),
            ],
            |r| matches!(r, Refusal::ValidationToken(_)),
        ),
        (
            "a token for another app",
            item("app", CERTIFICATE_ID),
            vec![validation_token(TENANT, "another-app").expect("token")],
            |r| matches!(r, Refusal::ValidationToken(why) if why.contains("InvalidAudience")),
        ),
        (
            "a token issued to another party than Graph's publisher",
            item("app", CERTIFICATE_ID),
            vec![token(
                json!({"appid": "11111111-1111-1111-1111-111111111111"}),
            )],
            |r| matches!(r, Refusal::ValidationToken(why) if why.contains("publisher")),
        ),
        (
            "an expired token",
            item("app", CERTIFICATE_ID),
            vec![token(
                json!({"exp": 1_600_000_000, "nbf": 1_599_990_000, "iat": 1_599_990_000}),
            )],
            |r| matches!(r, Refusal::ValidationToken(why) if why.contains("ExpiredSignature")),
        ),
        (
            "a token from another issuer",
            item("app", CERTIFICATE_ID),
            vec![token(json!({"iss": "https://sts.example.com/"}))],
            |r| matches!(r, Refusal::ValidationToken(why) if why.contains("issued by")),
        ),
        (
            "a token with the key named but signed with HS256 and the public key as secret",
            item("app", CERTIFICATE_ID),
            vec![hs256_token()],
            |r| matches!(r, Refusal::ValidationToken(why) if why.contains("not RS256")),
        ),
        (
            "an unsigned token (alg none)",
            item("app", CERTIFICATE_ID),
            vec![unsigned_token()],
            |r| matches!(r, Refusal::ValidationToken(why) if why.contains("not a JWT")),
        ),
        (
            "a token not valid yet",
            item("app", CERTIFICATE_ID),
            vec![token(
                json!({"nbf": 4_000_000_000_i64, "exp": 4_000_003_600_i64}),
            )],
            |r| matches!(r, Refusal::ValidationToken(why) if why.contains("ImmatureSignature")),
        ),
        (
            "resource data that names no tenant",
            no_tenant,
            vec![good_token()],
            |r| matches!(r, Refusal::ValidationToken(why) if why.contains("tenantId")),
        ),
        (
            "a notification for a tenant no token vouches for",
            other_tenant,
            vec![good_token()],
            |r| matches!(r, Refusal::ValidationToken(why) if why.contains("tenant")),
        ),
    ];
    for (name, item, tokens, expected) in cases {
        let receiver = receiver();
        let delivery = deliver(&receiver, collection(item, tokens)).await;
        assert!(
            delivery.events.is_empty(),
            "{name}: handed on {:?}",
            delivery.events
        );
        let [refused] = &delivery.refused[..] else {
            panic!("{name}: one refusal, got {:?}", delivery.refused);
        };
        assert!(
            expected(&refused.refusal),
            "{name}: refused as {:?}",
            refused.refusal
        );
        assert_eq!((receiver.accepted(), receiver.refused()), (0, 1), "{name}");
    }
}

#[tokio::test]
async fn lifecycle_events_and_requests_that_are_not_notifications() {
    let receiver = receiver();
    let body = json!({"value": [{
        "subscriptionId": "7f105c7d", "clientState": STATE,
        "lifecycleEvent": "reauthorizationRequired", "tenantId": TENANT,
    }]});
    let delivery = deliver(&receiver, serde_json::to_vec(&body).expect("JSON")).await;
    let [Event::Lifecycle(lifecycle)] = &delivery.events[..] else {
        panic!("one lifecycle event: {:?}", delivery.events);
    };
    assert_eq!(lifecycle.subscription_id, "7f105c7d");
    assert_eq!(lifecycle.event.as_str(), "reauthorizationRequired");

    let get = http::Request::get("/notifications")
        .body(Vec::new())
        .expect("request");
    let error = receiver.receive(&get).await.expect_err("a GET");
    assert!(matches!(error, ReceiveError::Method(_)), "{error}");
    assert_eq!(error.response().status(), 405);
    let empty = http::Request::post("/n?validationToken=")
        .body(Vec::new())
        .expect("request");
    let error = receiver.receive(&empty).await.expect_err("an empty token");
    assert!(
        matches!(error, ReceiveError::EmptyValidationToken),
        "{error}"
    );
    let text = http::Request::post("/n")
        .body(b"not json".to_vec())
        .expect("request");
    let error = receiver.receive(&text).await.expect_err("not JSON");
    assert!(matches!(error, ReceiveError::Body(_)), "{error}");
    assert_eq!(error.response().status(), 400);
}

/// `MicrosoftKeys` against a local key endpoint: fetched once for the first token, and not
/// again for tokens naming keys it lacks (forged ones), within `MIN_REFETCH`.
#[tokio::test]
async fn published_keys_are_fetched_once_not_for_every_unknown_key() {
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .and(wiremock::matchers::path("/common/discovery/keys"))
        .respond_with(
            wiremock::ResponseTemplate::new(200).set_body_raw(TOKEN_KEYS_JSON, "application/json"),
        )
        .mount(&server)
        .await;
    let keys = MicrosoftKeys::at(format!("{}/common/discovery/keys", server.uri())).expect("keys");
    let key = app_key();
    let receiver = Receiver::builder(STATE)
        .decryption_key(key)
        .app_id(APP)
        .token_keys(keys)
        .build()
        .expect("receiver");
    let delivery = deliver(
        &receiver,
        collection(item("app", CERTIFICATE_ID), vec![good_token()]),
    )
    .await;
    assert_eq!((delivery.events.len(), delivery.refused.len()), (1, 0));
    let forged = signed(
        &notification_fixture("other-key.pem"),
        "a-key-nobody-published",
        json!({}),
    );
    for _ in 0..5 {
        let delivery = deliver(
            &receiver,
            collection(item("app", CERTIFICATE_ID), vec![forged.clone()]),
        )
        .await;
        assert!(delivery.events.is_empty());
        assert!(
            matches!(&delivery.refused[0].refusal, Refusal::ValidationToken(why) if why.contains("not a published key"))
        );
    }
    let fetched = server.received_requests().await.expect("recorded").len();
    assert_eq!(fetched, 1, "one fetch for six collections");
}

/// Keys that cannot be had are not a refusal: the answer is `503`, so that Graph sends
/// the notifications again. Requests that arrive while the first fetch runs wait for it
/// rather than fail, and one fetch serves them all.
#[tokio::test]
async fn unavailable_keys_ask_for_redelivery_and_a_cold_start_fetches_once() {
    let down = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .respond_with(wiremock::ResponseTemplate::new(500))
        .mount(&down)
        .await;
    let key = app_key();
    let receiver = Receiver::builder(STATE)
        .decryption_key(key)
        .app_id(APP)
        .token_keys(MicrosoftKeys::at(format!("{}/keys", down.uri())).expect("keys"))
        .build()
        .expect("receiver");
    let body = collection(item("app", CERTIFICATE_ID), vec![good_token()]);
    let request = http::Request::post("/notifications")
        .body(body.clone())
        .expect("request");
    let error = receiver.receive(&request).await.expect_err("no keys");
    assert!(matches!(error, ReceiveError::KeysUnavailable(_)), "{error}");
    assert_eq!(error.response().status(), 503);
    assert_eq!(receiver.refused(), 0, "nothing refused");

    let slow = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .respond_with(
            wiremock::ResponseTemplate::new(200)
                .set_body_raw(TOKEN_KEYS_JSON, "application/json")
                .set_delay(std::time::Duration::from_millis(200)),
        )
        .mount(&slow)
        .await;
    let key = app_key();
    let receiver = Receiver::builder(STATE)
        .decryption_key(key)
        .app_id(APP)
        .token_keys(MicrosoftKeys::at(format!("{}/keys", slow.uri())).expect("keys"))
        .build()
        .expect("receiver");
    let deliveries =
        futures_util::future::join_all((0..8).map(|_| deliver(&receiver, body.clone()))).await;
    assert!(
        deliveries
            .iter()
            .all(|d| d.events.len() == 1 && d.refused.is_empty())
    );
    assert_eq!(slow.received_requests().await.expect("recorded").len(), 1);
}

#[test]
fn the_private_key_never_shows_in_debug() {
    let pem = notification_fixture("app-key.pem");
    let key = DecryptionKey::from_pem(CERTIFICATE_ID, &pem).expect("app key");
    let receiver = Receiver::builder(STATE)
        .decryption_key(key)
        .app_id(APP)
        .token_keys(trusted_keys())
        .build()
        .expect("receiver");
    let shown = format!("{receiver:?}");
    assert!(shown.contains(CERTIFICATE_ID), "{shown}");
    assert!(!shown.contains(STATE), "{shown}");
    for line in pem.lines().filter(|line| !line.starts_with("-----")) {
        assert!(!shown.contains(&line[..16]), "{shown}");
    }
    let broken = DecryptionKey::from_pem(
        "broken",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    )
    .expect_err("not a key");
    assert!(broken.to_string().contains("broken"), "{broken}");
}

fn hostile_body() -> impl Strategy<Value = Vec<u8>> {
    let good = collection(item("app", CERTIFICATE_ID), vec![good_token()]);
    let len = good.len();
    let truncated = {
        let good = good.clone();
        (0..len).prop_map(move |cut| good[..cut].to_vec())
    };
    let flipped = {
        let good = good.clone();
        (0..len, any::<u8>()).prop_map(move |(at, byte)| {
            let mut body = good.clone();
            body[at] = byte;
            body
        })
    };
    let field = prop::sample::select(vec![
        "/value/0/encryptedContent/data",
        "/value/0/encryptedContent/dataKey",
        "/value/0/encryptedContent/dataSignature",
        "/value/0/encryptedContent/encryptionCertificateId",
        "/value/0/clientState",
        "/value/0/lifecycleEvent",
        "/value/0/resourceData/@odata.type",
        "/validationTokens/0",
    ]);
    let value = prop_oneof![
        ".{0,64}".prop_map(Value::from),
        "[A-Za-z0-9+/]{0,400}={0,2}".prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        Just(Value::Null),
        Just(json!({"nested": [1, 2]})),
    ];
    let replaced = (field, value).prop_map({
        let good = good.clone();
        move |(pointer, value)| {
            let mut body: Value = serde_json::from_slice(&good).expect("JSON");
            if let Some(slot) = body.pointer_mut(pointer) {
                *slot = value;
            }
            serde_json::to_vec(&body).expect("JSON")
        }
    });
    prop_oneof![
        truncated,
        flipped,
        replaced,
        prop::collection::vec(any::<u8>(), 0..512),
    ]
}

#[test]
fn arbitrary_bodies_give_a_typed_error_or_refusals_never_a_panic() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let receiver = receiver();
    // The only resource any event may carry is the one encrypted, read as each kind.
    let good = transcript();
    let as_transcript: CallTranscript = serde_json::from_value(good.clone()).expect("model");
    let as_recording: CallRecording = serde_json::from_value(good.clone()).expect("model");
    let cases = std::env::var("HOSTILE_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256);
    let mut runner = TestRunner::new(Config {
        cases,
        ..Config::default()
    });
    runner
        .run(&hostile_body(), |body| {
            let request = http::Request::post("/notifications")
                .body(body)
                .expect("request");
            match runtime.block_on(receiver.receive(&request)) {
                Err(error) => prop_assert!(error.response().status().is_client_error()),
                Ok(Received::Notifications(delivery)) => {
                    // What passes is the untouched resource: a change to the data, its
                    // key or its signature is never handed on as something else.
                    for event in &delivery.events {
                        match event {
                            Event::Transcript(Change {
                                resource: Some(r), ..
                            }) => {
                                prop_assert_eq!(r, &as_transcript)
                            }
                            Event::Recording(Change {
                                resource: Some(r), ..
                            }) => {
                                prop_assert_eq!(r, &as_recording)
                            }
                            Event::Other(Change {
                                resource: Some(r), ..
                            }) => {
                                prop_assert_eq!(r, &good)
                            }
                            _ => {}
                        }
                    }
                }
                Ok(other) => prop_assert!(false, "not a notification request: {:?}", other),
            }
            Ok(())
        })
        .expect("no case failed");
}
