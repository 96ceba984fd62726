//! Transforms applied to progenitor's output, as a syntax tree, before formatting.
//!
//! Each transform is one concern, is applied here in a fixed order, and is snapshot-tested
//! on its own in `codegen/tests/transforms.rs`.

pub mod builders;
pub mod calls;
pub mod collections;
pub mod derived;
pub mod headers;
pub mod lossless;
pub mod open_enums;
pub mod paths;
pub mod responses;

use syn::{File, Item};

use crate::facts::OperationFacts;

pub(crate) use crate::runtime_module::{runtime, runtime_item};

/// Apply every transform, in order; `facts` are the spec's operations (the call methods
/// need their paths and variants), `unions` its base types with derived types.
pub fn apply_all(
    mut file: File,
    facts: &[OperationFacts],
    unions: &[derived::Union],
) -> Result<File, String> {
    headers::apply(&mut file)?;
    paths::apply(&mut file)?;
    responses::apply(&mut file)?;
    calls::apply(&mut file, facts)?;
    derived::apply(&mut file, unions)?;
    open_enums::apply(&mut file)?;
    let lossless = lossless::apply(&mut file)?;
    builders::apply(&mut file, &lossless)?;
    collections::apply(&mut file)?;
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
