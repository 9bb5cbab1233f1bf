"""docs/configuration.md lists exactly the environment variables the hub reads, with the
defaults the code uses: parsed from the source, so a new or removed variable fails here."""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "docs" / "configuration.md"
# Every module that reads configuration from the environment.
READERS = [
    *sorted((ROOT / "hub" / "settings").glob("*.py")),
    ROOT / "manage.py",
    ROOT / "hub" / "wsgi.py",
    ROOT / "hub" / "asgi.py",
]
# The settings' own helpers (hub/settings/base.py) and their implicit defaults.
HELPERS = {"env_bool": False, "env_list": ""}
# Modules that touch os.environ for something other than configuration.
NOT_CONFIGURATION = {
    # Django's autoreloader marks its child process (`run_worker --reload`).
    "hub/management/commands/run_worker.py",
}
APP_PACKAGES = ("hub", "pages", "feeds", "embeds", "webhooks", "imports")
NO_DEFAULT = object()


def is_environ(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def env_call(node: ast.Call) -> tuple[ast.expr | None, object] | None:
    """(name expression, default expression or a plain default) of an environment read."""
    func = node.func
    args = node.args
    default: object = NO_DEFAULT
    if isinstance(func, ast.Attribute) and (
        (func.attr in {"get", "setdefault"} and is_environ(func.value))
        or (func.attr == "getenv" and isinstance(func.value, ast.Name))
    ):
        if len(args) > 1:
            default = args[1]
        return args[0], default
    if isinstance(func, ast.Name) and func.id in HELPERS:
        default = args[1] if len(args) > 1 else HELPERS[func.id]
        for keyword in node.keywords:
            if keyword.arg == "default":
                default = keyword.value
        return args[0], default
    if (
        isinstance(func, ast.Attribute)
        and func.attr == "config"
        and isinstance(func.value, ast.Name)
        and func.value.id == "dj_database_url"
    ):
        env = next((k.value for k in node.keywords if k.arg == "env"), None)
        return env if env is not None else ast.Constant("DATABASE_URL"), NO_DEFAULT
    return None


def loop_values(tree: ast.Module) -> dict[str, list[str]]:
    """`for name in ("A", "B"):` → {"name": ["A", "B"]}, for reads through a loop variable."""
    values: dict[str, list[str]] = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.For)
            and isinstance(node.target, ast.Name)
            and isinstance(node.iter, ast.Tuple | ast.List)
            and all(
                isinstance(e, ast.Constant) and isinstance(e.value, str)
                for e in node.iter.elts
            )
        ):
            values[node.target.id] = [e.value for e in node.iter.elts]  # type: ignore[attr-defined]
    return values


def helper_bodies(tree: ast.Module) -> set[ast.AST]:
    """Nodes inside env_bool/env_list themselves: they read whatever name they are given."""
    inside: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name in HELPERS:
            inside.update(ast.walk(node))
    return inside


def reads(path: Path) -> Iterator[tuple[str, object]]:
    """Every (variable, default) the module reads from the environment."""
    tree = ast.parse(path.read_text(), filename=str(path))
    loops = loop_values(tree)
    skip = helper_bodies(tree)
    for node in ast.walk(tree):
        if node in skip:
            continue
        found: tuple[ast.expr | None, object] | None = None
        if isinstance(node, ast.Call):
            found = env_call(node)
        elif isinstance(node, ast.Subscript) and is_environ(node.value):
            found = node.slice, NO_DEFAULT
        if found is None:
            continue
        name, default = found
        where = f"{path.relative_to(ROOT)}:{node.lineno}"  # type: ignore[attr-defined]
        if isinstance(name, ast.Constant) and isinstance(name.value, str):
            yield name.value, default
        elif isinstance(name, ast.Name) and name.id in loops:
            for value in loops[name.id]:
                yield value, default
        else:
            pytest.fail(f"{where}: cannot tell which variable this reads")


