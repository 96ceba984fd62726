//! Load with faults, nothing lost: 64 tasks make a few thousand mixed calls (createOrGet
//! with overlapping external ids for two users, plain create, get, update and delete)
//! against the emulator while it injects 429s, 503s and answers lost mid-body. Then the
//! emulator's own store is checked: every meeting the client saw as created exists
//! exactly once, no two meetings share a (user, externalId) key, no call outlived its
//! bound, and every failure is a typed error. Bounded in calls and time; prints figures.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use graph_online_meetings::types::{CreateOrGetRequest, OnlineMeeting};
use graph_online_meetings::{ApiVersion, CreateOrGet, Error, GraphClient, RetryPolicy};
use graph_online_meetings_emulator::{Fault, TokenKind, fake_token};
use tokio::sync::Mutex;

use crate::support::*;

const TASKS: usize = 64;
const CALLS_PER_TASK: usize = 40;
const KEYS: usize = 24;

/// What the client saw.
#[derive(Default)]
struct Seen {
    /// Meetings the client saw created (createOrGet `201` or create `201`), by id.
    created: Vec<String>,
    /// Meetings the test tried to delete (the outcome may be unknown), by id.
    deleted: HashSet<String>,
    /// Failures by kind.
    errors: BTreeMap<&'static str, u32>,
    ok: u32,
}

fn kind(err: &Error) -> &'static str {
    match err {
        Error::Api(_) => "api",
        Error::Transport(_) => "transport",
        Error::Timeout(_) => "timeout",
        Error::Decode(_) => "decode",
        Error::UnexpectedStatus(_) => "unexpected status",
        Error::ResponseTooLarge(_) => "too large",
        Error::Validation(_) => "validation",
        Error::Request(_) => "request",
        Error::Auth(_) => "auth",
        Error::Config(_) => "config",
        _ => "other",
    }
}

fn client(
    emulator: &graph_online_meetings_emulator::RunningEmulator,
    kind: TokenKind,
    user: &str,
) -> GraphClient {
    GraphClient::builder()
        .base_url(emulator.base_url())
        .api_version(ApiVersion::V1)
        .bearer_token(fake_token(TENANT, user, kind))
        .timeout(Duration::from_secs(5))
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(6)
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(10))
                .with_max_total_delay(Duration::from_secs(2)),
        )
        .build()
        .expect("a client")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousands_of_calls_under_faults_lose_and_duplicate_nothing() {
    let emulator = start().await;
    let me = client(&emulator, TokenKind::Delegated, USER);
    let app = client(&emulator, TokenKind::Application, APP);
    let seen = Arc::new(Mutex::new(Seen::default()));

    // Faults while the load runs: one every millisecond or so, 429s, 503s and lost
    // answers in turn.
    let faults = emulator.faults();
    let injected = Arc::new(AtomicU32::new(0));
    let injector = {
        let injected = Arc::clone(&injected);
        tokio::spawn(async move {
            for i in 0..240u32 {
                let fault = match i % 6 {
                    0..=2 => Fault::throttle("0"),
                    3 | 4 => Fault::unavailable(),
                    _ => Fault::LoseAnswer,
                };
                if faults.fail_next(1, fault).is_ok() {
                    injected.fetch_add(1, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        })
    };

    let mut tasks = Vec::new();
    for task in 0..TASKS {
        let (me, app, seen) = (me.clone(), app.clone(), Arc::clone(&seen));
        tasks.push(tokio::spawn(async move {
            let mut mine: Vec<String> = Vec::new();
            for call in 0..CALLS_PER_TASK {
                let key = format!("load-{}", (task + call) % KEYS);
                let request = CreateOrGetRequest::new(key);
                // Every call is bounded: a hang fails the test here.
                let outcome = tokio::time::timeout(Duration::from_secs(30), async {
                    match (task + call) % 6 {
                        0 | 1 => me
                            .me()
                            .create_or_get(&request)
                            .await
                            .map(|r| Some(r.into_inner())),
                        2 => app
                            .user(OTHER_USER)
                            .create_or_get(&request)
                            .await
                            .map(|r| Some(r.into_inner())),
                        3 => me
                            .me()
                            .create(&OnlineMeeting::default())
                            .await
                            .map(|m| Some(CreateOrGet::Created(m.into_inner()))),
                        4 => match mine.last() {
                            Some(id) => me
                                .me()
                                .meeting(id)
                                .update(
                                    &OnlineMeeting::default()
                                        .with_subject(format!("load {task}/{call}")),
                                )
                                .await
                                .map(|_| None),
                            None => me.me().meeting("no-such-meeting").get().await.map(|_| None),
                        },
                        _ => match mine.pop() {
                            Some(id) => {
                                // Deleted or not (a lost answer leaves it unknown), this
                                // meeting is no longer checked for existence.
                                seen.lock().await.deleted.insert(id.clone());
                                me.me().meeting(&id).delete().await.map(|_| None)
                            }
                            None => Ok(None),
                        },
                    }
                })
                .await
                .expect("no call outlives its bound");
                let mut seen = seen.lock().await;
                match outcome {
                    Ok(created) => {
                        seen.ok += 1;
                        if let Some(CreateOrGet::Created(meeting)) = created {
                            let id = meeting.id.clone().expect("a meeting has an id");
                            // Plain creates are the task's own, to update and delete.
                            if (task + call) % 6 == 3 {
                                mine.push(id.clone());
                            }
                            seen.created.push(id);
                        }
                    }
                    Err(err) => {
                        assert!(!err.to_string().is_empty());
                        *seen.errors.entry(kind(&err)).or_default() += 1;
                    }
                }
            }
        }));
    }
    for task in tasks {
        task.await.expect("a load task");
    }
    injector.await.expect("the injector");

    let seen = seen.lock().await;
    let stored = emulator.meetings();
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    let mut keys: HashMap<(String, String), usize> = HashMap::new();
    for meeting in &stored {
        *by_id
            .entry(meeting["id"].as_str().expect("an id"))
            .or_default() += 1;
        if let Some(external) = meeting["externalId"].as_str() {
            let user = meeting["participants"]["organizer"]["identity"]["user"]["id"]
                .as_str()
                .expect("an organizer")
                .to_lowercase();
            *keys.entry((user, external.to_owned())).or_default() += 1;
        }
    }
    for id in &seen.created {
        if !seen.deleted.contains(id) {
            assert_eq!(
                by_id.get(id.as_str()),
                Some(&1),
                "meeting {id} exists exactly once"
            );
        }
    }
    assert!(
        keys.values().all(|&n| n == 1),
        "no two meetings share a (user, externalId) key"
    );
    assert!(keys.len() <= 2 * KEYS, "at most one meeting per key");
    let unexpected: Vec<_> = seen
        .errors
        .keys()
        .filter(|k| !matches!(**k, "api" | "transport"))
        .collect();
    assert!(
        unexpected.is_empty(),
        "only Graph errors and lost answers: {:?}",
        seen.errors
    );

    let calls = TASKS * CALLS_PER_TASK;
    let requests = emulator.stats().total();
    println!(
        "load: {calls} calls from {TASKS} tasks, {requests} requests, {} faults injected, \
         {} succeeded, failures by kind {:?}, {} meetings created and seen, {} stored, \
         0 lost, 0 duplicated",
        injected.load(Ordering::Relaxed),
        seen.ok,
        seen.errors,
        seen.created.len(),
        stored.len()
    );
    stop(emulator).await;
}
