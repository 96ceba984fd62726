//! One method per pair of operations that differ only by whose meetings they reach:
//! `X` on `/me/…` and `X_for_user` on `/users/{userId}/…` become also
//! `X_scoped(user_id: Option<&str>, …)`, which calls `X` for `None` and `X_for_user` for
//! `Some(user_id)`.
//!
//! The client crate's handles call the scoped method, so each operation is written once
//! for both scopes, and the generated method it calls names the operation it sends (the
//! retry class and the span come from there). The pairing is by the spec's naming rule
//! (the `/users/{userId}` operation's method is the `/me` one's with `_for_user`
//! appended, and the same other parameters, which the spec check enforces with a pointer
//! into the spec); a pair whose generated signatures still differ is an error here, not
//! a guess.

use std::collections::BTreeMap;

use quote::{format_ident, quote};
use syn::{FnArg, ImplItem, ImplItemFn, Item, Pat};

/// The suffix of a `/users/{userId}` operation's method.
pub const USER_SUFFIX: &str = "_for_user";

/// Add a `…_scoped` method for every `X` / `X_for_user` pair of the generated `Client`.
pub fn apply(file: &mut syn::File) -> Result<(), String> {
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
    let mut scoped = Vec::new();
    for (name, for_user) in &methods {
        let Some(base_name) = name.strip_suffix(USER_SUFFIX) else {
            continue;
        };
        let Some(base) = methods.get(base_name) else {
            continue;
        };
        scoped.push(scoped_method(base, for_user)?);
    }
    if !scoped.is_empty() {
        file.items.push(syn::parse_quote! {
            impl Client {
                #(#scoped)*
            }
        });
    }
    Ok(())
}

/// The `…_scoped` method of `base` (on `/me`) and `for_user` (the same on
/// `/users/{userId}`, with `user_id` first).
fn scoped_method(
    base: &ImplItemFn,
    for_user: &ImplItemFn,
) -> Result<proc_macro2::TokenStream, String> {
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
    let name = format_ident!("{}_scoped", base_name);
    let generics = &base.sig.generics;
    let names: Vec<&syn::Ident> = base_args.iter().map(|(n, _)| n).collect();
    let types: Vec<&syn::Type> = base_args.iter().map(|(_, t)| t).collect();
    let user_ty = match user_ty {
        syn::Type::Reference(r) => {
            let lifetime = &r.lifetime;
            let elem = &r.elem;
            quote!(Option<&#lifetime #elem>)
        }
        other => quote!(Option<#other>),
    };
    let Some(receiver @ FnArg::Receiver(_)) = base.sig.inputs.first() else {
        return Err(format!("`{base_name}` is not a method"));
    };
    let doc =
        format!("`{base_name}` for the signed-in user (`user_id` is `None`), else `{user_name}`.");
    Ok(quote! {
        #[doc = #doc]
        pub(crate) async fn #name #generics (
            #receiver,
            user_id: #user_ty,
            #(#names: #types),*
        ) #base_out {
            match user_id {
                None => self.#base_name(#(#names),*).await,
                Some(user_id) => self.#user_name(user_id, #(#names),*).await,
            }
        }
    })
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
