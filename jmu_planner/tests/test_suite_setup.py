"""The test suite's own set-up keeps Django's guards where the product has them."""

import ast
import asyncio
import os
from pathlib import Path

import pytest
from django.core.exceptions import SynchronousOnlyOperation

from stakeholders.models import LSG


@pytest.mark.django_db
def test_the_orm_refuses_a_query_from_async_code_outside_browser_tests():
    """DJANGO_ALLOW_ASYNC_UNSAFE is for Playwright's event loop only (the `browser` fixture): any
    other test that queries from async code by mistake fails as the site would."""

    async def count_lsgs() -> int:
        return LSG.objects.count()

    assert "DJANGO_ALLOW_ASYNC_UNSAFE" not in os.environ
    with pytest.raises(SynchronousOnlyOperation):
        asyncio.run(count_lsgs())


def test_no_test_module_imports_another_test_module_or_a_conftest():
    """Shared steps live in fixtures (conftest.py) or helper modules (helpers.py, worlds.py,
    factories.py, browser.py): importing a test module runs its collection twice and hides which
    tests depend on which."""
    root = Path(__file__).resolve().parents[2]
    found = []
    apps = ("jmu_planner", "stakeholders", "plans", "reporting")
    for path in (path for app in apps for path in (root / app).glob("**/tests/**/*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            last_parts = {name.rsplit(".", 1)[-1] for name in names}
            if any(part.startswith("test_") or part == "conftest" for part in last_parts):
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    assert not found, f"imports of test modules or conftest: {found}"