def literal(node: object) -> object:
    """The default's value when the code spells it as a literal (arithmetic and str()
    included), else NO_DEFAULT."""
    if not isinstance(node, ast.AST):
        return node
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult | ast.Add):
        left, right = literal(node.left), literal(node.right)
        if isinstance(left, int) and isinstance(right, int):
            return left * right if isinstance(node.op, ast.Mult) else left + right
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "str"
        and len(node.args) == 1
    ):
        value = literal(node.args[0])
        if value is not NO_DEFAULT:
            return str(value)
    return NO_DEFAULT


def code_reads() -> dict[str, list[object]]:
    variables: dict[str, list[object]] = {}
    for path in READERS:
        for name, default in reads(path):
            variables.setdefault(name, []).append(literal(default))
    return variables


def documented() -> dict[str, list[str]]:
    """Rows of the reference's tables: variable → [default, meaning, example]."""
    rows: dict[str, list[str]] = {}
    for line in REFERENCE.read_text().splitlines():
        match = re.match(r"^\| `([A-Z][A-Z0-9_]*)` \|(.*)\|$", line)
        if match:
            name, rest = match.groups()
            assert name not in rows, f"{name} is listed twice"
            rows[name] = [cell.strip() for cell in rest.split(" | ")]
    return rows


def test_the_reader_finds_the_variables_it_should():
    variables = code_reads()
    # One of each way of reading: os.environ.get, os.environ[...], env_bool, env_list,
    # dj-database-url, a loop over names, os.environ.setdefault.
    for name in (
        "SITE_BASE_URL",
        "EMAIL_HOST",
        "SECURE_SSL_REDIRECT",
        "CSRF_TRUSTED_ORIGINS",
        "DATABASE_URL",
        "HUB_PROCESSES",
        "WEB_CONCURRENCY",
        "DJANGO_SETTINGS_MODULE",
    ):
        assert name in variables
    assert 60 * 60 * 24 * 365 in variables["SECURE_HSTS_SECONDS"]
    assert "localhost,127.0.0.1,[::1]" in variables["ALLOWED_HOSTS"]


def test_every_variable_the_code_reads_is_documented_and_nothing_else():
    in_code = set(code_reads())
    in_doc = set(documented())
    assert not in_code - in_doc, (
        f"read but not in docs/configuration.md: {sorted(in_code - in_doc)}"
    )
    assert not in_doc - in_code, (
        f"in docs/configuration.md but never read: {sorted(in_doc - in_code)}"
    )


def test_every_row_has_a_default_a_meaning_and_an_example():
    for name, cells in documented().items():
        assert len(cells) == 3, (
            f"{name}: expected default | meaning | example, got {cells}"
        )
        assert all(cells), f"{name}: an empty cell in {cells}"
        default, meaning, example = cells
        assert example.startswith("`") and example.endswith("`"), f"{name}: {example}"


def test_the_documented_defaults_are_the_codes():
    rows = documented()
    for name, defaults in code_reads().items():
        for value in defaults:
            if value is NO_DEFAULT or value == "":
                continue
            text = str(value).lower() if isinstance(value, bool) else str(value)
            assert f"`{text}`" in rows[name][0], (
                f"{name}: the code's default {text!r} is not in {rows[name][0]!r}"
            )


def test_no_other_module_reads_the_environment():
    readers = {path.resolve() for path in READERS}
    found = set()
    for package in APP_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if path.resolve() in readers:
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            if any(
                is_environ(node)
                or (isinstance(node, ast.Attribute) and node.attr == "getenv")
                or (isinstance(node, ast.Name) and node.id in {"environ", "getenv"})
                for node in ast.walk(tree)
            ):
                found.add(str(path.relative_to(ROOT)))
    assert found == NOT_CONFIGURATION, (
        "read the environment outside the settings: add the module to READERS and its "
        f"variables to docs/configuration.md: {sorted(found - NOT_CONFIGURATION)}"
    )


def test_the_readme_points_to_the_reference():
    readme = (ROOT / "README.md").read_text()
    assert "](docs/configuration.md)" in readme
