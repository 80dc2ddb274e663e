"""Every module of the core and of the registry is placed in a layer of `.importlinter`, so that a new
module cannot slip past the layer contracts (`lint-imports` in `make lint` checks the contracts)."""

import configparser
import pkgutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Modules above the layers they sit in: the project's wiring, the demo, the engagements and the
# experts' work (the contracts forbid the lower layers to import them), and what only tests load.
ABOVE = {
    "jmu_planner": {"urls", "views", "pwa", "api", "wsgi", "asgi", "tests", "admin", "migrations"},
    "stakeholders": {
        "urls",
        "apps",
        "demo",
        "engagements",
        "experts",
        "management",
        "migrations",
        "tests",
        "conftest",
        "data",
    },
}
CONTRACT = {"jmu_planner": "core", "stakeholders": "registry"}


def contract_modules(name: str) -> set[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    return set(config[f"importlinter:contract:{name}"]["source_modules"].split())


@pytest.mark.parametrize("package", ["jmu_planner", "stakeholders"])
def test_every_module_is_in_a_layer(package):
    listed = {name.split(".", 1)[1] for name in contract_modules(CONTRACT[package])}
    found = {module.name for module in pkgutil.iter_modules([str(ROOT / package)])}
    unplaced = found - listed - ABOVE[package]
    assert not unplaced, (
        f"Name these {package} modules in .importlinter's {CONTRACT[package]} contract: {unplaced}"
    )


def test_the_listed_modules_exist():
    for package, contract in CONTRACT.items():
        found = {module.name for module in pkgutil.iter_modules([str(ROOT / package)])}
        missing = {name.split(".", 1)[1] for name in contract_modules(contract)} - found
        assert not missing, f".importlinter names modules that are gone: {missing}"
