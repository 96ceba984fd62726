//! Lossless objects: every struct in `types` keeps the properties it does not know, and
//! reads and writes JSON in one pass.
//!
//! typify's structs drop unknown properties, so a meeting read and written back loses
//! OData annotations (`@odata.context`), undocumented properties (`tenantId` on
//! identities, `producers` on participants) and whatever Graph adds next year. They also
//! turn an explicit `null` or `[]` into an absent property. This transform gives each
//! struct an `additional_properties` field (a `serde_json::Map`, in the order the
//! properties came) and an `explicit_nulls` field, and replaces typify's serde derives
//! with generated impls that visit each key once:
//!
//! * `Deserialize`: a known key goes to its field (an explicit `null` for an `Option`
//!   field, or `[]` for a list field that is skipped when empty, is also recorded in
//!   `explicit_nulls`, so it is written back); any other key goes to
//!   `additional_properties`. A known key that comes twice is an error. An error names the
//!   path of the bad property (`at \`participants.organizer.upn\`: …`), built only when
//!   decoding fails. A struct whose every property is optional (every type synced from
//!   Graph) is read in place: from its `Default`, each value straight into its field, a
//!   nested struct of the same kind into its field of the parent, so that no level is
//!   built aside and moved into the next (per-field slots kept decoding at the edge of
//!   its guard rail). A struct with required properties is read into one slot per field.
//! * `Serialize`: the typed fields straight to the serializer (a recorded `null` or `[]`
//!   where the field is still unset), then every additional property whose name no
//!   written typed field has (a value the caller set wins over a recorded one), with no
//!   intermediate `Value`. Date-times go through the runtime's RFC 3339 writer (chrono's
//!   exact text in one `serialize_str`): chrono's own `Serialize` writes them piece by
//!   piece through `collect_str`, which put encoding at the guard rail of
//!   `docs/performance.md`.
//!
//! Neither field can clash with a property: where the spec has a property that makes the
//! field `additional_properties` (Graph's `optionalClaim` has `additionalProperties`) or
//! `explicit_nulls`, that struct's own field is named with a trailing `_`
//! (`additional_properties_`), a name no property makes (typify ends a field name with
//! `_` only for a Rust keyword).
//!
//! The field attributes typify wrote (`rename`, `default`, `skip_serializing_if`) decide
//! each field's wire name and kind; schemars still reads them for `JsonSchema`. The
//! runtime helpers are in the client crate's runtime module ([`crate::RUNTIME`]).

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{Attribute, Fields, Item, ItemStruct, LitStr, Type};

use super::types_module_items;

/// The name of the field that holds unknown properties.
pub const FIELD: &str = "additional_properties";

/// The name of the field that records which known properties were an explicit `null`.
pub const EXPLICIT_FIELD: &str = "explicit_nulls";

/// How a field is read and written.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `Option<T>`: absent is `None`, an explicit `null` is recorded.
    Optional,
    /// `Vec<T>` with `default` and `skip_serializing_if = "Vec::is_empty"`: absent is
    /// empty, an explicit `[]` is recorded.
    DefaultList,
    /// Anything else: required.
    Required,
}

pub(crate) struct FieldInfo {
    pub(crate) ident: syn::Ident,
    pub(crate) wire: String,
    pub(crate) kind: Kind,
    /// The type a `with_…` setter takes: `T` of an `Option<T>` field, else the field's.
    pub(crate) value: Type,
    /// A `DateTime` (or `Option<DateTime>`): written by the runtime's RFC 3339 writer,
    /// which gives chrono's exact text from a stack buffer in one `serialize_str`.
    date_time: bool,
    /// For an `Option<T>` field, the last path segment of `T` (a struct of this module
    /// that is read in place is read into the field itself).
    inner: Option<String>,
}

/// The last path segment's name of `ty`, and its first generic argument if any.
fn outer_and_arg(ty: &Type) -> (Option<String>, Option<&Type>) {
    let Type::Path(path) = ty else {
        return (None, None);
    };
    let Some(last) = path.path.segments.last() else {
        return (None, None);
    };
    let arg = match &last.arguments {
        syn::PathArguments::AngleBracketed(args) => args.args.iter().find_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    };
    (Some(last.ident.to_string()), arg)
}

