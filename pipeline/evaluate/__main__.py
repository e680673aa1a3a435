"""Dispatch ``python -m pipeline.evaluate NAME`` to ``pipeline.evaluate.NAME:main``."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import pipeline.evaluate as _package


def _available() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(_package.__path__) if not m.name.startswith("_"))


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    names = _available()
    if not args or args[0] in {"-h", "--help"}:
        print("usage: python -m pipeline.evaluate NAME [ARGS...]\n\nNAME is one of: " + ", ".join(names))
        return 0 if args else 2
    name, rest = args[0], args[1:]
    if name not in names:
        print(f"unknown evaluation {name!r}; choose one of: {', '.join(names)}", file=sys.stderr)
        return 2
    module = importlib.import_module(f"pipeline.evaluate.{name}")
    return int(module.main(rest) or 0)


if __name__ == "__main__":
    sys.exit(main())
