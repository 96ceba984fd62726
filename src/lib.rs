//! Typed client for Microsoft Graph online meetings: create a Teams meeting or
//! create-or-get one by your own `externalId`, then get, update, delete or find it by its
//! join URL, for the signed-in user ([`GraphClient::me`]) or for a given user
//! ([`GraphClient::user`]); after it ends, read its attendance reports, transcripts and
//! recordings.
//!
//! ```no_run
//! use graph_online_meetings::types::CreateOrGetRequest;
//! use graph_online_meetings::{CreateOrGet, GraphClient};
//!
//! # async fn run() -> Result<(), graph_online_meetings::Error> {
//! let client = GraphClient::builder()
//!     .bearer_token(std::env::var("GRAPH_TOKEN").unwrap_or_default())
//!     .build()?;
//! let request = CreateOrGetRequest::new("ticket-4711").with_subject("Incident review");
//! let outcome = client.user("adele.vance@contoso.com").create_or_get(&request).await?;
//! println!("{} (request-id {:?})", outcome.status(), outcome.request_id());
//! match outcome.into_inner() {
//!     CreateOrGet::Created(meeting) => println!("created {:?}", meeting.join_web_url),
//!     CreateOrGet::Existing(meeting) => println!("found {:?}", meeting.join_web_url),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! * [`GraphClient`] is the client, built with [`GraphClient::builder`] (cloud, version,
//!   token provider, retries, timeouts). [`GraphClient::me`] and [`GraphClient::user`] give
//!   a [`Meetings`] handle, [`Meetings::meeting`] a [`Meeting`]; each has one method per
//!   operation. Every call returns a [`Response`] (the value, with status, `request-id`,
//!   headers and attempts) or one typed [`Error`].
//! * After the meeting, [`Meeting`] gives [`AttendanceReport`]s, [`Transcript`]s and
//!   [`Recording`]s; lists are [`Pages`] (following `@odata.nextLink`, refusing a link to
//!   another host), content is [`Content`] (streamed, written to a file with
//!   [`Content::write_to`]).
//! * [`auth`] has the [`TokenProvider`] trait, the fixed [`StaticToken`] and, with the
//!   `azure` feature, an adapter for `azure_identity` credentials.
//! * [`types`] are the models, generated from the OpenAPI document; they keep
//!   properties they do not know, so a value read and written back loses nothing.
//!   They are `#[non_exhaustive]`, so that a property Graph adds is not a breaking
//!   change: build a model from `Default`, or from its generated `new` when it has
//!   required properties (`CreateOrGetRequest::new(external_id)`), with its `with_…`
//!   setters, or assign its public fields.
//! * [`Operation`] is the generated table of the spec's operations and their facts
//!   (method, path, success statuses, [`Idempotency`], [`Permissions`]), which decide
//!   what the client retries and which paths it sends a token to.
//! * [`raw`] is the generated (progenitor) client, as an escape hatch
//!   ([`GraphClient::raw`]).
//!
//! Every call sends a `client-request-id` (a new UUID per call, the same on each retry),
//! a `User-Agent` naming this crate, and `Prefer: include-unknown-enum-members`; it runs
//! in one `tracing` span (`graph_online_meetings::call`) with the operation, the attempt,
//! the status and Graph's `request-id`. Access tokens appear in no `Debug` or `Display`
//! output, error or log, and are sent only to the configured Graph host.
//!
//! ```
//! use graph_online_meetings::types::OnlineMeeting;
//!
//! let meeting = OnlineMeeting::default().with_subject("Weekly sync");
//! assert_eq!(meeting.subject.as_deref(), Some("Weekly sync"));
//! ```
//!
//! ```compile_fail,E0639
//! // A struct literal does not compile outside the crate, even with `..Default::default()`.
//! let meeting = graph_online_meetings::types::OnlineMeeting {
//!     subject: Some("Weekly sync".to_owned()),
//!     ..Default::default()
//! };
//! ```
//!
//! Date-times are [`chrono`]'s `DateTime<FixedOffset>`, re-exported as [`chrono`] so that
//! an application needs no version of its own.

#![deny(missing_docs)]

#[cfg(not(any(feature = "tls-aws-lc", feature = "tls-ring")))]
compile_error!(
    "graph-online-meetings needs a TLS provider: enable the feature `tls-aws-lc` (the \
     default) or `tls-ring`"
);

mod generated;
mod online_meetings;
mod runtime;
mod subscriptions;

pub use generated::types;

/// The `chrono` the models use for date-times (`DateTime<FixedOffset>`).
pub use chrono;

/// The HTTP status type of [`Response::status`] and [`Error::status`] (the `http`
/// crate's, as reqwest uses it), so that an application needs no HTTP crate of its own to
/// compare statuses: `err.is_status(StatusCode::NOT_FOUND)`.
pub use reqwest::StatusCode;

pub use online_meetings::artifacts::{
    AttendanceReport, Recording, TimeWindow, Transcript, TranscriptFormat,
};
pub use online_meetings::handles::{Me, Meeting, Meetings, Scope, User};
pub use online_meetings::outcomes::CreateOrGet;
pub use runtime::auth::{self, AccessToken, AuthError, StaticToken, TokenProvider};
pub use runtime::budget::DEFAULT_MAX_IN_FLIGHT;
pub use runtime::client::{
    ApiVersion, Cloud, DEFAULT_MAX_RESPONSE_BYTES, GraphClient, GraphClientBuilder,
};
pub use runtime::content::Content;
pub use runtime::error::{
    BoxError, ConfigError, DecodeError, Error, ForeignLink, GraphError, RequestError,
    ResponseTooLarge, Result, Throttled, TransportError, UnexpectedStatus, ValidationError,
    WriteError,
};
pub use runtime::lossless::ExplicitNulls;
pub use runtime::operation::{self, Idempotency, Operation, Permissions};
pub use runtime::page::Page;
pub use runtime::pages::{Items, Pages};
pub use runtime::response::Response;
pub use runtime::retry::RetryPolicy;
pub use subscriptions::SubscriptionResource;
pub use subscriptions::handles::Subscriptions;
pub use subscriptions::keeper::{Keeper, KeeperAction};
#[cfg(feature = "notifications")]
pub use subscriptions::notifications;
pub use subscriptions::rules::MAX_CLIENT_STATE_CHARS;

/// The generated (progenitor) client and its types, as an escape hatch.
///
/// A configured [`Client`](raw::Client) comes from [`GraphClient::raw`]: its calls go
/// through this crate's hooks (token, headers, the destination check) but make one
/// attempt and return progenitor's [`ResponseValue`](raw::ResponseValue) and
/// [`Error`](raw::Error).
pub mod raw {
    pub use crate::generated::{ByteStream, Client, ClientInfo, Error, ResponseValue};
    pub use crate::runtime::context::Context;
}

/// The README's Rust blocks, compiled as doc-tests so that they work as written.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
