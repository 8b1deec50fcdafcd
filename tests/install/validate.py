#!/usr/bin/env python3
"""validate.py SCHEMA DOCUMENT: validate one JSON document against a JSON Schema
(draft 2020-12) with python3-jsonschema. Prints every error (path: message)
and exits 1 if there is any, 2 if a file cannot be read, 0 if it validates.
The schema itself is checked first, so a broken schema fails loudly too."""
import json
import sys

import jsonschema


def main():
    if len(sys.argv) != 3:
        print("usage: validate.py SCHEMA DOCUMENT", file=sys.stderr)
        return 2
    try:
        with open(sys.argv[1], encoding="utf-8") as f:
            schema = json.load(f)
        with open(sys.argv[2], encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        print(f"validate.py: {e}", file=sys.stderr)
        return 2
    cls = jsonschema.Draft202012Validator
    cls.check_schema(schema)
    errors = sorted(cls(schema).iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errors:
        path = "/".join(str(p) for p in e.absolute_path) or "(document)"
        print(f"{sys.argv[2]}: {path}: {e.message[:300]}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
