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
        block.stmts.retain(|stmt| {
            let text = quote::quote!(#stmt).to_string();
            !(text.contains("header_map") && text.contains("\"api-version\""))
        });
        syn::visit_mut::visit_block_mut(self, block);
    }
}
