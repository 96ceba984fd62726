//! Derived types: a property of a base type can hold any type derived from it, told
//! apart by `@odata.type` (`#microsoft.graph.fileAttachment` where `attachment` is
//! declared).
//!
//! For every schema with a `discriminator` (what `sync` writes on the bases the spec
//! lists in `x-graph-sync-derived`), this makes a union, `Any<Base>`: one variant per
//! derived type, and the base's own variant for an object that is the base itself or of
//! a derived type this version does not know (its `@odata.type` and its other properties
//! kept in the base model, so it round-trips too). Every field of the base's type, in
//! every model, becomes the union. The union reads an object once into a JSON value to
//! look at its `@odata.type`, then reads that value as the variant's model; it writes the
//! variant's model as it is.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use serde_json::Value;
use syn::visit_mut::VisitMut;
use syn::{Ident, Item};

use crate::names;

/// A base type and its derived types, from the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Union {
    /// The base's schema name (`attachment`).
    pub base: String,
    /// Each derived type: its `@odata.type` (`#microsoft.graph.fileAttachment`) and its
    /// schema name.
    pub derived: Vec<(String, String)>,
}

/// The unions of `doc`: every schema with a `discriminator` mapping.
pub fn unions(doc: &Value) -> Vec<Union> {
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    schemas
        .iter()
        .filter_map(|(name, schema)| {
            let mapping = schema.pointer("/discriminator/mapping")?.as_object()?;
            let derived = mapping
                .iter()
                .filter_map(|(odata_type, target)| {
                    let target = target.as_str()?.strip_prefix("#/components/schemas/")?;
                    Some((odata_type.clone(), target.to_owned()))
                })
                .collect();
            Some(Union {
                base: name.clone(),
                derived,
            })
        })
        .collect()
}

/// Make each union and give every field of a base's type the union's.
pub fn apply(file: &mut syn::File, unions: &[Union]) -> Result<(), String> {
    if unions.is_empty() {
        return Ok(());
    }
    let items = super::types_module_items(file)?;
    let structs: Vec<String> = items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => Some(s.ident.to_string()),
            _ => None,
        })
        .collect();
    let mut renames = Vec::new();
    let mut generated = Vec::new();
    for union in unions {
        let base = names::type_name(&union.base);
        let find = |schema: &str| -> Result<Ident, String> {
            let name = names::type_name(schema);
            if structs.contains(&name) {
                Ok(Ident::new(&name, Span::call_site()))
            } else {
                Err(format!(
                    "schema `{schema}` (with derived types, or derived from `{}`) made no \
                     struct `{name}`",
                    union.base
                ))
            }
        };
        let base_ident = find(&union.base)?;
        let mut variants = Vec::new();
        for (odata_type, schema) in &union.derived {
            variants.push((odata_type.trim_start_matches('#').to_owned(), find(schema)?));
        }
        let union_ident = Ident::new(&names::union_name(&union.base), Span::call_site());
        renames.push((base, union_ident.to_string()));
        let tokens = union_tokens(&union.base, &base_ident, &union_ident, &variants);
        let file: syn::File = syn::parse2(tokens)
            .map_err(|e| format!("the union of `{}` did not parse: {e}", union.base))?;
        generated.extend(file.items);
    }
    let mut retype = Retype { renames: &renames };
    for item in items.iter_mut() {
        if let Item::Struct(model) = item {
            for field in &mut model.fields {
                retype.visit_type_mut(&mut field.ty);
            }
        }
    }
    items.extend(generated);
    Ok(())
}

/// Rewrites a base's type name to its union's in a field type.
struct Retype<'a> {
    renames: &'a [(String, String)],
}

impl VisitMut for Retype<'_> {
    fn visit_type_path_mut(&mut self, path: &mut syn::TypePath) {
        // A model named by itself (`Attachment`, inside `Vec<…>` or `Option<…>`), never
        // a path such as `::std::…`.
        if path.qself.is_none()
            && path.path.leading_colon.is_none()
            && path.path.segments.len() == 1
            && let Some(segment) = path.path.segments.first_mut()
            && let Some((_, union)) = self
                .renames
                .iter()
                .find(|(base, _)| segment.ident == base.as_str())
        {
            segment.ident = Ident::new(union, segment.ident.span());
        }
        syn::visit_mut::visit_type_path_mut(self, path);
    }
}

fn union_tokens(
    base_schema: &str,
    base: &Ident,
    union: &Ident,
    variants: &[(String, Ident)],
) -> TokenStream {
    let names: Vec<&Ident> = variants.iter().map(|(_, ident)| ident).collect();
    let odata_types: Vec<&String> = variants.iter().map(|(odata, _)| odata).collect();
    let variant_docs = variants.iter().map(|(odata, _)| format!(" `#{odata}`."));
    let doc = format!(
        " `{base_schema}` or a type derived from it, told apart by `@odata.type`. The base's \
         own variant holds an object that is `{base_schema}` itself or of a derived type this \
         version does not know (its `@odata.type` and other properties kept)."
    );
    let union_name = union.to_string();
    let base_name = base.to_string();
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #union {
            #(
                #[doc = #variant_docs]
                #names(#names),
            )*
            #[doc = " The base type itself, or a derived type this version does not know."]
            #base(#base),
        }

        impl #union {
            /// The `@odata.type` names of the derived types this version knows, without
            /// `#`.
            pub const DERIVED: &'static [&'static str] = &[#(#odata_types),*];
        }

        #(
            impl ::std::convert::From<#names> for #union {
                fn from(value: #names) -> Self {
                    Self::#names(value)
                }
            }
        )*

        impl ::std::convert::From<#base> for #union {
            fn from(value: #base) -> Self {
                Self::#base(value)
            }
        }

        impl ::serde::Serialize for #union {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #(Self::#names(value) => ::serde::Serialize::serialize(value, serializer),)*
                    Self::#base(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #union {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let odata_type = value
                    .get("@odata.type")
                    .and_then(::serde_json::Value::as_str)
                    .map(|name| name.trim_start_matches('#'))
                    .unwrap_or_default()
                    .to_owned();
                let read = match odata_type.as_str() {
                    #(#odata_types => ::serde_json::from_value(value).map(Self::#names),)*
                    _ => ::serde_json::from_value(value).map(Self::#base),
                };
                read.map_err(::serde::de::Error::custom)
            }
        }

        impl ::schemars::JsonSchema for #union {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                #union_name.into()
            }

            fn json_schema(generator: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                let members = [
                    generator.subschema_for::<#base>(),
                    #(generator.subschema_for::<#names>(),)*
                ];
                let description = ::std::format!(
                    "{} or a type derived from it, told apart by @odata.type.",
                    #base_name
                );
                ::schemars::json_schema!({
                    "description": description,
                    "oneOf": members,
                })
            }
        }
    }
}
