//! The in-memory meeting store.
//!
//! One mutex guards the meetings and the createOrGet index, so the check for an existing
//! `(tenant, user, externalId)` and the insert of a new meeting are one atomic step:
//! concurrent createOrGet calls with one key create exactly one meeting. A deleted meeting
//! leaves the index too, so a later createOrGet with its key creates a new one.
//!
//! The same mutex guards what ended meetings left (their [`Session`]s): ending a meeting
//! checks that it exists and stores the session in one step, and deleting a meeting drops its
//! sessions in the same step, so no session outlives its meeting. Each session gets the next
//! sequence number under the lock, so sequence order is the order sessions became visible:
//! a delta that saw sequence `n` has seen every session up to `n`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde_json::{Map, Value};

use crate::artifacts::{MeetingEnd, Session};
use crate::owner::Owner;

/// The createOrGet key: the owner and the external id (compared exactly).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct MeetingKey {
    owner: Owner,
    external_id: String,
}

impl MeetingKey {
    pub(crate) fn new(owner: Owner, external_id: &str) -> Self {
        Self {
            owner,
            external_id: external_id.to_owned(),
        }
    }
}

/// A stored meeting: who owns it, its createOrGet key, and the document Graph sends for
/// it (without `@odata.context`, which depends on the request).
#[derive(Debug, Clone)]
pub(crate) struct StoredMeeting {
    pub(crate) id: String,
    pub(crate) owner: Owner,
    pub(crate) key: Option<MeetingKey>,
    pub(crate) document: Map<String, Value>,
}

/// The string at the JSON pointer `pointer` (`/a/b`) of `document`, if there is one.
fn string_at<'a>(document: &'a Map<String, Value>, pointer: &str) -> Option<&'a str> {
    let mut segments = pointer.strip_prefix('/')?.split('/');
    let mut value = document.get(segments.next()?)?;
    for segment in segments {
        value = value.get(segment)?;
    }
    value.as_str()
}

/// What a keyed insert did.
#[derive(Debug, Clone)]
pub(crate) enum KeyedInsert {
    /// A new meeting was stored (201).
    Created(Arc<StoredMeeting>),
    /// The meeting stored earlier under the key (200).
    Found(Arc<StoredMeeting>),
}

#[derive(Debug, Default)]
struct Inner {
    /// Oldest first.
    meetings: Vec<Arc<StoredMeeting>>,
    by_key: HashMap<MeetingKey, Arc<StoredMeeting>>,
    /// Oldest (lowest sequence) first.
    sessions: Vec<Arc<Session>>,
    /// The sequence number of the newest session (0: none yet).
    last_sequence: u64,
}

impl Inner {
    fn position(&self, owner: &Owner, id: &str) -> Option<usize> {
        self.meetings
            .iter()
            .position(|m| m.id == id && &m.owner == owner)
    }
}

/// Why ending a meeting failed.
#[derive(Debug)]
pub(crate) enum EndError {
    /// The [`MeetingEnd`] is not valid (the reason).
    Invalid(String),
    /// The user has no meeting with that id.
    NotFound,
}

/// All meetings the emulator holds.
#[derive(Debug, Default)]
pub(crate) struct MeetingStore {
    inner: Mutex<Inner>,
}

impl MeetingStore {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // Every update below is done after all fallible work, so the data is consistent
        // even after a panic elsewhere while the lock was held.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stores a new meeting (plain create: never deduplicated).
    pub(crate) fn insert(&self, meeting: StoredMeeting) -> Arc<StoredMeeting> {
        let meeting = Arc::new(meeting);
        self.lock().meetings.push(Arc::clone(&meeting));
        meeting
    }

    /// Returns the meeting stored under `key`, or stores the one `make` builds,
    /// atomically.
    pub(crate) fn create_or_get(
        &self,
        key: MeetingKey,
        make: impl FnOnce() -> StoredMeeting,
    ) -> KeyedInsert {
        let mut inner = self.lock();
        if let Some(existing) = inner.by_key.get(&key) {
            return KeyedInsert::Found(Arc::clone(existing));
        }
        let meeting = Arc::new(StoredMeeting {
            key: Some(key.clone()),
            ..make()
        });
        inner.meetings.push(Arc::clone(&meeting));
        inner.by_key.insert(key, Arc::clone(&meeting));
        KeyedInsert::Created(meeting)
    }

    /// The meeting `id` of `owner` (another owner's meeting is not visible).
    pub(crate) fn get(&self, owner: &Owner, id: &str) -> Option<Arc<StoredMeeting>> {
        let inner = self.lock();
        inner
            .position(owner, id)
            .and_then(|index| inner.meetings.get(index).cloned())
    }

