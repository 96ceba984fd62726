//! An in-memory emulator of the Microsoft Graph online-meetings endpoints, for offline tests
//! of a Graph client.
//!
//! It serves, under both `/v1.0` and `/beta` (each [`Route`]):
//!
//! | route | operation |
//! | --- | --- |
//! | `POST /me/onlineMeetings` | create (not idempotent: every call makes a meeting, `201`) |
//! | `POST /me/onlineMeetings/createOrGet` | createOrGet for the token's user |
//! | `POST /users/{userId}/onlineMeetings/createOrGet` | createOrGet for `userId` |
//! | `GET /me/onlineMeetings/{meetingId}`, `/users/{userId}/…` | get (`200`) |
//! | `PATCH /me/onlineMeetings/{meetingId}`, `/users/{userId}/…` | update (`200` with the meeting) |
//! | `DELETE /me/onlineMeetings/{meetingId}`, `/users/{userId}/…` | delete (`204`) |
//! | `GET /me/onlineMeetings?$filter=JoinWebUrl eq '…'`, `/users/{userId}/…` | find by join URL (`200`, a collection) |
//!
//! A meeting is visible only to its organizer (tenant + user): another user's id, an unknown
//! id or a deleted one is `404 itemNotFound`. A delete frees the meeting's createOrGet key. An
//! update changes every property it is given except those the server owns (`id`,
//! `joinWebUrl`, `externalId`, …), with the same time rules as a create.
//!
//! Point the client's base URL (Graph's `https://graph.microsoft.com`) at
//! [`RunningEmulator::base_url`] and authenticate with a token from [`fake_token`].
//!
//! # Example
//!
//! ```
//! use graph_online_meetings_emulator::{Emulator, Fault, Route, TokenKind, fake_token};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let emulator = Emulator::start("127.0.0.1:0").await?;
//! let token = fake_token("my-tenant", "my-user", TokenKind::Delegated);
//! let url = emulator.url("/v1.0/me/onlineMeetings/createOrGet");
//! let client = reqwest::Client::new();
//! let body = serde_json::json!({"externalId": "order-42", "subject": "Kick-off"});
//!
//! let first = client.post(&url).bearer_auth(&token).json(&body).send().await?;
//! assert_eq!(first.status(), 201);
//! let first: serde_json::Value = first.json().await?;
//!
//! let second = client.post(&url).bearer_auth(&token).json(&body).send().await?;
//! assert_eq!(second.status(), 200);
//! let second: serde_json::Value = second.json().await?;
//! assert_eq!(first["id"], second["id"]);
//!
//! // Make the next call fail with 429 and `Retry-After: 0.5`.
//! emulator.faults().fail_next(1, Fault::throttle("0.5"))?;
//! let throttled = client.post(&url).bearer_auth(&token).json(&body).send().await?;
//! assert_eq!(throttled.status(), 429);
//! assert_eq!(throttled.headers()["retry-after"], "0.5");
//!
//! assert_eq!(emulator.stats().count(Route::CreateOrGetMe), 3);
//! emulator.shutdown().await?;
//! # Ok(())
//! # }
//! ```
//!
//! # Behaviour
//!
//! **Identity.** `Authorization: Bearer <jwt>`, an unsigned JWT whose payload has `tid` and
//! `oid`; `scp` makes it delegated, `roles` (without `scp`) application-only (see [`TokenKind`]).
//! A missing or malformed token is `401 InvalidAuthenticationToken`. `/me` with an application
//! token is `400 BadRequest` ("/me request is only valid with delegated authentication flow.");
//! `/users/{userId}` with a delegated token for another user is `403 Forbidden`; with an
//! application token it acts as `userId` (an opaque key, compared case-insensitively).
//!
//! **createOrGet** is keyed by tenant + user + `externalId`: `201 Created` with a new meeting,
//! then `200 OK` with the same stored meeting. The check and the insert happen under one lock,
//! so concurrent calls with one key create exactly one meeting. `externalId` must be a
//! non-empty string (`400` otherwise). A later call returns the stored meeting unchanged,
//! whatever else its body says.
//!
//! **Times** (RFC 3339): no start and no end gives start = now, end = start + 1 h; a start alone
//! gives end = start + 1 h; an end without a start, an end before the start, or a time that is
//! not an RFC 3339 string is `400`. Given times are echoed exactly as sent; an end computed
//! from a given start keeps the start's offset and precision; times made from the clock are UTC
//! with 7 fractional digits, as Graph writes them. The same rules apply to plain create.
//!
//! **Answers** carry `request-id` (new) and `client-request-id` (the caller's, or new).
//! Meetings are sent as `application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8`
//! and carry the whole request object with the server-set properties laid over it, so unknown
//! properties come back. Errors are `application/json` in Graph's format
//! `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`.
//!
//! | condition | status | `error.code` |
//! | --- | --- | --- |
//! | injected throttling ([`Fault::Throttle`]) | 429 + `Retry-After` | `TooManyRequests` |
//! | injected unavailability ([`Fault::Unavailable`]) | 503 | `ServiceUnavailable` |
//! | injected lost answer ([`Fault::LoseAnswer`]): the call is served, then the connection drops mid-body | status of the call | none |
//! | body over the limit (default 1 MiB) | 413 | `RequestEntityTooLarge` |
//! | missing or malformed token | 401 | `InvalidAuthenticationToken` |
//! | `/me` with an application token | 400 | `BadRequest` |
//! | `/users/{other}` with a delegated token | 403 | `Forbidden` |
//! | no `Content-Type` | 400 | `BadRequest` |
//! | `Content-Type` not `application/json` | 415 | `RequestBodyRead` |
//! | body not JSON, not an object, bad property, bad `externalId` or times | 400 | `BadRequest` |
//! | a find without `$filter=JoinWebUrl eq '…'` | 400 | `BadRequest` |
//! | no meeting with that id for the user | 404 | `itemNotFound` |
//! | unknown path | 404 | `BadRequest` ("Resource not found for the segment '…'.") |
//! | known path, another method | 405 + `Allow` | `MethodNotAllowed` |
//!
//! For every route the checks run in the order of the table and the first failure
//! answers: faults come first (like a gateway's throttling, before the token or the body is
//! looked at), so a queued fault is consumed by any call to an operation, and only by those
//! (404 and 405 answers do not consume faults). Every request is counted ([`RequestStats`]).

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod auth;
mod body;
mod error;
mod faults;
mod graph_error;
mod meeting;
mod routes;
mod server;
mod stats;
mod store;

pub use auth::{TokenKind, fake_token, fake_token_from_claims};
pub mod sample;
pub use error::EmulatorError;
pub use faults::{Fault, FaultInjector};
pub use server::{
    DEFAULT_MAX_BODY_BYTES, DEFAULT_SHUTDOWN_GRACE, Emulator, EmulatorBuilder, RunningEmulator,
};
pub use stats::{Method, RequestCounts, RequestStats, Route, VersionSegment};

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
