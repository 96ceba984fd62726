//! The online-meetings resource: whose meetings ([`GraphClient::me`](crate::GraphClient::me),
//! [`GraphClient::user`](crate::GraphClient::user)), one meeting's life, and what it leaves
//! when it ends (attendance reports, transcripts, recordings).
//!
//! One hand-written method per operation (or per pair of operations that differ only by
//! whose meetings they reach): it checks what the spec cannot say (`rules`), runs the
//! generated call method through the runtime's call loop, and, where the status says more
//! than the body, turns the answer into an outcome (`outcomes`).

pub(crate) mod artifacts;
pub(crate) mod handles;
pub(crate) mod outcomes;
pub(crate) mod rules;
