"""Generative AI Lens rules of the Security pillar that look at the whole app: access and invocation logs.

CloudTrail data events for Bedrock (GENSEC01-BP04) and model invocation logging (GENSEC03-BP01) are
account-and-region settings. A workload stack rarely holds them: a platform stack of the same app,
an organization trail or an account baseline does. So these rules search every template of the app
(``StackTemplate.app``), and say "not found in the app" at level info: a template cannot see an
organization trail, and a reviewer confirms it.
"""

from __future__ import annotations

import json
import re

from ..delivery import INVOCATION_LOGGING_TYPES
from ..rule import GENAI_LENS, LensRule, Level, lens_rule
from ..template import (
    Outcome,
    Resource,
    StackTemplate,
    as_bool,
    as_list,
    compliant,
    get,
    is_intrinsic,
    non_compliant,
    not_applicable,
    referenced_ids,
)
from .common import BEDROCK_RESOURCE_TYPES, IAM_POLICY_TYPES, PACK, calls_bedrock

BEDROCK_CALLERS = IAM_POLICY_TYPES + BEDROCK_RESOURCE_TYPES
_LOGS = ("AWS::CloudTrail::Trail", "AWS::CloudTrail::EventDataStore")


def _logs_bedrock_data_events(selectors: list) -> bool:
    """Whether advanced event selectors select Data events of a Bedrock resource type.

    CloudTrail user guide, "Logging data events" (logging-data-events-with-cloudtrail): Bedrock data
    events (AWS::Bedrock::Model, AgentAlias, KnowledgeBase, FlowAlias, Guardrail, ...) are logged only
    through advanced event selectors with ``eventCategory = Data`` and ``resources.type`` set.
    """
    for selector in selectors:
        fields = {get(field, "Field"): as_list(get(field, "Equals")) + as_list(get(field, "StartsWith"))
                  for field in as_list(get(selector, "FieldSelectors"))}
        types = [value for value in fields.get("resources.type", []) if isinstance(value, str)]
        if "Data" in fields.get("eventCategory", []) and any(t.startswith("AWS::Bedrock::") for t in types):
            return True
    return False


def _is_invocation_logging(resource: Resource) -> bool:
    return resource.type != "Custom::AWS" or "putmodelinvocationloggingconfiguration" in json.dumps(
        resource.properties).lower()


def check_bedrock_data_events_logged(resource: Resource, template: StackTemplate) -> Outcome:
    """A trail or event data store of the app logs Bedrock data events.

    Not applicable to resources that do not call Bedrock, or when a trail's selectors are unresolved.
    """
    if not calls_bedrock(resource):
        return not_applicable("no Bedrock model access")
    unresolved = False
    for log in template.app_resources(*_LOGS):
        if as_bool(log.prop("IsLogging")) is False:
            continue
        selectors = log.prop("AdvancedEventSelectors")
        if is_intrinsic(selectors):
            unresolved = True
        elif _logs_bedrock_data_events(as_list(selectors)):
            return compliant(f"{log.logical_id} logs Bedrock data events")
    if unresolved:
        return not_applicable("a trail's event selectors are unresolved")
    return non_compliant("no trail or event data store in the app logs Bedrock data events")


def check_invocation_logging_in_app(resource: Resource, template: StackTemplate) -> Outcome:
    """The app configures Bedrock model invocation logging (the custom resource that sets it)."""
    if not calls_bedrock(resource):
        return not_applicable("no Bedrock model access")
    for logging in template.app_resources(*INVOCATION_LOGGING_TYPES):
        if not _is_invocation_logging(logging):
            continue
        # Prowler's bedrock_model_invocation_logging_text_data_enabled: prompts and answers are the
        # text data; a configuration that leaves them out logs only metadata.
        if re.search(r"textDataDeliveryEnabled\W{0,8}false", json.dumps(logging.properties), re.IGNORECASE):
            return non_compliant(f"{logging.logical_id} configures invocation logging without text data")
        return compliant(f"{logging.logical_id} configures invocation logging")
    return non_compliant("no model invocation logging configuration in the app")


