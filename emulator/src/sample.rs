//! Sample identities for tests and examples: one tenant, two of its users and an
//! application, as Entra ID object IDs. Tokens made for them with
//! [`fake_token`](crate::fake_token) act as those identities in the emulator.

/// The tenant (`tid`).
pub const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
/// A user of [`TENANT`] (`oid` of a delegated token, `{userId}` of application calls).
pub const USER: &str = "550fae72-d251-43ec-868c-373732c2704f";
/// Another user of [`TENANT`].
pub const OTHER_USER: &str = "8b081ef6-4792-4def-b2c9-c363a1bf41d5";
/// The application's service principal (`oid` of an application token).
pub const APP: &str = "c0ffee00-1234-4abc-8def-0123456789ab";
