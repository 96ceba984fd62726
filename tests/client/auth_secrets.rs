//! Tokens are secrets: they go in the `Authorization` header to the configured Graph host
//! and nowhere else: not in `Debug` or `Display`, not in errors (nor in logs: see
//! `client_tracing.rs`). Providers
//! are asked for the `.default` scope of the chosen cloud, once per call.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::support::*;
use graph_online_meetings::auth::{AccessToken, AuthError, BoxFuture, TokenProvider};
use graph_online_meetings::types::OnlineMeeting;
use graph_online_meetings::{Cloud, Error, GraphClient, StaticToken};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Records the scopes it is asked for and hands out `token-1`, `token-2`, …
#[derive(Default)]
struct Counting {
    calls: AtomicUsize,
    scopes: Mutex<Vec<String>>,
}

impl TokenProvider for Counting {
    fn token<'a>(&'a self, scope: &'a str) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
        Box::pin(async move {
            if let Ok(mut scopes) = self.scopes.lock() {
                scopes.push(scope.to_owned());
            }
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            Ok(AccessToken::new(format!("token-{n}")))
        })
    }
}

struct Failing;

impl TokenProvider for Failing {
    fn token<'a>(&'a self, _scope: &'a str) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
        Box::pin(async {
            Err(AuthError::new(
                "AADSTS7000215: Invalid client secret provided",
            ))
        })
    }
}