/// `Option<Box<T>>` for typify's `Box<Option<T>>` (how it breaks a type that contains
/// itself, such as Graph's `workbookOperationError.innerError`): the same recursion broken
/// by the `Box`, read and written like every other optional field.
fn option_inside_box(ty: &Type) -> Option<Type> {
    let (Some(outer), Some(inner)) = outer_and_arg(ty) else {
        return None;
    };
    let (Some(middle), Some(element)) = outer_and_arg(inner) else {
        return None;
    };
    (outer == "Box" && middle == "Option")
        .then(|| syn::parse_quote!(::std::option::Option<::std::boxed::Box<#element>>))
}

/// Whether `ty` is `DateTime<…>` or `Option<DateTime<…>>`.
fn is_date_time(ty: &Type) -> bool {
    match outer_and_arg(ty) {
        (Some(outer), _) if outer == "DateTime" => true,
        (Some(outer), Some(inner)) if outer == "Option" => {
            outer_and_arg(inner).0.as_deref() == Some("DateTime")
        }
        _ => false,
    }
}

/// The names of the two fields this transform adds to a struct.
pub(crate) struct Added {
    /// The unknown properties' field: [`FIELD`], or `FIELD_` where a property has it.
    pub(crate) extra: syn::Ident,
    /// The explicit nulls' field: [`EXPLICIT_FIELD`], or with `_` likewise.
    pub(crate) nulls: syn::Ident,
}

impl Added {
    /// The added fields' names for a struct whose own fields are `fields`.
    fn for_fields(fields: &[FieldInfo]) -> Self {
        let free = |name: &str| {
            let taken = fields.iter().any(|f| f.ident == name);
            let name = if taken {
                format!("{name}_")
            } else {
                name.to_owned()
            };
            syn::Ident::new(&name, Span::call_site())
        };
        Added {
            extra: free(FIELD),
            nulls: free(EXPLICIT_FIELD),
        }
    }
}

/// A struct made lossless, with the fields it had before (as the later transforms read
/// them) and the names of the fields added.
pub(crate) struct Lossless {
    pub(crate) ident: syn::Ident,
    pub(crate) fields: Vec<FieldInfo>,
    pub(crate) added: Added,
}

/// Make every serde struct with named fields in `mod types` lossless and single-pass;
/// returns those structs.
pub(crate) fn apply(file: &mut syn::File) -> Result<Vec<Lossless>, String> {
    let rt = super::runtime()?;
    let items = types_module_items(file)?;
    let mut structs = Vec::new();
    let mut in_place = std::collections::BTreeSet::new();
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
        let mut infos = Vec::new();
        for field in &mut fields.named {
            let Some(ident) = field.ident.clone() else {
                continue;
            };
            if let Some(unboxed) = option_inside_box(&field.ty) {
                field.ty = unboxed;
            }
            infos.push(field_info(ident, &field.ty, &field.attrs)?);
        }
        let added = Added::for_fields(&infos);
        let Added { extra, nulls } = &added;
        let field: syn::FieldsNamed = syn::parse2(quote! {{
            /// Properties this version of the model does not know (OData annotations such
            /// as `@odata.context`, properties Graph added later), in the order they
            /// came. Kept so that a value read and written back loses nothing; a typed
            /// field that is set takes precedence over an entry here with the same name.
            #[serde(flatten)]
            pub #extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
            /// The known properties that were an explicit `null` (or `[]`, for a list) in
            /// the JSON this value was read from: written back as such while their field
            /// is unset. Empty (the `Default`) for a value built in code; see
            /// `ExplicitNulls`.
            #[serde(skip)]
            pub #nulls: #rt::ExplicitNulls
        }})
        .map_err(|e| format!("the lossless fields did not parse: {e}"))?;
        fields.named.extend(field.named);
        drop_serde_derives(item_struct);
        // Read in place: a struct whose every property is optional, and that has a
        // `Default` to start from.
        if derives(item_struct, "Default") && infos.iter().all(|f| f.kind != Kind::Required) {
            in_place.insert(item_struct.ident.to_string());
        }
        structs.push(Lossless {
            ident: item_struct.ident.clone(),
            fields: infos,
            added,
        });
    }
    let impls = structs.iter().map(|s| impls_for(&rt, s, &in_place));
    for tokens in impls {
        let generated: syn::File =
            syn::parse2(tokens).map_err(|e| format!("lossless impls did not parse: {e}"))?;
        items.extend(generated.items);
    }
    Ok(structs)
}

fn field_info(ident: syn::Ident, ty: &Type, attrs: &[Attribute]) -> Result<FieldInfo, String> {
    let mut rename = None;
    let mut default = false;
    let mut skip_if = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                rename = Some(meta.value()?.parse::<LitStr>()?.value());
            } else if meta.path.is_ident("default") {
                default = true;
                if meta.input.peek(syn::Token![=]) {
                    meta.value()?.parse::<syn::Expr>()?;
                }
            } else if meta.path.is_ident("skip_serializing_if") {
                skip_if = Some(meta.value()?.parse::<LitStr>()?.value());
            } else {
                return Err(meta.error("a serde field attribute this transform does not handle"));
            }
            Ok(())
        })
        .map_err(|e| format!("field `{ident}`: {e}"))?;
    }
    let outer = outer_and_arg(ty).0;
    let kind = match (outer.as_deref(), default, skip_if.as_deref()) {
        (Some("Option"), _, _) => Kind::Optional,
        (Some("Vec"), true, Some(skip)) if skip.ends_with("Vec::is_empty") => Kind::DefaultList,
        (_, false, None) => Kind::Required,
        _ => {
            return Err(format!(
                "field `{ident}` (`{}`): a combination of type and serde attributes this \
                 transform does not handle (default: {default}, skip_serializing_if: \
                 {skip_if:?})",
                quote!(#ty)
            ));
        }
    };
    let name = ident.to_string();
    let wire = rename.unwrap_or_else(|| name.trim_start_matches("r#").to_owned());
    let value = match (kind, outer_and_arg(ty)) {
        (Kind::Optional, (_, Some(inner))) => inner.clone(),
        _ => ty.clone(),
    };
    Ok(FieldInfo {
        ident,
        wire,
        kind,
        value,
        date_time: is_date_time(ty),
        inner: match outer_and_arg(ty) {
            (Some(outer), Some(arg)) if outer == "Option" => outer_and_arg(arg).0,
            _ => None,
        },
    })
}

