//! One call method per operation, for the client crate's call loop: `call_X(…)` returns
//! the [`Operation`](crate::facts) that `X` sends and the request of one attempt (sent
//! when awaited), after checking every path parameter of the operation's path, or the
//! `ValidationError` that refuses it. So the loop knows what it may retry before the
//! first send, and a path parameter is checked in one place.
//!
//! Operations that differ only by whose meetings they reach share one method: `X` on
//! `/me/…` and `X_for_user` on `/users/{userId}/…` get `call_X(user_id: Option<&str>, …)`,
//! which runs `X` for `None` and `X_for_user` for `Some(user_id)`, so the client crate
//! writes each operation once for both scopes. The pairing is by the spec's naming rule
//! (the `/users/{userId}` operation's method is the `/me` one's with `_for_user`
//! appended, and the same other parameters, which the spec check enforces with a pointer
//! into the spec); a pair whose generated signatures still differ is an error here, not
//! a guess.
//!
//! An operation the client crate has no handle for yet still gets its call method; the
//! generated module allows it to be unused, so a spec can gain operations before their
//! handles.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{FnArg, GenericParam, ImplItem, ImplItemFn, Item, Pat};

use crate::facts::{OperationFacts, variant_name};

/// The suffix of a `/users/{userId}` operation's method.
pub const USER_SUFFIX: &str = "_for_user";

/// The prefix of a call method's name.
pub const CALL_PREFIX: &str = "call_";

/// Add a call method for every operation of `facts` (one for each `X` / `X_for_user`
/// pair) to the generated `Client`.
pub fn apply(file: &mut syn::File, facts: &[OperationFacts]) -> Result<(), String> {
    let mut methods: BTreeMap<String, &ImplItemFn> = BTreeMap::new();
    for item in &file.items {
        let Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || super::impl_self_ident(imp).as_deref() != Some("Client") {
            continue;
        }
        for member in &imp.items {
            if let ImplItem::Fn(f) = member {
                methods.insert(f.sig.ident.to_string(), f);
            }
        }
    }
    let by_id: BTreeMap<&str, &OperationFacts> = facts
        .iter()
        .map(|fact| (fact.operation_id.as_str(), fact))
        .collect();
    let mut calls = Vec::new();
    for fact in facts {
        let id = fact.operation_id.as_str();
        let method = methods
            .get(id)
            .ok_or_else(|| format!("operation `{id}` has no generated method `{id}`"))?;
        if let Some(base) = id.strip_suffix(USER_SUFFIX)
            && by_id.contains_key(base)
        {
            // Its call method is its `/me` twin's.
            continue;
        }
        let twin_id = format!("{id}{USER_SUFFIX}");
        match (by_id.get(twin_id.as_str()), methods.get(twin_id.as_str())) {
            (Some(twin), Some(twin_method)) => {
                calls.push(pair_call(fact, method, twin, twin_method)?);
            }
            _ => calls.push(single_call(fact, method)?),
        }
    }
    if !calls.is_empty() {
        file.items.push(syn::parse_quote! {
            impl Client {
                #(#calls)*
            }
        });
    }
    Ok(())
}

/// A path parameter of an operation's path template.
struct PathParameter {
    /// Its name in the spec (`meetingId`).
    name: String,
    /// Whether it is a whole segment (`/{meetingId}/`), not inside literal text.
    whole_segment: bool,
}

/// The path parameters of `template`, in order.
fn path_parameters(template: &str) -> Vec<PathParameter> {
    let mut out = Vec::new();
    for segment in template.split('/') {
        let mut rest = segment;
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else {
                break;
            };
            let name = &rest[start + 1..start + len];
            out.push(PathParameter {
                name: name.to_owned(),
                whole_segment: segment.len() == name.len() + 2,
            });
            rest = &rest[start + len + 1..];
        }
    }
    out
}

/// The checks of `fact`'s path parameters among `args` (`skip`: a parameter checked
/// elsewhere, the pair's `userId`).
fn checks(
    fact: &OperationFacts,
    args: &[(syn::Ident, syn::Type)],
    skip: Option<&str>,
) -> Result<Vec<TokenStream>, String> {
    let mut out = Vec::new();
    for parameter in path_parameters(&fact.path) {
        if skip == Some(parameter.name.as_str()) {
            continue;
        }
        let rust = parameter.name.to_snake_case();
        let Some((ident, ty)) = args.iter().find(|(ident, _)| *ident == rust) else {
            return Err(format!(
                "operation `{}`: its path parameter `{}` has no argument `{rust}` in the \
                 generated method",
                fact.operation_id, parameter.name
            ));
        };
        out.push(check(&parameter, &value_as_str(ident, ty)));
    }
    Ok(out)
}