    /// Replaces the document of meeting `id` of `owner` with what `update` makes of it;
    /// `None` when there is no such meeting, the error of `update` when it fails.
    pub(crate) fn update<E>(
        &self,
        owner: &Owner,
        id: &str,
        update: impl FnOnce(&Map<String, Value>) -> Result<Map<String, Value>, E>,
    ) -> Option<Result<Arc<StoredMeeting>, E>> {
        let mut inner = self.lock();
        let index = inner.position(owner, id)?;
        let current = inner.meetings.get(index)?;
        let document = match update(&current.document) {
            Ok(document) => document,
            Err(err) => return Some(Err(err)),
        };
        let updated = Arc::new(StoredMeeting {
            document,
            ..StoredMeeting::clone(current)
        });
        if let Some(key) = &updated.key {
            inner.by_key.insert(key.clone(), Arc::clone(&updated));
        }
        if let Some(slot) = inner.meetings.get_mut(index) {
            *slot = Arc::clone(&updated);
        }
        Some(Ok(updated))
    }

    /// Deletes meeting `id` of `owner` (and its createOrGet key); whether it existed.
    pub(crate) fn delete(&self, owner: &Owner, id: &str) -> bool {
        let mut inner = self.lock();
        let Some(index) = inner.position(owner, id) else {
            return false;
        };
        let removed = inner.meetings.remove(index);
        if let Some(key) = &removed.key {
            inner.by_key.remove(key);
        }
        inner
            .sessions
            .retain(|s| !(s.meeting_id == removed.id && &s.owner == owner));
        true
    }

    /// Stores `session` (one end of its meeting) with the next sequence number, if its
    /// owner has its meeting; `None` otherwise.
    pub(crate) fn add_session(&self, mut session: Session) -> Option<Arc<Session>> {
        let mut inner = self.lock();
        inner.position(&session.owner, &session.meeting_id)?;
        inner.last_sequence = inner.last_sequence.saturating_add(1);
        session.sequence = inner.last_sequence;
        let session = Arc::new(session);
        inner.sessions.push(Arc::clone(&session));
        Some(session)
    }

    /// Ends meeting `meeting_id` of `tenant_id` + `user_id`: stores a new session (report,
    /// transcript, recording) made from `end`.
    pub(crate) fn end_meeting(
        &self,
        tenant_id: &str,
        user_id: &str,
        meeting_id: &str,
        end: &MeetingEnd,
    ) -> Result<Arc<Session>, EndError> {
        let owner = Owner::new(tenant_id, user_id);
        let session = Session::new(end, owner, meeting_id, user_id, chrono::Utc::now())
            .map_err(EndError::Invalid)?;
        let session = self.add_session(session).ok_or(EndError::NotFound)?;
        tracing::info!(
            meeting = %meeting_id,
            sequence = session.sequence,
            attendees = end.attendees.len(),
            "meeting ended"
        );
        Ok(session)
    }

    /// The sessions of meeting `id` of `owner`, oldest first; `None` when the owner has no
    /// such meeting.
    pub(crate) fn sessions_of_meeting(&self, owner: &Owner, id: &str) -> Option<Vec<Arc<Session>>> {
        let inner = self.lock();
        inner.position(owner, id)?;
        Some(
            inner
                .sessions
                .iter()
                .filter(|s| s.meeting_id == id && &s.owner == owner)
                .cloned()
                .collect(),
        )
    }

    /// The sessions of every meeting `owner` organized, oldest first, and the newest
    /// sequence number of all (the point a delta has seen everything up to).
    pub(crate) fn sessions_of_organizer(&self, owner: &Owner) -> (Vec<Arc<Session>>, u64) {
        let inner = self.lock();
        let sessions = inner
            .sessions
            .iter()
            .filter(|s| &s.owner == owner)
            .cloned()
            .collect();
        (sessions, inner.last_sequence)
    }

    /// The meetings of `owner` whose `joinWebUrl` is `url`.
    pub(crate) fn find_by(
        &self,
        owner: &Owner,
        pointer: &str,
        value: &str,
    ) -> Vec<Arc<StoredMeeting>> {
        self.lock()
            .meetings
            .iter()
            .filter(|m| &m.owner == owner && string_at(&m.document, pointer) == Some(value))
            .cloned()
            .collect()
    }

    /// How many meetings exist.
    pub(crate) fn len(&self) -> usize {
        self.lock().meetings.len()
    }

