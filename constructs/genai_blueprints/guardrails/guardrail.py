"""Guardrail: an encrypted Amazon Bedrock guardrail with a pinned, published version."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from enum import Enum

import aws_cdk as cdk
from aws_cdk import aws_bedrock as bedrock
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms

from constructs import Construct
from genai_blueprints.feature_flags import BlueprintConstruct
from genai_blueprints.guardrails.imported import ImportedGuardrail
from genai_blueprints.guardrails.interface import GUARDRAIL_METRICS_NAMESPACE as GUARDRAIL_METRICS_NAMESPACE
from genai_blueprints.guardrails.interface import GuardrailMetrics, IGuardrail
from genai_blueprints.guardrails.options import (
    DEFAULT_CONTENT_FILTERS,
    ContentFilter,
    ContentFilterType,
    ContextualGrounding,
    DeniedTopic,
    FilterStrength,
    PiiEntity,
    PiiEntityType,
    RegexFilter,
    SensitiveInfoAction,
    _Policies,
)
from genai_blueprints.validation import FLAG, KMS_KEY, TEXT, PropsValidator

DEFAULT_BLOCKED_INPUT_MESSAGE = "Sorry, I can't help with that request."
DEFAULT_BLOCKED_OUTPUT_MESSAGE = "Sorry, I can't provide that answer."
# What a guardrail filters when it is given no PII entities: AWS credentials, in input and output.
# (Prowler's bedrock_guardrail_sensitive_information_filter_enabled, and the lens rule GENSEC02-BP01-d.)
DEFAULT_PII_ENTITIES = (
    PiiEntity(PiiEntityType.AWS_ACCESS_KEY, SensitiveInfoAction.BLOCK),
    PiiEntity(PiiEntityType.AWS_SECRET_KEY, SensitiveInfoAction.BLOCK),
)


class Guardrail(BlueprintConstruct, GuardrailMetrics):
    """A Bedrock guardrail (GENSEC02-BP01) encrypted with a customer-managed key, published as a version.

    Defaults block prompt attacks on input and the five harm categories on input and output, and
    apply the managed profanity list. Everything else (denied topics, custom words, PII entities,
    regexes, contextual grounding) is opt-in.

    The published version is what consumers pin (`guardrail_version`). Its description carries a
    digest of the guardrail's policies, and every property of AWS::Bedrock::GuardrailVersion needs
    replacement, so a policy change publishes a new version in the same deployment; an unchanged
    guardrail keeps its version.

    Implements IGuardrail; `Guardrail.from_attributes(...)` gives an IGuardrail for a guardrail that
    exists already. Metrics: `metric_invocations()`, `metric_interventions()`, `metric_latency()` and
    `metric(name)`, each taking `MetricOptions`.

    Attributes:
        guardrail: the AWS::Bedrock::Guardrail resource.
        version: the AWS::Bedrock::GuardrailVersion resource.
        guardrail_id: the guardrail's id.
        guardrail_arn: the guardrail's ARN.
        guardrail_version: the published version number (never DRAFT).
        encryption_key: the key the guardrail is encrypted with.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        blocked_input_message: str = DEFAULT_BLOCKED_INPUT_MESSAGE,
        blocked_output_message: str = DEFAULT_BLOCKED_OUTPUT_MESSAGE,
        content_filters: Sequence[ContentFilter] = DEFAULT_CONTENT_FILTERS,
        denied_topics: Sequence[DeniedTopic] = (),
        words: Sequence[str] = (),
        profanity_filter: bool = True,
        pii_entities: Sequence[PiiEntity] | None = None,
        regexes: Sequence[RegexFilter] = (),
        contextual_grounding: ContextualGrounding | None = None,
        encryption_key: kms.IKey | None = None,
        description: str | None = None,
    ) -> None:
        """
        Args:
            blocked_input_message: returned instead of a blocked prompt, 1-500 characters.
                Default: a generic refusal.
            blocked_output_message: returned instead of a blocked response, 1-500 characters.
                Default: a generic refusal.
            content_filters: at most one per type; PROMPT_ATTACK is required with an input strength
                other than NONE and an output strength of NONE. Default: `DEFAULT_CONTENT_FILTERS`.
            denied_topics: at most 30, unique names. Default: none.
            words: custom words or phrases blocked on input and output, at most 10000. Default: none.
            profanity_filter: apply the managed PROFANITY word list. Default: True.
            pii_entities: PII types to block or anonymize, one entry per type. Default: block AWS access
                and secret keys (DEFAULT_PII_ENTITIES: credentials never belong in a prompt or an answer);
                pass () for no sensitive-information filter.
            regexes: custom sensitive-information patterns, at most 30. Default: none.
            contextual_grounding: grounding and relevance thresholds (for RAG responses).
                Default: no contextual grounding check.
            encryption_key: encrypts the guardrail. Default: a new customer-managed key with rotation.
            description: 1-200 characters. Default: none.
        """
        super().__init__(scope, construct_id)
        if pii_entities is None:
            pii_entities = DEFAULT_PII_ENTITIES
        self._validate(
            blocked_input_message=blocked_input_message,
            blocked_output_message=blocked_output_message,
            content_filters=content_filters,
            denied_topics=denied_topics,
            words=words,
            profanity_filter=profanity_filter,
            pii_entities=pii_entities,
            regexes=regexes,
            contextual_grounding=contextual_grounding,
            encryption_key=encryption_key,
            description=description,
        )
        policies = _Policies(
            blocked_input_message=blocked_input_message,
            blocked_output_message=blocked_output_message,
            content_filters=tuple(content_filters),
            denied_topics=tuple(denied_topics),
            words=tuple(words),
            profanity_filter=profanity_filter,
            pii_entities=tuple(pii_entities),
            regexes=tuple(regexes),
            contextual_grounding=contextual_grounding,
        )
        self.encryption_key: kms.IKey = encryption_key or kms.Key(
            self, "Key", enable_key_rotation=True, description=f"Encrypts the Bedrock guardrail {self.node.path}"
        )
        self.guardrail = bedrock.CfnGuardrail(
            self,
            "Resource",
            name=cdk.Names.unique_resource_name(self, max_length=50),
            description=description,
            blocked_input_messaging=blocked_input_message,
            blocked_outputs_messaging=blocked_output_message,
            kms_key_arn=self.encryption_key.key_arn,
            content_policy_config=bedrock.CfnGuardrail.ContentPolicyConfigProperty(
                filters_config=[content_filter.to_cfn() for content_filter in policies.content_filters]
            ),
            topic_policy_config=_topic_policy(policies.denied_topics),
            word_policy_config=_word_policy(policies.words, policies.profanity_filter),
            sensitive_information_policy_config=_sensitive_information_policy(policies.pii_entities, policies.regexes),
            contextual_grounding_policy_config=contextual_grounding.to_cfn() if contextual_grounding else None,
        )
        self.version = bedrock.CfnGuardrailVersion(
            self,
            "Version",
            guardrail_identifier=self.guardrail.attr_guardrail_id,
            description=f"Published by CDK; policies digest {_digest(policies)}",
        )
        self.guardrail_id: str = self.guardrail.attr_guardrail_id
        self.guardrail_arn: str = self.guardrail.attr_guardrail_arn
        self.guardrail_version: str = self.version.attr_version

    def grant_apply(self, grantee: iam.IGrantable) -> iam.Grant:
        """bedrock:ApplyGuardrail on this guardrail, and kms:Decrypt on its key (a guardrail
        encrypted with a customer-managed key can only be used by principals that may decrypt);
        returns the whole grant (both statements)."""
        grant = iam.Grant.add_to_principal(
            grantee=grantee, actions=["bedrock:ApplyGuardrail"], resource_arns=[self.guardrail_arn]
        )
        return grant.combine(self.encryption_key.grant_decrypt(grantee))

    @staticmethod
    def from_attributes(
        scope: Construct,
        construct_id: str,
        *,
        guardrail_arn: str,
        guardrail_version: str,
        encryption_key: kms.IKey | None = None,
    ) -> IGuardrail:
        """A guardrail the team already has, for the blueprints (`guardrail=`) and `grant_apply`.

        Args:
            guardrail_arn: arn:<partition>:bedrock:<region>:<account>:guardrail/<id> (a token is fine);
                the id is parsed from it.
            guardrail_version: the published version to pin, e.g. "3" (DRAFT is rejected: it changes
                whenever the guardrail is edited).
            encryption_key: the guardrail's customer-managed key; `grant_apply` then grants kms:Decrypt on
                it too. Default: none (a guardrail encrypted with an AWS-owned key).
        """
        return ImportedGuardrail(
            scope, construct_id,
            guardrail_arn=guardrail_arn, guardrail_version=guardrail_version, encryption_key=encryption_key,
        )

    def dashboard_widgets(self) -> list[cloudwatch.IWidget]:
        """The observability protocol: guardrail traffic, interventions and latency."""
        return [
            cloudwatch.GraphWidget(
                title="Guardrail invocations and interventions",
                left=[self.metric_invocations(), self.metric_interventions()],
                width=12,
            ),
            cloudwatch.GraphWidget(title="Guardrail latency (p90)", left=[self.metric_latency()], width=12),
        ]

    def _validate(
        self, *, blocked_input_message, blocked_output_message, content_filters, denied_topics, words,
        profanity_filter, pii_entities, regexes, contextual_grounding, encryption_key, description,
    ) -> None:
        validator = PropsValidator(f"Guardrail '{self.node.path}'")
        for prop, message in (
            ("blocked_input_message", blocked_input_message),
            ("blocked_output_message", blocked_output_message),
        ):
            if validator.check_type(prop, message, str, TEXT):
                validator.check(1 <= len(message) <= 500, prop, message, "it must be 1-500 characters")
        if validator.check_type("description", description, str, TEXT, optional=True) and (
            description is not None and not cdk.Token.is_unresolved(description)
        ):
            validator.check(1 <= len(description) <= 200, "description", description, "it must be 1-200 characters")
        if validator.check_items("content_filters", content_filters, ContentFilter, "a ContentFilter"):
            problems = [p for i, f in enumerate(content_filters) for p in f.problems(f"content_filters[{i}]")]
            for problem in problems:
                validator.add(problem)
            if not problems:
                _validate_content_filters(validator, tuple(content_filters))
        if validator.check_items("denied_topics", denied_topics, DeniedTopic, "a DeniedTopic"):
            validator.check(len(denied_topics) <= 30, "denied_topics", f"{len(denied_topics)} topics",
                            "at most 30 are allowed")
            names = [topic.name for topic in denied_topics if isinstance(topic.name, str)]
            validator.check(len(names) == len(set(names)), "denied_topics", names, "topic names must be unique")
            for index, topic in enumerate(denied_topics):
                for problem in topic.problems(f"denied_topics[{index}]"):
                    validator.add(problem)
        if validator.check_items("words", words, str, "text (str)"):
            validator.check(len(words) <= 10000, "words", f"{len(words)} words", "at most 10000 are allowed")
            for word in words:
                validator.check(word.strip() != "", "words", word, "each word must be non-empty text")
        validator.check_type("profanity_filter", profanity_filter, bool, FLAG)
        if validator.check_items("pii_entities", pii_entities, PiiEntity, "a PiiEntity"):
            problems = [p for i, e in enumerate(pii_entities) for p in e.problems(f"pii_entities[{i}]")]
            for problem in problems:
                validator.add(problem)
            if not problems:
                types = [entity.type for entity in pii_entities]
                validator.check(len(types) == len(set(types)), "pii_entities", [t.value for t in types],
                                "each PII type may appear once")
        if validator.check_items("regexes", regexes, RegexFilter, "a RegexFilter"):
            validator.check(len(regexes) <= 30, "regexes", f"{len(regexes)} regexes", "at most 30 are allowed")
            for index, regex in enumerate(regexes):
                for problem in regex.problems(f"regexes[{index}]"):
                    validator.add(problem)
        if validator.check_type("contextual_grounding", contextual_grounding, ContextualGrounding,
                                "it must be a ContextualGrounding", optional=True) and contextual_grounding is not None:
            for problem in contextual_grounding.problems("contextual_grounding"):
                validator.add(problem)
        validator.check_interface("encryption_key", encryption_key, KMS_KEY, optional=True)
        validator.raise_if_invalid()


