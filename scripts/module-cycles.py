#!/usr/bin/env python3
"""No import cycles between the modules of src/ and of codegen/src/.

A module depends on every `crate::name` its file mentions (code or docs); the crate root
(lib.rs, main.rs) re-exports everything and is left out. In src/, `generated` also
depends on `runtime` (the code it includes names only that module), and `types` and `raw`
are the root's names for generated code. Prints the modules' dependencies and exits 1
naming a cycle if there is one.

Usage: python3 scripts/module-cycles.py
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def graph(src, extra, aliases):
    deps = {}
    for path in sorted(src.rglob("*.rs")):
        rel = path.relative_to(src)
        if rel.name in ("lib.rs", "main.rs"):
            continue
        name = rel.parts[0].removesuffix(".rs")
        text = path.read_text()
        found = {aliases.get(m, m) for m in re.findall(r"crate::([a-z_]+)", text)}
        deps.setdefault(name, set()).update(found - {name})
    for name, more in extra.items():
        deps.setdefault(name, set()).update(more)
    return deps


def cycle(deps):
    state = {}

    def visit(node, stack):
        state[node] = "open"
        for nxt in sorted(deps.get(node, ())):
            if nxt not in deps:
                continue
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt, stack + [nxt])
                if found:
                    return found
        state[node] = "done"
        return None

    for node in sorted(deps):
        if node not in state:
            found = visit(node, [node])
            if found:
                return found
    return None


failed = False
for src, extra, aliases in [
    (ROOT / "src", {"generated": {"runtime"}}, {"types": "generated", "raw": "generated"}),
    (ROOT / "codegen" / "src", {}, {}),
    (ROOT / "emulator" / "src", {}, {}),
]:
    deps = graph(src, extra, aliases)
    label = src.relative_to(ROOT)
    for name in sorted(deps):
        print(f"{label}: {name} -> {', '.join(sorted(deps[name] & deps.keys())) or '-'}")
    found = cycle(deps)
    if found:
        print(f"module-cycles: {label} has an import cycle: {' -> '.join(found)}", file=sys.stderr)
        failed = True
if failed:
    sys.exit(1)
print("module-cycles: no import cycle in src/ or codegen/src/")
