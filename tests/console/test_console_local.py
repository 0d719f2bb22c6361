"""`make serve`'s console: the local stack's HTTP front routes /console to the console function, with a
user pool on moto's Cognito created from template.yaml and the development users, and the same token
checks (moto's JWKS fetched over HTTP from moto's server)."""

from __future__ import annotations

from pathlib import Path

import requests

from infra.local_cognito import DEV_PASSWORD
from infra.local_stack import LocalStack


def test_make_serve_serves_the_console_with_cognito_sign_in(tmp_path: Path) -> None:
    with LocalStack(http_port=0, state_dir=tmp_path) as stack:
        base = stack.base_url
        # The page is public, with its security headers; the API is not
        page = requests.get(f"{base}/console/", timeout=5)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert requests.get(f"{base}/console", timeout=5, allow_redirects=False).status_code == 308
        refused = requests.get(f"{base}/console/api/inbox", timeout=5)
        assert refused.status_code == 401 and refused.json()["error"] == "unauthenticated"
        # A development user signs in through moto's Cognito
        signed = requests.post(
            f"{base}/console/api/session",
            json={"email": "lead@example.com", "password": DEV_PASSWORD},
            timeout=5,
        )
        assert signed.status_code == 200, signed.text
        token = signed.json()["id_token"]
        inbox = requests.get(
            f"{base}/console/api/inbox", headers={"authorization": f"Bearer {token}"}, timeout=5
        )
        assert inbox.status_code == 200 and inbox.json()["counts"]["all"] == 0
        me = requests.get(f"{base}/console/api/me", headers={"authorization": f"Bearer {token}"}, timeout=5)
        assert me.json() == {
            "email": "lead@example.com",
            "name": "Lee Lead",
            "groups": ["lead"],
            "lead": True,
        }
        # Alert links point at this console
        assert stack.env["HEED_CONSOLE_URL"] == base
        # A token of another pool (a second pool on the same moto) is refused
        cognito = stack.session.client("cognito-idp")
        other = cognito.create_user_pool(PoolName="other")["UserPool"]["Id"]
        client = cognito.create_user_pool_client(
            UserPoolId=other, ClientName="c", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
        )
        cognito.admin_create_user(UserPoolId=other, Username="lead@example.com", MessageAction="SUPPRESS")
        cognito.admin_set_user_password(
            UserPoolId=other, Username="lead@example.com", Password=DEV_PASSWORD, Permanent=True
        )
        foreign = cognito.initiate_auth(
            AuthFlow="USER_PASSWORD_AUTH",
            ClientId=client["UserPoolClient"]["ClientId"],
            AuthParameters={"USERNAME": "lead@example.com", "PASSWORD": DEV_PASSWORD},
        )["AuthenticationResult"]["IdToken"]
        assert (
            requests.get(
                f"{base}/console/api/me", headers={"authorization": f"Bearer {foreign}"}, timeout=5
            ).status_code
            == 401
        )