def _bucket_encryption(bucket: Resource) -> str | None:
    rules = as_list(bucket.prop("BucketEncryption", "ServerSideEncryptionConfiguration"))
    for rule in rules:
        algorithm = get(rule, "ServerSideEncryptionByDefault", "SSEAlgorithm")
        if isinstance(algorithm, str):
            return algorithm
    return None


def check_invocation_logs_encrypted(resource: Resource, template: StackTemplate) -> Outcome:
    """The invocation log bucket is SSE-KMS encrypted and the log group has a KmsKeyId.

    Prowler's bedrock_model_invocation_logs_encryption_enabled, on the template. Destinations outside
    this template are not applicable.
    """
    if not _is_invocation_logging(resource):
        return not_applicable("not a Bedrock invocation logging configuration")
    referenced = [template.resource(logical_id) for logical_id in sorted(referenced_ids(resource.properties))]
    buckets = [r for r in referenced if r is not None and r.type == "AWS::S3::Bucket"]
    log_groups = [r for r in referenced if r is not None and r.type == "AWS::Logs::LogGroup"]
    if not buckets and not log_groups:
        return not_applicable("no log destination in this template")
    for bucket in buckets:
        algorithm = _bucket_encryption(bucket)
        if algorithm not in ("aws:kms", "aws:kms:dsse"):
            return non_compliant(f"bucket {bucket.logical_id} is encrypted with {algorithm or 'the S3 default'}, not KMS")
    for log_group in log_groups:
        if log_group.prop("KmsKeyId") is None:
            return non_compliant(f"log group {log_group.logical_id} has no KmsKeyId")
    return compliant()


RULES: list[LensRule] = [
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Security", best_practice="GENSEC01-BP04",
        suffix="GENSEC01-BP04",
        level=Level.INFO,
        title="A CloudTrail trail or event data store of the app logs Bedrock data events",
        explanation=(
            "Who invoked which model, agent or knowledge base is a data event, which trails do not log by "
            "default. Informational: the trail is often an organization trail outside the app; confirm it. "
            "Applies to Bedrock agents, knowledge bases, flows and IAM resources that may invoke or retrieve."
        ),
        resource_types=BEDROCK_CALLERS,
        check=check_bedrock_data_events_logged,
        remediation=(
            "Add genai_blueprints.platform.BedrockAuditTrail to the app, or give an AWS::CloudTrail::Trail "
            "AdvancedEventSelectors with eventCategory = Data and resources.type = AWS::Bedrock::Model "
            "(and AgentAlias, KnowledgeBase, ... as used)."
        ),
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Security", best_practice="GENSEC03-BP01",
        suffix="GENSEC03-BP01-a",
        level=Level.INFO,
        title="The app configures Bedrock model invocation logging",
        explanation=(
            "Invocation logs hold each prompt and response, the record data-access monitoring needs. The "
            "setting is one per account and region, so it is looked for in every stack of the app. "
            "Informational: an account baseline may set it outside the app; confirm it."
        ),
        resource_types=BEDROCK_CALLERS,
        check=check_invocation_logging_in_app,
        remediation=(
            "Add genai_blueprints.platform.ModelInvocationLogging to one stack per account and region (the "
            "platform stack), or call PutModelInvocationLoggingConfiguration from your account baseline."
        ),
    ),
    lens_rule(
        pack=PACK, lens=GENAI_LENS, pillar="Security", best_practice="GENSEC03-BP01",
        suffix="GENSEC03-BP01-b",
        level=Level.ERROR,
        title="Model invocation logs are encrypted with KMS (S3 bucket SSE-KMS, log group KmsKeyId)",
        explanation=(
            "The logs contain every prompt and answer. Encrypt both destinations with a customer-managed "
            "key (Prowler: bedrock_model_invocation_logs_encryption_enabled). Destinations outside the "
            "template are not applicable."
        ),
        resource_types=INVOCATION_LOGGING_TYPES,
        check=check_invocation_logs_encrypted,
        remediation=(
            "Set the bucket's BucketEncryption to SSEAlgorithm aws:kms with a KMSMasterKeyID "
            "(s3.Bucket(encryption=BucketEncryption.KMS, encryption_key=key)) and the log group's KmsKeyId "
            "(logs.LogGroup(encryption_key=key)); ModelInvocationLogging does both with its key."
        ),
    ),
]
