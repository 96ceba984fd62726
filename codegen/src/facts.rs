//! Operation facts: what the client needs to know about each operation, read once from
//! the spec and emitted as a typed table (`pub mod operations`) beside progenitor's output.
//!
//! Each operation carries its facts as vendor extensions next to Graph's own fields:
//!
//! ```yaml
//! post:
//!   operationId: create_or_get_online_meeting
//!   x-idempotent: true              # may be repeated without changing its effect
//!   x-idempotency-key: externalId   # optional: the body property that makes it so
//!   x-permissions:
//!     delegated: [OnlineMeetings.ReadWrite]
//!     application: []               # empty: not callable with an application token
//! ```
//!
//! An operation may also name the client crate's call that runs it, for the tables users
//! read (`x-handle: "….meeting(id).get()"`, or a list of calls; see `tables`).
//!
//! The method, the path template and the success statuses come from the operation itself.
//! An operation without `x-idempotent` or `x-permissions` is an error naming it: there is
//! no silent default for a fact that decides whether a call is retried.

use std::path::Path;

use heck::ToUpperCamelCase;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use serde_json::{Map, Value};

use crate::document::{OperationRef, operations, resolve};
use crate::error::{CodegenError, escape_pointer_token};

/// What the client needs to know about one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationFacts {
    /// The `operationId` (also the generated method's name).
    pub operation_id: String,
    /// The upper-case HTTP method.
    pub method: String,
    /// The path template, relative to the server URL.
    pub path: String,
    /// The documented success statuses (`2xx` codes), ascending.
    pub success_statuses: Vec<u16>,
    /// `x-idempotent`.
    pub idempotent: bool,
    /// `x-idempotency-key`: the body property that makes the operation idempotent.
    pub idempotency_key: Option<String>,
    /// `x-permissions/delegated`: the delegated permissions that allow the call (any one).
    pub delegated: Vec<String>,
    /// `x-permissions/application`: the application permissions that allow the call.
    pub application: Vec<String>,
    /// The media type of the success body when it is content, not JSON (`text/vtt`,
    /// `video/mp4`): the generated method returns it as a byte stream.
    pub content_type: Option<String>,
}

/// What the client crate retries for an idempotent operation and for any other (what its
/// `Idempotency` documents), for the generated docs and tables.
pub const RETRIED_IDEMPOTENT: &str = "`429`, `503`, `504`, timeouts, connection failures";
/// See [`RETRIED_IDEMPOTENT`].
pub const RETRIED_NOT_IDEMPOTENT: &str = "`429` only";

