//! A subscription's life through the client against the emulator: created after the
//! validation handshake, listed, read, renewed, deleted; and the rules the client checks
//! before sending anything.

use chrono::{Duration, Utc};
use graph_online_meetings::types::{LifecycleEventType, Subscription};
use graph_online_meetings::{
    Error, Keeper, KeeperAction, StatusCode, SubscriptionResource, ValidationError,
};
use graph_online_meetings_emulator::Route;

use crate::support::*;

#[tokio::test]
async fn a_subscription_is_created_after_the_handshake_renewed_and_deleted() {
    let emulator = start().await;
    let receiver = validating_receiver().await;
    let client = application(&emulator);
    let subscriptions = client.subscriptions();
    let expiration = (Utc::now() + Duration::minutes(45)).fixed_offset();
    let request = Subscription::to(
        &SubscriptionResource::AllRecordings,
        format!("{}/notifications", receiver.uri()),
        expiration,
    )
    .with_client_state("secret-state");

    let created = subscriptions.create(&request).await.expect("created");
    assert_eq!(created.status(), StatusCode::CREATED);
    let handshakes = receiver.received_requests().await.expect("recorded");
    assert_eq!(handshakes.len(), 1, "one validation request");
    assert!(
        handshakes[0]
            .url
            .query_pairs()
            .any(|(name, token)| name == "validationToken" && !token.is_empty())
    );
    let id = created.id.clone().expect("an id");
    assert_eq!(
        created.resource.as_deref(),
        Some("communications/onlineMeetings/getAllRecordings")
    );
    assert_eq!(created.client_state.as_deref(), Some("secret-state"));

    let listed = subscriptions.list().all().await.expect("listed");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id.as_deref(), Some(id.as_str()));

    let later = (Utc::now() + Duration::minutes(55)).fixed_offset();
    let renewed = subscriptions.renew(&id, later).await.expect("renewed");
    let renewed_until = renewed.expiration_date_time.expect("an expiration");
    assert_eq!(renewed_until.timestamp(), later.timestamp());
    assert_eq!(
        subscriptions
            .get(&id)
            .await
            .expect("read")
            .expiration_date_time
            .map(|t| t.timestamp()),
        Some(later.timestamp())
    );

    subscriptions.delete(&id).await.expect("deleted");
    let err = subscriptions.get(&id).await.expect_err("gone");
    assert!(err.is_status(StatusCode::NOT_FOUND), "{err}");
    stop(emulator).await;
}

#[tokio::test]
async fn an_endpoint_that_does_not_validate_gets_no_subscription() {
    let emulator = start().await;
    let silent = wiremock::MockServer::start().await;
    let client = application(&emulator);
    let request = Subscription::to(
        &SubscriptionResource::AllTranscripts,
        format!("{}/notifications", silent.uri()),
        (Utc::now() + Duration::minutes(30)).fixed_offset(),
    );
    let err = client
        .subscriptions()
        .create(&request)
        .await
        .expect_err("refused");
    assert!(err.is_status(StatusCode::BAD_REQUEST), "{err}");
    assert!(err.to_string().contains("validation"), "{err}");
    let listed = client.subscriptions().list().all().await.expect("listed");
    assert!(listed.is_empty());

    // The tenant-wide resources take application tokens only.
    let receiver = validating_receiver().await;
    let request = Subscription::to(
        &SubscriptionResource::AllTranscripts,
        format!("{}/notifications", receiver.uri()),
        (Utc::now() + Duration::minutes(30)).fixed_offset(),
    );
    let err = delegated(&emulator)
        .subscriptions()
        .create(&request)
        .await
        .expect_err("refused");
    assert!(err.is_status(StatusCode::FORBIDDEN), "{err}");
    stop(emulator).await;
}

/// Each rule Graph documents for a new subscription is checked before anything is sent:
/// the client points at a closed port, so a request that went out would fail otherwise.
#[tokio::test]
async fn the_documented_rules_are_checked_before_sending() {
    let client = graph_online_meetings::GraphClient::builder()
        .base_url("http://127.0.0.1:9")
        .bearer_token("token")
        .build()
        .expect("a client");
    let now = Utc::now();
    let soon = (now + Duration::minutes(30)).fixed_offset();
    let resource = SubscriptionResource::MeetingTranscripts("MSo1N2Y5ZGFjYy".to_owned());
    let base = |url: &str, expiration| Subscription::to(&resource, url, expiration);
    let cases = [
        (base("http://example.com/n", soon), "notificationUrl"),
        (base("not a url", soon), "notificationUrl"),
        (
            base(
                "https://example.com/n",
                (now + Duration::hours(2)).fixed_offset(),
            ),
            "lifecycleNotificationUrl",
        ),
        (
            base(
                "https://example.com/n",
                (now + Duration::days(4)).fixed_offset(),
            )
            .with_lifecycle_notification_url("https://example.com/l"),
            "expirationDateTime",
        ),
        (
            base(
                "https://example.com/n",
                (now - Duration::minutes(1)).fixed_offset(),
            ),
            "expirationDateTime",
        ),
        (
            base("https://example.com/n", soon).with_client_state("x".repeat(129)),
            "clientState",
        ),
        (
            base("https://example.com/n", soon).with_include_resource_data(true),
            "encryptionCertificate",
        ),
    ];
    for (request, name) in cases {
        let err = client
            .subscriptions()
            .create(&request)
            .await
            .expect_err("refused before sending");
        match &err {
            Error::Validation(ValidationError::Rule { name: got, .. }) => {
                assert_eq!(*got, name, "{err}")
            }
            other => panic!("{name}: expected a validation error, got {other:?}"),
        }
    }
    // A loopback http URL is allowed (a local receiver, the emulator).
    assert!(base("http://127.0.0.1:8080/n", soon).validate().is_ok());
    let err = client
        .subscriptions()
        .renew("id", (now - Duration::minutes(1)).fixed_offset())
        .await
        .expect_err("refused");
    assert!(
        matches!(err, Error::Validation(ValidationError::Rule { .. })),
        "{err}"
    );
}

