"""Every DynamoDB call goes through functions/heed/storage/: the rest of the code never touches a table
(keys, conditions and pagination stay in one place), and only storage/pages.py follows a
LastEvaluatedKey."""

from __future__ import annotations

import ast
from pathlib import Path

HEED = Path(__file__).resolve().parents[2] / "functions" / "heed"
STORAGE = HEED / "storage"
PAGINATION = STORAGE / "pages.py"

TABLE_METHODS = frozenset(
    {
        "get_item",
        "put_item",
        "update_item",
        "delete_item",
        "query",
        "scan",
        "batch_writer",
        "batch_get_item",
        "batch_write_item",
        "transact_get_items",
        "transact_write_items",
        "execute_statement",
        "execute_transaction",
    }
)

# Being rewritten by other engineers right now; none of them calls a table today. Remove each name
# once its rewrite has landed and the check passes without it.
# Nothing outside storage/ is exempt (the respond path, the task lifecycle and alerts were the last).
BEING_REWRITTEN: frozenset[str] = frozenset()


def direct_table_calls(source: str) -> list[str]:
    """`receiver.method` for each DynamoDB table method called, and each `.meta.client` reached."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in TABLE_METHODS
        ):
            found.append((node.lineno, ast.unparse(node.func)))
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "client"
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "meta"
        ):
            found.append((node.lineno, ast.unparse(node)))
    return [f"line {line}: {call}" for line, call in sorted(found)]


def _allowed(path: Path) -> bool:
    relative = path.relative_to(HEED).as_posix()
    return path.is_relative_to(STORAGE) or any(
        relative == name or relative.startswith(name + "/") for name in BEING_REWRITTEN
    )


def test_no_module_outside_storage_calls_a_table():
    offenders = {
        path.relative_to(HEED).as_posix(): calls
        for path in sorted(HEED.rglob("*.py"))
        if not _allowed(path) and (calls := direct_table_calls(path.read_text()))
    }
    assert offenders == {}, "move these DynamoDB calls into functions/heed/storage/"


def test_only_the_pagination_helper_follows_last_evaluated_key():
    followers = [
        path.relative_to(HEED).as_posix()
        for path in sorted(HEED.rglob("*.py"))
        if path != PAGINATION and "LastEvaluatedKey" in path.read_text()
    ]
    assert followers == [], "paginate with heed.storage.pages.query_all"


def test_the_allow_list_names_files_that_exist():
    assert all((HEED / name).exists() for name in BEING_REWRITTEN)


def test_the_check_sees_table_calls_in_any_form():
    source = """
def f(table, self):
    table.query(KeyConditionExpression=k)
    self._table.update_item(Key=k)
    with table.batch_writer() as batch:
        pass
    table.meta.client.transact_write_items(TransactItems=[])
    table.name
    requests.get(url)
"""
    assert direct_table_calls(source) == [
        "line 3: table.query",
        "line 4: self._table.update_item",
        "line 5: table.batch_writer",
        "line 7: table.meta.client",
        "line 7: table.meta.client.transact_write_items",
    ]