impl OperationFacts {
    /// What the client retries for this operation, as the docs say it.
    pub fn retried_on(&self) -> &'static str {
        if self.idempotent {
            RETRIED_IDEMPOTENT
        } else {
            RETRIED_NOT_IDEMPOTENT
        }
    }

    /// The one-line docs of the operation's variant in the generated table: its request,
    /// answers, what is retried and who may call it.
    fn variant_doc(&self) -> String {
        let list = |permissions: &[String]| {
            if permissions.is_empty() {
                "none".to_owned()
            } else {
                permissions
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        let statuses: Vec<String> = self
            .success_statuses
            .iter()
            .map(|s| format!("`{s}`"))
            .collect();
        let key = self
            .idempotency_key
            .as_ref()
            .map(|key| format!(" (idempotent by `{key}`)"))
            .unwrap_or_default();
        format!(
            " `{} {}`: answers {}; retried on {}{key}; delegated: {}; application: {}.",
            self.method,
            self.path,
            statuses.join(", "),
            self.retried_on(),
            list(&self.delegated),
            list(&self.application),
        )
    }
}

/// Read the facts of every operation; the first missing or malformed fact is an error
/// naming the operation and its pointer.
pub fn read(spec_path: &Path, doc: &Value) -> Result<Vec<OperationFacts>, CodegenError> {
    operations(doc)
        .iter()
        .map(|op| {
            read_one(doc, op).map_err(|(pointer, message)| CodegenError::Invalid {
                path: spec_path.to_owned(),
                pointer,
                message,
            })
        })
        .collect()
}

fn read_one(doc: &Value, op: &OperationRef<'_>) -> Result<OperationFacts, (String, String)> {
    let at = |key: &str| format!("{}/{}", op.pointer, escape_pointer_token(key));
    let object = op.operation.as_object().ok_or_else(|| {
        (
            op.pointer.clone(),
            "an operation must be an object".to_owned(),
        )
    })?;
    let id = object
        .get("operationId")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            (
                at("operationId"),
                "every operation needs a string `operationId`".to_owned(),
            )
        })?;
    let idempotent = match object.get("x-idempotent") {
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err((
                at("x-idempotent"),
                format!("operation `{id}`: `x-idempotent` must be true or false"),
            ));
        }
        None => {
            return Err((
                at("x-idempotent"),
                format!(
                    "operation `{id}` has no `x-idempotent`: say whether it may be repeated \
                     without changing its effect (it decides which failures are retried)"
                ),
            ));
        }
    };
    // RFC 9110 §9.2.2: these methods are idempotent by definition; a client that did not
    // retry them would be wrong, and a server for which they are not is not HTTP.
    if !idempotent
        && matches!(
            op.method,
            "get" | "put" | "delete" | "head" | "options" | "trace"
        )
    {
        return Err((
            at("x-idempotent"),
            format!(
                "operation `{id}`: `x-idempotent: false` contradicts its method: {} is \
                 idempotent by HTTP's definition (RFC 9110, section 9.2.2)",
                op.method.to_ascii_uppercase()
            ),
        ));
    }
    let idempotency_key = match object.get("x-idempotency-key") {
        None => None,
        Some(Value::String(key)) if idempotent && !key.is_empty() => Some(key.clone()),
        Some(Value::String(_)) if !idempotent => {
            return Err((
                at("x-idempotency-key"),
                format!("operation `{id}` has an `x-idempotency-key` but `x-idempotent: false`"),
            ));
        }
        Some(_) => {
            return Err((
                at("x-idempotency-key"),
                format!("operation `{id}`: `x-idempotency-key` must be a property name"),
            ));
        }
    };
    if let Some(key) = &idempotency_key {
        check_key_in_body(doc, op, key).map_err(|message| {
            (
                at("x-idempotency-key"),
                format!("operation `{id}`: {message}"),
            )
        })?;
    }
    let handle_ok = match object.get("x-handle") {
        None => true,
        Some(Value::String(call)) => !call.trim().is_empty(),
        Some(Value::Array(calls)) => {
            !calls.is_empty()
                && calls
                    .iter()
                    .all(|call| call.as_str().is_some_and(|c| !c.trim().is_empty()))
        }
        Some(_) => false,
    };
    if !handle_ok {
        return Err((
            at("x-handle"),
            format!(
                "operation `{id}`: `x-handle` must be the client's call that runs it, as a \
                 non-empty string or a list of them"
            ),
        ));
    }
    let permissions = object
        .get("x-permissions")
        .ok_or_else(|| {
            (
                at("x-permissions"),
                format!(
                    "operation `{id}` has no `x-permissions` (`delegated` and `application` \
                     lists; an empty list means that kind of token cannot call it)"
                ),
            )
        })?
        .as_object()
        .ok_or_else(|| {
            (
                at("x-permissions"),
                format!("operation `{id}`: `x-permissions` must be an object"),
            )
        })?;
    if let Some(unknown) = permissions
        .keys()
        .find(|key| !matches!(key.as_str(), "delegated" | "application"))
    {
        return Err((
            format!("{}/{}", at("x-permissions"), escape_pointer_token(unknown)),
            format!(
                "operation `{id}`: `x-permissions` has an unknown key `{unknown}`; it holds \
                 exactly `delegated` and `application`"
            ),
        ));
    }
    let list = |kind: &str| -> Result<Vec<String>, (String, String)> {
        let pointer = format!("{}/{kind}", at("x-permissions"));
        let items = permissions
            .get(kind)
            .and_then(Value::as_array)
            .ok_or_else(|| {
                (
                    pointer.clone(),
                    format!("operation `{id}`: `x-permissions` needs a `{kind}` list"),
                )
            })?;
        items
            .iter()
            .enumerate()
            .map(|(index, item)| match item.as_str() {
                Some(name) if !name.trim().is_empty() => Ok(name.to_owned()),
                _ => Err((
                    format!("{pointer}/{index}"),
                    format!("operation `{id}`: a permission must be a non-empty string"),
                )),
            })
            .collect()
    };
    let delegated = list("delegated")?;
    let application = list("application")?;
    if delegated.is_empty() && application.is_empty() {
        return Err((
            at("x-permissions"),
            format!("operation `{id}`: no permission allows it (both lists are empty)"),
        ));
    }
    let responses = object
        .get("responses")
        .and_then(Value::as_object)
        .map(Map::keys)
        .into_iter()
        .flatten();
    let mut success_statuses: Vec<u16> = responses
        .filter_map(|code| code.parse::<u16>().ok())
        .filter(|code| (200..300).contains(code))
        .collect();
    success_statuses.sort_unstable();
    if success_statuses.is_empty() {
        return Err((
            at("responses"),
            format!("operation `{id}` documents no success status (a 2xx code)"),
        ));
    }
    let content_type = content_type(doc, object, success_statuses[0]);
    Ok(OperationFacts {
        content_type,
        operation_id: id.to_owned(),
        method: op.method.to_ascii_uppercase(),
        path: op.path.to_owned(),
        success_statuses,
        idempotent,
        idempotency_key,
        delegated,
        application,
    })
}

