//! Drop the `api-version` request header progenitor adds to every request.
//!
//! progenitor sends `api-version: <info.version>` (here `v1.0`) on every call. Graph
//! selects the version by the URL segment (`/v1.0`, `/beta`) and documents no such
//! header, so it is noise on the wire that a proxy or a future Graph could misread.

use syn::visit_mut::VisitMut;

/// Remove every statement that appends the `api-version` header.
pub fn apply(file: &mut syn::File) -> Result<(), String> {
    Remover.visit_file_mut(file);
    Ok(())
}

struct Remover;

impl VisitMut for Remover {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        block.stmts.retain(|stmt| !appends_api_version(stmt));
        syn::visit_mut::visit_block_mut(self, block);
    }
}

/// Whether `stmt` is `header_map.append(HeaderName::from_static("api-version"), …);`.
fn appends_api_version(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::MethodCall(call), _) = stmt else {
        return false;
    };
    let on_header_map =
        matches!(call.receiver.as_ref(), syn::Expr::Path(p) if p.path.is_ident("header_map"));
    let names_api_version = match call.args.first() {
        Some(syn::Expr::Call(name)) => name.args.iter().any(|arg| {
            matches!(arg, syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. })
                if s.value() == "api-version")
        }),
        _ => false,
    };
    call.method == "append" && on_header_map && names_api_version
}
