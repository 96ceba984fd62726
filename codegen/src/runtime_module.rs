//! The client crate's runtime module: the one module the generated code names (besides
//! `types` and `operations`, which it defines itself), named here only.

/// The one module of the client crate that generated code uses (with `types` and
/// `operations`, which it defines itself): the request hooks' context, the response
/// decoder, the path parameters' check and encoder, the lossless models' helpers, the
/// collections' page and the operation facts' types. Named here only.
pub const RUNTIME: &str = "crate::runtime";

/// [`RUNTIME`] as a path.
pub(crate) fn runtime() -> Result<syn::Path, String> {
    syn::parse_str(RUNTIME).map_err(|e| format!("{RUNTIME} is not a path: {e}"))
}

/// The item `name` of [`RUNTIME`] as an expression path (`crate::runtime::name`).
pub(crate) fn runtime_item(name: &str) -> Result<syn::ExprPath, String> {
    let path = format!("{RUNTIME}::{name}");
    syn::parse_str(&path).map_err(|e| format!("{path} is not a path: {e}"))
}
