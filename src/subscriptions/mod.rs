//! The subscriptions resource: change notifications on what meetings leave behind
//! ([`GraphClient::subscriptions`](crate::GraphClient::subscriptions)), the resources
//! Graph documents for transcripts and recordings ([`SubscriptionResource`]), and the
//! rules it checks before a subscription is sent.
//!
//! One hand-written method per operation, as for online meetings: it checks what the spec
//! cannot say (`rules`) and runs the generated call method through the runtime's loop.

pub(crate) mod handles;
pub(crate) mod keeper;
#[cfg(feature = "notifications")]
pub mod notifications;
pub(crate) mod rules;

pub use rules::SubscriptionResource;