/// Remove `Serialize` and `Deserialize` from the struct's derives (the impls are
/// generated); `JsonSchema` stays and still reads the `serde` attributes.
fn drop_serde_derives(item: &mut ItemStruct) {
    for attr in item
        .attrs
        .iter_mut()
        .filter(|a| a.path().is_ident("derive"))
    {
        let Ok(paths) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        ) else {
            continue;
        };
        let kept: Vec<&syn::Path> = paths
            .iter()
            .filter(|p| {
                !p.segments
                    .last()
                    .is_some_and(|s| s.ident == "Serialize" || s.ident == "Deserialize")
            })
            .collect();
        *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
    }
}

fn impls_for(
    rt: &syn::Path,
    lossless: &Lossless,
    in_place: &std::collections::BTreeSet<String>,
) -> TokenStream {
    let Lossless {
        ident,
        fields,
        added,
    } = lossless;
    let Added { extra, nulls } = added;
    let recorded_doc = format!(" recorded as such (see `{nulls}`).");
    let name = ident.to_string();
    let expecting = format!("a JSON object ({name})");
    let wires: Vec<LitStr> = fields
        .iter()
        .map(|f| LitStr::new(&f.wire, Span::call_site()))
        .collect();
    let indexes: Vec<usize> = (0..fields.len()).collect();
    let write = fields
        .iter()
        .zip(&wires)
        .zip(&indexes)
        .map(|((f, wire), index)| {
            let ident = &f.ident;
            let recorded_null = quote! {
                else if self.#nulls.contains(#index) {
                    ::serde::ser::SerializeMap::serialize_entry(&mut map, #wire, &())?;
                }
            };
            match f.kind {
                Kind::Optional if f.date_time => quote! {
                    if let ::std::option::Option::Some(value) = &self.#ident {
                        ::serde::ser::SerializeMap::serialize_entry(
                            &mut map,
                            #wire,
                            &#rt::Rfc3339(value),
                        )?;
                    } #recorded_null
                },
                Kind::Required if f.date_time => quote! {
                    ::serde::ser::SerializeMap::serialize_entry(
                        &mut map,
                        #wire,
                        &#rt::Rfc3339(&self.#ident),
                    )?;
                },
                Kind::Optional => quote! {
                    if let ::std::option::Option::Some(value) = &self.#ident {
                        ::serde::ser::SerializeMap::serialize_entry(&mut map, #wire, value)?;
                    } #recorded_null
                },
                Kind::DefaultList => quote! {
                    if !self.#ident.is_empty() {
                        ::serde::ser::SerializeMap::serialize_entry(&mut map, #wire, &self.#ident)?;
                    } else if self.#nulls.contains(#index) {
                        ::serde::ser::SerializeMap::serialize_entry(&mut map, #wire, &[(); 0])?;
                    }
                },
                Kind::Required => quote! {
                    ::serde::ser::SerializeMap::serialize_entry(&mut map, #wire, &self.#ident)?;
                },
            }
        });
    let is_set = fields.iter().zip(&indexes).map(|(f, index)| {
        let ident = &f.ident;
        match f.kind {
            Kind::Optional => {
                quote!(self.#ident.is_some() || self.#nulls.contains(#index))
            }
            Kind::DefaultList => {
                quote!(!self.#ident.is_empty() || self.#nulls.contains(#index))
            }
            Kind::Required => quote!(true),
        }
    });
    let deserialize = if in_place.contains(&name) {
        deserialize_in_place(rt, lossless, &wires, &indexes, &expecting, in_place)
    } else {
        deserialize_with_slots(rt, lossless, &wires, &indexes, &expecting)
    };
    quote! {
        impl #ident {
            /// The index of a known property by its JSON name.
            fn lossless_field_index(name: &str) -> ::std::option::Option<usize> {
                match name {
                    #(#wires => ::std::option::Option::Some(#indexes),)*
                    _ => ::std::option::Option::None,
                }
            }

            /// Whether the typed field with this JSON name is written (it is set, or
            /// unset with a recorded explicit `null`), which wins over an additional
            /// property of the same name.
            fn lossless_field_is_set(&self, name: &str) -> bool {
                match name {
                    #(#wires => #is_set,)*
                    _ => false,
                }
            }

            /// Whether the known property with this JSON name was an explicit `null`
            /// (or `[]`, for a list) in the JSON this value was read from, and is still
            #[doc = #recorded_doc]
            pub fn is_explicit_null(&self, property: &str) -> bool {
                #ident::lossless_field_index(property)
                    .is_some_and(|index| self.#nulls.contains(index))
            }
        }

        impl ::serde::Serialize for #ident {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(::std::option::Option::None)?;
                #(#write)*
                for (key, value) in &self.#extra {
                    if !self.lossless_field_is_set(key) {
                        ::serde::ser::SerializeMap::serialize_entry(&mut map, key, value)?;
                    }
                }
                ::serde::ser::SerializeMap::end(map)
            }
        }

        #deserialize
    }
}

