"""The console's people in the Cognito user pool: invite (Cognito e-mails a temporary password),
list, remove. Used by `heed users` (a lead's AWS credentials) and the lead-only /console/api/users.

AdminCreateUser sends the invitation itself when no MessageAction is given
(https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html);
the user signs in with it and must choose a password (NEW_PASSWORD_REQUIRED).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

GROUPS = ("agent", "lead")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{2,}$")


class UserError(ValueError):
    pass


@dataclass
class Users:
    cognito: Any  # boto3 cognito-idp client
    user_pool_id: str

    def add(self, email: str, *, name: str = "", group: str = "agent", invite: bool = True) -> dict[str, Any]:
        email = email.strip().lower()
        if not _EMAIL.match(email):
            raise UserError("give a valid e-mail address")
        if group not in GROUPS:
            raise UserError(f"group must be one of {', '.join(GROUPS)}")
        attributes = [{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}]
        if name.strip():
            attributes.append({"Name": "name", "Value": name.strip()[:200]})
        params: dict[str, Any] = {
            "UserPoolId": self.user_pool_id,
            "Username": email,
            "UserAttributes": attributes,
            "DesiredDeliveryMediums": ["EMAIL"],
        }
        if not invite:
            params["MessageAction"] = "SUPPRESS"
        try:
            created = self.cognito.admin_create_user(**params)["User"]
        except Exception as exc:
            if _code(exc) == "UsernameExistsException":
                raise UserError(f"{email} is already a user") from None
            raise
        self.cognito.admin_add_user_to_group(UserPoolId=self.user_pool_id, Username=email, GroupName=group)
        return {**_user(created), "groups": [group]}

    def list(self) -> list[dict[str, Any]]:
        groups: dict[str, list[str]] = {}
        for group in GROUPS:
            for page in self.cognito.get_paginator("list_users_in_group").paginate(
                UserPoolId=self.user_pool_id, GroupName=group
            ):
                for user in page.get("Users", []):
                    groups.setdefault(str(user["Username"]), []).append(group)
        found = []
        for page in self.cognito.get_paginator("list_users").paginate(UserPoolId=self.user_pool_id):
            for user in page.get("Users", []):
                found.append({**_user(user), "groups": groups.get(str(user["Username"]), [])})
        return sorted(found, key=lambda u: u["email"])

    def remove(self, email: str) -> None:
        try:
            self.cognito.admin_delete_user(UserPoolId=self.user_pool_id, Username=email.strip().lower())
        except Exception as exc:
            if _code(exc) == "UserNotFoundException":
                raise LookupError(email) from None
            raise


def _code(exc: Exception) -> str:
    return str(getattr(exc, "response", {}).get("Error", {}).get("Code", ""))


def _user(user: dict[str, Any]) -> dict[str, Any]:
    attributes = {a["Name"]: a["Value"] for a in user.get("Attributes", user.get("UserAttributes", []))}
    return {
        "email": attributes.get("email") or user.get("Username"),
        "name": attributes.get("name", ""),
        "status": user.get("UserStatus"),
        "enabled": bool(user.get("Enabled", True)),
    }
