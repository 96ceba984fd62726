#!/usr/bin/env python3
"""No import cycles between the modules of src/, codegen/src/ and emulator/src/, and no
file of the client's runtime (src/runtime/) that imports a resource (another folder of
src/, such as src/online_meetings/).

A module is a file (a folder's mod.rs is the folder). It depends on every module a
`crate::a::b` path in it names (code or docs), on `super::x`, and, in a mod.rs, on the
child modules it re-exports with `use x::…`. A `crate::Name` path resolves through the
crate root's `pub use` lines to the module that defines Name: in code for the cycle
check, in code and docs for the runtime's (its docs name no resource either). The crate
root (lib.rs, main.rs) re-exports everything and is left out. In src/, `generated` also depends on
`runtime` (the code it includes names only that module), and `types` and `raw` are the
root's names for generated code. Prints the modules' dependencies and exits 1 naming a
cycle or a runtime file that imports a resource.

Usage: python3 scripts/module-cycles.py [--root DIR]
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
if len(sys.argv) == 3 and sys.argv[1] == "--root":
    ROOT = pathlib.Path(sys.argv[2]).resolve()

RUNTIME = "runtime"


def module_name(src, path):
    rel = path.relative_to(src).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "mod":
        parts = parts[:-1]
    return "/".join(parts)


def root_exports(src):
    """Names the crate root re-exports, mapped to the module path they come from."""
    exports = {}
    for root in ("lib.rs", "main.rs"):
        path = src / root
        if not path.exists():
            continue
        text = path.read_text()
        for module, names in re.findall(r"pub use ([a-z_][a-z_0-9:]*)::\{([^}]*)\};", text, re.S):
            for name in re.findall(r"\b([A-Za-z_][A-Za-z_0-9]*)\b", names):
                exports.setdefault(name, module)
        for module, name in re.findall(r"pub use ([a-z_][a-z_0-9:]*)::([A-Za-z_][A-Za-z_0-9]*);", text):
            exports.setdefault(name, module)
    return exports


def resolve(parts, nodes):
    """The longest module path of `parts` that is a module."""
    for end in range(len(parts), 0, -1):
        candidate = "/".join(parts[:end])
        if candidate in nodes:
            return candidate
    return None


def graph(src, extra, aliases, docs_resolve_names):
    files = {}
    for path in sorted(src.rglob("*.rs")):
        if path.parent == src and path.name in ("lib.rs", "main.rs"):
            continue
        files[module_name(src, path)] = path
    nodes = set(files) | set(extra)
    exports = root_exports(src)
    deps = {}
    for name, path in files.items():
        text = path.read_text()
        code = "\n".join(
            line for line in text.splitlines() if not line.lstrip().startswith("//")
        )
        found = set()
        paths = re.findall(r"crate::((?:[A-Za-z_][A-Za-z_0-9]*::)*[A-Za-z_][A-Za-z_0-9]*)", text)
        named = set(re.findall(r"crate::([A-Z][A-Za-z_0-9]*)", text if docs_resolve_names else code))
        for chain in paths:
            parts = chain.split("::")
            head = aliases.get(parts[0], parts[0])
            if head[0].isupper():
                if head not in named or head not in exports:
                    continue
                parts = exports[head].split("::")
                head = aliases.get(parts[0], parts[0])
            target = resolve([head] + parts[1:], nodes)
            if target:
                found.add(target)
        folder = name if path.name == "mod.rs" else name.rpartition("/")[0]
        parent = folder if path.name != "mod.rs" else folder.rpartition("/")[0]
        for chain in re.findall(r"\bsuper::([a-z_][a-z_0-9]*)", text):
            target = resolve(([parent] if parent else []) + [chain], nodes)
            if target:
                found.add(target)
        if path.name == "mod.rs":
            for chain in re.findall(r"^\s*pub(?:\([a-z]+\))? use ([a-z_][a-z_0-9]*)::", text, re.M):
                target = resolve(name.split("/") + [chain], nodes)
                if target:
                    found.add(target)
        deps[name] = found - {name}
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


def runtime_imports(src, deps):
    """(runtime module, resource module) pairs: the runtime names no resource."""
    resources = {p.name for p in src.iterdir() if p.is_dir() and p.name != RUNTIME}
    bad = []
    for name in sorted(deps):
        if name.split("/")[0] != RUNTIME:
            continue
        for target in sorted(deps[name]):
            if target.split("/")[0] in resources:
                bad.append((name, target))
    return bad


failed = False
for src, extra, aliases, layered in [
    (ROOT / "src", {"generated": {RUNTIME}}, {"types": "generated", "raw": "generated"}, True),
    (ROOT / "codegen" / "src", {}, {}, False),
    (ROOT / "emulator" / "src", {}, {}, False),
]:
    if not src.is_dir():
        continue
    deps = graph(src, extra, aliases, docs_resolve_names=False)
    label = src.relative_to(ROOT)
    for name in sorted(deps):
        print(f"{label}: {name} -> {', '.join(sorted(deps[name] & deps.keys())) or '-'}")
    found = cycle(deps)
    if found:
        print(f"module-cycles: {label} has an import cycle: {' -> '.join(found)}", file=sys.stderr)
        failed = True
    if layered:
        for runtime, resource in runtime_imports(src, graph(src, extra, aliases, True)):
            print(
                f"module-cycles: {label}/{runtime} is in the runtime but imports the resource "
                f"module {resource}: the runtime names no resource (a resource registers "
                "itself from its own folder)",
                file=sys.stderr,
            )
            failed = True
if failed:
    sys.exit(1)
print("module-cycles: no import cycle in src/, codegen/src/ or emulator/src/, and the runtime imports no resource")
