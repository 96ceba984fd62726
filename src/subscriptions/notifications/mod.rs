//! Receiving Graph's change notifications: the validation handshake, then each
//! notification checked (`clientState`, validation tokens, `dataSignature`) and its
//! resource data decrypted into a typed [`Event`]. The [`Receiver`] takes a request as
//! [`http::Request`] bytes and answers what to send back; it needs no web framework
//! (with the `axum` feature, `axum_handler` wires it into a router).
//!
//! ```
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use graph_online_meetings::notifications::{Event, Received, Receiver};
//!
//! let receiver = Receiver::builder("a secret the receiver checks").build()?;
//!
//! // Graph's handshake when a subscription is created: answer the token back at once.
//! let handshake = http::Request::post("/notifications?validationToken=Validation%3A%20abc")
//!     .body(Vec::new())?;
//! let received = receiver.receive(&handshake).await?;
//! assert!(matches!(&received, Received::Handshake { token } if token == "Validation: abc"));
//! assert_eq!(received.response().status(), 200);
//!
//! // A notification: answered 202; the events that passed every check go to the app.
//! let body = r##"{"value":[{"subscriptionId":"7f105c7d","clientState":"a secret the receiver checks",
//!   "changeType":"created","resourceData":{"@odata.type":"#Microsoft.Graph.callTranscript","id":"MSMjMCMj"}}]}"##;
//! let request = http::Request::post("/notifications").body(body.as_bytes().to_vec())?;
//! let Received::Notifications(delivery) = receiver.receive(&request).await? else { unreachable!() };
//! assert!(matches!(&delivery.events[..], [Event::Transcript(_)]));
//! # Ok(())
//! # }
//! ```
//!
//! What each check follows, and how the pieces fit with the subscription's keeper, is in
//! `docs/notifications.md`.

#[cfg(feature = "axum")]
mod axum;
mod decrypt;
mod events;
mod receiver;
mod tokens;

#[cfg(feature = "axum")]
pub use axum::{MAX_BODY_BYTES, QUEUE_WAIT, axum_handler};
pub use decrypt::{DecryptionKey, KeyError};
pub use events::{Change, Event, Lifecycle, Refusal, Refused};
/// The `http` crate whose `Request` [`Receiver::receive`] reads and whose `Response`
/// [`Received::response`] makes, for apps that do not depend on it themselves.
pub use http;
/// A JWK set: jsonwebtoken's own type, so a new major version of jsonwebtoken is a new
/// major version of this crate ([`StaticKeys::from_json`] reads one without naming it).
pub use jsonwebtoken::jwk::JwkSet;
pub use receiver::{
    Delivery, ReceiveError, Received, Receiver, ReceiverBuilder, ReceiverConfigError,
};
pub use tokens::{
    GRAPH_CHANGE_TRACKING_APP_ID, KeysFuture, MICROSOFT_KEYS_URL, MicrosoftKeys, StaticKeys,
    TokenKeys,
};
