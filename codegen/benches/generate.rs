//! How long generation takes: from the crate's spec, and from synthetic specs of 10, 100
//! and 1,000 operations (each with its facts, over a few schemas) and of 1,000 schemas,
//! so that maintainers see how it grows.

use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use serde_json::{Map, Value, json};

fn synthetic(operations: usize, schemas: usize) -> String {
    let mut paths = Map::new();
    for i in 0..operations {
        paths.insert(
            format!("/things{i}/{{id}}"),
            json!({"get": {
                "operationId": format!("get_thing_{i}"),
                "x-idempotent": true,
                "x-permissions": {"delegated": ["Things.Read"], "application": []},
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/thing{}", i % schemas)}}}},
                    "4XX": {"description": "error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/error"}}}}
                }
            }}),
        );
    }
    let mut components = Map::new();
    components.insert(
        "error".into(),
        json!({"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}),
    );
    for i in 0..schemas {
        components.insert(
            format!("thing{i}"),
            json!({"type": "object", "properties": {
                "id": {"type": "string"},
                "name": {"type": "string", "nullable": true},
                "when": {"type": "string", "format": "date-time", "nullable": true},
                "kind": {"type": "string", "enum": ["a", "b", "unknownFutureValue"]},
                "tags": {"type": "array", "items": {"type": "string"}}
            }}),
        );
    }
    serde_json::to_string(&json!({
        "openapi": "3.0.3",
        "info": {"title": "synthetic", "version": "1"},
        "paths": Value::Object(paths),
        "components": {"schemas": Value::Object(components)}
    }))
    .expect("JSON")
}

fn generate(c: &mut Criterion) {
    let mut group = c.benchmark_group("generate");
    group.sample_size(10);
    let ours = Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/onlinemeetings.yaml");
    let text = std::fs::read_to_string(&ours).expect("the spec");
    group.bench_function("our_spec", |b| {
        b.iter(|| {
            graph_online_meetings_codegen::generate_from_str(&ours, black_box(&text))
                .expect("generates")
        })
    });
    for (operations, schemas) in [(10, 5), (100, 5), (1000, 5), (10, 1000)] {
        let spec = synthetic(operations, schemas);
        let name = Path::new("synthetic.json");
        group.bench_with_input(
            BenchmarkId::new("synthetic", format!("{operations}ops_{schemas}schemas")),
            &spec,
            |b, spec| {
                b.iter(|| {
                    graph_online_meetings_codegen::generate_from_str(name, black_box(spec))
                        .expect("generates")
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, generate);
criterion_main!(benches);
