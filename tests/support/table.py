"""The Heed table for tests, built from the same definition template.yaml deploys."""

from __future__ import annotations

from typing import Any

import boto3

from infra.stack import load_template

TABLE_NAME = "heed-test"


def table_definition() -> dict[str, Any]:
    props = dict(load_template()["Resources"]["HeedTable"]["Properties"])
    keep = ("BillingMode", "AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes")
    return {k: props[k] for k in keep}


def create_table(name: str = TABLE_NAME, *, session: Any = None) -> Any:
    """Create the table (inside `mock_aws`, or against any endpoint) and return the boto3 Table."""
    session = session or boto3.session.Session()
    client = session.client("dynamodb")
    client.create_table(TableName=name, **table_definition())
    client.get_waiter("table_exists").wait(TableName=name)
    return session.resource("dynamodb").Table(name)
