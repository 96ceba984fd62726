//! Typed client for Microsoft Graph online meetings: create a Teams meeting or
//! create-or-get one by a custom `externalId`, get, update and delete it, and find it by
//! its join URL, for the signed-in user or for a given user.
//!
//! ```no_run
//! # async fn run() -> Result<(), graph_online_meetings::Error> {
//! use graph_online_meetings::{ApiVersion, Cloud, CreateOrGet, GraphClient};
//! use graph_online_meetings::types::CreateOrGetRequest;
//!
//! let client = GraphClient::builder()
//!     .cloud(Cloud::Global)
//!     .api_version(ApiVersion::V1)
//!     .bearer_token(std::env::var("GRAPH_TOKEN").unwrap_or_default())
//!     .build()?;
//! let request = CreateOrGetRequest::new("ticket-4711").with_subject("Incident review");
//! match client.create_or_get_for_user("adele.vance@contoso.com", &request).await? {
//!     CreateOrGet::Created(meeting) => println!("created {:?}", meeting.join_web_url),
//!     CreateOrGet::Existing(meeting) => println!("found {:?}", meeting.join_web_url),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! * [`GraphClient`] is the client to use: built with [`GraphClient::builder`] (cloud,
//!   version, token provider, retries, timeouts), it validates requests before sending
//!   them, retries what is safe to retry, and returns typed outcomes ([`CreateOrGet`])
//!   and one typed [`Error`].
//! * [`auth`] has the [`TokenProvider`] trait, the fixed [`StaticToken`] and, with the
//!   `azure` feature, the adapter for `azure_identity` credentials.
//! * [`types`] are the models, generated from the OpenAPI document; they keep
//!   properties they do not know, so a value read and written back loses nothing.
//! * [`raw`] is the generated (progenitor) client, as an escape hatch
//!   ([`GraphClient::raw`]).
//! * [`Operation`] is the generated table of the spec's operations and their facts
//!   (method, path, success statuses, [`Idempotency`], [`Permissions`]), which decide
//!   what the client retries and which paths it sends a token to.
//!
//! Every call sends a `client-request-id` (a new UUID per call, the same on each retry),
//! a `User-Agent` naming this crate, and `Prefer: include-unknown-enum-members`; it runs
//! in one `tracing` span (`graph_online_meetings::call`) with the operation, the attempt,
//! the status and Graph's `request-id`. Access tokens appear in no `Debug` or `Display`
//! output, error or log, and are sent only to the configured Graph host.

#![deny(missing_docs)]

#[cfg(not(any(feature = "tls-aws-lc", feature = "tls-ring")))]
compile_error!(
    "graph-online-meetings needs a TLS provider: enable the feature `tls-aws-lc` (the \
     default) or `tls-ring`"
);

mod additional;
pub mod generated;
mod lossless;

pub use generated::types;

pub mod auth;
mod call;
mod client;
mod error;
mod hooks;
mod meetings;
pub mod operation;
mod retry;

pub use additional::AdditionalProperties;
pub use auth::{AccessToken, StaticToken, TokenProvider};
pub use client::{
    ApiVersion, Cloud, DEFAULT_MAX_RESPONSE_BYTES, GraphClient, GraphClientBuilder, Response,
};
pub use error::{
    AuthError, BoxError, ConfigError, DecodeError, Error, GraphError, RequestError,
    ResponseTooLarge, Result, TransportError, UnexpectedStatus, ValidationError,
};
pub use lossless::ExplicitNulls;
pub use meetings::CreateOrGet;
pub use operation::{Idempotency, Operation, Permissions};
pub use retry::RetryPolicy;

/// The generated (progenitor) client and its types, as an escape hatch.
///
/// A configured [`Client`](raw::Client) comes from [`GraphClient::raw`]: its calls go
/// through this crate's hooks (token, headers, the destination check) but make one
/// attempt and return progenitor's [`ResponseValue`](raw::ResponseValue) and
/// [`Error`](raw::Error).
pub mod raw {
    pub use crate::generated::{ByteStream, Client, ClientInfo, Error, ResponseValue};
    pub use crate::hooks::Context;
}
