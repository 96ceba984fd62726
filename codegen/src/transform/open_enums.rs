//! Open enums: every string enum in `types` accepts any string.
//!
//! typify emits closed enums: one unknown member makes a whole response fail to
//! deserialize, and Graph adds members to its evolvable enums (after
//! `unknownFutureValue`) all the time. This transform replaces each such enum, and the
//! `Display`/`FromStr`/`TryFrom` impls typify wrote for it, with an open enum: the
//! members the spec lists are unit variants, anything else is kept verbatim in
//! `Other(String)` and serializes back to the exact same string.
//!
//! The catch-all cannot clash with a member: where the spec lists a member whose variant
//! is `Other` (Graph's `phoneType` has `other`), the catch-all is `Other_`, a name no
//! member can make (typify ends a name with `_` only for a Rust keyword, and `Other` is
//! none).

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{Attribute, Fields, Ident, Item, ItemEnum, LitStr};

use super::{impl_self_ident, types_module_items};

/// Rewrite every unit-only enum in `mod types` as an open enum.
pub fn apply(file: &mut syn::File) -> Result<(), String> {
    let items = types_module_items(file)?;
    let mut open = Vec::new();
    for item in items.iter() {
        if let Item::Enum(item_enum) = item
            && let Some(members) = unit_members(item_enum)?
        {
            open.push((
                item_enum.ident.clone(),
                members,
                doc_attrs(&item_enum.attrs),
            ));
        }
    }
    let names: Vec<String> = open.iter().map(|(ident, ..)| ident.to_string()).collect();
    items.retain(|item| match item {
        Item::Enum(e) => !names.contains(&e.ident.to_string()),
        Item::Impl(i) => !impl_self_ident(i).is_some_and(|ident| names.contains(&ident)),
        _ => true,
    });
    for (ident, members, docs) in open {
        let tokens = open_enum(&ident, &members, &docs);
        let generated: syn::File =
            syn::parse2(tokens).map_err(|e| format!("open enum `{ident}` did not parse: {e}"))?;
        items.extend(generated.items);
    }
    Ok(())
}

/// `(variant, wire value)` for an enum whose variants are all units, else `None`.
fn unit_members(item: &ItemEnum) -> Result<Option<Vec<(Ident, String)>>, String> {
    let mut members = Vec::new();
    for variant in &item.variants {
        if !matches!(variant.fields, Fields::Unit) {
            return Ok(None);
        }
        let wire = serde_rename(&variant.attrs)?.unwrap_or_else(|| variant.ident.to_string());
        members.push((variant.ident.clone(), wire));
    }
    Ok(Some(members))
}

/// The value of `#[serde(rename = "...")]`, if present.
fn serde_rename(attrs: &[Attribute]) -> Result<Option<String>, String> {
    let mut rename = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                rename = Some(meta.value()?.parse::<LitStr>()?.value());
            } else if meta.input.peek(syn::Token![=]) {
                // Consume and ignore any other `key = value`.
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        })
        .map_err(|e| format!("unexpected serde attribute on an enum variant: {e}"))?;
    }
    Ok(rename)
}

fn doc_attrs(attrs: &[Attribute]) -> Vec<Attribute> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .cloned()
        .collect()
}

/// The text of the doc comments, for the JSON Schema `description`.
fn doc_text(docs: &[Attribute]) -> String {
    docs.iter()
        .filter_map(|attr| match &attr.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

/// The catch-all's name: `Other`, or `Other_` where a member's variant is `Other`.
fn catch_all(members: &[(Ident, String)]) -> Ident {
    if members.iter().any(|(variant, _)| variant == "Other") {
        Ident::new("Other_", Span::call_site())
    } else {
        Ident::new("Other", Span::call_site())
    }
}

fn open_enum(ident: &Ident, members: &[(Ident, String)], docs: &[Attribute]) -> TokenStream {
    let name = ident.to_string();
    let other = catch_all(members);
    // The docs' lines that name the catch-all.
    let into_other =
        format!(" members after `unknownFutureValue`) deserializes into [`Self::{other}`] and");
    let keeps_as_other = format!(" `{other}`, so a `match` needs a `_` arm.");
    let variants: Vec<&Ident> = members.iter().map(|(v, _)| v).collect();
    let wires: Vec<LitStr> = members
        .iter()
        .map(|(_, w)| LitStr::new(w, Span::call_site()))
        .collect();
    let variant_docs: Vec<String> = members.iter().map(|(_, w)| format!("`{w}`")).collect();
    let description = doc_text(docs);
    let description = if description.is_empty() || description == format!("`{name}`") {
        quote! {}
    } else {
        quote! { "description": #description, }
    };
    quote! {
        #(#docs)*
        ///
        /// An open enum: a value this version of the crate does not know (Graph adds
        #[doc = #into_other]
        /// serializes back unchanged, instead of failing the whole response.
        /// Non-exhaustive: a later version may list a member that this one keeps as
        #[doc = #keeps_as_other]
        #[derive(Clone, Debug)]
        #[non_exhaustive]
        pub enum #ident {
            #(
                #[doc = #variant_docs]
                #variants,
            )*
            /// A value the spec does not list, kept verbatim.
            #other(::std::string::String),
        }

        impl #ident {
            /// Every member the spec lists, in the spec's order.
            pub const KNOWN: &'static [Self] = &[#(Self::#variants),*];

            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #wires,)*
                    Self::#other(value) => value.as_str(),
                }
            }

            /// Whether this is one of the members the spec lists.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::#other(_))
            }

            /// The listed member whose wire value equals this one ignoring ASCII case
            /// (Graph sometimes writes `Html` for `html`), or `None`. Parsing is exact so
            /// that every value round-trips byte for byte; this folds the spelling.
            pub fn canonical(&self) -> ::std::option::Option<Self> {
                Self::KNOWN
                    .iter()
                    .find(|known| known.as_str().eq_ignore_ascii_case(self.as_str()))
                    .cloned()
            }
        }

        impl ::std::cmp::PartialEq for #ident {
            fn eq(&self, other: &Self) -> bool {
                self.as_str() == other.as_str()
            }
        }

        impl ::std::cmp::Eq for #ident {}

        impl ::std::hash::Hash for #ident {
            fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                self.as_str().hash(state);
            }
        }

        impl ::std::cmp::PartialOrd for #ident {
            fn partial_cmp(&self, other: &Self) -> ::std::option::Option<::std::cmp::Ordering> {
                ::std::option::Option::Some(::std::cmp::Ord::cmp(self, other))
            }
        }

        impl ::std::cmp::Ord for #ident {
            fn cmp(&self, other: &Self) -> ::std::cmp::Ordering {
                self.as_str().cmp(other.as_str())
            }
        }

        impl ::std::convert::From<&str> for #ident {
            fn from(value: &str) -> Self {
                match value {
                    #(#wires => Self::#variants,)*
                    other => Self::#other(other.to_owned()),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for #ident {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    #(#wires => Self::#variants,)*
                    _ => Self::#other(value),
                }
            }
        }

        impl ::std::str::FromStr for #ident {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #ident {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #ident {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)
                    .map(Self::from)
            }
        }

        impl ::schemars::JsonSchema for #ident {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                #name.into()
            }

            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::schemars::json_schema!({
                    #description
                    "anyOf": [
                        { "type": "string", "enum": [#(#wires),*] },
                        { "type": "string", "description": "A value the spec does not list (open enum)." }
                    ]
                })
            }
        }
    }
}
