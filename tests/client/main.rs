//! `GraphClient` against a local wiremock server on 127.0.0.1: configuration, headers,
//! authentication and secrets, outcomes, errors, retries, redirects, paths, validation
//! and tracing. One test binary, one module per concern.

mod auth_secrets;
#[path = "../common/mod.rs"]
mod common;
mod config;
mod errors;
mod headers;
mod hostile;
mod limits;
#[cfg(feature = "notifications")]
mod notifications;
mod outcomes;
mod paging;
mod paths;
mod redirects;
mod retries;
mod support;
mod validation;
