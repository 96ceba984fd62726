#!/usr/bin/env python3
"""No operation fact restated by hand in the doc comments of src/.

An operation's path, method and retry class are facts of the OpenAPI document; the
tables users read are generated from it, and the generated `Operation` carries them in
its docs. A hand-written doc comment (`///`, `//!`) in src/ that restates one goes stale
when the spec changes, so it is refused:

* a method with a path (`GET /me/…`, `POST …/createOrGet`);
* a path: a `/` followed by a literal segment of a spec path (`/onlineMeetings`,
  `/transcripts`, `/me`), or a path parameter in braces (`{meetingId}`);
* in a resource's folder (every folder of src/ but runtime/): a retry class
  (`retried`, `idempotent`, `retry`), which the handle's operation says;
* in the runtime: a retry class next to an operation's name (`create`, `update`,
  `createOrGet`, `get`, …): the runtime says what a class means, not which operations
  have it.

Prints each offending line as FILE:LINE: TEXT and exits 1 if there is one.

Usage: python3 scripts/restated-facts.py [--root DIR]
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
if len(sys.argv) == 3 and sys.argv[1] == "--root":
    ROOT = pathlib.Path(sys.argv[2]).resolve()

SPEC = ROOT / "openapi" / "onlinemeetings.yaml"

spec = SPEC.read_text()
paths = re.findall(r"^  [\"']?(/[^\"'\n]+?)[\"']?:\s*$", spec, re.M)
literals = set()
parameters = set()
for path in paths:
    for segment in path.strip("/").split("/"):
        parameters.update(re.findall(r"\{([A-Za-z]+)\}", segment))
        name = segment.split("(")[0]
        if name and "{" not in name:
            literals.add(name)
if not literals or not parameters:
    sys.exit(f"restated-facts: no paths or path parameters found in {SPEC}")

method_path = re.compile(r"\b(GET|POST|PATCH|PUT|DELETE)\s+`?[/…]")
path_fragment = re.compile(
    r"(?<![A-Za-z0-9_.:])/(" + "|".join(sorted(map(re.escape, literals), key=len, reverse=True)) + r")\b"
)
parameter = re.compile(r"\{(" + "|".join(map(re.escape, sorted(parameters))) + r")\}")
retry_class = re.compile(r"(?i)\b(retried|retries|idempotent)\b")
operation_name = re.compile(
    r"(?i)\b(create|update|delete|get|reads?|find|createOrGet|list)\b"
)

failures = []
for path in sorted((ROOT / "src").rglob("*.rs")):
    rel = path.relative_to(ROOT)
    parts = path.relative_to(ROOT / "src").parts
    folder = parts[0] if len(parts) > 1 else None
    for number, line in enumerate(path.read_text().splitlines(), 1):
        stripped = line.lstrip()
        if not (stripped.startswith("///") or stripped.startswith("//!")):
            continue
        text = stripped[3:]
        # Code in a doc example is code, not prose.
        why = None
        if method_path.search(text):
            why = "a method and a path"
        elif path_fragment.search(text):
            why = "a path"
        elif parameter.search(text):
            why = "a path parameter"
        elif folder not in (None, "runtime") and retry_class.search(text):
            why = "a retry class (the handle's operation says it)"
        elif folder == "runtime" and retry_class.search(text) and operation_name.search(text):
            why = "a retry class with an operation's name"
        if why:
            failures.append(f"{rel}:{number}: {why}: {text.strip()}")

for failure in failures:
    print(failure)
if failures:
    print(
        f"restated-facts: {len(failures)} doc comment line(s) in src/ restate an operation's "
        "path or retry class: link the operation (`Operation::…`) instead; the spec is "
        "the one place",
        file=sys.stderr,
    )
    sys.exit(1)
print(f"restated-facts: no path or retry class restated in the doc comments of src/ ({len(literals)} literal segments, {len(parameters)} parameters)")