#[tokio::test]
async fn the_token_is_sent_as_a_bearer_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(meeting_response(201))
        .mount(&server)
        .await;

    client(&server)
        .me()
        .create_or_get(&request())
        .await
        .expect("201");

    let sent = &received(&server).await[0];
    assert_eq!(
        header(sent, "authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[tokio::test]
async fn providers_are_asked_once_per_call_for_the_clouds_default_scope() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(throttled_once_then_ok(&server).await)
        .mount(&server)
        .await;
    let provider = std::sync::Arc::new(Counting::default());
    let client = GraphClient::builder()
        .base_url(server.uri())
        .cloud(Cloud::UsGovL4)
        .token_provider(provider.clone())
        .retry_policy(fast_retries())
        .build()
        .expect("valid");

    client
        .me()
        .create_or_get(&request())
        .await
        .expect("first call");
    client
        .me()
        .create_or_get(&request())
        .await
        .expect("second call");

    let requests = received(&server).await;
    let tokens: Vec<_> = requests
        .iter()
        .map(|r| header(r, "authorization"))
        .collect();
    // The first call was throttled once: both of its attempts use its token.
    assert_eq!(
        tokens,
        [
            Some("Bearer token-1"),
            Some("Bearer token-1"),
            Some("Bearer token-2")
        ]
    );
    let scopes = provider
        .scopes
        .lock()
        .map(|s| s.clone())
        .unwrap_or_default();
    assert_eq!(scopes, ["https://graph.microsoft.us/.default"; 2]);
}

async fn throttled_once_then_ok(server: &MockServer) -> ResponseTemplate {
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(server)
        .await;
    meeting_response(201)
}

#[tokio::test]
async fn the_scope_follows_the_cloud_or_the_override() {
    for (cloud, scope) in [
        (Cloud::Global, "https://graph.microsoft.com/.default"),
        (Cloud::UsGovL5Dod, "https://dod-graph.microsoft.us/.default"),
        (
            Cloud::China,
            "https://microsoftgraph.chinacloudapi.cn/.default",
        ),
    ] {
        assert_eq!(cloud.scope(), scope);
    }
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(meeting_response(201))
        .mount(&server)
        .await;
    let provider = std::sync::Arc::new(Counting::default());
    let client = GraphClient::builder()
        .base_url(server.uri())
        .scope("api://emulator/.default")
        .token_provider(provider.clone())
        .build()
        .expect("valid");
    client.me().create_or_get(&request()).await.expect("201");
    let scopes = provider
        .scopes
        .lock()
        .map(|s| s.clone())
        .unwrap_or_default();
    assert_eq!(scopes, ["api://emulator/.default"]);
}

#[tokio::test]
async fn a_failing_provider_is_an_auth_error_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let client = GraphClient::builder()
        .base_url(server.uri())
        .token_provider(Failing)
        .build()
        .expect("valid");

    let err = client
        .me()
        .create_or_get(&request())
        .await
        .expect_err("no token");

    assert!(matches!(err, Error::Auth(_)), "{err:?}");
    // The provider's reason is the error's source, not repeated in its message.
    let reason = std::error::Error::source(&err).map(ToString::to_string);
    assert!(
        reason
            .as_deref()
            .is_some_and(|r| r.contains("AADSTS7000215")),
        "{err}: {reason:?}"
    );
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn a_token_that_is_not_a_header_value_is_refused_without_echoing_it() {
    let server = MockServer::start().await;
    let client = GraphClient::builder()
        .base_url(server.uri())
        .bearer_token("line-one\nsecret-line-two")
        .build()
        .expect("valid");

    let err = client
        .me()
        .create_or_get(&request())
        .await
        .expect_err("bad token");

    assert!(matches!(err, Error::Auth(_)), "{err:?}");
    assert!(!format!("{err} {err:?}").contains("secret-line-two"));
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn no_debug_display_or_error_shows_the_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_raw("not json", "text/plain"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(meeting_response(201).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let builder = builder(&server).timeout(Duration::from_millis(200));
    let mut shown = vec![format!("{builder:?}")];
    let client = builder.build().expect("valid");
    shown.push(format!("{client:?}"));
    shown.push(format!("{:?}", client.raw()));
    shown.push(format!("{:?}", StaticToken::new(TOKEN)));
    shown.push(format!("{:?}", AccessToken::new(TOKEN)));

    let meeting = OnlineMeeting::default();
    for _ in 0..3 {
        let err = client.me().create(&meeting).await.expect_err("an error");
        shown.push(format!("{err}"));
        shown.push(format!("{err:?}"));
        shown.push(format!("{err:#}"));
    }
    let unreachable = GraphClient::builder()
        .base_url("http://127.0.0.1:9")
        .bearer_token(TOKEN)
        .build()
        .expect("valid");
    let err = unreachable
        .me()
        .create(&meeting)
        .await
        .expect_err("refused");
    shown.push(format!("{err} {err:?}"));

    for text in &shown {
        assert!(!text.contains(TOKEN), "the token leaked into: {text}");
        assert!(
            !text.contains("sekret"),
            "part of the token leaked into: {text}"
        );
    }
    assert!(shown.iter().any(|s| s.contains("401 Unauthorized")));
    assert!(shown.iter().any(|s| s.contains("could not decode")));
    assert!(shown.iter().any(|s| s.contains("timed out")));
}

// That logs never show the token is checked in `client_tracing.rs`, which captures the
// logs of a call (a test binary of its own: tracing's per-thread subscribers and
// callsite caching do not mix well with tests running in parallel).

#[tokio::test]
async fn the_raw_client_sends_the_token_only_to_the_configured_host() {
    let graph = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    for server in [&graph, &elsewhere] {
        Mock::given(method("POST"))
            .respond_with(meeting_response(201))
            .mount(server)
            .await;
    }
    let client = client(&graph);

    // The escape hatch goes through the same hooks: it is authenticated…
    client
        .raw()
        .create_or_get_online_meeting(&request())
        .await
        .expect("raw call");
    assert_eq!(
        header(&received(&graph).await[0], "authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );

    // …and a raw client aimed elsewhere with the same configuration refuses to send.
    use graph_online_meetings::raw::{Client, ClientInfo};
    let misdirected = Client::new_with_client(
        &format!("{}/v1.0", elsewhere.uri()),
        reqwest::Client::new(),
        client.raw().inner().clone(),
    );
    let err = misdirected
        .create_or_get_online_meeting(&request())
        .await
        .expect_err("refused");
    assert!(
        err.to_string()
            .contains("not to the configured Graph origin"),
        "{err}"
    );
    assert!(received(&elsewhere).await.is_empty());
}
