//! The runtime of the generated code: the only module of this crate that the code in
//! `generated` uses (besides `types`, which it defines itself). The codegen names this
//! module in one place (`RUNTIME` in the codegen crate), so the rest of the crate can be
//! arranged freely without touching the generator, and nothing here depends back on the
//! generated code.
//!
//! * the generated client's [`Context`] and its response decoder (`from_response`);
//! * the path-segment encoder (`encode_path_segment`);
//! * the lossless models' helpers;
//! * the types of the operation facts ([`Idempotency`], [`Permissions`]).

pub(crate) use crate::context::Context;
pub(crate) use crate::decode::from_response;
pub(crate) use crate::facts::{Idempotency, Permissions};
pub(crate) use crate::lossless::{
    ExplicitNulls, Key, KeySeed, ReadInPlace, Rfc3339, SeenKeys, at, read_field_into, read_into,
    read_list, read_nested_into, read_optional, read_required,
};
pub(crate) use crate::segment::encode_path_segment;
