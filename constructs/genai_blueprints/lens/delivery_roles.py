"""DeliveryPaths rules for producers that act through a role: SageMaker asynchronous endpoints,
Lambda's SQS event source mappings, and Bedrock resources encrypted with a key.

Within one account a role's identity policy is enough for a topic or a queue, so the hops here are
the role's policies (in the template; a managed policy from outside makes the hop not applicable)
and the key policy, which must name the role or delegate to the account (its ":root" principal,
under which identity policies decide). The rules are registered with the others in delivery.py.
"""

from __future__ import annotations

from typing import Any

from .delivery_hops import (
    FUNCTION,
    KEY_ACTIONS,
    QUEUE,
    ROLE,
    TOPIC,
    Hop,
    allows_action,
    delivery_rule,
    key_hop,
    key_of,
    merge,
    resolve_all,
    role_hop,
    role_key_hop,
)
from .rule import LensRule
from .template import (
    UNRESOLVED,
    Outcome,
    Resource,
    StackTemplate,
    as_list,
    compliant,
    get,
    is_intrinsic,
    is_unresolved,
    non_compliant,
    not_applicable,
)

SQS_CONSUMER_ACTIONS = ("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes")


def _role_edges(producer: Resource, template: StackTemplate, role: Resource, targets: list[Resource],
                actions: tuple[str, ...], key_actions: tuple[str, ...]) -> Outcome:
    """`role` may do `actions` on each target, and `key_actions` with the key that encrypts it."""
    reasons = []
    for target in targets:
        for closed in (role_hop(template, role, actions, target),
                       role_key_hop(template, role, target.prop("KmsMasterKeyId"), key_actions)):
            if isinstance(closed, Hop):
                return non_compliant(closed.describe(producer.logical_id, target.logical_id))
            if isinstance(closed, str) and closed not in reasons:
                reasons.append(closed)
    names = ", ".join(target.logical_id for target in targets)
    return compliant(f"{role.logical_id} may deliver to {names}" + (f" ({'; '.join(reasons)})" if reasons else ""))


def check_async_endpoint_to_topic(resource: Resource, template: StackTemplate) -> Outcome:
    """SageMaker asynchronous inference notifications -> the success and error SNS topics.

    SageMaker developer guide, "Asynchronous inference: prerequisites"
    (async-inference-create-endpoint-prerequisites): SageMaker publishes the notifications with the
    model's execution role, which needs sns:Publish on both topics; for an encrypted topic the
    publisher needs kms:GenerateDataKey* and kms:Decrypt on its key (Amazon SNS developer guide,
    sns-key-management, "Allow a user to send messages to a topic with SSE").
    """
    notification = resource.prop("AsyncInferenceConfig", "OutputConfig", "NotificationConfig")
    if notification is None:
        return not_applicable("no asynchronous inference notifications")
    if is_unresolved(notification) or is_intrinsic(notification):
        return not_applicable("notification configuration unresolved")
    topics = resolve_all(template, [get(notification, key) for key in ("SuccessTopic", "ErrorTopic")], TOPIC)
    if not topics:
        return not_applicable("no notification topic is in this template")
    variants = resource.prop("ProductionVariants")
    models = resolve_all(template, [get(variant, "ModelName") for variant in as_list(variants)],
                         "AWS::SageMaker::Model")
    roles = resolve_all(template, [model.properties.get("ExecutionRoleArn") for model in models], ROLE)
    if not roles:
        return not_applicable("the model's execution role is not in this template")
    return merge([_role_edges(resource, template, role, topics, ("sns:Publish",), KEY_ACTIONS) for role in roles],
                 "the model's execution role is not in this template")


def check_queue_to_function(resource: Resource, template: StackTemplate) -> Outcome:
    """Lambda event source mappings: the function's role may read its SQS queue and use its key.

    AWS Lambda developer guide, "Using Lambda with Amazon SQS" (with-sqs, execution role
    permissions): sqs:ReceiveMessage, sqs:DeleteMessage and sqs:GetQueueAttributes on the queue;
    Amazon SQS developer guide, sqs-key-management: a consumer of an encrypted queue needs
    kms:Decrypt on its key.
    """
    queue = template.resolve_target(resource.properties.get("EventSourceArn"), QUEUE)
    if queue is None:
        return not_applicable("the event source is not a queue in this template")
    function = template.resolve_target(resource.properties.get("FunctionName"), FUNCTION)
    role = template.resolve_target(function.properties.get("Role"), ROLE) if function is not None else None
    if role is None:
        return not_applicable("the function's role is not in this template")
    return _role_edges(resource, template, role, [queue], SQS_CONSUMER_ACTIONS, ("kms:Decrypt",))


