//! The in-memory meeting store.
//!
//! One mutex guards both the list of meetings and the createOrGet index, so the check for an
//! existing `(tenant, user, externalId)` and the insert of a new meeting are one atomic step:
//! concurrent createOrGet calls with one key create exactly one meeting.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde_json::{Map, Value};

/// A stored meeting (without `@odata.context`, which depends on the request).
pub(crate) type Meeting = Arc<Map<String, Value>>;

/// The createOrGet key. Tenant and user ids compare case-insensitively (they are GUIDs, or UPNs,
/// in Graph); the external id is compared exactly.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct MeetingKey {
    tenant_id: String,
    user_id: String,
    external_id: String,
}

impl MeetingKey {
    pub(crate) fn new(tenant_id: &str, user_id: &str, external_id: &str) -> Self {
        Self {
            tenant_id: tenant_id.to_lowercase(),
            user_id: user_id.to_lowercase(),
            external_id: external_id.to_owned(),
        }
    }
}

/// What createOrGet did.
#[derive(Debug, Clone)]
pub(crate) enum CreateOrGet {
    /// A new meeting was stored (201).
    Created(Meeting),
    /// The meeting stored earlier under the key (200).
    Existing(Meeting),
}

#[derive(Debug, Default)]
struct Inner {
    meetings: Vec<Meeting>,
    by_key: HashMap<MeetingKey, Meeting>,
}

/// All meetings the emulator made.
#[derive(Debug, Default)]
pub(crate) struct MeetingStore {
    inner: Mutex<Inner>,
}

impl MeetingStore {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // Every update below is a push plus an insert done after all fallible work, so the data
        // is consistent even after a panic elsewhere while the lock was held.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stores a new meeting (plain create: never deduplicated).
    pub(crate) fn insert(&self, meeting: Map<String, Value>) -> Meeting {
        let meeting = Arc::new(meeting);
        self.lock().meetings.push(Arc::clone(&meeting));
        meeting
    }

    /// Returns the meeting stored under `key`, or stores the one `make` builds, atomically.
    pub(crate) fn create_or_get(
        &self,
        key: MeetingKey,
        make: impl FnOnce() -> Map<String, Value>,
    ) -> CreateOrGet {
        let mut inner = self.lock();
        if let Some(existing) = inner.by_key.get(&key) {
            return CreateOrGet::Existing(Arc::clone(existing));
        }
        let meeting = Arc::new(make());
        inner.meetings.push(Arc::clone(&meeting));
        inner.by_key.insert(key, Arc::clone(&meeting));
        CreateOrGet::Created(meeting)
    }

    /// How many meetings exist.
    pub(crate) fn len(&self) -> usize {
        self.lock().meetings.len()
    }

    /// A copy of every meeting, oldest first.
    pub(crate) fn snapshot(&self) -> Vec<Meeting> {
        self.lock().meetings.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn meeting(id: &str) -> Map<String, Value> {
        let mut map = Map::new();
        map.insert("id".into(), json!(id));
        map
    }

    #[test]
    fn create_or_get_is_keyed_by_tenant_user_and_external_id() {
        let store = MeetingStore::default();
        let first = store.create_or_get(MeetingKey::new("T", "U", "x"), || meeting("1"));
        assert!(matches!(first, CreateOrGet::Created(_)));
        let again = store.create_or_get(MeetingKey::new("t", "u", "x"), || meeting("2"));
        assert!(matches!(again, CreateOrGet::Existing(m) if m["id"] == "1"));
        let other_user = store.create_or_get(MeetingKey::new("t", "v", "x"), || meeting("3"));
        assert!(matches!(other_user, CreateOrGet::Created(_)));
        let other_case = store.create_or_get(MeetingKey::new("t", "u", "X"), || meeting("4"));
        assert!(matches!(other_case, CreateOrGet::Created(_)));
        store.insert(meeting("5"));
        assert_eq!(store.len(), 4);
        assert_eq!(store.snapshot().len(), 4);
    }
}
