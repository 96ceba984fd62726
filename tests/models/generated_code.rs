//! The snapshot lock: the code that was compiled into this crate, exactly as `build.rs`
//! wrote it to `$OUT_DIR/codegen.rs`, cut into one section per schema and per operation
//! (`types__online_meeting`, `ops__create_or_get_online_meeting`, `operations`, `client`),
//! each of which must match its reviewed snapshot in `tests/models/snapshots/`. Any spec
//! change or generator upgrade fails here until a maintainer reviews the diff with
//! `cargo insta review` and commits the accepted snapshots; `meetings-codegen check`
//! runs the same comparison without building the crate.

#[test]
fn generated_code_matches_the_reviewed_snapshots() {
    let compiled = include_str!(concat!(env!("OUT_DIR"), "/codegen.rs"));
    let sections = graph_online_meetings_codegen::sections(compiled)
        .unwrap_or_else(|e| panic!("the compiled code parses: {e}"));
    assert!(
        sections
            .iter()
            .any(|(name, _)| name == "types__online_meeting")
    );
    for (name, code) in sections {
        insta::assert_snapshot!(name, code);
    }
}

/// Every `crate::` path of the compiled code goes through the one runtime module.
#[test]
fn the_compiled_code_uses_only_the_runtime_module() {
    let compiled = include_str!(concat!(env!("OUT_DIR"), "/codegen.rs"));
    let compact: String = compiled.chars().filter(|c| !c.is_whitespace()).collect();
    let runtime = format!("{}::", graph_online_meetings_codegen::RUNTIME);
    let mut count = 0;
    for (at, _) in compact.match_indices("crate::") {
        let path = &compact[at..];
        assert!(
            path.starts_with(&runtime),
            "a path outside the runtime module: {}",
            &path[..path.len().min(60)]
        );
        count += 1;
    }
    assert!(count > 0, "the compiled code names the runtime module");
}
