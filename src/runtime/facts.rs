//! The types of an operation's facts, as the spec states them and the generated
//! `Operation` table returns them: [`Idempotency`] and [`Permissions`].

/// Whether an operation may be repeated without changing its effect (the spec's
/// `x-idempotent`), which decides what the client retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Idempotency {
    /// Repeating the call has the effect of one call (for some, because a body property,
    /// `key`, makes it so). Retried on `429`, `503`, `504`, timeouts and connection
    /// failures.
    Idempotent {
        /// The body property that makes it idempotent (`externalId`), if any.
        key: Option<&'static str>,
    },
    /// A repeat may act twice: retried only on `429`, when the request was refused
    /// without being processed.
    NotIdempotent,
}

impl Idempotency {
    /// Whether the operation is idempotent.
    pub const fn is_idempotent(self) -> bool {
        matches!(self, Idempotency::Idempotent { .. })
    }
}

/// The permissions that allow an operation (the spec's `x-permissions`): any one of
/// them suffices. An empty list means that kind of token cannot call the operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Permissions {
    /// Delegated permissions (a user's token, for example from the auth code flow).
    pub delegated: &'static [&'static str],
    /// Application permissions (an app's own token, from client credentials).
    pub application: &'static [&'static str],
}
