"""Every AWS call a function makes is allowed by that function's own IAM policy in template.yaml.

moto enforces no IAM, so a call missing from a policy passes every other test and fails only on AWS
(AccessDeniedException; for the respond function: every mention retried, then dead-lettered). Here
the local stack deploys template.yaml on moto, each function's handler (the `Handler` the template
names) runs representative traffic, and every botocore call made while a handler runs is recorded
under that function's logical id. Each call is mapped to the IAM actions and resource ARNs AWS
authorizes it against (MAPPING NOTES below, with the AWS pages), and each must be allowed by that
function's statements in the translated template (`infra.stack.translate`), resolved against the
template's own logical ids (`${HeedTable.Arn}/index/gsi2` -> `...:table/HeedTable/index/gsi2`).

Traffic: webhooks of every platform (infra/sample_deliveries.py's samples, each delivered twice),
Meta's verification GET, a mention too large for SQS (claim check), a burst of negative comments
(the spike alert), the respond worker over all of it; the SLA watch at +20 minutes and +3 hours
(warnings, breaches, escalations); X polling with a mention and a keyword hit; Meta's data deletion
callback and its status page; the staff API (list, show, claim, note, reply, snooze, resolve); the
console (sign-in, inbox, task, templates, claim, reply check and reply, note, customer, export,
report, users list/invite/remove, forget).

What this cannot see:
- calls on paths the traffic does not reach: platform failures and retries (requeue with a delay,
  ChangeMessageVisibility when out of waits; these are exercised without IAM in tests/respond and
  tests/faults), the Comprehend triage backend (TriageBackend=comprehend; RespondComprehendPolicy
  is conditional and not evaluated here), the console's MFA and new-password challenges, lead routes
  link/unlink, a gap in X polling;
- what Lambda's service does for a function (the SQS event source's ReceiveMessage/DeleteMessage,
  CloudWatch Logs): granted by SAM's managed policies, not in the inline statements checked here;
- the CLI (`heed dlq replay`, `heed tasks`, `heed users`): it runs as the operator, not as a function;
- resource policies, SCPs, permission boundaries and conditions (a statement with a Condition or
  NotAction/NotResource makes the test fail as unsupported rather than guess).
"""

from __future__ import annotations

import contextvars
import functools
import importlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from botocore.client import BaseClient

from infra.local_stack import LambdaContext, LocalStack, api_gateway_event
from infra.sample_deliveries import (
    SampleDelivery,
    all_samples,
    facebook_comment,
    meta_signed,
    page_envelope,
)
from infra.stack import load_template, translate

REGION, ACCOUNT = "us-east-1", "123456789012"

# The function whose handler is running in this thread (None: the test itself, moto, the worker).
CURRENT: contextvars.ContextVar[str | None] = contextvars.ContextVar("heed_function", default=None)


@dataclass(frozen=True)
class Need:
    """One authorization AWS makes for a call: this action on this resource."""

    function: str
    call: str  # service:Operation as the SDK called it
    action: str
    resource: str


# ---- the template: which handler each function runs, and its statements --------------------------


def _handlers(cfn: dict[str, Any]) -> dict[str, str]:
    return {
        name: res["Properties"]["Handler"]
        for name, res in cfn["Resources"].items()
        if res["Type"] == "AWS::Lambda::Function"
    }


