//! Change notifications end to end: a receiver behind the `axum` handler subscribes
//! through the client (the emulator's handshake answered by the receiver), a meeting
//! ends in the emulator, and the receiver hands the app the decrypted transcript and
//! recording, equal to what `get` returns, whose content then streams as usual. Then a
//! burst of 1,000 notifications with redeliveries, none lost.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::Request;
use chrono::{Duration, Utc};
use graph_online_meetings::notifications::{
    DecryptionKey, Event, Receiver, StaticKeys, axum_handler,
};
use graph_online_meetings::types::{CreateOrGetRequest, Subscription};
use graph_online_meetings::{GraphClient, SubscriptionResource};
use graph_online_meetings_emulator::{MeetingEnd, RunningEmulator, TOKEN_KEYS_JSON};
use tokio::sync::mpsc;

use crate::common::{certificate_base64, notification_fixture};
use crate::support::*;

const STATE: &str = "the secret the receiver checks";
const CERTIFICATE_ID: &str = "app-certificate";

/// The receiver of [`APP`], with the app's key and the emulator's token keys.
fn receiver() -> Receiver {
    let key = DecryptionKey::from_pem(CERTIFICATE_ID, &notification_fixture("app-key.pem"))
        .expect("app key");
    Receiver::builder(STATE)
        .decryption_key(key)
        .app_id(APP)
        .token_keys(StaticKeys::from_json(TOKEN_KEYS_JSON).expect("the emulator's keys"))
        .build()
        .expect("receiver")
}

/// `router` served on a free port of 127.0.0.1; its notification URL.
async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let addr = listener.local_addr().expect("its address");
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{addr}/notifications")
}

/// A subscription with resource data to `resource`, for 45 minutes.
fn subscription(resource: &SubscriptionResource, url: &str) -> Subscription {
    Subscription::to(
        resource,
        url,
        (Utc::now() + Duration::minutes(45)).fixed_offset(),
    )
    .with_client_state(STATE)
    .with_include_resource_data(true)
    .with_encryption_certificate(certificate_base64("app"))
    .with_encryption_certificate_id(CERTIFICATE_ID)
}

async fn new_meeting(client: &GraphClient, key: &str) -> String {
    let outcome = client
        .user(USER)
        .create_or_get(&CreateOrGetRequest::new(key))
        .await
        .expect("createOrGet");
    id_of(outcome.meeting()).to_owned()
}

/// Waits until the emulator has no notification on its way.
async fn settled(emulator: &RunningEmulator) {
    within(async {
        while emulator.notifications().pending > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    })
    .await;
}

/// `wait`, failing the test instead of hanging when what it waits for never comes (a
/// lost notification): a bound far above what the wait takes, not a timing assertion.
async fn within<T>(wait: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(std::time::Duration::from_secs(120), wait)
        .await
        .expect("no lost notification to wait for for ever")
}

/// The next event the app gets.
async fn next(incoming: &mut mpsc::Receiver<Event>) -> Event {
    within(incoming.recv()).await.expect("an event")
}

#[tokio::test]
async fn a_meeting_end_reaches_the_app_decrypted_equal_to_get() {
    let emulator = start().await;
    let (events, mut incoming) = mpsc::channel(16);
    let url =
        serve(axum::Router::new().route("/notifications", axum_handler(receiver(), events))).await;
    let client = application(&emulator);
    let id = new_meeting(&client, "notified").await;
    for resource in [
        SubscriptionResource::AllTranscripts,
        SubscriptionResource::MeetingRecordings(id.clone()),
    ] {
        client
            .subscriptions()
            .create(&subscription(&resource, &url))
            .await
            .expect("subscribed after the receiver's handshake");
    }
    let ended = emulator
        .end_meeting(
            TENANT,
            USER,
            &id,
            &MeetingEnd::new([]).recording_bytes(3000),
        )
        .expect("ended");

    let (mut transcript, mut recording) = (None, None);
    while transcript.is_none() || recording.is_none() {
        match next(&mut incoming).await {
            Event::Transcript(change) => transcript = change.resource,
            Event::Recording(change) => recording = change.resource,
            other => panic!("unexpected {other:?}"),
        }
    }
    let meeting = client.user(USER).meeting(&id);
    let mut got = meeting
        .transcript(&ended.transcript_id)
        .get()
        .await
        .expect("get")
        .into_inner();
    // `GET` adds `@odata.context`; the notification carries the resource alone.
    got.additional_properties.remove("@odata.context");
    assert_eq!(transcript, Some(got));
    let mut got = meeting
        .recording(&ended.recording_id)
        .get()
        .await
        .expect("get")
        .into_inner();
    got.additional_properties.remove("@odata.context");
    assert_eq!(recording.as_ref(), Some(&got));

    let recording = recording.expect("a recording");
    let content = meeting
        .recording(recording.id.as_deref().expect("an id"))
        .content()
        .await
        .expect("the content");
    let mut bytes = Vec::new();
    content
        .into_inner()
        .write_to(&mut bytes)
        .await
        .expect("read");
    assert_eq!(bytes.len(), 3000);
    settled(&emulator).await;
    assert_eq!(emulator.notifications().dropped, 0);
    stop(emulator).await;
}

#[tokio::test]
async fn a_burst_of_1000_notifications_with_redeliveries_loses_none() {
    let emulator = start().await;
    let (events, mut incoming) = mpsc::channel(64);
    let handler = axum_handler(receiver(), events);
    // Every third request is answered 503 before the receiver sees it: Graph, and the
    // emulator, send those notifications again.
    let seen = Arc::new(AtomicU64::new(0));
    let flaky = {
        let seen = Arc::clone(&seen);
        axum::middleware::from_fn(move |request: Request, next: axum::middleware::Next| {
            let seen = Arc::clone(&seen);
            async move {
                if seen.fetch_add(1, Ordering::SeqCst) % 3 == 2 {
                    return axum::http::StatusCode::SERVICE_UNAVAILABLE.into_response();
                }
                next.run(request).await
            }
        })
    };
    use axum::response::IntoResponse as _;
    let url = serve(
        axum::Router::new()
            .route("/notifications", handler)
            .layer(flaky),
    )
    .await;
    let client = application(&emulator);
    client
        .subscriptions()
        .create(&subscription(&SubscriptionResource::AllTranscripts, &url))
        .await
        .expect("subscribed");
    let ids = futures_util::future::join_all((0..1000).map(|n| {
        let client = &client;
        async move { new_meeting(client, &format!("burst-{n}")).await }
    }))
    .await;
    let mut transcripts = std::collections::HashSet::new();
    for id in &ids {
        let ended = emulator
            .end_meeting(TENANT, USER, id, &MeetingEnd::new([]))
            .expect("ended");
        transcripts.insert(ended.transcript_id);
    }
    let mut received = std::collections::HashSet::new();
    while received.len() < transcripts.len() {
        match next(&mut incoming).await {
            Event::Transcript(change) => {
                let id = change.resource.and_then(|t| t.id).expect("a transcript id");
                received.insert(id);
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(received, transcripts);
    settled(&emulator).await;
    let counts = emulator.notifications();
    assert_eq!((counts.delivered, counts.dropped), (1000, 0));
    assert!(
        counts.refused_attempts > 0,
        "some were sent again: {counts:?}"
    );
    stop(emulator).await;
}
