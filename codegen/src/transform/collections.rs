//! The collections pages walk, from the spec: every model with a `value` list and an
//! `@odata.nextLink` (Graph's collection responses) implements the client runtime's
//! `Collection`, whose page is its items with the next link and, when the model has one,
//! the `@odata.deltaLink` a delta round ends with. No hand-written list of collections.

use quote::quote;
use syn::{Fields, Item, ItemStruct, Type};

/// The fields of a collection response, by typify's names for the JSON properties.
const VALUE: &str = "value";
const NEXT_LINK: &str = "odata_next_link";
const DELTA_LINK: &str = "odata_delta_link";

/// Implement `Collection` for every collection response of the generated `types`.
pub fn apply(file: &mut syn::File) -> Result<(), String> {
    let collection = super::runtime_item("Collection")?;
    let page = super::runtime_item("Page")?;
    let items = super::types_module_items(file)?;
    let mut impls = Vec::new();
    for item in items.iter() {
        let Item::Struct(model) = item else { continue };
        let Some((element, delta)) = collection_shape(model) else {
            continue;
        };
        let name = &model.ident;
        let delta_link = if delta {
            quote!(self.odata_delta_link)
        } else {
            quote!(::std::option::Option::None)
        };
        impls.push(syn::parse_quote! {
            impl #collection for #name {
                type Item = #element;

                fn into_page(self) -> #page<#element> {
                    #page::new(self.value, self.odata_next_link, #delta_link)
                }
            }
        });
    }
    items.extend(impls);
    Ok(())
}

/// The element type of a collection response (`value: Vec<T>` beside
/// `odata_next_link`), and whether it has `odata_delta_link`; `None` for other models.
fn collection_shape(model: &ItemStruct) -> Option<(Type, bool)> {
    let Fields::Named(fields) = &model.fields else {
        return None;
    };
    let field = |name: &str| {
        fields
            .named
            .iter()
            .find(|f| f.ident.as_ref().is_some_and(|i| i == name))
    };
    field(NEXT_LINK)?;
    let element = vec_element(&field(VALUE)?.ty)?;
    Some((element, field(DELTA_LINK).is_some()))
}

/// `T` of `::std::vec::Vec<T>` (or `Vec<T>`).
fn vec_element(ty: &Type) -> Option<Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "Vec" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    match arguments.args.first()? {
        syn::GenericArgument::Type(element) => Some(element.clone()),
        _ => None,
    }
}