/// `Deserialize` for a struct read in place (see `ReadInPlace` in the runtime), and its
/// `ReadInPlace`: from the `Default`, each value straight into its field, a nested
/// struct read in place into its field of the parent.
fn deserialize_in_place(
    rt: &syn::Path,
    lossless: &Lossless,
    wires: &[LitStr],
    indexes: &[usize],
    expecting: &str,
    in_place: &std::collections::BTreeSet<String>,
) -> TokenStream {
    let Lossless {
        ident,
        fields,
        added: Added { extra, nulls },
    } = lossless;
    let read_into = fields
        .iter()
        .zip(wires)
        .zip(indexes)
        .map(|((f, wire), index)| {
            let field = &f.ident;
            if f.kind == Kind::Optional && f.inner.as_ref().is_some_and(|t| in_place.contains(t)) {
                quote! {
                    #rt::read_nested_into(
                        &mut map, &mut self.#field, &mut seen, &mut self.#nulls, #index, #wire,
                    )?
                }
            } else {
                // `apply` reads in place only structs without required properties.
                quote! {
                    #rt::read_field_into(
                        &mut map, &mut self.#field, &mut seen, &mut self.#nulls, #index, #wire,
                    )?
                }
            }
        });
    let read_keys = key_loop(rt, ident, indexes, read_into.collect(), quote!(self.#extra));
    let words = fields.len().div_ceil(64).max(1);
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #ident {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let mut value = <#ident as ::std::default::Default>::default();
                #rt::read_into(deserializer, &mut value)?;
                ::std::result::Result::Ok(value)
            }
        }

        impl #rt::ReadInPlace for #ident {
            const EXPECTING: &'static str = #expecting;

            fn read_entries<'de, A: ::serde::de::MapAccess<'de>>(
                &mut self,
                mut map: A,
            ) -> ::std::result::Result<(), A::Error> {
                let mut seen = #rt::SeenKeys::<#words>::new();
                #read_keys
                ::std::result::Result::Ok(())
            }
        }
    }
}

