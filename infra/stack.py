"""template.yaml → CloudFormation (aws-sam-translator, offline) → a stack on moto.

The local stack and the deploy rehearsal test both create Heed's resources this way, so the table,
queues and topics the code runs against are the ones the template defines: they cannot drift.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
import yaml

if TYPE_CHECKING:
    from heed.platforms.secrets import Direction

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "template.yaml"
ARTIFACT_BUCKET = "heed-local-artifacts"
ARTIFACT_KEY = "code.zip"


class _CfnLoader(yaml.SafeLoader):
    """Reads CloudFormation short-form tags (!Ref, !Sub, ...) as their long form."""


def _intrinsic(tag: str) -> Any:
    name = "Ref" if tag == "Ref" else f"Fn::{tag}"

    def construct(loader: yaml.SafeLoader, node: yaml.Node) -> dict[str, Any]:
        if isinstance(node, yaml.ScalarNode):
            value: Any = loader.construct_scalar(node)
            if tag == "GetAtt":
                value = str(value).split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        return {name: value}

    return construct


for _tag in (
    "Ref",
    "Sub",
    "GetAtt",
    "Join",
    "If",
    "Equals",
    "Not",
    "And",
    "Or",
    "Select",
    "Split",
    "FindInMap",
    "GetAZs",
    "ImportValue",
    "Condition",
    "Base64",
    "Cidr",
):
    _CfnLoader.add_constructor(f"!{_tag}", _intrinsic(_tag))


def load_template(path: Path = TEMPLATE) -> dict[str, Any]:
    return yaml.load(path.read_text(), Loader=_CfnLoader)


def translate(template: dict[str, Any], *, region: str = "us-east-1") -> dict[str, Any]:
    """The SAM transform, offline. Code locations must be S3 URIs for the translator."""
    from samtranslator.translator.managed_policy_translator import ManagedPolicyLoader
    from samtranslator.translator.transform import transform

    sam = json.loads(json.dumps(template))
    code = f"s3://{ARTIFACT_BUCKET}/{ARTIFACT_KEY}"
    sam.setdefault("Globals", {}).setdefault("Function", {})["CodeUri"] = code
    for resource in sam["Resources"].values():
        props = resource.get("Properties", {})
        if resource["Type"] == "AWS::Serverless::Function" and "CodeUri" in props:
            props["CodeUri"] = code
        if resource["Type"] == "AWS::Serverless::LayerVersion":
            props["ContentUri"] = code

    class _OfflinePolicies(ManagedPolicyLoader):
        """No IAM call: Heed's functions use inline statements only, no managed policy names."""

        def __init__(self) -> None:
            pass

        def load(self) -> dict[str, str]:
            return {}

    return transform(sam, {}, _OfflinePolicies())


@dataclass(frozen=True)
class StackResources:
    stack_name: str
    table_name: str
    queue_url: str
    dlq_url: str
    alert_topic_arn: str
    escalation_topic_arn: str
    resources: dict[str, dict[str, str]]  # logical id -> {type, physical id}
    function_env: dict[str, dict[str, str]]  # logical id -> environment as the template resolved it

    def env(self, secrets: dict[str, str]) -> dict[str, str]:
        """The variables template.yaml gives the functions, resolved against this stack; `secrets`
        names the platform secrets (create_development_secrets), which moto does not create."""
        return {
            "HEED_TABLE_NAME": self.table_name,
            "HEED_QUEUE_URL": self.queue_url,
            "HEED_DLQ_URL": self.dlq_url,
            "HEED_ALERT_TOPIC_ARN": self.alert_topic_arn,
            "HEED_ESCALATION_TOPIC_ARN": self.escalation_topic_arn,
            **secrets,
            "HEED_TEMPLATES_DIR": str(ROOT / "templates"),
            "HEED_RAW_PAYLOAD_DAYS": "0",
            "POWERTOOLS_SERVICE_NAME": "heed",
            "POWERTOOLS_METRICS_NAMESPACE": "Heed",
        }


# The platform secrets by direction, and the variable that names each (template.yaml sets each
# function's own; heed/platforms/secrets.py).
SECRET_VARIABLES: dict[Direction, str] = {
    "inbound": "HEED_INBOUND_SECRET_NAME",
    "outbound": "HEED_OUTBOUND_SECRET_NAME",
}


def create_development_secrets(session: Any = None, *, prefix: str = "heed-local") -> dict[str, str]:
    """The inbound and outbound secrets moto's CloudFormation skips, with the documented development
    values (infra/local_secrets.py); returns the variables that name them. The local stack runs every
    function in one process, so it sets both; on AWS each function's role reads only its own."""
    from infra.local_secrets import development_secrets

    client = (session or boto3.session.Session()).client("secretsmanager")
    names = {}
    for direction, variable in SECRET_VARIABLES.items():
        name = f"{prefix}/{direction}-secrets"
        client.create_secret(Name=name, SecretString=json.dumps(development_secrets(direction)))
        names[variable] = name
    return names


def _code_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("heed/__init__.py", "")
    return buffer.getvalue()


def quiet_moto_cloudformation() -> None:
    """moto warns once per resource type it does not create; the rehearsal asserts on those instead."""
    import logging
    import warnings

    warnings.filterwarnings("ignore", message="Tried to parse", category=UserWarning)
    logging.getLogger("moto").setLevel(logging.ERROR)


def deploy(
    stack_name: str = "heed-local", *, session: Any = None, template_path: Path = TEMPLATE
) -> StackResources:
    """Create the translated stack on whatever endpoint the session points at (moto here)."""
    quiet_moto_cloudformation()
    session = session or boto3.session.Session()
    s3 = session.client("s3")
    s3.create_bucket(Bucket=ARTIFACT_BUCKET)
    s3.put_object(Bucket=ARTIFACT_BUCKET, Key=ARTIFACT_KEY, Body=_code_zip())
    cfn = session.client("cloudformation")
    body = translate(load_template(template_path))
    cfn.create_stack(
        StackName=stack_name,
        TemplateBody=json.dumps(body),
        Parameters=[{"ParameterKey": "BrandName", "ParameterValue": "Heed local"}],
        Capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"],
    )
    listed = cfn.describe_stack_resources(StackName=stack_name)["StackResources"]
    # moto skips what it cannot create (HTTP API, schedules, secrets, alarms): those have no ids.
    resources = {
        r["LogicalResourceId"]: {"type": r["ResourceType"], "id": r["PhysicalResourceId"]}
        for r in listed
        if r.get("LogicalResourceId") and r.get("PhysicalResourceId")
    }
    sqs = session.client("sqs")

    def queue_url(logical: str) -> str:
        physical = resources[logical]["id"]
        if physical.startswith("http"):
            return physical
        return sqs.get_queue_url(QueueName=physical.rsplit("/", 1)[-1])["QueueUrl"]

    lam = session.client("lambda")
    function_env = {
        logical: lam.get_function_configuration(FunctionName=info["id"])
        .get("Environment", {})
        .get("Variables", {})
        for logical, info in resources.items()
        if info["type"] == "AWS::Lambda::Function"
    }
    return StackResources(
        stack_name=stack_name,
        function_env=function_env,
        table_name=resources["HeedTable"]["id"],
        queue_url=queue_url("MentionQueue"),
        dlq_url=queue_url("MentionDeadLetterQueue"),
        alert_topic_arn=resources["AlertTopic"]["id"],
        escalation_topic_arn=resources["EscalationTopic"]["id"],
        resources=resources,
    )