/// The keeper against the emulator with the runtime's clock paused once the subscription
/// exists (the handshake's receiver runs on a runtime of its own, which a paused clock
/// would time out): a 10-minute subscription renewed 2 minutes before it expires, over a
/// simulated hour, is renewed every 8 minutes, through the client, and is still there.
#[tokio::test]
async fn the_keeper_renews_a_short_lived_subscription_again_and_again() {
    let emulator = start().await;
    let receiver = validating_receiver().await;
    let client = application(&emulator);
    let keeper = Keeper::with_timing(client.clone(), Duration::minutes(10), Duration::minutes(2));
    let request = Subscription::to(
        &SubscriptionResource::AllTranscripts,
        format!("{}/notifications", receiver.uri()),
        (Utc::now() + Duration::minutes(10)).fixed_offset(),
    );
    let id = keeper.keep(request).await.expect("kept").id.expect("an id");
    tokio::time::pause();
    let running = tokio::spawn({
        let keeper = keeper.clone();
        async move { keeper.run().await }
    });
    tokio::time::sleep(std::time::Duration::from_secs(60 * 60 + 30)).await;
    running.abort();
    // 60 minutes / 8 minutes a renewal: 7 (a renewal that a paused clock timed out would
    // be tried again a minute later, so at least 6).
    let renewals = emulator.stats().count(Route::UpdateSubscription);
    assert!((6..=7).contains(&renewals), "{renewals} renewals");
    assert!(client.subscriptions().get(&id).await.is_ok(), "still there");
    stop(emulator).await;
}

/// Lifecycle notifications through the keeper: `reauthorizationRequired` renews,
/// `subscriptionRemoved` makes a new subscription from the same request, `missed` asks
/// the app to catch up, and a subscription it does not keep is left alone.
#[tokio::test]
async fn the_keeper_acts_on_lifecycle_events() {
    let emulator = start().await;
    let receiver = validating_receiver().await;
    let client = application(&emulator);
    let keeper = Keeper::new(client.clone());
    let request = Subscription::to(
        &SubscriptionResource::AllRecordings,
        format!("{}/notifications", receiver.uri()),
        (Utc::now() + Duration::minutes(30)).fixed_offset(),
    );
    let id = keeper.keep(request).await.expect("kept").id.expect("an id");

    let action = keeper
        .lifecycle(&id, &LifecycleEventType::ReauthorizationRequired)
        .await
        .expect("renewed");
    assert_eq!(
        action,
        KeeperAction::Reauthorized {
            subscription_id: id.clone()
        }
    );
    assert_eq!(emulator.stats().count(Route::UpdateSubscription), 1);

    let action = keeper
        .lifecycle(&id, &LifecycleEventType::Missed)
        .await
        .expect("missed");
    assert_eq!(
        action,
        KeeperAction::CatchUp {
            subscription_id: id.clone(),
            resource: Some(SubscriptionResource::AllRecordings),
        }
    );

    client
        .subscriptions()
        .delete(&id)
        .await
        .expect("removed, as Graph would");
    let action = keeper
        .lifecycle(&id, &LifecycleEventType::SubscriptionRemoved)
        .await
        .expect("made again");
    let KeeperAction::Recreated {
        removed_id,
        subscription,
    } = action
    else {
        panic!("recreated: {action:?}");
    };
    assert_eq!(removed_id, id);
    let new_id = subscription.id.clone().expect("an id");
    assert_ne!(new_id, id);
    assert_eq!(keeper.subscription_ids(), vec![new_id.clone()]);
    assert_eq!(
        subscription.resource,
        Some(SubscriptionResource::AllRecordings.resource())
    );
    assert!(client.subscriptions().get(&new_id).await.is_ok());

    let action = keeper
        .lifecycle(&id, &LifecycleEventType::ReauthorizationRequired)
        .await
        .expect("ignored");
    assert_eq!(
        action,
        KeeperAction::Ignored {
            subscription_id: id
        }
    );
    stop(emulator).await;
}