    /// A copy of every meeting, oldest first.
    pub(crate) fn snapshot(&self) -> Vec<Arc<StoredMeeting>> {
        self.lock().meetings.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn meeting(owner: &Owner, id: &str) -> StoredMeeting {
        let mut document = Map::new();
        document.insert("id".into(), json!(id));
        document.insert("joinWebUrl".into(), json!(format!("https://join/{id}")));
        StoredMeeting {
            id: id.to_owned(),
            owner: owner.clone(),
            key: None,
            document,
        }
    }

    #[test]
    fn create_or_get_is_keyed_by_tenant_user_and_external_id() {
        let store = MeetingStore::default();
        let (tu, tv) = (Owner::new("T", "U"), Owner::new("t", "v"));
        let key = |owner: &Owner, x: &str| MeetingKey::new(owner.clone(), x);
        let first = store.create_or_get(key(&tu, "x"), || meeting(&tu, "1"));
        assert!(matches!(first, KeyedInsert::Created(_)));
        let lower = Owner::new("t", "u");
        let again = store.create_or_get(key(&lower, "x"), || meeting(&lower, "2"));
        assert!(matches!(again, KeyedInsert::Found(m) if m.id == "1"));
        let other_user = store.create_or_get(key(&tv, "x"), || meeting(&tv, "3"));
        assert!(matches!(other_user, KeyedInsert::Created(_)));
        let other_case = store.create_or_get(key(&tu, "X"), || meeting(&tu, "4"));
        assert!(matches!(other_case, KeyedInsert::Created(_)));
        store.insert(meeting(&tu, "5"));
        assert_eq!(store.len(), 4);
        assert_eq!(store.snapshot().len(), 4);
    }

    #[test]
    fn meetings_are_visible_to_their_owner_only_and_deletes_free_the_key() {
        let store = MeetingStore::default();
        let (alice, bob) = (Owner::new("t", "alice"), Owner::new("t", "bob"));
        let key = MeetingKey::new(alice.clone(), "x");
        store.create_or_get(key.clone(), || meeting(&alice, "1"));
        assert!(store.get(&alice, "1").is_some());
        assert!(store.get(&bob, "1").is_none());
        assert_eq!(
            store.find_by(&alice, "/joinWebUrl", "https://join/1").len(),
            1
        );
        assert!(
            store
                .find_by(&bob, "/joinWebUrl", "https://join/1")
                .is_empty()
        );
        assert!(!store.delete(&bob, "1"));
        assert!(store.delete(&alice, "1"));
        assert!(store.get(&alice, "1").is_none());
        let again = store.create_or_get(key, || meeting(&alice, "2"));
        assert!(matches!(again, KeyedInsert::Created(m) if m.id == "2"));
    }

    #[test]
    fn sessions_are_numbered_and_leave_with_their_meeting() {
        let store = MeetingStore::default();
        let (alice, bob) = (Owner::new("t", "alice"), Owner::new("t", "bob"));
        store.insert(meeting(&alice, "1"));
        store.insert(meeting(&alice, "2"));
        store.insert(meeting(&bob, "3"));
        let end = |owner: &Owner, id: &str| {
            Session::new(
                &MeetingEnd::default(),
                owner.clone(),
                id,
                "x",
                chrono::Utc::now(),
            )
            .ok()
            .and_then(|session| store.add_session(session))
            .map(|session| session.sequence)
        };
        assert_eq!(end(&alice, "1"), Some(1));
        assert_eq!(end(&bob, "3"), Some(2));
        assert_eq!(end(&alice, "2"), Some(3));
        assert_eq!(end(&alice, "1"), Some(4));
        assert_eq!(end(&bob, "1"), None, "another user's meeting");
        assert_eq!(end(&alice, "9"), None, "an unknown meeting");

        let sequences = |sessions: Vec<Arc<Session>>| -> Vec<u64> {
            sessions.iter().map(|s| s.sequence).collect()
        };
        assert_eq!(
            store.sessions_of_meeting(&alice, "1").map(sequences),
            Some(vec![1, 4])
        );
        assert!(store.sessions_of_meeting(&bob, "1").is_none());
        let (all, last) = store.sessions_of_organizer(&alice);
        assert_eq!((sequences(all), last), (vec![1, 3, 4], 4));

        assert!(store.delete(&alice, "1"));
        assert!(store.sessions_of_meeting(&alice, "1").is_none());
        let (all, last) = store.sessions_of_organizer(&alice);
        assert_eq!(
            (sequences(all), last),
            (vec![3], 4),
            "numbers are never reused"
        );
    }
}
