"""make lint: no module over 400 lines and no function over 50, outside migrations and tests.

Prints each offender with its length; exits 1 if there is one. Lines are counted as the
file has them (docstrings and comments included), from a function's ``def`` (or its first
decorator) to its last line.
"""

import ast
import sys
from pathlib import Path

MODULE_LINES = 400
FUNCTION_LINES = 50
SKIPPED_PARTS = {"migrations", "tests", "node_modules", ".venv", "e2e"}


def sources(root: Path) -> list[Path]:
    return sorted(
        path
        for path in root.rglob("*.py")
        if not SKIPPED_PARTS & set(path.relative_to(root).parts)
        and not path.name.startswith("test_")
        and path.name != "conftest.py"
    )


def offences(path: Path) -> list[str]:
    text = path.read_text()
    found = []
    lines = len(text.splitlines())
    if lines > MODULE_LINES:
        found.append(f"{path}: module of {lines} lines (at most {MODULE_LINES})")
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            length = (node.end_lineno or node.lineno) - start + 1
            if length > FUNCTION_LINES:
                found.append(
                    f"{path}:{start}: {node.name}() of {length} lines (at most {FUNCTION_LINES})"
                )
    return found


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    found = [line for path in sources(root) for line in offences(path)]
    print("\n".join(found) or "sizes: every module and function within bounds")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