/// The media type of the `status` response's body when it is not JSON: what progenitor
/// makes a `ByteStream` of.
fn content_type(doc: &Value, operation: &Map<String, Value>, status: u16) -> Option<String> {
    let response = resolve(doc, operation.get("responses")?.get(status.to_string())?);
    let content = response.get("content")?.as_object()?;
    let json = content
        .keys()
        .any(|media| media == "application/json" || media.starts_with("application/json;"));
    (!json).then(|| content.keys().next().cloned()).flatten()
}

/// The idempotency key must be a property of the JSON request body: it is what makes a
/// repeated call return the first result, so a key that is not sent makes nothing so.
fn check_key_in_body(doc: &Value, op: &OperationRef<'_>, key: &str) -> Result<(), String> {
    // Facts are read after validation: every `$ref` resolves.
    let resolve = |node| resolve(doc, node);
    let Some(body) = op.operation.get("requestBody").map(resolve) else {
        return Err(format!(
            "`x-idempotency-key: {key}` names a body property, but the operation has no \
             request body"
        ));
    };
    let Some(schema) = body
        .pointer("/content/application~1json/schema")
        .map(resolve)
    else {
        return Err(format!(
            "`x-idempotency-key: {key}` names a body property, but the request body has no \
             `application/json` schema"
        ));
    };
    // The schema's own properties and those of its `allOf` members.
    let parts = std::iter::once(schema).chain(
        schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(resolve),
    );
    let names: Vec<&str> = parts
        .filter_map(|part| part.get("properties").and_then(Value::as_object))
        .flat_map(|properties| properties.keys().map(String::as_str))
        .collect();
    if names.contains(&key) {
        return Ok(());
    }
    Err(format!(
        "`x-idempotency-key: {key}` is not a property of the request body (it has: {})",
        if names.is_empty() {
            "no properties".to_owned()
        } else {
            names.join(", ")
        }
    ))
}

/// The Rust variant name of an operation id (`create_or_get_online_meeting` →
/// `CreateOrGetOnlineMeeting`).
pub fn variant_name(operation_id: &str) -> String {
    operation_id.to_upper_camel_case()
}

