"""The console's Cognito user pool on moto, from template.yaml's own definition.

moto's CloudFormation skips AWS::Cognito::* (it creates no pool), so the local stack reads the pool,
its app client and groups from the template and creates them through moto's Cognito API with the same
properties: the local sign-in follows the password policy, auth flows and groups a deploy gets.
Then the documented development users (DEV_USERS), with fixed passwords printed by `make serve`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

# Development users (local only; override the passwords with the variables named).
DEV_USERS: tuple[tuple[str, str, str, str], ...] = (
    ("lead@example.com", "Lee Lead", "lead", "HEED_DEV_LEAD_PASSWORD"),
    ("agent@example.com", "Ada Agent", "agent", "HEED_DEV_AGENT_PASSWORD"),
)
DEV_PASSWORD = "Heed-local-2026"  # meets the template's policy (12+, upper, lower, digit)


@dataclass(frozen=True)
class ConsolePool:
    user_pool_id: str
    client_id: str
    jwks_url: str


def _resource(template: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    return [
        dict(r.get("Properties", {}))
        for r in template.get("Resources", {}).values()
        if r.get("Type") == resource_type
    ]


def _plain(value: Any, stack_name: str) -> Any:
    """CloudFormation values the pool uses, resolved the simple way (Fn::Sub of names, Refs dropped)."""
    if isinstance(value, dict) and len(value) == 1:
        ((name, inner),) = value.items()
        if name == "Fn::Sub" and isinstance(inner, str):
            return inner.replace("${AWS::StackName}", stack_name).replace("${BrandName}", "Heed local")
        if name in ("Ref", "Fn::GetAtt", "Fn::If"):
            return None
    if isinstance(value, dict):
        return {k: v for k, v in ((k, _plain(v, stack_name)) for k, v in value.items()) if v is not None}
    if isinstance(value, list):
        return [v for v in (_plain(v, stack_name) for v in value) if v is not None]
    return value


def create_console_pool(
    cognito: Any, template: dict[str, Any], *, stack_name: str, endpoint_url: str
) -> ConsolePool:
    """The pool, app client and groups template.yaml declares, created on moto."""
    (pool_props,) = _resource(template, "AWS::Cognito::UserPool")
    (client_props,) = _resource(template, "AWS::Cognito::UserPoolClient")
    pool = _plain(pool_props, stack_name)
    pool_id = cognito.create_user_pool(
        PoolName=pool.get("UserPoolName", f"{stack_name}-console"),
        **{
            k: pool[k]
            for k in (
                "Policies",
                "UsernameAttributes",
                "AutoVerifiedAttributes",
                "MfaConfiguration",
                "AdminCreateUserConfig",
                "AccountRecoverySetting",
            )
            if k in pool
        },
    )["UserPool"]["Id"]
    client = _plain(client_props, stack_name)
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName=client.get("ClientName", "heed-console"),
        **{
            k: client[k]
            for k in (
                "GenerateSecret",
                "ExplicitAuthFlows",
                "PreventUserExistenceErrors",
                "ReadAttributes",
                "IdTokenValidity",
                "AccessTokenValidity",
                "RefreshTokenValidity",
                "TokenValidityUnits",
                "EnableTokenRevocation",
            )
            if k in client
        },
    )["UserPoolClient"]["ClientId"]
    for group in _resource(template, "AWS::Cognito::UserPoolGroup"):
        plain = _plain(group, stack_name)
        cognito.create_group(
            UserPoolId=pool_id, GroupName=plain["GroupName"], Description=plain.get("Description", "")
        )
    return ConsolePool(pool_id, client_id, f"{endpoint_url.rstrip('/')}/{pool_id}/.well-known/jwks.json")


def dev_password(variable: str) -> str:
    return os.environ.get(variable) or DEV_PASSWORD


def create_dev_users(cognito: Any, user_pool_id: str) -> list[tuple[str, str, str]]:
    """lead@example.com and agent@example.com, confirmed, with their development passwords."""
    created = []
    for email, name, group, variable in DEV_USERS:
        password = dev_password(variable)
        cognito.admin_create_user(
            UserPoolId=user_pool_id,
            Username=email,
            UserAttributes=[
                {"Name": "email", "Value": email},
                {"Name": "email_verified", "Value": "true"},
                {"Name": "name", "Value": name},
            ],
            MessageAction="SUPPRESS",
        )
        cognito.admin_set_user_password(
            UserPoolId=user_pool_id, Username=email, Password=password, Permanent=True
        )
        cognito.admin_add_user_to_group(UserPoolId=user_pool_id, Username=email, GroupName=group)
        created.append((email, password, group))
    return created
