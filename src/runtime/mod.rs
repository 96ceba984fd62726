//! The runtime: everything that is the same for every Graph resource, and names none.
//!
//! * the client and its configuration (`client`, `context`, `auth`);
//! * one call loop (`call`): the operation known before the first send, attempts,
//!   retries (`retry`), the client's shared throttling budget (`budget`), the request
//!   hooks of the generated client (`hooks`, `body_limit`, `request_id`);
//! * what a call returns: [`Response`](response::Response), lists as pages (`page`,
//!   `pages`), content as byte streams (`content`), one error type (`error`,
//!   `validation`);
//! * the generated operation table's types (`operation`, `facts`), and what the
//!   generated code needs at run time (`decode`, `lossless`, `path`).
//!
//! A resource (a folder beside this one, such as `online_meetings`) adds handles with one
//! method per operation; nothing here imports one.
//!
//! This module's root is also the one place the generated code names (the codegen's
//! `RUNTIME`, besides `types` and `operations`, which it defines itself): the items
//! below, re-exported for it. None of them depends back on the generated code, so the
//! generated code and the runtime form no import cycle.

pub(crate) mod attempt;
pub mod auth;
pub(crate) mod body_limit;
pub(crate) mod budget;
pub(crate) mod call;
pub(crate) mod client;
pub(crate) mod content;
pub(crate) mod context;
pub(crate) mod decode;
pub(crate) mod error;
pub(crate) mod facts;
pub(crate) mod hooks;
pub(crate) mod lossless;
pub mod operation;
pub(crate) mod page;
pub(crate) mod pages;
pub(crate) mod path;
pub(crate) mod request_id;
pub(crate) mod response;
pub(crate) mod retry;
pub(crate) mod validation;

pub(crate) use context::Context;
pub(crate) use decode::from_response;
pub(crate) use facts::{Idempotency, Permissions};
pub(crate) use lossless::{
    ExplicitNulls, Key, KeySeed, ReadInPlace, Rfc3339, SeenKeys, at, read_field_into, read_into,
    read_list, read_nested_into, read_optional, read_required,
};
pub(crate) use page::{Collection, Page};
pub(crate) use path::{check_path_parameter, encode_path_segment};
pub(crate) use validation::ValidationError;
