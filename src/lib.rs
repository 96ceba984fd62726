//! Typed client for Microsoft Graph online meetings.

pub mod generated;
mod lossless;

pub use generated::types;
