//! Path parameters are encoded into exactly one segment.
//!
//! progenitor's `encode_path` leaves `\` (and dots) alone, and URL parsing reads `\` as
//! `/`, so `a\..\b` as a `userId` would send the call to another path. This transform
//! replaces every `encode_path(...)` call in the generated methods with the client
//! crate's `encode_path_segment(...)` (in its runtime module), which percent-encodes everything but
//! RFC 3986's unreserved characters. (A value of `.` or `..` stays a dot segment however
//! it is encoded; the client's hooks refuse to send a URL whose shape changed.)

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::ToTokens;
use syn::visit_mut::VisitMut;

/// The runtime function the generated code calls instead of `encode_path`.
pub const ENCODER: &str = "encode_path_segment";

/// Replace every call of `encode_path` with [`ENCODER`].
pub fn apply(file: &mut syn::File) -> Result<(), String> {
    let encoder = super::runtime_item(ENCODER)?;
    Replacer { encoder }.visit_file_mut(file);
    Ok(())
}

struct Replacer {
    encoder: syn::ExprPath,
}

impl VisitMut for Replacer {
    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        if let syn::Expr::Path(path) = call.func.as_ref()
            && path.path.is_ident("encode_path")
        {
            *call.func = syn::Expr::Path(self.encoder.clone());
        }
        syn::visit_mut::visit_expr_call_mut(self, call);
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        // `format!("{}/users/{}/…", self.baseurl, encode_path(&user_id.to_string()))`:
        // the call is inside the macro's tokens, which syn does not parse.
        mac.tokens = replace_in_tokens(std::mem::take(&mut mac.tokens), &self.encoder);
    }
}

/// Replace the identifier `encode_path` directly followed by `( … )` with the encoder's
/// path, at any depth of the token tree.
fn replace_in_tokens(tokens: TokenStream, encoder: &syn::ExprPath) -> TokenStream {
    let mut out = TokenStream::new();
    let mut iter = tokens.into_iter().peekable();
    while let Some(tree) = iter.next() {
        match tree {
            TokenTree::Ident(ident)
                if ident == "encode_path"
                    && matches!(iter.peek(), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis) =>
            {
                out.extend(encoder.to_token_stream());
            }
            TokenTree::Group(group) => {
                let mut replaced = Group::new(
                    group.delimiter(),
                    replace_in_tokens(group.stream(), encoder),
                );
                replaced.set_span(group.span());
                out.extend([TokenTree::Group(replaced)]);
            }
            other => out.extend([other]),
        }
    }
    out
}