/// The `pub mod operations` table for `facts`. It names the client crate's
/// `Idempotency` and `Permissions`, through its runtime module.
pub fn table(facts: &[OperationFacts]) -> Result<TokenStream, String> {
    let rt = crate::runtime_module::runtime()?;
    let mut variants = Vec::new();
    for fact in facts {
        let name = variant_name(&fact.operation_id);
        let ident = syn::parse_str::<syn::Ident>(&name).map_err(|err| {
            format!(
                "operation `{}` does not make a Rust variant name (`{name}`): {err}",
                fact.operation_id
            )
        })?;
        variants.push(ident);
    }
    let docs = facts.iter().map(OperationFacts::variant_doc);
    let ids = facts.iter().map(|f| lit(&f.operation_id));
    let ids_again = ids.clone();
    let methods = facts.iter().map(|f| lit(&f.method));
    let paths = facts.iter().map(|f| lit(&f.path));
    let statuses = facts.iter().map(|f| {
        let codes = &f.success_statuses;
        quote!(&[#(#codes),*])
    });
    let idempotency = facts
        .iter()
        .map(|f| match (&f.idempotent, &f.idempotency_key) {
            (false, _) => quote!(#rt::Idempotency::NotIdempotent),
            (true, None) => quote!(#rt::Idempotency::Idempotent { key: None }),
            (true, Some(key)) => {
                let key = lit(key);
                quote!(#rt::Idempotency::Idempotent { key: Some(#key) })
            }
        });
    let permissions = facts.iter().map(|f| {
        let delegated = f.delegated.iter().map(|p| lit(p));
        let application = f.application.iter().map(|p| lit(p));
        quote!(#rt::Permissions {
            delegated: &[#(#delegated),*],
            application: &[#(#application),*],
        })
    });
    let content_types = facts.iter().map(|f| match &f.content_type {
        Some(media) => {
            let media = lit(media);
            quote!(::std::option::Option::Some(#media))
        }
        None => quote!(::std::option::Option::None),
    });
    let v = &variants;
    Ok(quote! {
        /// The operations of the OpenAPI document and their facts (generated from the
        /// spec's operations and their `x-idempotent`, `x-idempotency-key` and
        /// `x-permissions` extensions).
        pub mod operations {
            /// One operation of the OpenAPI document.
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
            #[non_exhaustive]
            pub enum Operation {
                #(
                    #[doc = #docs]
                    #v,
                )*
            }

            impl Operation {
                /// Every operation, in the document's order.
                pub const ALL: &'static [Operation] = &[#(Operation::#v),*];

                /// The `operationId` (the generated method's name).
                pub const fn id(self) -> &'static str {
                    match self { #(Operation::#v => #ids,)* }
                }

                /// The operation with this `operationId`.
                pub fn from_id(id: &str) -> ::std::option::Option<Self> {
                    match id {
                        #(#ids_again => ::std::option::Option::Some(Operation::#v),)*
                        _ => ::std::option::Option::None,
                    }
                }

                /// The upper-case HTTP method.
                pub const fn method(self) -> &'static str {
                    match self { #(Operation::#v => #methods,)* }
                }

                /// The path template under the versioned base URL, with `{name}` for
                /// each path parameter.
                pub const fn path(self) -> &'static str {
                    match self { #(Operation::#v => #paths,)* }
                }

                /// The documented success statuses, ascending.
                pub const fn success_statuses(self) -> &'static [u16] {
                    match self { #(Operation::#v => #statuses,)* }
                }

                /// Whether the operation may be repeated without changing its effect.
                pub const fn idempotency(self) -> #rt::Idempotency {
                    match self { #(Operation::#v => #idempotency,)* }
                }

                /// The permissions that allow the call.
                pub const fn permissions(self) -> #rt::Permissions {
                    match self { #(Operation::#v => #permissions,)* }
                }

                /// The media type of the success body when it is content (a byte
                /// stream such as `video/mp4`), `None` when it is JSON or empty.
                pub const fn content_type(self) -> ::std::option::Option<&'static str> {
                    match self { #(Operation::#v => #content_types,)* }
                }
            }

            impl ::std::fmt::Display for Operation {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.id())
                }
            }
        }
    })
}

fn lit(text: &str) -> syn::LitStr {
    syn::LitStr::new(text, Span::call_site())
}
