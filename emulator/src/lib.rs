//! An in-memory emulator of the Microsoft Graph online-meetings endpoints, for offline tests
//! of a Graph client.
//!
//! It serves every operation of the crate's spec, `openapi/onlinemeetings.yaml`, under both
//! `/v1.0` and `/beta`: the meetings of `/me` (the token's user) and `/users/{userId}`
//! (create, createOrGet, get, update, delete, find by join URL) and what ended meetings
//! left (attendance reports and records, transcripts, recordings and their content,
//! `getAllTranscripts`/`getAllRecordings` and their delta). Each is a [`Route`]:
//! [`Route::ALL`] lists them, each variant's docs give its method and path, and
//! [`Route::path_pattern`] and [`Route::method`] give them to code. A plain create is not
//! idempotent (every call makes a meeting, `201`).
//!
//! A meeting and what it left are visible only to its organizer (tenant + user): another
//! user's id, an unknown id or a deleted one (or an artifact id the meeting does not have)
//! is `404 itemNotFound`. A delete frees the meeting's createOrGet key and drops its
//! artifacts. An update changes every property it is given except those the server owns
//! (`id`, `joinWebUrl`, `externalId`, …), with the same time rules as a create.
//!
//! A test makes the artifacts by ending a meeting, with [`RunningEmulator::end_meeting`] or
//! over HTTP with a [`MeetingEnd`] body (`204`), a test control that is not a Graph route:
//! `POST /_emulator/v1.0` followed by the meeting's path (`/me/onlineMeetings/{meetingId}`
//! or `/users/{userId}/onlineMeetings/{meetingId}`) and `/end`.
//!
//! Subscriptions (`/subscriptions`, after Graph's validation handshake) get change
//! notifications when a meeting they watch ends: the transcript and the recording
//! created, with resource data encrypted for the subscription's certificate
//! ([`encrypt_content`]) and a validation token ([`validation_token`], checked against
//! [`TOKEN_KEYS_JSON`]), sent again until the receiver answers `2xx` ([`Redelivery`],
//! [`RunningEmulator::notifications`]). [`RunningEmulator::send_lifecycle`] sends a
//! lifecycle notification.
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
//! | the token's app over its tenant's rate limit ([`EmulatorBuilder::rate_limit`], off by default): N requests per S seconds per app (`appid`) per tenant, in a fixed window or a token bucket ([`RateLimitKind`]) | 429 + `Retry-After` (the time left in the window, or until the bucket's next token) | `TooManyRequests` |
//! | `/me` with an application token | 400 | `BadRequest` |
//! | `/users/{other}` with a delegated token | 403 | `Forbidden` |
//! | a delegated token on `getAllRecordings` or a `getAll…` delta, or on `getAllTranscripts` for another user (in the path or `meetingOrganizerUserId`) | 403 | `Forbidden` |
//! | no `Content-Type` | 400 | `BadRequest` |
//! | `Content-Type` not `application/json` | 415 | `RequestBodyRead` |
//! | body not JSON, not an object, bad property, bad `externalId` or times | 400 | `BadRequest` |
//! | a find without `$filter=JoinWebUrl eq '…'` | 400 | `BadRequest` |
//! | bad `$top`, `$skiptoken`, `$deltatoken`, `$expand` or `$format`; a `getAll…` call without `meetingOrganizerUserId`, with another user's (application tokens), or with a time that is not RFC 3339 or `null` | 400 | `BadRequest` |
//! | no meeting with that id for the user; no report, transcript or recording with that id in the meeting | 404 | `itemNotFound` |
//! | unknown path | 404 | `BadRequest` ("Resource not found for the segment '…'.") |
//! | known path, another method | 405 + `Allow` | `MethodNotAllowed` |
//!
//! For every route the checks run in the order of the table and the first failure
//! answers: faults come first (like a gateway's throttling, before the token or the body is
//! looked at), so a queued fault is consumed by any call to a Graph route, and only by those
//! (404 and 405 answers, and the `/_emulator` test controls, do not consume faults). Every
//! request is counted ([`RequestStats`]); the test controls are not counted per route.
//!
//! # After the meeting
//!
//! **Ending a meeting** ([`RunningEmulator::end_meeting`], or `POST …/end` with the
//! organizer's token: delegated through `/me` or `/users/{self}`, application through
//! `/users/{userId}`) makes one session: an attendance report, a transcript and a recording.
//! Ending it again makes another session; the earlier ones stay. The body is
//! `{"attendees": [{"displayName", "emailAddress", "intervals": [{"joinDateTime",
//! "leaveDateTime"}]}], "recordingBytes": N}` (unknown properties, a leave before its join, a
//! time that is not RFC 3339 or a `recordingBytes` that is not a non-negative integer are
//! `400`; an unknown meeting is `404`).
//!
//! - **Reading them**: a meeting's reports come newest first (at most 50), its transcripts
//!   and recordings oldest first; `$expand=attendanceRecords` on one report adds all its
//!   records (any other `$expand` is `400`).
//! - **The report** counts the attendees (`totalParticipantCount`), starts at the earliest
//!   join and ends at the latest leave (both `null` without intervals); each attendee is an
//!   `attendanceRecord` (`role` `"Attendee"`, `identity` with a new id and the display name,
//!   the intervals as given with their whole seconds, their sum in
//!   `totalAttendanceInSeconds`).
//! - **The transcript and the recording** share the session's `callId` and
//!   `contentCorrelationId`; `createdDateTime` is when the meeting was ended, `endDateTime`
//!   the latest leave (or that time); `meetingOrganizer.user.id` is the organizer; the
//!   `transcriptContentUrl`/`recordingContentUrl` point at their content routes on the
//!   emulator (the host the request used, the `/users/{userId}` form).
//! - **The transcript's content** ([`EndedMeeting::transcript_vtt`]) is WebVTT with one
//!   5-second cue per attendee, in order: `<v Name>Name joined.</v>`. Its metadata has the
//!   same cues, each a JSON object (`startDateTime`, `endDateTime`, `speakerName`,
//!   `spokenText`, `spokenLanguage`) timed from the meeting's start. `$format=text/vtt` is
//!   accepted, any other `$format` is `400`.
//! - **The recording's content** (`video/mp4`, with `Content-Length`) is `recordingBytes`
//!   bytes, the byte at offset `i` being [`recording_byte`]`(i)`; it is made chunk by chunk
//!   as it is sent, so a 1 GiB recording costs no memory.
//!
//! **Paging.** Collections are sent in pages of [`DEFAULT_PAGE_SIZE`] items (see
//! [`EmulatorBuilder::page_size`]; `$top=N`, 1 to 100, sets it for one request). Each page but
//! the last has an absolute `@odata.nextLink` (`http://` + the request's `Host`, the same path,
//! `$skiptoken` and the request's `$top`). Pages follow sequence numbers, not positions, so a
//! session added while a client pages is neither repeated nor skipped. A `$skiptoken` that the
//! emulator did not make for that kind of collection is `400`.
//!
//! **getAllTranscripts and getAllRecordings** list every transcript (recording) of the
//! meetings the user organized, oldest first, optionally only those created within
//! `startDateTime`..=`endDateTime` (each an RFC 3339 time, `null`, or left out). The segment
//! may be percent-encoded; `meetingOrganizerUserId` must be the path's user (compared
//! case-insensitively). `getAllTranscripts` also takes a delegated token for its own user;
//! the others are application-only. Their `/delta` pages end with an `@odata.deltaLink`
//! (`…/delta?$deltatoken=…`) that later returns only what was added since, and another
//! delta link.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod artifacts;
mod auth;
mod body;
mod delivery;
mod dispatch;
mod error;
mod faults;
mod function_call;
mod graph_error;
mod graph_format;
mod handlers;
mod meeting;
mod notify;
mod owner;
mod paging;
mod rate_limit;
mod route_table;
mod router;
mod seal;
mod server;
mod state;
mod stats;
mod store;
mod subscriptions;

pub use artifacts::{Attendee, EndedMeeting, Interval, MeetingEnd, recording_byte};
pub use auth::{TokenKind, fake_token, fake_token_from_claims};
pub mod sample;
pub use delivery::{NotificationCounts, Redelivery};
pub use error::EmulatorError;
pub use faults::{Fault, FaultInjector};
pub use rate_limit::{RateLimit, RateLimitKind};
pub use route_table::{Method, Route, VersionSegment};
pub use seal::{TOKEN_KEYS_JSON, encrypt_content, validation_token};
pub use server::{
    DEFAULT_MAX_BODY_BYTES, DEFAULT_PAGE_SIZE, DEFAULT_SHUTDOWN_GRACE, Emulator, EmulatorBuilder,
    RunningEmulator,
};
pub use stats::{RequestCounts, RequestStats};

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
