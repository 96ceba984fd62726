//! Response bodies are decoded by the crate's own `from_response`, which moves the
//! response's headers into the result instead of copying them.
//!
//! progenitor's `ResponseValue::from_response` clones the whole header map (it needs the
//! headers after `bytes()` consumes the response): on every call, one allocation per
//! header plus the map's, for headers that are dropped with the response a moment later.
//! This transform replaces every `ResponseValue::from_response(...)` call in the generated
//! methods with [`DECODER`], which takes the headers out of the response before reading
//! its body and otherwise does the same: same result type, same errors.

use syn::visit_mut::VisitMut;

/// The runtime function the generated code calls instead of
/// `ResponseValue::from_response`.
pub const DECODER: &str = "from_response";

/// Replace every call of `ResponseValue::from_response` with [`DECODER`].
pub fn apply(file: &mut syn::File) -> Result<(), String> {
    let decoder = super::runtime_item(DECODER)?;
    Replacer { decoder }.visit_file_mut(file);
    Ok(())
}

struct Replacer {
    decoder: syn::ExprPath,
}

impl VisitMut for Replacer {
    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        if let syn::Expr::Path(path) = call.func.as_ref() {
            let names: Vec<String> = path
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            if names.ends_with(&["ResponseValue".to_owned(), "from_response".to_owned()]) {
                *call.func = syn::Expr::Path(self.decoder.clone());
            }
        }
        syn::visit_mut::visit_expr_call_mut(self, call);
    }
}
