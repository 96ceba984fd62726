//! Transforms applied to progenitor's output, as a syntax tree, before formatting.
//!
//! Each transform is one concern, is applied here in a fixed order, and is snapshot-tested
//! on its own in `codegen/tests/transforms.rs`.

pub mod builders;
pub mod headers;
pub mod lossless;
pub mod open_enums;
pub mod paths;
pub mod responses;
pub mod scoped;

use syn::{File, Item};

/// The one module of the client crate that generated code uses (with `types`, which it
/// defines itself): the request hooks' context, the response decoder, the path encoder,
/// the lossless models' helpers and the operation facts' types. Named here only.
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

/// Apply every transform, in order.
pub fn apply_all(mut file: File) -> Result<File, String> {
    headers::apply(&mut file)?;
    paths::apply(&mut file)?;
    responses::apply(&mut file)?;
    scoped::apply(&mut file)?;
    open_enums::apply(&mut file)?;
    let lossless = lossless::apply(&mut file)?;
    builders::apply(&mut file, &lossless)?;
    Ok(file)
}

/// The items of the generated `pub mod types { ... }`.
pub(crate) fn types_module_items(file: &mut File) -> Result<&mut Vec<Item>, String> {
    file.items
        .iter_mut()
        .find_map(|item| match item {
            Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, items)| items),
            _ => None,
        })
        .ok_or_else(|| "the generated code has no `mod types { ... }`".to_owned())
}

/// The name of the type an `impl` block is for, when it is a plain path.
pub(crate) fn impl_self_ident(item: &syn::ItemImpl) -> Option<String> {
    match item.self_ty.as_ref() {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}
