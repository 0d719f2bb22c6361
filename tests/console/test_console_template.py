"""template.yaml gives the console what the code assumes: the JWT authorizer on every API route and
none on the pages and sign-in, a pool of invited people in two groups with MFA available, a public
app client, and Cognito admin rights on that pool only."""

from __future__ import annotations

from typing import Any

import pytest

from infra.stack import load_template, translate


@pytest.fixture(scope="module")
def cfn() -> dict[str, Any]:
    return translate(load_template())  # tests/conftest.py sets the region the translator needs


def test_every_console_api_route_has_the_jwt_authorizer_and_only_those(cfn):
    paths = cfn["Resources"]["HttpApi"]["Properties"]["Body"]["paths"]
    secured = {
        (path, method): op.get("security")
        for path, methods in paths.items()
        if path.startswith("/console")
        for method, op in methods.items()
    }
    assert secured == {
        ("/console", "get"): None,
        ("/console/{proxy+}", "get"): None,
        ("/console/api/session", "post"): None,
        ("/console/api/session/{step}", "post"): None,
        ("/console/api/{proxy+}", "get"): [{"ConsoleJwt": []}],
        ("/console/api/{proxy+}", "post"): [{"ConsoleJwt": []}],
        ("/console/api/{proxy+}", "delete"): [{"ConsoleJwt": []}],
    }
    jwt = cfn["Resources"]["HttpApi"]["Properties"]["Body"]["components"]["securitySchemes"]["ConsoleJwt"]
    config = jwt["x-amazon-apigateway-authorizer"]["jwtConfiguration"]
    assert config["audience"] == [{"Ref": "ConsoleUserPoolClient"}]
    assert config["issuer"] == {
        "Fn::Sub": "https://cognito-idp.${AWS::Region}.amazonaws.com/${ConsoleUserPool}"
    }


def test_people_are_invited_in_two_groups_with_mfa_available():
    resources = load_template()["Resources"]
    pool = resources["ConsoleUserPool"]["Properties"]
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True  # no self sign-up
    assert pool["MfaConfiguration"] == "OPTIONAL" and pool["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] >= 12
    groups = {
        r["Properties"]["GroupName"] for r in resources.values() if r["Type"] == "AWS::Cognito::UserPoolGroup"
    }
    assert groups == {"agent", "lead"}
    client = resources["ConsoleUserPoolClient"]["Properties"]
    assert client["GenerateSecret"] is False and "ALLOW_USER_PASSWORD_AUTH" in client["ExplicitAuthFlows"]
    assert {"email", "name"} <= set(client["ReadAttributes"])


def test_the_console_function_may_manage_users_of_its_pool_only(cfn):
    function = cfn["Resources"]["ConsoleFunction"]["Properties"]
    env = function["Environment"]["Variables"]
    assert env["HEED_COGNITO_USER_POOL_ID"] == {"Ref": "ConsoleUserPool"}
    assert env["HEED_COGNITO_CLIENT_ID"] == {"Ref": "ConsoleUserPoolClient"}
    role = cfn["Resources"][function["Role"]["Fn::GetAtt"][0]]["Properties"]
    statements = [st for p in role.get("Policies", []) for st in p["PolicyDocument"]["Statement"]]
    cognito = [st for st in statements if any(str(a).startswith("cognito-idp:") for a in st["Action"])]
    assert len(cognito) == 1 and "userpool/${ConsoleUserPool}" in str(cognito[0]["Resource"])
    assert not any("*" in a for a in cognito[0]["Action"])