def _statements(cfn: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Function logical id -> the statements of the inline policies on its role, and of unconditional
    AWS::IAM::Policy resources attached to that role."""
    resources = cfn["Resources"]
    out: dict[str, list[dict[str, Any]]] = {}
    for name, res in resources.items():
        if res["Type"] != "AWS::Lambda::Function":
            continue
        role = res["Properties"]["Role"]["Fn::GetAtt"][0]
        statements: list[dict[str, Any]] = []
        for policy in resources[role]["Properties"].get("Policies", []):
            statements += policy["PolicyDocument"]["Statement"]
        for other in resources.values():
            attached = {"Ref": role} in other.get("Properties", {}).get("Roles", [])
            if other["Type"] == "AWS::IAM::Policy" and "Condition" not in other and attached:
                statements += other["Properties"]["PolicyDocument"]["Statement"]
        out[name] = statements
    return out


def _arn(cfn: dict[str, Any], logical: str) -> str:
    """The ARN of a template resource, named by its logical id (the physical names moto picks do not
    matter: calls are mapped back to logical ids too)."""
    kind = cfn["Resources"][logical]["Type"]
    service, shape = {
        "AWS::DynamoDB::Table": ("dynamodb", "table/{}"),
        "AWS::SQS::Queue": ("sqs", "{}"),
        "AWS::SNS::Topic": ("sns", "{}"),
        "AWS::SecretsManager::Secret": ("secretsmanager", "secret:{}"),
        "AWS::KMS::Key": ("kms", "key/{}"),
        "AWS::Cognito::UserPool": ("cognito-idp", "userpool/{}"),
    }[kind]
    return f"arn:aws:{service}:{REGION}:{ACCOUNT}:{shape.format(logical)}"


def _ref(cfn: dict[str, Any], logical: str) -> str:
    """What `Ref` returns for a resource (CloudFormation's return values per resource type)."""
    kind = cfn["Resources"][logical]["Type"]
    if kind in ("AWS::SNS::Topic", "AWS::SecretsManager::Secret"):
        return _arn(cfn, logical)  # Ref of a topic or a secret is its ARN
    if kind == "AWS::SQS::Queue":
        return f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{logical}"  # a URL, never an ARN
    return logical  # table name, key id, user pool id


_PSEUDO = {
    "AWS::Partition": "aws",
    "AWS::Region": REGION,
    "AWS::AccountId": ACCOUNT,
    "AWS::StackName": "heed-local",
}


def _resolve(cfn: dict[str, Any], value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        logical, attribute = value["Fn::GetAtt"]
        if attribute != "Arn":
            raise ValueError(f"unsupported GetAtt {value}")
        return _arn(cfn, logical)
    if isinstance(value, dict) and "Ref" in value:
        return _PSEUDO.get(value["Ref"]) or _ref(cfn, value["Ref"])
    if isinstance(value, dict) and "Fn::Sub" in value and isinstance(value["Fn::Sub"], str):

        def substitute(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in _PSEUDO:
                return _PSEUDO[name]
            if name.endswith(".Arn"):
                return _arn(cfn, name[: -len(".Arn")])
            return _ref(cfn, name)

        return re.sub(r"\$\{([^}]+)\}", substitute, value["Fn::Sub"])
    raise ValueError(f"unsupported resource expression {value}")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def allowed(cfn: dict[str, Any], statements: list[dict[str, Any]], action: str, resource: str) -> bool:
    """IAM's evaluation for identity policies without conditions: an explicit Deny wins, then any
    Allow; `*` and `?` match as in IAM (action names case-insensitively).
    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html"""
    verdicts = set()
    for st in statements:
        if {"Condition", "NotAction", "NotResource"} & st.keys():
            raise ValueError(f"unsupported statement {st}")
        actions = [a.lower() for a in _list(st["Action"])]
        if not any(fnmatchcase(action.lower(), a) for a in actions):
            continue
        if any(fnmatchcase(resource, _resolve(cfn, r)) for r in _list(st["Resource"])):
            verdicts.add(st["Effect"])
    return "Allow" in verdicts and "Deny" not in verdicts


# ---- mapping: an SDK call -> what IAM authorizes -------------------------------------------------
# MAPPING NOTES (the AWS pages each rule follows):
# - DynamoDB: every API is its own action on the table ARN; Query and Scan with IndexName are
#   authorized on the index ARN (table/NAME/index/INDEX); BatchGetItem and BatchWriteItem are their
#   own actions (dynamodb:BatchGetItem, dynamodb:BatchWriteItem), on each table they name.
#   https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
#   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/api-permissions-reference.html
# - DynamoDB transactions: TransactWriteItems needs, per item, the action of that item (PutItem,
#   UpdateItem, DeleteItem, ConditionCheckItem); TransactGetItems needs GetItem per item.
#   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html
# - SQS: SendMessageBatch, DeleteMessageBatch and ChangeMessageVisibilityBatch are authorized as
#   SendMessage, DeleteMessage and ChangeMessageVisibility; the resource is the queue's ARN.
#   https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-batch-api-actions.html
# - SNS: Publish on the topic ARN; a topic encrypted with a customer managed KMS key also needs the
#   publisher to hold kms:GenerateDataKey* and kms:Decrypt on that key.
#   https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
# - Secrets Manager: GetSecretValue on the secret's ARN.
#   https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecretsmanager.html
# - Cognito user pools: the admin and list operations are IAM-authorized on the user pool ARN; the
#   sign-in operations (InitiateAuth, RespondToAuthChallenge, ...) are unauthenticated or authorized
#   by the user's token, and IAM policies do not apply to them.
#   https://docs.aws.amazon.com/cognito/latest/developerguide/user-pools-API-operations.html
#   https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncognitouserpools.html

TRANSACT_ITEM_ACTIONS = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
    "Get": "GetItem",
}
SQS_BATCH = {
    "SendMessageBatch": "SendMessage",
    "DeleteMessageBatch": "DeleteMessage",
    "ChangeMessageVisibilityBatch": "ChangeMessageVisibility",
}
COGNITO_WITHOUT_IAM = {
    "InitiateAuth",
    "RespondToAuthChallenge",
    "AssociateSoftwareToken",
    "VerifySoftwareToken",
    "GetUser",
    "GlobalSignOut",
    "RevokeToken",
    "ChangePassword",
    "SignUp",
    "ConfirmSignUp",
    "ForgotPassword",
    "ConfirmForgotPassword",
}


class Physical:
    """The local stack's physical names -> template logical ids."""

    def __init__(self, stack: LocalStack, pool_id: str) -> None:
        assert stack.resources is not None
        res = stack.resources
        self.tables = {res.table_name: "HeedTable"}
        self.queues = {
            res.queue_url.rsplit("/", 1)[-1]: "MentionQueue",
            res.dlq_url.rsplit("/", 1)[-1]: "MentionDeadLetterQueue",
        }
        self.topics = {res.alert_topic_arn: "AlertTopic", res.escalation_topic_arn: "EscalationTopic"}
        self.secrets = {
            stack.env["HEED_INBOUND_SECRET_NAME"]: "InboundSecret",
            stack.env["HEED_OUTBOUND_SECRET_NAME"]: "OutboundSecret",
        }
        self.pools = {pool_id: "ConsoleUserPool"}

    @staticmethod
    def _of(names: dict[str, str], name: str, what: str) -> str:
        # An unknown name is a resource the template does not define: no policy can name it.
        return names.get(name, f"<{what} {name} not in the template>")

    def table(self, name: str) -> str:
        return self._of(self.tables, name, "table")

    def queue(self, url_or_name: str) -> str:
        return self._of(self.queues, url_or_name.rsplit("/", 1)[-1], "queue")

    def topic(self, arn: str) -> str:
        return self._of(self.topics, arn, "topic")

    def secret(self, secret_id: str) -> str:
        for name, logical in self.secrets.items():
            if secret_id == name or secret_id.split(":secret:")[-1].startswith(name):
                return logical
        return f"<secret {secret_id} not in the template>"

    def pool(self, pool_id: str) -> str:
        return self._of(self.pools, pool_id, "user pool")


def needs(
    cfn: dict[str, Any], physical: Physical, service: str, operation: str, params: dict[str, Any]
) -> list[tuple[str, str]]:
    """(action, resource ARN) pairs AWS authorizes for one SDK call (MAPPING NOTES above)."""

    def arn(logical: str) -> str:
        return _arn(cfn, logical) if logical in cfn["Resources"] else logical

    if service == "dynamodb":
        if operation in ("BatchGetItem", "BatchWriteItem"):
            return [(f"dynamodb:{operation}", arn(physical.table(t))) for t in params["RequestItems"]]
        if operation in ("TransactWriteItems", "TransactGetItems"):
            out = []
            for item in params["TransactItems"]:
                ((kind, body),) = item.items()
                out.append(
                    (f"dynamodb:{TRANSACT_ITEM_ACTIONS[kind]}", arn(physical.table(body["TableName"])))
                )
            return out
        table = arn(physical.table(params["TableName"]))
        if operation in ("Query", "Scan") and params.get("IndexName"):
            return [(f"dynamodb:{operation}", f"{table}/index/{params['IndexName']}")]
        return [(f"dynamodb:{operation}", table)]
    if service == "sqs":
        queue = params.get("QueueUrl") or params.get("QueueName") or ""
        return [(f"sqs:{SQS_BATCH.get(operation, operation)}", arn(physical.queue(queue)))]
    if service == "sns":
        topic = physical.topic(params.get("TopicArn") or params.get("TargetArn") or "")
        out = [("sns:Publish" if operation == "PublishBatch" else f"sns:{operation}", arn(topic))]
        key = cfn["Resources"].get(topic, {}).get("Properties", {}).get("KmsMasterKeyId")
        if operation in ("Publish", "PublishBatch") and isinstance(key, dict) and "Ref" in key:
            out += [("kms:GenerateDataKey", arn(key["Ref"])), ("kms:Decrypt", arn(key["Ref"]))]
        return out
    if service == "secretsmanager":
        return [(f"secretsmanager:{operation}", arn(physical.secret(params["SecretId"])))]
    if service == "cognito-idp":
        if operation in COGNITO_WITHOUT_IAM:
            return []
        return [(f"cognito-idp:{operation}", arn(physical.pool(params["UserPoolId"])))]
    if service == "ssm" and operation == "GetParameter":
        # A parameter's ARN is `parameter` + its name, whose leading slash is the separator:
        # https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-access.html
        name = str(params["Name"])
        return [("ssm:GetParameter", f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/{name.lstrip('/')}")]
    # A service nobody mapped yet: fail loudly, so a new dependency gets a rule here and a policy.
    return [(f"{service}:{operation}", f"<no IAM mapping for {service}:{operation}>")]


# ---- recording ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    function: str
    service: str
    operation: str
    params: dict[str, Any]


def _recording(calls: list[Call]) -> Callable[..., Any]:
    original = BaseClient._make_api_call

    def record(self: BaseClient, operation_name: str, api_params: dict[str, Any]) -> Any:
        function = CURRENT.get()
        if function is not None:
            service = self.meta.service_model.endpoint_prefix
            calls.append(
                Call(function, service, operation_name, json.loads(json.dumps(api_params, default=str)))
            )
        return original(self, operation_name, api_params)

    return record


_LAST_RUN: list[str] = []  # the function that ran last in this process


def _as_function(function: str, handler: Callable[..., Any]) -> Callable[..., Any]:
    """The handler, run under `function`'s name. Each function is its own Lambda on AWS, with its own
    process: what another function cached here (the platform secrets) is forgotten when the running
    function changes, so every function's own reads are seen."""
    from heed.platforms import secrets

    @functools.wraps(handler)
    def run(event: dict[str, Any], context: Any) -> Any:
        if _LAST_RUN[-1:] != [function]:
            secrets.clear_cache()
            _LAST_RUN[:] = [function]
        token = CURRENT.set(function)
        try:
            return handler(event, context)
        finally:
            CURRENT.reset(token)

    return run


# ---- traffic ---------------------------------------------------------------------------------------


def _deliver(stack: LocalStack, sample: SampleDelivery) -> int:
    query = f"?{urlencode(sample.query)}" if sample.query else ""
    status, _ = stack.deliver(
        sample.method, f"/webhooks/{sample.route}{query}", body=sample.body, headers=sample.headers
    )
    return status


def _negative_burst(now: datetime) -> list[SampleDelivery]:
    texts = [
        "Worst service ever, my internet is down again and nobody helps. Furious.",
        "Terrible support, I have been waiting for days. Awful company.",
        "Disgusting treatment, charged twice and no refund. Never again.",
        "Horrible experience, the line is dead and the app crashes. Angry.",
        "Useless helpline, cut off three times today. Hate this.",
        "Pathetic, still no signal after a week. Shameful service.",
    ]
    return [
        meta_signed(
            "facebook",
            page_envelope(
                now,
                facebook_comment(
                    f"91000{i}", "559900", text, author_id=f"6155009900{i}", name=f"Cust {i}", now=now
                ),
            ),
            f"negative {i}",
        )
        for i, text in enumerate(texts)
    ]


def _http(
    method: str, path: str, body: Any = None, *, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    raw = json.dumps(body).encode() if body is not None else b""
    sent = (
        {"content-type": "application/json", **(headers or {})} if body is not None else dict(headers or {})
    )
    return api_gateway_event(method, path, sent, raw)


def _json(answer: dict[str, Any]) -> Any:
    text = answer.get("body") or ""
    try:
        return json.loads(text)
    except ValueError:
        return text


class Traffic:
    """Drives every function of the template through its handler, as the template deploys it."""

    def __init__(self, stack: LocalStack, handlers: dict[str, Callable[..., Any]]) -> None:
        self.stack = stack
        self.handlers = handlers
        self.statuses: dict[str, list[int]] = {}

    def call(self, function: str, event: dict[str, Any]) -> dict[str, Any]:
        answer = self.handlers[function](event, LambdaContext(function))
        if isinstance(answer, dict) and "statusCode" in answer:
            self.statuses.setdefault(function, []).append(int(answer["statusCode"]))
        return answer if isinstance(answer, dict) else {}

    def webhooks(self, now: datetime) -> None:
        samples = all_samples(now)
        for sample in samples:
            self.stack.outbox.get_answers.update(sample.platform_answers)
        for sample in [*samples, *samples]:  # each twice: the platforms' retries
            self.statuses.setdefault("IngestFunction", []).append(_deliver(self.stack, sample))
        verify = {"hub.mode": "subscribe", "hub.verify_token": "dev-verify-token", "hub.challenge": "42"}
        status, _ = self.stack.deliver("GET", f"/webhooks/facebook?{urlencode(verify)}")
        self.statuses["IngestFunction"].append(status)
        huge = page_envelope(
            now,
            facebook_comment("930001", "559901", "😡" * 70_000, author_id="61550099111", name="Big", now=now),
        )
        self.statuses["IngestFunction"].append(_deliver(self.stack, meta_signed("facebook", huge, "huge")))
        for sample in _negative_burst(now):
            self.statuses["IngestFunction"].append(_deliver(self.stack, sample))
        self.stack.drain()

    def watch(self, monkeypatch: pytest.MonkeyPatch, now: datetime) -> None:
        from heed.followup import watch_handler

        for later in (timedelta(minutes=20), timedelta(hours=3)):

            class Clock(datetime):
                ahead = later

                @classmethod
                def now(cls, tz: Any = None) -> Clock:  # type: ignore[override]
                    return datetime.now(tz) + cls.ahead  # type: ignore[return-value]

            monkeypatch.setattr(watch_handler, "datetime", Clock)
            self.call("WatchFunction", {"source": "aws.scheduler"})
        monkeypatch.setattr(watch_handler, "datetime", datetime)

    def polling(self, now: datetime) -> None:
        stamp = now.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        users = [{"id": "801", "username": "poller", "name": "Pol Ler"}]
        self.stack.outbox.get_answers["/mentions"] = {
            "data": [
                {
                    "id": "1850000000000000001",
                    "text": "@acme my bill is wrong again",
                    "author_id": "801",
                    "created_at": stamp,
                }
            ],
            "includes": {"users": users},
            "meta": {"result_count": 1},
        }
        self.stack.outbox.get_answers["/tweets/search/recent"] = {
            "data": [
                {
                    "id": "1850000000000000002",
                    "text": "acmetel down in Leeds?",
                    "author_id": "801",
                    "created_at": stamp,
                }
            ],
            "includes": {"users": users},
            "meta": {"result_count": 1},
        }
        self.call("PollingFunction", {"source": "aws.scheduler"})
        self.stack.drain()

    def privacy(self) -> None:
        from heed.privacy.signed_request import sign_request

        from infra.local_secrets import development_secrets

        payload = {"algorithm": "HMAC-SHA256", "issued_at": 1795341600, "user_id": "61550099111"}
        signed = sign_request(payload, development_secrets()["meta_app_secret"])
        form = urlencode({"signed_request": signed}).encode()
        event = api_gateway_event(
            "POST", "/privacy/meta/data-deletion", {"content-type": "application/x-www-form-urlencoded"}, form
        )
        answer = _json(self.call("PrivacyFunction", event))
        code = answer.get("confirmation_code", "none") if isinstance(answer, dict) else "none"
        status = api_gateway_event("GET", f"/privacy/meta/deletion-status/{code}", {}, b"")
        status["pathParameters"] = {"code": code}
        self.call("PrivacyFunction", status)

    def staff(self, task_id: str, now: datetime) -> None:
        def staff_call(method: str, path: str, body: Any = None) -> Any:
            event = _http(method, path, body)
            event["requestContext"]["authorizer"] = {"iam": {"userArn": f"arn:aws:iam::{ACCOUNT}:user/ana"}}
            return _json(self.call("StaffFunction", event))

        staff_call("GET", "/staff/tasks")
        staff_call("GET", "/staff/tasks?overdue=1")
        staff_call("GET", f"/staff/tasks/{task_id}")
        staff_call("POST", f"/staff/tasks/{task_id}/claim", {})
        staff_call("POST", f"/staff/tasks/{task_id}/note", {"text": "called the customer"})
        staff_call(
            "POST", f"/staff/tasks/{task_id}/reply", {"text": "Hi, we are on it and will write back today."}
        )
        staff_call(
            "POST", f"/staff/tasks/{task_id}/snooze", {"until": (now + timedelta(hours=1)).isoformat()}
        )
        staff_call("POST", f"/staff/tasks/{task_id}/resolve", {"outcome": "answered_publicly"})

    def console(self, task_id: str, customer_id: str, forget_customer: str) -> None:
        from infra.local_cognito import DEV_PASSWORD

        def console_call(method: str, path: str, body: Any = None, token: str | None = None) -> Any:
            headers = {"authorization": f"Bearer {token}"} if token else {}
            return _json(self.call("ConsoleFunction", _http(method, path, body, headers=headers)))

        signed_in = console_call(
            "POST", "/console/api/session", {"email": "lead@example.com", "password": DEV_PASSWORD}
        )
        token = str(signed_in["id_token"])
        shown = console_call("GET", f"/console/api/tasks/{task_id}", token=token)
        for path in (
            "/console/api/me",
            "/console/api/inbox?view=all",
            f"/console/api/tasks/{task_id}/templates",
            f"/console/api/customers/{customer_id}",
            f"/console/api/customers/{customer_id}/export",
            "/console/api/report",
            "/console/api/users",
        ):
            console_call("GET", path, token=token)
        console_call("POST", f"/console/api/tasks/{task_id}/claim", {}, token)
        console_call("POST", f"/console/api/tasks/{task_id}/note", {"text": "checking the order"}, token)
        console_call(
            "POST",
            f"/console/api/tasks/{task_id}/reply/check",
            {"text": "We are on it.", "private": False},
            token,
        )
        reply = {"text": "We are on it, sorry for the wait.", "private": False}
        reply["seen_last_message_at"] = shown["last_customer_message_at"]
        console_call("POST", f"/console/api/tasks/{task_id}/reply", reply, token)
        console_call("POST", f"/console/api/tasks/{task_id}/correct", {"sentiment": "negative"}, token)
        console_call(
            "POST",
            "/console/api/users",
            {"email": "new@example.com", "name": "New One", "group": "agent"},
            token,
        )
        console_call("DELETE", "/console/api/users/new@example.com", None, token)
        console_call("POST", f"/console/api/customers/{forget_customer}/forget", {"confirm": True}, token)


@dataclass
class Observed:
    cfn: dict[str, Any]
    physical: Physical
    calls: list[Call]
    statuses: dict[str, list[int]]
    alerts: list[dict[str, Any]]


def _open_tasks(stack: LocalStack) -> list[dict[str, Any]]:
    items = stack.table.scan()["Items"]  # the test's own read, outside any function
    return [i for i in items if str(i.get("pk", "")).startswith("TASK#") and i.get("sk") == "#TASK"]


@pytest.fixture(scope="module")
def observed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Observed]:
    import boto3

    from infra.local_cognito import create_console_pool, create_dev_users

    cfn = translate(load_template())
    calls: list[Call] = []
    with (
        LocalStack(state_dir=Path(tmp_path_factory.mktemp("iam"))) as stack,
        pytest.MonkeyPatch.context() as mp,
    ):
        cognito = boto3.client("cognito-idp")
        pool = create_console_pool(
            cognito, load_template(), stack_name="heed-local", endpoint_url=stack.endpoint_url
        )
        create_dev_users(cognito, pool.user_pool_id)
        mp.setenv("HEED_COGNITO_USER_POOL_ID", pool.user_pool_id)
        mp.setenv("HEED_COGNITO_CLIENT_ID", pool.client_id)
        mp.setenv("HEED_COGNITO_JWKS_URL", pool.jwks_url)
        stack._refresh_heed_caches()
        from heed.console import handler as console_handler

        console_handler.context.cache_clear()
        # Every function's handler, as the template names it, runs under its logical id.
        wrapped: dict[str, Callable[..., Any]] = {}
        for function, handler in _handlers(cfn).items():
            module_name, attribute = handler.rsplit(".", 1)
            module = importlib.import_module(module_name)
            wrapped[function] = _as_function(function, getattr(module, attribute))
            mp.setattr(module, attribute, wrapped[function])
        mp.setattr(BaseClient, "_make_api_call", _recording(calls))

        traffic = Traffic(stack, wrapped)
        now = datetime.now(UTC)
        traffic.webhooks(now)
        traffic.watch(mp, now)
        traffic.polling(now)
        traffic.privacy()
        tasks = sorted(_open_tasks(stack), key=lambda t: str(t["task_id"]))
        assert len(tasks) >= 3, "the webhooks opened too few tasks to drive the staff and console APIs"
        traffic.staff(str(tasks[0]["task_id"]), now)
        customer = str(tasks[1].get("customer_id", ""))
        traffic.console(str(tasks[1]["task_id"]), customer, str(tasks[2].get("customer_id", "")))
        console_handler.context.cache_clear()
        yield Observed(
            cfn, Physical(stack, pool.user_pool_id), calls, traffic.statuses, stack.alert_messages()
        )


# The template's functions, read (not translated) at collection: SAM keeps their logical ids.
FUNCTIONS = sorted(
    name for name, res in load_template()["Resources"].items() if res["Type"] == "AWS::Serverless::Function"
)


def test_the_traffic_reached_every_function_and_its_paths(observed: Observed) -> None:
    # Then every function of the template made AWS calls
    by_function = {c.function for c in observed.calls}
    assert by_function == set(FUNCTIONS)
    # And the paths meant were taken: claim check, batch reads, transactions, alerts of every kind
    operations = {(c.function, c.operation) for c in observed.calls}
    assert ("IngestFunction", "PutItem") in operations  # the claim check
    assert ("RespondFunction", "TransactWriteItems") in operations
    assert ("RespondFunction", "BatchGetItem") in operations
    assert ("WatchFunction", "Publish") in operations
    assert ("PollingFunction", "SendMessageBatch") in operations or (
        "PollingFunction",
        "SendMessage",
    ) in operations
    assert ("ConsoleFunction", "AdminCreateUser") in operations
    kinds = {a["attributes"].get("kind") for a in observed.alerts}
    assert {"sla_breach", "escalation", "negative_spike", "personal_data_exposed"} <= kinds, kinds
    assert ("ConsoleFunction", "GetSecretValue") in operations  # a reply from the console was posted
    # And every request was answered as a success (a refusal would leave its path unexercised)
    for function, statuses in observed.statuses.items():
        assert [s for s in statuses if s >= 400] == [], f"{function}: {statuses}"


@pytest.mark.parametrize("function", FUNCTIONS)
def test_every_call_of_the_function_is_allowed_by_its_policy(observed: Observed, function: str) -> None:
    # Given the function's statements in the translated template
    statements = _statements(observed.cfn)[function]
    # When each call it made is mapped to what IAM authorizes
    denied = sorted(
        {
            f"{c.service}:{c.operation} needs {action} on {resource}"
            for c in observed.calls
            if c.function == function
            for action, resource in needs(observed.cfn, observed.physical, c.service, c.operation, c.params)
            if not allowed(observed.cfn, statements, action, resource)
        }
    )
    # Then every one is allowed
    assert denied == [], "\n".join(denied)


def test_the_evaluator_denies_what_a_statement_does_not_name() -> None:
    # Given the respond function's statements as they would be without BatchGetItem
    cfn = translate(load_template())
    table = _arn(cfn, "HeedTable")
    only_get = [
        {"Effect": "Allow", "Action": ["dynamodb:GetItem"], "Resource": {"Fn::GetAtt": ["HeedTable", "Arn"]}}
    ]
    index = [
        {
            "Effect": "Allow",
            "Action": "dynamodb:Query",
            "Resource": {"Fn::Sub": "${HeedTable.Arn}/index/gsi2"},
        }
    ]
    # Then a batch read, another table's read, and a query on another index are refused
    assert allowed(cfn, only_get, "dynamodb:GetItem", table)
    assert not allowed(cfn, only_get, "dynamodb:BatchGetItem", table)
    assert not allowed(cfn, only_get, "dynamodb:GetItem", table.replace("HeedTable", "Other"))
    assert allowed(cfn, index, "dynamodb:Query", f"{table}/index/gsi2")
    assert not allowed(cfn, index, "dynamodb:Query", f"{table}/index/gsi3")
    assert not allowed(cfn, index, "dynamodb:Query", table)
    # And an explicit Deny wins over an Allow
    deny = [*only_get, {"Effect": "Deny", "Action": "dynamodb:*", "Resource": "*"}]
    assert not allowed(cfn, deny, "dynamodb:GetItem", table)
