"""Text translated at import time is frozen in whatever language was active then.

Class attributes and module constants must use `gettext_lazy`; `gettext` is for code that runs per
request. This walks the project's modules and names any eager call outside a function.
"""

import ast
from pathlib import Path

from django.conf import settings

APPS = ["jmu_planner", "plans", "reporting", "stakeholders"]


def eager_names(tree: ast.Module) -> set[str]:
    """Local names bound to django.utils.translation's eager functions."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.name in {"gettext", "ngettext", "pgettext"}:
                    names.add(alias.asname or alias.name)
    return names


def calls_outside_functions(node: ast.AST, names: set[str]):
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if isinstance(child, ast.Call) and isinstance(child.func, ast.Name) and child.func.id in names:
            yield child
        yield from calls_outside_functions(child, names)


def test_no_text_is_translated_at_import_time():
    offenders = []
    for app in APPS:
        for path in Path(settings.BASE_DIR, app).rglob("*.py"):
            if "migrations" in path.parts or "tests" in path.parts:
                continue
            tree = ast.parse(path.read_text())
            names = eager_names(tree)
            offenders += [
                f"{path.relative_to(settings.BASE_DIR)}:{call.lineno}"
                for call in calls_outside_functions(tree, names)
            ]
    assert offenders == []
