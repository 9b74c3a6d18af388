"""formsengine is a pure library: no web framework, database, portal or funding rules."""

import ast
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "formsengine"
FORBIDDEN = {
    "flask",
    "flask_login",
    "flask_wtf",
    "wtforms",
    "sqlalchemy",
    "alembic",
    "psycopg",
    "portal",
    "citizen_portal",
    "admin",
    "earlyyears",
    "jinja2",
    "werkzeug",
    "requests",
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_no_engine_module_imports_flask_sqlalchemy_portal_or_earlyyears():
    offenders = {
        str(path.relative_to(ENGINE)): sorted(imported_modules(path) & FORBIDDEN) for path in ENGINE.rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_importing_the_engine_loads_none_of_them():
    code = (
        "import sys, formsengine, formsengine.cli;"
        "import formsengine.runtime, formsengine.loader, formsengine.versions;"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {sorted(FORBIDDEN)!r}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_no_eval_or_exec_in_the_engine():
    for path in ENGINE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        calls = {
            node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        }
        assert not calls & {"eval", "exec", "compile", "__import__"}, path
