//! The generated models and code: the fixtures corpus decodes and round-trips, requests
//! serialize as the docs show, schemars schemas agree with the spec, and the generated
//! code matches its reviewed snapshot. One test binary, one module per concern.

mod fixtures;
mod fixtures_deserialize;
mod generated_code;
mod requests;
mod round_trip;
mod schema;