/// `crate::runtime::check_path_parameter(name, value, whole)?`.
fn check(parameter: &PathParameter, value: &TokenStream) -> TokenStream {
    let name = &parameter.name;
    let whole = parameter.whole_segment;
    let function = match super::runtime_item("check_path_parameter") {
        Ok(path) => quote!(#path),
        Err(message) => quote!(::core::compile_error!(#message)),
    };
    quote!(#function(#name, #value, #whole)?;)
}

/// An argument as `&str`: itself when it is one, else its `to_string()` (as progenitor
/// encodes it into the path).
fn value_as_str(ident: &syn::Ident, ty: &syn::Type) -> TokenStream {
    match ty {
        syn::Type::Reference(r) if quote!(#r).to_string().ends_with("str") => quote!(#ident),
        _ => quote!(&#ident.to_string()),
    }
}

/// The lifetime of a generated method (progenitor gives each one `<'a>`), which its
/// request borrows.
fn lifetime(method: &ImplItemFn) -> Result<&syn::Lifetime, String> {
    method
        .sig
        .generics
        .params
        .iter()
        .find_map(|param| match param {
            GenericParam::Lifetime(lifetime) => Some(&lifetime.lifetime),
            _ => None,
        })
        .ok_or_else(|| format!("`{}` has no lifetime parameter", method.sig.ident))
}

/// The return type of a call method whose request returns `output`.
fn call_output(method: &ImplItemFn) -> Result<TokenStream, String> {
    let syn::ReturnType::Type(_, output) = &method.sig.output else {
        return Err(format!("`{}` returns nothing", method.sig.ident));
    };
    let lifetime = lifetime(method)?;
    let error = match super::runtime_item("ValidationError") {
        Ok(path) => quote!(#path),
        Err(message) => quote!(::core::compile_error!(#message)),
    };
    Ok(quote! {
        ::std::result::Result<
            (
                operations::Operation,
                impl ::std::future::Future<Output = #output> + #lifetime,
            ),
            #error,
        >
    })
}

/// The variant of `fact`'s operation in the generated table.
fn variant(fact: &OperationFacts) -> Result<syn::Ident, String> {
    let name = variant_name(&fact.operation_id);
    syn::parse_str(&name).map_err(|err| {
        format!(
            "operation `{}` does not make a Rust variant name (`{name}`): {err}",
            fact.operation_id
        )
    })
}

/// The call method of an operation without a twin.
fn single_call(fact: &OperationFacts, method: &ImplItemFn) -> Result<TokenStream, String> {
    let base = &method.sig.ident;
    let args = args(method)?;
    let checks = checks(fact, &args, None)?;
    let output = call_output(method)?;
    let variant = variant(fact)?;
    let name = format_ident!("{CALL_PREFIX}{}", base);
    let generics = &method.sig.generics;
    let names: Vec<&syn::Ident> = args.iter().map(|(n, _)| n).collect();
    let types: Vec<&syn::Type> = args.iter().map(|(_, t)| t).collect();
    let receiver = receiver(method)?;
    let doc = format!(
        " `{base}`'s operation and the request of one attempt (sent when awaited), its path \
         parameters checked."
    );
    Ok(quote! {
        #[doc = #doc]
        pub(crate) fn #name #generics (#receiver, #(#names: #types),*) -> #output {
            #(#checks)*
            ::std::result::Result::Ok((
                operations::Operation::#variant,
                self.#base(#(#names),*),
            ))
        }
    })
}

/// The call method of `base` (on `/me`) and `for_user` (the same on `/users/{userId}`,
/// with `user_id` first).
fn pair_call(
    base_fact: &OperationFacts,
    base: &ImplItemFn,
    user_fact: &OperationFacts,
    for_user: &ImplItemFn,
) -> Result<TokenStream, String> {
    let base_name = &base.sig.ident;
    let user_name = &for_user.sig.ident;
    let base_args = args(base)?;
    let user_args = args(for_user)?;
    let fail = |why: &str| {
        Err(format!(
            "`{user_name}` is the `/users/{{userId}}` twin of `{base_name}` by its name, but {why}"
        ))
    };
    let Some(((user_param, user_ty), rest)) = user_args.split_first() else {
        return fail("it has no parameters");
    };
    if user_param != "user_id" {
        return fail("its first parameter is not `user_id`");
    }
    let same = |a: &[(syn::Ident, syn::Type)], b: &[(syn::Ident, syn::Type)]| {
        a.len() == b.len()
            && a.iter().zip(b).all(|((an, at), (bn, bt))| {
                an == bn && quote!(#at).to_string() == quote!(#bt).to_string()
            })
    };
    if !same(&base_args, rest) {
        return fail("its other parameters differ");
    }
    let (base_out, user_out) = (&base.sig.output, &for_user.sig.output);
    if quote!(#base_out).to_string() != quote!(#user_out).to_string() {
        return fail("its return type differs");
    }
    let user_parameter = path_parameters(&user_fact.path)
        .into_iter()
        .find(|parameter| parameter.name.to_snake_case() == "user_id")
        .ok_or_else(|| format!("`{user_name}`'s path has no user parameter"))?;
    let user_check = check(&user_parameter, &value_as_str(user_param, user_ty));
    let checks = checks(base_fact, &base_args, None)?;
    let output = call_output(base)?;
    let (base_variant, user_variant) = (variant(base_fact)?, variant(user_fact)?);
    let name = format_ident!("{CALL_PREFIX}{}", base_name);
    let generics = &base.sig.generics;
    let names: Vec<&syn::Ident> = base_args.iter().map(|(n, _)| n).collect();
    let types: Vec<&syn::Type> = base_args.iter().map(|(_, t)| t).collect();
    let user_ty = match user_ty {
        syn::Type::Reference(r) => {
            let lifetime = &r.lifetime;
            let elem = &r.elem;
            quote!(::std::option::Option<&#lifetime #elem>)
        }
        other => quote!(::std::option::Option<#other>),
    };
    let receiver = receiver(base)?;
    let doc = format!(
        " The operation and the request of one attempt (sent when awaited) of `{base_name}` \
         for the signed-in user (`user_id` is `None`), else of `{user_name}`, its path \
         parameters checked."
    );
    Ok(quote! {
        #[doc = #doc]
        pub(crate) fn #name #generics (
            #receiver,
            user_id: #user_ty,
            #(#names: #types),*
        ) -> #output {
            if let ::std::option::Option::Some(user_id) = user_id {
                #user_check
            }
            #(#checks)*
            let operation = match user_id {
                ::std::option::Option::None => operations::Operation::#base_variant,
                ::std::option::Option::Some(_) => operations::Operation::#user_variant,
            };
            ::std::result::Result::Ok((operation, async move {
                match user_id {
                    ::std::option::Option::None => self.#base_name(#(#names),*).await,
                    ::std::option::Option::Some(user_id) => {
                        self.#user_name(user_id, #(#names),*).await
                    }
                }
            }))
        }
    })
}

/// `&self` of a generated method.
fn receiver(method: &ImplItemFn) -> Result<&FnArg, String> {
    match method.sig.inputs.first() {
        Some(receiver @ FnArg::Receiver(_)) => Ok(receiver),
        _ => Err(format!("`{}` is not a method", method.sig.ident)),
    }
}

/// The parameters after `self`, as names and types.
fn args(f: &ImplItemFn) -> Result<Vec<(syn::Ident, syn::Type)>, String> {
    let mut out = Vec::new();
    for arg in &f.sig.inputs {
        match arg {
            FnArg::Receiver(_) => {}
            FnArg::Typed(typed) => match typed.pat.as_ref() {
                Pat::Ident(ident) => out.push((ident.ident.clone(), (*typed.ty).clone())),
                _ => {
                    return Err(format!(
                        "a parameter of `{}` is not a plain name",
                        f.sig.ident
                    ));
                }
            },
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parameters_are_found_whole_or_inside_text() {
        let found = path_parameters("/users/{userId}/x/f(a='{a}',b={b})/{id}");
        let shown: Vec<(&str, bool)> = found
            .iter()
            .map(|p| (p.name.as_str(), p.whole_segment))
            .collect();
        assert_eq!(
            shown,
            [("userId", true), ("a", false), ("b", false), ("id", true)]
        );
    }
}
