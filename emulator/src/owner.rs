//! Who a meeting, and what it left, belongs to; and who a subscription belongs to.

/// A meeting's owner, its organizer's tenant and user; or a subscription's, the tenant and
/// app that created it. Compared case-insensitively (GUIDs, or UPNs, in Graph).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Owner {
    tenant_id: String,
    user_id: String,
}

impl Owner {
    /// The owner `user_id` of `tenant_id`, in lower case.
    pub(crate) fn new(tenant_id: &str, user_id: &str) -> Self {
        Self {
            tenant_id: tenant_id.to_lowercase(),
            user_id: user_id.to_lowercase(),
        }
    }

    /// The tenant, in lower case.
    pub(crate) fn tenant(&self) -> &str {
        &self.tenant_id
    }
}
