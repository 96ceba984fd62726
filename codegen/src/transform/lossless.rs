//! Lossless objects: every struct in `types` keeps the properties it does not know.
//!
//! typify's structs drop unknown properties, so a meeting read and written back loses
//! OData annotations (`@odata.type`), undocumented properties (`tenantId` on identities,
//! `producers` on participants) and whatever Graph adds next year. They also turn an
//! explicit `null` or `[]` into an absent property. This transform gives each struct an
//! `additional_properties` map (flattened on the wire) and routes its `Serialize` and
//! `Deserialize` through `crate::lossless`, which:
//!
//! * on the way in, keeps every property the struct has no field for, and also records
//!   known properties whose value (`null`, `[]`, `{}`) the typed field cannot reproduce;
//! * on the way out, writes the typed fields, then every recorded property the typed
//!   fields did not write, so a value the caller set always wins over a recorded one.
//!
//! The derived impls stay (as inherent functions, through `#[serde(remote = "Self")]`),
//! so field renames and `skip_serializing_if` keep working exactly as typify wrote them.

use quote::quote;
use syn::{Fields, Item, ItemStruct};

use super::types_module_items;

/// The name of the field that holds unknown properties.
pub const FIELD: &str = "additional_properties";

/// Make every serde struct with named fields in `mod types` lossless.
pub fn apply(file: &mut syn::File) -> Result<(), String> {
    let items = types_module_items(file)?;
    let mut impls = Vec::new();
    for item in items.iter_mut() {
        let Item::Struct(item_struct) = item else {
            continue;
        };
        if !derives_serde(item_struct) {
            continue;
        }
        let Fields::Named(fields) = &mut item_struct.fields else {
            continue;
        };
        if fields
            .named
            .iter()
            .any(|f| f.ident.as_ref().is_some_and(|i| i == FIELD))
        {
            return Err(format!(
                "struct `{}` already has a field named `{FIELD}`",
                item_struct.ident
            ));
        }
        let field: syn::FieldsNamed = syn::parse2(quote! {{
            /// Properties this version of the model does not know (OData annotations such
            /// as `@odata.type`, properties Graph added later), and known properties whose
            /// value was an explicit `null` or an empty collection. Kept so that a value
            /// read and written back loses nothing; a typed field that is set takes
            /// precedence over an entry here with the same name.
            #[serde(flatten, skip_serializing)]
            pub additional_properties: ::serde_json::Map<::std::string::String, ::serde_json::Value>
        }})
        .map_err(|e| format!("additional_properties field did not parse: {e}"))?;
        fields.named.extend(field.named);
        item_struct
            .attrs
            .push(syn::parse_quote!(#[serde(remote = "Self")]));
        let ident = &item_struct.ident;
        impls.push(quote! {
            impl ::serde::Serialize for #ident {
                fn serialize<S: ::serde::Serializer>(
                    &self,
                    serializer: S,
                ) -> ::std::result::Result<S::Ok, S::Error> {
                    crate::lossless::serialize(
                        #ident::serialize(self, ::serde_json::value::Serializer),
                        &self.additional_properties,
                        serializer,
                    )
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #ident {
                fn deserialize<D: ::serde::Deserializer<'de>>(
                    deserializer: D,
                ) -> ::std::result::Result<Self, D::Error> {
                    let (mut value, recorded) =
                        crate::lossless::deserialize(deserializer, |d| #ident::deserialize(d))?;
                    crate::lossless::restore(&mut value.additional_properties, recorded);
                    ::std::result::Result::Ok(value)
                }
            }
        });
    }
    for tokens in impls {
        let generated: syn::File =
            syn::parse2(tokens).map_err(|e| format!("lossless impls did not parse: {e}"))?;
        items.extend(generated.items);
    }
    Ok(())
}

/// Whether the struct derives both `Serialize` and `Deserialize` (by any path).
fn derives_serde(item: &ItemStruct) -> bool {
    let mut derived = Vec::new();
    for attr in item.attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let Ok(paths) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        ) else {
            continue;
        };
        derived.extend(
            paths
                .iter()
                .filter_map(|p| p.segments.last().map(|s| s.ident.to_string())),
        );
    }
    ["Serialize", "Deserialize"]
        .iter()
        .all(|name| derived.iter().any(|d| d == name))
}
