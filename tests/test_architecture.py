"""The layout holds its architecture (README, "What is where"): data apps never import UI apps,
no two apps import each other, no module imports another app's private names, and no text is
translated when a module is imported (it would stay in the language active at that moment)."""

import ast
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_APPS = ("frameworks", "risks", "indicators")
UI_APPS = ("dashboards", "workspace", "api", "opendata", "reports", "notifications")
APPS = DATA_APPS + UI_APPS
PROJECT_ROOT_MODULES = (
    "itu_rbm/settings.py",
    "itu_rbm/urls.py",
    "itu_rbm/wsgi.py",
    "itu_rbm/asgi.py",
)
"""The project's wiring, which names the apps; every other module of itu_rbm is a small shared
library and imports no app."""


def python_files(package: str):
    return sorted((ROOT / package).rglob("*.py"))


def imports_of(path: Path):
    """(imported module, imported names) of every import in a module, however nested."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = path.relative_to(ROOT).parts[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, ()
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # relative: within the module's own package
                module = f"{package}.{module}" if module else package
            yield module, tuple(alias.name for alias in node.names)


def app_of(module: str) -> str | None:
    top = module.split(".")[0]
    return top if top in APPS else None


def app_dependencies() -> dict[str, set[str]]:
    depends = defaultdict(set)
    for app in APPS:
        for path in python_files(app):
            for module, _names in imports_of(path):
                other = app_of(module)
                if other and other != app:
                    depends[app].add(other)
    return depends


def test_data_apps_import_no_ui_app():
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for app in DATA_APPS
        for path in python_files(app)
        for module, _names in imports_of(path)
        if module.split(".")[0] in UI_APPS
    ]
    assert offenders == []


def test_no_two_apps_import_each_other():
    depends = app_dependencies()
    cycles = sorted(
        f"{a} <-> {b}" for a in depends for b in depends[a] if a < b and a in depends.get(b, ())
    )
    assert cycles == []


def test_dependencies_run_one_way():
    """The order of the README: frameworks <- risks, indicators <- the UI apps."""
    depends = app_dependencies()
    assert depends["frameworks"] == set()
    assert depends["risks"] <= {"frameworks"}
    assert depends["indicators"] <= {"frameworks"}
    for ui in UI_APPS:
        assert depends[ui] <= {*DATA_APPS, *UI_APPS} - {ui}


def test_shared_library_imports_no_app():
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in python_files("itu_rbm")
        if str(path.relative_to(ROOT)) not in PROJECT_ROOT_MODULES
        for module, _names in imports_of(path)
        if app_of(module)
    ]
    assert offenders == []


def test_no_private_names_imported_across_apps():
    offenders = []
    for package in (*APPS, "itu_rbm", "tests"):
        for path in python_files(package):
            for module, names in imports_of(path):
                if module.split(".")[0] == package:
                    continue
                imported = [*names, *module.split(".")[1:]]
                private = [
                    name for name in imported if name.startswith("_") and not name.startswith("__")
                ]
                if (private and app_of(module)) or (private and module.startswith("itu_rbm")):
                    offenders.append(f"{path.relative_to(ROOT)}: {module} {private}")
    assert offenders == []


# --- translations are looked up when used, never at import -----------------------------------

EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}


def eager_aliases(tree) -> set[str]:
    """The names a module binds to the non-lazy gettext functions (`gettext as _`)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            names |= {alias.asname or alias.name for alias in node.names if alias.name in EAGER}
    return names


def calls_at_import(tree, eager: set[str]):
    """Calls of `eager` functions that run when the module is imported: at module level or in a
    class body (default arguments and decorators included), not inside a function."""
    found = []

    def visit(node, in_function: bool):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                # its decorators and defaults run at import; its body does not
                for part in [*getattr(child, "decorator_list", []), *child.args.defaults]:
                    visit(ast.Expression(part), in_function)
                continue
            if (
                not in_function
                and isinstance(child, ast.Call)
                and isinstance(child.func, ast.Name)
                and child.func.id in eager
            ):
                found.append(child.lineno)
            visit(child, in_function)

    visit(tree, False)
    return found


def test_no_text_translated_at_import():
    offenders = []
    for package in (*APPS, "itu_rbm"):
        for path in python_files(package):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            lines = calls_at_import(tree, eager_aliases(tree))
            offenders += [f"{path.relative_to(ROOT)}:{line}" for line in lines]
    assert offenders == []


def test_texts_follow_the_active_language_after_import_in_another():
    """Import every module with French active, then ask for the texts in English: what a tool is
    told must be English, not what the first request of the process happened to speak."""
    script = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itu_rbm.settings")
django.setup()
from django.utils import translation
translation.activate("fr")
import importlib, pkgutil
for app in APPS:
    package = importlib.import_module(app)
    for info in pkgutil.walk_packages(package.__path__, app + "."):
        if ".migrations" not in info.name and ".management" not in info.name:
            importlib.import_module(info.name)
translation.activate("en")
from api import figures, base
print(str(figures.PreconditionFailed.default_detail))
print(str(figures.ReportsFigures.message))
print(str(base.ERROR_DESCRIPTIONS["412"]))
""".replace("APPS", repr(APPS))
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    lines = result.stdout.strip().splitlines()
    assert lines == [
        "The figure has changed since the version this change is based on; read it again.",
        "Only reporters and administrators may report figures.",
        "The figure changed since the version the update was based on",
    ]
