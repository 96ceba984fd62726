//! The generated file cut into named sections, one per schema and per operation, so that
//! each has a snapshot of its own and a pull request's file list says what changed:
//!
//! * `types__<schema>`: a model (struct or enum) with its impls, in snake case
//!   (`types__online_meeting`);
//! * `ops__<operationId>`: one method of the generated client and, for the operation
//!   that has it, its call method (`ops__create_or_get_online_meeting`);
//! * `operations`: the operation facts table;
//! * `client`: the rest (the `Client` type, its constructors, imports, typify's helpers).

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use syn::{ImplItem, Item};

use crate::transform::calls::CALL_PREFIX;
use crate::transform::impl_self_ident;

/// A method of an operation: progenitor's (async) or its call method.
fn is_operation_method(function: &syn::ImplItemFn) -> bool {
    function.sig.asyncness.is_some() || function.sig.ident.to_string().starts_with(CALL_PREFIX)
}

/// Cut `code` (a generated file) into `(name, source)` sections, sorted by name. Every
/// item of the file is in exactly one section.
pub fn sections(code: &str) -> Result<Vec<(String, String)>, String> {
    let file = syn::parse_file(code).map_err(|e| format!("the generated code: {e}"))?;
    let mut groups: BTreeMap<String, Vec<Item>> = BTreeMap::new();
    for item in file.items {
        match item {
            Item::Mod(module) if module.ident == "types" => {
                for inner in module.content.map(|(_, items)| items).unwrap_or_default() {
                    let name = match &inner {
                        Item::Struct(s) => Some(s.ident.to_string()),
                        Item::Enum(e) => Some(e.ident.to_string()),
                        Item::Type(t) => Some(t.ident.to_string()),
                        Item::Impl(i) => impl_self_ident(i),
                        Item::Mod(m) => Some(m.ident.to_string()),
                        _ => None,
                    };
                    let key = match name {
                        Some(name) => format!("types__{}", name.to_snake_case()),
                        None => "types".to_owned(),
                    };
                    groups.entry(key).or_default().push(inner);
                }
            }
            Item::Mod(module) if module.ident == "operations" => {
                groups
                    .entry("operations".to_owned())
                    .or_default()
                    .push(Item::Mod(module));
            }
            Item::Impl(block)
                if block.trait_.is_none()
                    && impl_self_ident(&block).as_deref() == Some("Client")
                    && block
                        .items
                        .iter()
                        .all(|i| matches!(i, ImplItem::Fn(f) if is_operation_method(f))) =>
            {
                for method in &block.items {
                    let ImplItem::Fn(function) = method else {
                        continue;
                    };
                    let name = function.sig.ident.to_string();
                    let operation = name.strip_prefix(CALL_PREFIX).unwrap_or(&name);
                    let mut single = block.clone();
                    single.items = vec![method.clone()];
                    groups
                        .entry(format!("ops__{operation}"))
                        .or_default()
                        .push(Item::Impl(single));
                }
            }
            other => groups.entry("client".to_owned()).or_default().push(other),
        }
    }
    Ok(groups
        .into_iter()
        .map(|(name, items)| {
            let file = syn::File {
                shebang: None,
                attrs: Vec::new(),
                items,
            };
            (name, prettyplease::unparse(&file))
        })
        .collect())
}