def _delegation_hop(template: StackTemplate, key_ref: Any, service: str) -> Hop | None | str:
    """The key lets its callers in: it names `service`, or delegates to the account's IAM policies
    (an AWS principal; the callers, such as CloudFormation's role, are outside the template)."""
    key = key_of(template, key_ref)
    if not isinstance(key, Resource):
        return key
    statements = get(key.prop("KeyPolicy"), "Statement")
    if is_unresolved(statements) or is_intrinsic(statements):
        return "the key policy is unresolved"
    service_open = key_hop(template, key_ref, service) is None
    principals_open = all(any(
        isinstance(statement, dict) and statement.get("Effect", "Allow") == "Allow"
        and isinstance(statement.get("Principal"), dict) and "AWS" in statement["Principal"]
        and allows_action(statement, action) for statement in as_list(statements)) for action in KEY_ACTIONS)
    if service_open or principals_open:
        return None
    return Hop(f"key policy of {key.logical_id}", {
        "Effect": "Allow", "Principal": {"AWS": "<the account root, or the roles that call Bedrock>"},
        "Action": list(KEY_ACTIONS), "Resource": "*"})


BEDROCK = "bedrock.amazonaws.com"


def check_bedrock_to_key(resource: Resource, template: StackTemplate) -> Outcome:
    """Bedrock agents, knowledge-base data sources, guardrails and prompts -> the key that encrypts them.

    Amazon Bedrock user guide:
    - "Encryption of agent resources with customer managed keys" (cmk-agent-resources): the callers of
      the agent APIs need kms:GenerateDataKey and kms:Decrypt, and the key policy a statement for
      bedrock.amazonaws.com when an action group's schema is in S3;
    - "(Optional) Create a customer managed key for your guardrail" (guardrails-permissions-kms): the
      key policy allows the roles that create and use the guardrail;
    - "Encryption of knowledge base resources" (encryption-kb, transient data storage during data
      ingestion): the knowledge base's service role needs kms:GenerateDataKey and kms:Decrypt;
    - "Data encryption" (data-encryption): prompts are encrypted with the caller's key the same way.
    """
    if resource.type == "AWS::Bedrock::DataSource":
        key_ref = resource.prop("ServerSideEncryptionConfiguration", "KmsKeyArn")
    elif resource.type == "AWS::Bedrock::Guardrail":
        key_ref = resource.properties.get("KmsKeyArn")
    else:
        key_ref = resource.properties.get("CustomerEncryptionKeyArn")
    if key_ref is None or key_ref is UNRESOLVED:
        return not_applicable("not encrypted with a customer managed key")
    key = key_of(template, key_ref)
    if not isinstance(key, Resource):
        return not_applicable(key)
    if resource.type == "AWS::Bedrock::DataSource":
        knowledge_base = template.resolve_target(resource.properties.get("KnowledgeBaseId"),
                                                 "AWS::Bedrock::KnowledgeBase")
        role = template.resolve_target(knowledge_base.properties.get("RoleArn"), ROLE) if knowledge_base else None
        if role is None:
            return not_applicable("the knowledge base's service role is not in this template")
        closed = role_key_hop(template, role, key_ref, KEY_ACTIONS)
        who = role.logical_id
    elif resource.type == "AWS::Bedrock::Agent" and any(
            get(group, "ApiSchema", "S3") is not None for group in as_list(resource.prop("ActionGroups"))):
        closed, who = key_hop(template, key_ref, BEDROCK), BEDROCK
    else:
        closed, who = _delegation_hop(template, key_ref, BEDROCK), "the callers of Bedrock"
    if isinstance(closed, Hop):
        return non_compliant(closed.describe(resource.logical_id, key.logical_id))
    if isinstance(closed, str):
        return compliant(f"{who} may use {key.logical_id} ({closed})")
    return compliant(f"{who} may use {key.logical_id}")


RULES: list[LensRule] = [
    delivery_rule("AsyncEndpointToTopic", "The model's execution role may publish the asynchronous endpoint's "
                  "notifications to its topics, and use their key",
                  "SageMaker publishes success and error notifications with the execution role: without sns:Publish "
                  "(and the topic key) the client never hears of a result. A role or topic outside the template is "
                  "not applicable.", "AWS::SageMaker::EndpointConfig", check_async_endpoint_to_topic),
    delivery_rule("QueueToFunction", "The function's role may receive from, and delete in, its SQS event source, "
                  "and decrypt it",
                  "Without it, the event source mapping cannot poll the queue and the messages wait until they expire. "
                  "A queue or role outside the template is not applicable.", "AWS::Lambda::EventSourceMapping",
                  check_queue_to_function),
    delivery_rule("BedrockToKey", "Bedrock and its callers may use the key that encrypts an agent, data source, "
                  "guardrail or prompt",
                  "Without it, creating, updating or invoking the resource fails with an AccessDenied from KMS. A "
                  "key outside the template is not applicable.",
                  ("AWS::Bedrock::Agent", "AWS::Bedrock::DataSource", "AWS::Bedrock::Guardrail",
                   "AWS::Bedrock::Prompt"), check_bedrock_to_key),
]