def _validate_content_filters(validator: PropsValidator, filters: tuple[ContentFilter, ...]) -> None:
    types = [content_filter.type for content_filter in filters]
    validator.check(
        len(types) == len(set(types)), "content_filters", [t.value for t in types], "each filter type may appear once"
    )
    prompt_attack = next((f for f in filters if f.type is ContentFilterType.PROMPT_ATTACK), None)
    if prompt_attack is None:
        validator.add(
            f"content_filters is {[t.value for t in types]!r}; a PROMPT_ATTACK filter is required (prompt injection "
            "is the first attack on an agent or RAG input)"
        )
    else:
        validator.check(
            prompt_attack.input_strength is not FilterStrength.NONE,
            "content_filters[PROMPT_ATTACK].input_strength",
            prompt_attack.input_strength.value,
            "it must be LOW, MEDIUM or HIGH",
        )
        validator.check(
            prompt_attack.output_strength is FilterStrength.NONE,
            "content_filters[PROMPT_ATTACK].output_strength",
            prompt_attack.output_strength.value,
            "Bedrock applies prompt-attack filtering to input only; it must be NONE",
        )


def _topic_policy(topics: tuple[DeniedTopic, ...]) -> bedrock.CfnGuardrail.TopicPolicyConfigProperty | None:
    if not topics:
        return None
    return bedrock.CfnGuardrail.TopicPolicyConfigProperty(topics_config=[topic.to_cfn() for topic in topics])


