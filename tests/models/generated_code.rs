//! The snapshot lock: the code that was compiled into this crate, exactly as `build.rs`
//! wrote it to `$OUT_DIR/codegen.rs`, must match the reviewed snapshot in
//! `tests/models/snapshots/`. Any spec change or generator upgrade fails here until a maintainer
//! reviews the diff with `cargo insta review` and commits the accepted snapshot.

#[test]
fn generated_code_matches_the_reviewed_snapshot() {
    let compiled = include_str!(concat!(env!("OUT_DIR"), "/codegen.rs"));
    insta::assert_snapshot!("generated_code", compiled);
}
