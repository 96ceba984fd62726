//! What the receiver hands the app: events for the notifications that passed every
//! check, and a refusal for each one that did not.

use crate::types::{CallRecording, CallTranscript, ChangeNotification, LifecycleEventType};

/// One notification that passed every check, typed by what it is about.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// A transcript changed (Graph notifies `created`).
    Transcript(Change<CallTranscript>),
    /// A recording changed (Graph notifies `created`).
    Recording(Change<CallRecording>),
    /// A change to a resource this crate has no model for, its data as JSON.
    Other(Change<serde_json::Value>),
    /// A lifecycle notification about the subscription itself.
    Lifecycle(Lifecycle),
}

/// A change notification and, when the subscription asked for resource data
/// (`includeResourceData`), the resource as Graph sent it, decrypted and checked.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Change<T> {
    /// The notification as it came, `encryptedContent` included.
    pub notification: ChangeNotification,
    /// The decrypted resource, when the notification carried one.
    pub resource: Option<T>,
}

/// A lifecycle notification: Graph asks the app to act on a subscription.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Lifecycle {
    /// What happened: `reauthorizationRequired` (renew or reauthorize the subscription),
    /// `subscriptionRemoved` (create it again), `missed` (catch up with a delta query).
    pub event: LifecycleEventType,
    /// The subscription it is about.
    pub subscription_id: String,
    /// The notification as it came.
    pub notification: ChangeNotification,
}

/// A notification the receiver did not hand on, and why. Each one is also counted
/// ([`Receiver::refused`](super::Receiver::refused)) and logged.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Refused {
    /// Its position in the collection's `value`.
    pub index: usize,
    /// The subscription it names, when it names one.
    pub subscription_id: Option<String>,
    /// Why it was refused.
    pub refusal: Refusal,
}

/// Why a notification was refused. None of these says more than which check failed: the
/// sender learns nothing from the receiver's answer, which is `202` either way.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    /// Its `clientState` is missing or is not one the receiver was given.
    #[error("its clientState is missing or not the expected one")]
    ClientState,
    /// It carries resource data, and the collection's `validationTokens` do not show
    /// that Graph sent it to this app for its tenant.
    #[error("the validation tokens do not vouch for it: {0}")]
    ValidationToken(String),
    /// Its resource data is encrypted for a certificate ID the receiver has no key for.
    #[error("its data is encrypted for certificate {0:?}, which the receiver has no key for")]
    UnknownCertificate(String),
    /// The data key does not decrypt with the private key of the certificate it names.
    #[error("its data key does not decrypt with the key of the certificate it names")]
    DataKey,
    /// The `dataSignature` is not the HMAC-SHA256 of the data under its key.
    #[error("its dataSignature does not match the data")]
    Signature,
    /// The data is signed but does not decrypt.
    #[error("its data does not decrypt")]
    Decryption,
    /// A part it must have is missing or not in the documented form.
    #[error("it is malformed: {0}")]
    Malformed(String),
}