/// `Deserialize` for a struct with required properties: each value into a slot, the
/// struct built from the slots at the end.
fn deserialize_with_slots(
    rt: &syn::Path,
    lossless: &Lossless,
    wires: &[LitStr],
    indexes: &[usize],
    expecting: &str,
) -> TokenStream {
    let Lossless {
        ident,
        fields,
        added: Added { extra, nulls },
    } = lossless;
    let slots: Vec<syn::Ident> = (0..fields.len())
        .map(|i| syn::Ident::new(&format!("field_{i}"), Span::call_site()))
        .collect();

    let read =
        fields
            .iter()
            .zip(&slots)
            .zip(wires)
            .zip(indexes)
            .map(|(((f, slot), wire), index)| match f.kind {
                Kind::Optional => quote! {
                    #rt::read_optional(&mut map, &mut #slot, &mut explicit, #index, #wire)?
                },
                Kind::DefaultList => quote! {
                    #rt::read_list(&mut map, &mut #slot, &mut explicit, #index, #wire)?
                },
                Kind::Required => {
                    quote!(#rt::read_required(&mut map, &mut #slot, #wire)?)
                }
            });
    let finish = fields.iter().zip(&slots).zip(wires).map(|((f, slot), wire)| {
        let ident = &f.ident;
        match f.kind {
            Kind::Optional => quote!(#ident: #slot.unwrap_or(::std::option::Option::None)),
            Kind::DefaultList => quote!(#ident: #slot.unwrap_or_default()),
            Kind::Required => quote! {
                #ident: #slot.ok_or_else(|| <A::Error as ::serde::de::Error>::missing_field(#wire))?
            },
        }
    });
    let read_keys = key_loop(rt, ident, indexes, read.collect(), quote!(additional));
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #ident {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                struct Visitor;

                impl<'de> ::serde::de::Visitor<'de> for Visitor {
                    type Value = #ident;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }

                    fn visit_map<A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> ::std::result::Result<#ident, A::Error> {
                        #(let mut #slots = ::std::option::Option::None;)*
                        let mut additional = ::serde_json::Map::new();
                        let mut explicit = #rt::ExplicitNulls::default();
                        #read_keys
                        ::std::result::Result::Ok(#ident {
                            #(#finish,)*
                            #extra: additional,
                            #nulls: explicit,
                        })
                    }
                }

                deserializer.deserialize_map(Visitor)
            }
        }
    }
}

/// The loop over an object's keys: known keys read by `reads` (one per property, in
/// order), unknown ones put in the map `additional`.
fn key_loop(
    rt: &syn::Path,
    ident: &syn::Ident,
    indexes: &[usize],
    reads: Vec<TokenStream>,
    additional: TokenStream,
) -> TokenStream {
    quote! {
        while let ::std::option::Option::Some(key) = map.next_key_seed(
            #rt::KeySeed(#ident::lossless_field_index),
        )? {
            match key {
                #(#rt::Key::Known(#indexes) => #reads,)*
                #rt::Key::Known(_) => {
                    map.next_value::<::serde::de::IgnoredAny>()?;
                }
                #rt::Key::Other(name) => {
                    let value = map
                        .next_value::<::serde_json::Value>()
                        .map_err(|e| #rt::at(&name, e))?;
                    #additional.insert(name, value);
                }
            }
        }
    }
}

/// Whether the struct derives both `Serialize` and `Deserialize` (by any path).
fn derives_serde(item: &ItemStruct) -> bool {
    derives(item, "Serialize") && derives(item, "Deserialize")
}

/// Whether the struct derives `name` (by any path).
fn derives(item: &ItemStruct, name: &str) -> bool {
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
    derived.iter().any(|d| d == name)
}