def _word_policy(words: tuple[str, ...], profanity: bool) -> bedrock.CfnGuardrail.WordPolicyConfigProperty | None:
    if not words and not profanity:
        return None
    return bedrock.CfnGuardrail.WordPolicyConfigProperty(
        words_config=[bedrock.CfnGuardrail.WordConfigProperty(text=word) for word in words] or None,
        managed_word_lists_config=[bedrock.CfnGuardrail.ManagedWordsConfigProperty(type="PROFANITY")]
        if profanity
        else None,
    )


def _sensitive_information_policy(
    entities: tuple[PiiEntity, ...], regexes: tuple[RegexFilter, ...]
) -> bedrock.CfnGuardrail.SensitiveInformationPolicyConfigProperty | None:
    if not entities and not regexes:
        return None
    return bedrock.CfnGuardrail.SensitiveInformationPolicyConfigProperty(
        pii_entities_config=[entity.to_cfn() for entity in entities] or None,
        regexes_config=[regex.to_cfn() for regex in regexes] or None,
    )


def _digest(policies: _Policies) -> str:
    """A short, stable digest of the policies (enums by value), independent of tokens and paths."""

    def plain(value: object) -> object:
        return value.value if isinstance(value, Enum) else str(value)

    text = json.dumps(dataclasses.asdict(policies), sort_keys=True, default=plain)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
