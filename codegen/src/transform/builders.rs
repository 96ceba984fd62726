//! How code outside the crate builds a model: every lossless struct is
//! `#[non_exhaustive]` and gets a `with_<field>` setter per property, and a struct with
//! required properties a `new` that takes them.
//!
//! Graph adds properties all the time. A new `pub` field breaks every struct literal
//! outside the crate, so struct literals are ruled out there (`#[non_exhaustive]`), and
//! models are built as `OnlineMeeting::default().with_subject("…")` or
//! `CreateOrGetRequest::new("key").with_subject("…")` instead; a new optional property
//! then breaks nobody, which is what `meetings-codegen diff` says of it.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::Item;

use super::lossless::{FieldInfo, Kind, Lossless};
use super::types_module_items;

/// Make every struct the lossless transform made (`structs`, with the fields it read)
/// non-exhaustive, with setters and, when it has required properties, a constructor.
pub(crate) fn apply(file: &mut syn::File, structs: &[Lossless]) -> Result<(), String> {
    let items = types_module_items(file)?;
    for item in items.iter_mut() {
        if let Item::Struct(item_struct) = item
            && structs.iter().any(|s| s.ident == item_struct.ident)
        {
            item_struct.attrs.push(syn::parse_quote!(#[non_exhaustive]));
        }
    }
    for lossless in structs {
        let generated: syn::File = syn::parse2(builders_for(lossless))
            .map_err(|e| format!("builder impls did not parse: {e}"))?;
        items.extend(generated.items);
    }
    Ok(())
}

/// The setters of a struct, and its `new` if it has required properties.
fn builders_for(lossless: &Lossless) -> TokenStream {
    let Lossless {
        ident,
        fields,
        added,
    } = lossless;
    let (extra, nulls) = (&added.extra, &added.nulls);
    let setters = fields.iter().map(|f| {
        let field = &f.ident;
        let setter = syn::Ident::new(
            &format!("with_{}", field.to_string().trim_start_matches("r#")),
            Span::call_site(),
        );
        let value = &f.value;
        let doc = format!(" The same value with `{}` set.", f.wire);
        let set = match f.kind {
            Kind::Optional => quote!(::std::option::Option::Some(value.into())),
            Kind::DefaultList | Kind::Required => quote!(value.into()),
        };
        quote! {
            #[doc = #doc]
            #[must_use]
            pub fn #setter(mut self, value: impl ::std::convert::Into<#value>) -> Self {
                self.#field = #set;
                self
            }
        }
    });
    let required: Vec<&FieldInfo> = fields.iter().filter(|f| f.kind == Kind::Required).collect();
    let new = (!required.is_empty()).then(|| {
        let params = required.iter().map(|f| {
            let (field, value) = (&f.ident, &f.value);
            quote!(#field: impl ::std::convert::Into<#value>)
        });
        let inits = fields.iter().map(|f| {
            let field = &f.ident;
            match f.kind {
                Kind::Required => quote!(#field: #field.into()),
                Kind::Optional => quote!(#field: ::std::option::Option::None),
                Kind::DefaultList => quote!(#field: ::std::vec::Vec::new()),
            }
        });
        let names: Vec<String> = required.iter().map(|f| format!("`{}`", f.wire)).collect();
        let doc = format!(
            " A value with its required properties ({}) and every other one unset.",
            names.join(", ")
        );
        quote! {
            #[doc = #doc]
            pub fn new(#(#params),*) -> Self {
                Self {
                    #(#inits,)*
                    #extra: ::serde_json::Map::new(),
                    #nulls: ::std::default::Default::default(),
                }
            }
        }
    });
    quote! {
        impl #ident {
            #new
            #(#setters)*
        }
    }
}
