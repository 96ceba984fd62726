//! The runtime of the generated code: the only module of this crate that the code in
//! [`generated`](crate::generated) uses (besides `types`, which it defines itself). The
//! codegen names this module in one place (`RUNTIME` in the codegen crate), so the rest
//! of the crate can be arranged freely without touching the generator.
//!
//! * the generated client's context and its response decoder ([`hooks`](crate::hooks));
//! * the path-segment encoder ([`meetings`](crate::meetings));
//! * the lossless models' helpers ([`lossless`](crate::lossless));
//! * the types of the operation facts ([`operation`](crate::operation)).

pub(crate) use crate::hooks::{Context, from_response};
pub(crate) use crate::lossless::{
    ExplicitNulls, Key, KeySeed, at, read_list, read_optional, read_required,
};
pub(crate) use crate::meetings::encode_path_segment;
pub(crate) use crate::operation::{Idempotency, Permissions};
