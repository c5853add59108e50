"""`python -m bench.mutation`: a measured mutation score for the handlers, the validation code and the lens rules.

    python -m bench.mutation                          every area (one to two hours on one core; a quiet machine)
    python -m bench.mutation --areas lens             one area (lens, handlers, validation; comma-separated)
    python -m bench.mutation --areas lens --output /tmp/m.md --work /tmp/mutation --keep
    python -m bench.mutation --areas handlers --work /tmp/mutation --resume    go on with a stopped run
    python -m bench.mutation --areas handlers --work /tmp/mutation --retest    survivors again, with today's tests
    python -m bench.mutation --report-only            docs/mutation.md again from its recorded results (after NOTES)

mutmut 3 (https://github.com/boxed/mutmut) writes every mutant of a file into one copy of it, in a
`mutants/` folder beside the sources, and runs the tests that cover the mutated function in a
process forked from one that has already imported the tests. This script never runs it in the
checkout: each area gets a scratch copy of the working tree (tracked and untracked files that git
does not ignore), laid out so that mutmut's module names are the names the tests import:

- package code (validation, lens): constructs/genai_blueprints is moved to src/genai_blueprints
  (mutmut names src/x/y.py "x.y", as `import genai_blueprints.lens.genai` does);
- handlers: every lambda/*/*.py and lambda/shared_layer/python/*.py is copied flat into src/ (the tests
  import them as top-level modules), and mutants/lambda/<folder>/<module>.py are symlinks to the
  mutated copies, so the tests' own sys.path set-up (tests/lambda_harness.py) finds the mutants.

Forking and jsii: aws-cdk-lib runs one node process per Python process. A forked mutant shares its
parent's, which works as long as one process talks to it at a time, so mutants run one at a time
(--max-children 1, also the one-core budget of a shared machine). The tests run per area are
restricted to that area's folders (AREAS below).

Writes docs/mutation.md: the score per area, the tool and its version, the command, and every
surviving mutant with the note or justification recorded for it in NOTES below.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
PACKAGE = "constructs/genai_blueprints"
MAX_CHILDREN = 1  # one mutant at a time: jsii's node process is shared with the forking parent

# Files a scratch copy needs besides the sources and tests/ (mutmut copies tests/ and pyproject.toml itself).
ALSO_COPY = ("apps", "bench", "docs", "cdk.json", "package.json", "package-lock.json", "README.md", "CONTRIBUTING.md")


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    kind: str  # "package" (constructs/genai_blueprints) or "handlers" (lambda/)
    tests: tuple[str, ...]  # test folders or files; glob patterns are expanded in the scratch copy
    files: tuple[str, ...] = ()  # package files to mutate, relative to constructs/genai_blueprints
    # Functions to test, as {file: patterns on the function part of mutmut's mutant names}; files not
    # listed here have every function tested.
    functions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Test files left out, each with the reason (shown in docs/mutation.md).
    left_out: dict[str, str] = field(default_factory=dict)
    note: str = ""  # how the tests were chosen, for docs/mutation.md
    # Left-out test files that --retest runs after all, only for the survivors whose statement matches the
    # regex (a slow test for the few mutants it is about).
    retest_with: dict[str, str] = field(default_factory=dict)


_OPTION_CHECKS = ("*problem*", "*validate*")

AREAS: dict[str, Area] = {
    "lens": Area(
        key="lens",
        title="Lens rules",
        kind="package",
        # Every fixture of lens_cases and lens_edge_cases, with its rule called on the synthesized template.
        # The other lens tests evaluate the same fixtures through a synthesis with the packs (test_lens_rules)
        # or synthesize apps of their own; each would synthesize again for every mutant.
        tests=("tests/lens/test_lens_thresholds.py",),
        files=(*(f"lens/genai/{name}.py" for name in ("common", "operations", "security", "reliability", "performance", "cost", "sustainability")),
               "lens/ml.py", "lens/sustainability.py"),
        note=(
            "tests/lens/test_lens_thresholds.py calls every rule on the synthesized template of every fixture of "
            "lens_cases and lens_edge_cases and compares compliance and detail exactly; the templates are "
            "synthesized once per process, so a mutant's run synthesizes nothing. The rest of tests/lens checks the "
            "same fixtures through a synthesis with the packs (test_lens_rules.py) or synthesizes apps of its own, "
            "which every mutant's run would repeat."
        ),
    ),
    "handlers": Area(
        key="handlers",
        title="Lambda handlers",
        kind="handlers",
        tests=("tests/handlers", "tests/handlers_agents", "tests/handlers_kb", "tests/handlers_platform"),
        left_out={
            "tests/handlers/test_metric_contracts.py": (
                "its module fixture synthesizes a stack of every blueprint, again in every mutant's run (a few "
                "seconds each, hours in all); --retest runs it for the survivors on metric lines"
            ),
        },
        retest_with={"tests/handlers/test_metric_contracts.py": r"metrics\.add_metric|single_metric|add_dimension"},
    ),
    "validation": Area(
        key="validation",
        title="Validation code",
        kind="package",
        # The prop-checking tests of each blueprint; the other construct tests build whole blueprints (they
        # reach the validation code too, and would run for every mutant of it).
        tests=(
            "tests/*/test_*_validation.py",
            "tests/*/test_*_types.py",
            "tests/*/test_*_regions.py",
            "tests/*/test_*_limits.py",
            "tests/agents/test_action_group_code.py",
            "tests/guardrails/test_guardrail_construct.py",
            "tests/platform/test_platform_prompt_catalog.py",
            "tests/platform/test_platform_tagging_budget.py",
            *(f"tests/{folder}/test_*_mutation_kills.py" for folder in ("constructs", "agents", "knowledge_base",
                                                                       "guardrails", "platform")),
        ),
        left_out={"tests/apps/test_builtin_validation.py": "CDK's CloudFormation validation of the sample apps, not prop checks"},
        files=(
            "validation.py",
            "regions.py",
            "async_inference/options.py",
            "agents/options.py",
            "agents/models.py",
            "agents/schemas.py",
            "guardrails/options.py",
            "knowledge_base/chunking.py",
            "knowledge_base/embedding_models.py",
            "platform/tagging.py",
            "platform/prompt_catalog.py",
        ),
        functions={
            "async_inference/options.py": _OPTION_CHECKS,
            "agents/options.py": _OPTION_CHECKS,
            "agents/models.py": _OPTION_CHECKS,
            "agents/schemas.py": _OPTION_CHECKS,
            "guardrails/options.py": _OPTION_CHECKS,
            "knowledge_base/chunking.py": _OPTION_CHECKS,
            "knowledge_base/embedding_models.py": _OPTION_CHECKS,
            "platform/tagging.py": _OPTION_CHECKS,
            # _Collector is the PropsValidator stand-in that problems() reports through.
            "platform/prompt_catalog.py": _OPTION_CHECKS + ("xǁ_Collectorǁ*",),
        },
    ),
}
ORDER = ("lens", "handlers", "validation")

# What was done about each survivor: (repository file, original line, mutated line) -> note. The lines are
# compared stripped (several lines joined with " / "); "*" as the mutated line matches every mutant of that
# original line. A survivor without a note is listed as "not reviewed".
NOTES: dict[tuple[str, str, str], str] = {}
# Notes by kind of line, for survivors NOTES does not name: (file pattern, regex on the original line, note).
NOTE_RULES: list[tuple[str, str, str]] = [
    (
        "lambda/*",
        r"^logger\.(debug|info|warning|error|exception)\(",
        "logging only: the text or a field of a log line. The tests check what must never be logged (content, "
        "personal data) and the answers, metrics and records, not the wording of every log line",
    ),
]


def _note(file: str, before: str, afters: list[str], note: str) -> dict[tuple[str, str, str], str]:
    return {(file, before, after): note for after in afters}


# Lens rules (the run of 2026-12-02): every survivor is an equivalent mutant.
NOTES.update(_note(
    "constructs/genai_blueprints/lens/genai/common.py",
    "found = [(alarm.prop(\"Namespace\"), alarm.prop(\"MetricName\"), alarm.prop(\"Dimensions\"))]",
    ["found = [(alarm.prop(None), alarm.prop(\"MetricName\"), alarm.prop(\"Dimensions\"))]", "found = [(alarm.prop(\"XXNamespaceXX\"), alarm.prop(\"MetricName\"), alarm.prop(\"Dimensions\"))]", "found = [(alarm.prop(\"namespace\"), alarm.prop(\"MetricName\"), alarm.prop(\"Dimensions\"))]", "found = [(alarm.prop(\"NAMESPACE\"), alarm.prop(\"MetricName\"), alarm.prop(\"Dimensions\"))]"],
    "equivalent: every caller of _alarm_metrics ignores the namespace (`for _, name, dims`)",
))
NOTES.update(_note(
    "constructs/genai_blueprints/lens/genai/common.py",
    "found.append((metric.get(\"Namespace\"), metric.get(\"MetricName\"), metric.get(\"Dimensions\")))",
    ["found.append((metric.get(None), metric.get(\"MetricName\"), metric.get(\"Dimensions\")))", "found.append((metric.get(\"XXNamespaceXX\"), metric.get(\"MetricName\"), metric.get(\"Dimensions\")))", "found.append((metric.get(\"namespace\"), metric.get(\"MetricName\"), metric.get(\"Dimensions\")))", "found.append((metric.get(\"NAMESPACE\"), metric.get(\"MetricName\"), metric.get(\"Dimensions\")))"],
    "equivalent: every caller of _alarm_metrics ignores the namespace (`for _, name, dims`)",
))
NOTES.update(_note(
    "constructs/genai_blueprints/lens/genai/security.py",
    "found_any = False",
    ["found_any = None"],
    "equivalent: found_any is only read as `not found_any`; None and False are both false",
))
NOTES.update(_note(
    "constructs/genai_blueprints/lens/genai/security.py",
    "if is_unresolved(get(config, \"GuardrailIdentifier\")):",
    ["if is_unresolved(None):", "if is_unresolved(get(None, \"GuardrailIdentifier\")):", "if is_unresolved(get(config, None)):", "if is_unresolved(get(\"GuardrailIdentifier\")):", "if is_unresolved(get(config, )):", "if is_unresolved(get(config, \"XXGuardrailIdentifierXX\")):", "if is_unresolved(get(config, \"guardrailidentifier\")):", "if is_unresolved(get(config, \"GUARDRAILIDENTIFIER\")):"],
    "equivalent: unreachable. get() returns UNRESOLVED only through an intrinsic parent, and an intrinsic GuardrailConfiguration returned not applicable above; a token identifier is a truthy dict and is compliant one line earlier (dead code, reported to the lead)",
))
NOTES.update(_note(
    "constructs/genai_blueprints/lens/genai/security.py",
    "return compliant(\"guardrail identifier is a reference\")",
    ["return compliant(None)", "return compliant(\"XXguardrail identifier is a referenceXX\")", "return compliant(\"GUARDRAIL IDENTIFIER IS A REFERENCE\")"],
    "equivalent: unreachable (see the line above)",
))
NOTES.update(_note(
    "constructs/genai_blueprints/lens/genai/sustainability.py",
    "if watches_backlog and referenced_ids(alarm.prop(\"AlarmActions\", default=[])) & step_policies:",
    ["if watches_backlog and referenced_ids(alarm.prop(\"AlarmActions\", default=None)) & step_policies:", "if watches_backlog and referenced_ids(alarm.prop(\"AlarmActions\", )) & step_policies:"],
    "equivalent: referenced_ids(None) and referenced_ids([]) are both the empty set",
))
NOTES.update(_note(
    "constructs/genai_blueprints/lens/genai/cost.py",
    "if isinstance(rendered, dict) and next(iter(rendered), \"\") in (\"Fn::Join\", \"Fn::Sub\"):",
    ["if isinstance(rendered, dict) and next(iter(rendered), None) in (\"Fn::Join\", \"Fn::Sub\"):", "if isinstance(rendered, dict) and next(iter(rendered), ) in (\"Fn::Join\", \"Fn::Sub\"):", "if isinstance(rendered, dict) and next(iter(rendered), \"XXXX\") in (\"Fn::Join\", \"Fn::Sub\"):"],
    "equivalent: next()'s default is only returned for an empty dict, and no default other than 'Fn::Join'/'Fn::Sub' changes the test",
))
NOTES.update(_note(
    "constructs/genai_blueprints/lens/genai/operations.py",
    "opaque = False  # an alarm dimension we cannot attribute (imported value, parameter)",
    ["opaque = None  # an alarm dimension we cannot attribute (imported value, parameter)"],
    "equivalent: opaque is only read for truth; None and False are both false",
))
NOTES.update(_note(
    "constructs/genai_blueprints/lens/genai/cost.py",
    "opaque = False",
    ["opaque = None"],
    "equivalent: opaque is only read for truth; None and False are both false",
))
NOTES.update(_note(
    "constructs/genai_blueprints/lens/genai/cost.py",
    "opaque = False",
    ["opaque = None"],
    "equivalent: opaque is only read for truth; None and False are both false",
))
NOTES.update(_note(
    "constructs/genai_blueprints/lens/genai/cost.py",
    "if is_unresolved(variants) or not as_list(variants):",
    ["if is_unresolved(None) or not as_list(variants):"],
    "equivalent: as_list() of an intrinsic is [], so `not as_list(...)` already catches what is_unresolved() does",
))
NOTES.update(_note(
    "constructs/genai_blueprints/lens/genai/cost.py",
    "if is_unresolved(configurations) or not as_list(configurations):",
    ["if is_unresolved(None) or not as_list(configurations):"],
    "equivalent: as_list() of an intrinsic is [], so `not as_list(...)` already catches what is_unresolved() does",
))
NOTES.update(_note(
    "constructs/genai_blueprints/lens/genai/cost.py",
    "if is_unresolved(filters):",
    ["if is_unresolved(None):"],
    "equivalent: for an intrinsic CostFilters the next line's get() returns UNRESOLVED, which is what this branch returns",
))
NOTES.update(_note(
    "constructs/genai_blueprints/lens/genai/cost.py",
    "opaque = False",
    ["opaque = None"],
    "equivalent: opaque is only read for truth; None and False are both false",
))
NOTES.update(_note(
    "constructs/genai_blueprints/lens/genai/sustainability.py",
    "enabled = [r for r in as_list(rules) if get(r, \"Status\", default=\"Enabled\") != \"Disabled\"]",
    ["enabled = [r for r in as_list(rules) if get(r, \"Status\", default=None) != \"Disabled\"]", "enabled = [r for r in as_list(rules) if get(r, \"Status\", ) != \"Disabled\"]", "enabled = [r for r in as_list(rules) if get(r, \"Status\", default=\"XXEnabledXX\") != \"Disabled\"]", "enabled = [r for r in as_list(rules) if get(r, \"Status\", default=\"enabled\") != \"Disabled\"]", "enabled = [r for r in as_list(rules) if get(r, \"Status\", default=\"ENABLED\") != \"Disabled\"]"],
    "equivalent: only a Status of 'Disabled' disables a rule, so any default other than 'Disabled' gives the same list",
))
NOTES.update(_note(
    "constructs/genai_blueprints/lens/ml.py",
    "if is_unresolved(resource.prop(\"ProductionVariants\")) or not variants:",
    ["if is_unresolved(None) or not variants:", "if is_unresolved(resource.prop(None)) or not variants:", "if is_unresolved(resource.prop(\"XXProductionVariantsXX\")) or not variants:", "if is_unresolved(resource.prop(\"productionvariants\")) or not variants:", "if is_unresolved(resource.prop(\"PRODUCTIONVARIANTS\")) or not variants:"],
    "equivalent: as_list() of an intrinsic is [], so `not variants` already catches what is_unresolved() does",
))
NOTES.update(_note(
    "constructs/genai_blueprints/lens/sustainability.py",
    "if size == \"metal\" or size.startswith(\"metal\"):",
    ["if size == \"XXmetalXX\" or size.startswith(\"metal\"):", "if size == \"METAL\" or size.startswith(\"metal\"):"],
    "equivalent: size.startswith('metal') already covers size == 'metal'",
))
NOTES.update(_note(
    "constructs/genai_blueprints/lens/sustainability.py",
    "return float(\"inf\")",
    ["return float(\"INF\")"],
    "equivalent: float('INF') is float('inf')",
))
NOTES.update(_note(
    "constructs/genai_blueprints/lens/sustainability.py",
    "if instance_family(t) in TRAINING_CLASS_FAMILIES or (size_units(t) or 0) > MAX_INFERENCE_SIZE_UNITS",
    ["if instance_family(t) in TRAINING_CLASS_FAMILIES or (size_units(t) or 1) > MAX_INFERENCE_SIZE_UNITS"],
    "equivalent: size_units() returns None (unknown) or a size; None or 0 and None or 1 are both below the limit of 8",
))


# Lambda handlers (the run of 2026-12-02): the survivors no test can tell apart, each with the reason.
NOTES.update(_note(
    "lambda/agent_front_door/agent_front_door.py",
    "super().__init__(message)",
    ["super().__init__(None)"],
    "equivalent: a RequestError's Exception text is never read; the answer and the log use its code and message attributes",
))
NOTES.update(_note(
    "lambda/agent_front_door/agent_front_door.py",
    "UpdateExpression=\"ADD tokens :tokens, requests :one SET expires_at = :expires_at\",",
    ["UpdateExpression=\"add tokens :tokens, requests :one set expires_at = :expires_at\","],
    "equivalent: DynamoDB update-expression keywords (ADD, SET) are case-insensitive",
))
NOTES.update(_note(
    "lambda/agent_front_door/agent_front_door.py",
    "state.chunks.append(item[\"chunk\"].get(\"bytes\", b\"\").decode(\"utf-8\", errors=\"replace\"))",
    ["state.chunks.append(item[\"chunk\"].get(\"bytes\", b\"\").decode(errors=\"replace\"))", "state.chunks.append(item[\"chunk\"].get(\"bytes\", b\"\").decode(\"UTF-8\", errors=\"replace\"))"],
    "equivalent: bytes.decode() decodes UTF-8 by default, and codec names are case-insensitive",
))
NOTES.update(_note(
    "lambda/agent_front_door/agent_front_door.py",
    "raise ClientError({\"Error\": {\"Code\": name, \"Message\": \"\"}}, \"InvokeAgent\")",
    ["raise ClientError({\"Error\": {\"Code\": name, \"Message\": \"\"}}, None)", "raise ClientError({\"Error\": {\"Code\": name, \"XXMessageXX\": \"\"}}, \"InvokeAgent\")", "raise ClientError({\"Error\": {\"Code\": name, \"message\": \"\"}}, \"InvokeAgent\")", "raise ClientError({\"Error\": {\"Code\": name, \"MESSAGE\": \"\"}}, \"InvokeAgent\")", "raise ClientError({\"Error\": {\"Code\": name, \"Message\": \"XXXX\"}}, \"InvokeAgent\")", "raise ClientError({\"Error\": {\"Code\": name, \"Message\": \"\"}}, \"XXInvokeAgentXX\")", "raise ClientError({\"Error\": {\"Code\": name, \"Message\": \"\"}}, \"invokeagent\")", "raise ClientError({\"Error\": {\"Code\": name, \"Message\": \"\"}}, \"INVOKEAGENT\")"],
    "equivalent: _agent_error reads only the error code of this ClientError; its message and operation name reach no answer, metric or log",
))
NOTES.update(_note(
    "lambda/agent_front_door/agent_front_door.py",
    "worker = threading.Thread(target=work, name=\"agent-stream\", daemon=True)",
    ["worker = threading.Thread(target=work, name=None, daemon=True)", "worker = threading.Thread(target=work, daemon=True)", "worker = threading.Thread(target=work, name=\"XXagent-streamXX\", daemon=True)", "worker = threading.Thread(target=work, name=\"AGENT-STREAM\", daemon=True)"],
    "equivalent: the reader thread's name is shown nowhere (log lines name the session, not the thread)",
))
NOTES.update(_note(
    "lambda/agent_front_door/agent_front_door.py",
    "super().__init__(\"deadline passed while reading\")",
    ["super().__init__(None)", "super().__init__(\"XXdeadline passed while readingXX\")", "super().__init__(\"DEADLINE PASSED WHILE READING\")"],
    "equivalent: run_agent always catches _Abandoned and answers TIMEOUT; the exception's text is never read",
))
NOTES.update(_note(
    "lambda/agent_front_door/agent_front_door.py",
    "stream = None",
    ["stream = \"\""],
    "equivalent: '' has no close(), so the finally block skips it as it skips None, and the response stream replaces it before anything is read",
))
NOTES.update(_note(
    "lambda/kb_ingestion/kb_ingestion.py",
    "jobs = response.get(\"ingestionJobSummaries\", [])",
    ["jobs = response.get(\"ingestionJobSummaries\", None)", "jobs = response.get(\"ingestionJobSummaries\", )"],
    "equivalent: jobs is only tested for truth (jobs[0] if jobs else None); None and [] both give None",
))
NOTES.update(_note(
    "lambda/kb_ingestion/kb_ingestion.py",
    "code = error.response.get(\"Error\", {}).get(\"Code\", \"\")",
    ["code = error.response.get(\"Error\", {}).get(\"Code\", None)", "code = error.response.get(\"Error\", {}).get(\"Code\", )", "code = error.response.get(\"Error\", {}).get(\"Code\", \"XXXX\")"],
    "equivalent: the default code is only compared with RETRYABLE_ERRORS; '', None and 'XXXX' are all outside it, so the error is raised again",
))
NOTES.update(_note(
    "lambda/kb_ingestion/kb_ingestion.py",
    "failed = (previous.get(\"statistics\") or {}).get(\"numberOfDocumentsFailed\", 0)",
    ["failed = (previous.get(\"statistics\") or {}).get(\"numberOfDocumentsFailed\", None)", "failed = (previous.get(\"statistics\") or {}).get(\"numberOfDocumentsFailed\", )"],
    "equivalent: failed is only tested for truth before it is logged and emitted; None and 0 are both false",
))
NOTES.update(_note(
    "lambda/kb_ingestion/kb_ingestion.py",
    "parse_change(record.get(\"body\", \"\"))",
    ["parse_change(record.get(\"body\", None))", "parse_change(record.get(\"body\", ))", "parse_change(record.get(\"body\", \"XXXX\"))"],
    "equivalent: a body of '', None or 'XXXX' is refused alike ('body is not JSON')",
))
NOTES.update(_note(
    "lambda/feedback/feedback.py",
    "super().__init__(message)",
    ["super().__init__(None)"],
    "equivalent: a BadRequest's Exception text is never read; the answer and the log use its status, message and problems attributes",
))
NOTES.update(_note(
    "lambda/feedback/feedback.py",
    "method = (event.get(\"requestContext\") or {}).get(\"http\", {}).get(\"method\", \"\")",
    ["method = (event.get(\"requestContext\") or {}).get(\"http\", {}).get(\"method\", None)", "method = (event.get(\"requestContext\") or {}).get(\"http\", {}).get(\"method\", )"],
    "equivalent: a missing method is only compared with 'POST' and shown as method or '(none)'; None and '' give the same answer",
))
NOTES.update(_note(
    "lambda/feedback/feedback.py",
    "raw = event.get(\"body\") or \"\"",
    ["raw = event.get(\"body\") or \"XXXX\""],
    "equivalent: a missing body and 'XXXX' are both refused as 'the body is not valid JSON' (as text, and base64-decoded to bytes that are not UTF-8 JSON)",
))
NOTES.update(_note(
    "lambda/feedback/feedback.py",
    "body_bytes = raw.encode(\"utf-8\")",
    ["body_bytes = raw.encode(\"UTF-8\")"],
    "equivalent: codec names are case-insensitive",
))
NOTES.update(_note(
    "lambda/kb_query/kb_query.py",
    "super().__init__(message)",
    ["super().__init__(None)"],
    "equivalent: a BadRequest's Exception text is never read; the answer and the log use its status, code and message attributes",
))
NOTES.update(_note(
    "lambda/kb_query/kb_query.py",
    "body = base64.b64decode(body, validate=True).decode(\"utf-8\")",
    ["body = base64.b64decode(body, validate=True).decode(\"UTF-8\")"],
    "equivalent: codec names are case-insensitive",
))
NOTES.update(_note(
    "lambda/order_status_action/order_status_action.py",
    "order_id = parameters(event).get(\"order_id\", \"\").strip().upper()",
    ["order_id = parameters(event).get(\"order_id\", \"XXXX\").strip().upper()"],
    "equivalent: a missing order_id of '' or 'XXXX' fails ORDER_ID alike and gets the same reprompt",
))
NOTES.update(_note(
    "lambda/shared_layer/python/handler_kit.py",
    "value = os.environ.get(name, \"\")",
    ["value = os.environ.get(name, None)", "value = os.environ.get(name, )"],
    "equivalent: the value is only tested for truth (not value); an unset variable read as None or '' raises the same SettingError",
))
NOTES.update(_note(
    "lambda/shared_layer/python/handler_kit.py",
    "values = tuple(os.environ.get(name, \"\") for name in names)",
    ["values = tuple(os.environ.get(name, None) for name in names)", "values = tuple(os.environ.get(name, ) for name in names)"],
    "equivalent: the values are only tested for truth (all(values), not value); None and '' are both false",
))
NOTES.update(_note(
    "lambda/shared_layer/python/handler_kit.py",
    "processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)",
    ["processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=None)"],
    "equivalent: BatchProcessor reads raise_on_entire_batch_failure only for truth; None and False are both false",
))
NOTES.update(_note(
    "lambda/png_postprocessor/png_postprocessor.py",
    "if _SAFE_ID.fullmatch(inference_id) and inference_id not in (\".\", \"..\"):",
    ["if _SAFE_ID.fullmatch(inference_id) and inference_id not in (\"XX.XX\", \"..\"):", "if _SAFE_ID.fullmatch(inference_id) and inference_id not in (\".\", \"XX..XX\"):"],
    "equivalent: unreachable; _SAFE_ID needs a letter or digit first, so '.' and '..' never match it (the test for '..' passes either way)",
))
NOTES.update(_note(
    "lambda/png_postprocessor/png_postprocessor.py",
    "return hashlib.sha256(inference_id.encode(\"utf-8\")).hexdigest()",
    ["return hashlib.sha256(inference_id.encode(\"UTF-8\")).hexdigest()"],
    "equivalent: codec names are case-insensitive",
))
NOTES.update(_note(
    "lambda/png_postprocessor/png_postprocessor.py",
    "Body=json.dumps(manifest, indent=2).encode(\"utf-8\"),",
    ["Body=json.dumps(manifest, indent=None).encode(\"utf-8\"),", "Body=json.dumps(manifest, ).encode(\"utf-8\"),", "Body=json.dumps(manifest, indent=2).encode(\"UTF-8\"),"],
    "equivalent for every JSON reader: the manifest's indentation only (its content is checked)",
))
NOTES.update(_note(
    "lambda/png_postprocessor/png_conversion.py",
    "header = struct.pack(\">IIBBBBB\", width, height, 8, 2, 0, 0, 0)  # 8-bit truecolour, no interlace",
    ["header = struct.pack(\">iibbbbb\", width, height, 8, 2, 0, 0, 0)  # 8-bit truecolour, no interlace"],
    "equivalent: every IHDR field fits the signed formats too, so the bytes are the same (the IHDR is checked byte for byte)",
))
NOTES.update(_note(
    "lambda/png_postprocessor/png_conversion.py",
    "sample = filtered[: max(1, filtered.shape[0] // 16)]",
    ["sample = filtered[: max(2, filtered.shape[0] // 16)]", "sample = filtered[: max(1, filtered.shape[1] // 16)]", "sample = filtered[: max(1, filtered.shape[0] // 17)]"],
    "performance only: the sample size only chooses the compression level; the pixels are the same (every test decodes the PNG) and test_encode_png_* check sizes for smooth and noise images",
))
NOTES.update(_note(
    "lambda/png_postprocessor/png_conversion.py",
    "level = 1 if len(_deflate(sample, 1)) < 0.9 * sample.nbytes else 0",
    ["level = 1 if (len(_deflate(sample, 1)) < 0.9 * sample.nbytes) or True else 0", "level = 2 if len(_deflate(sample, 1)) < 0.9 * sample.nbytes else 0", "level = 1 if len(_deflate(sample, 1)) <= 0.9 * sample.nbytes else 0", "level = 1 if len(_deflate(sample, 1)) < 1.9 * sample.nbytes else 0", "level = 1 if len(_deflate(sample, 1)) < 0.9 * sample.nbytes else 1"],
    "performance only: the compression level chosen for the sample; the same pixels, another size or time (speed is measured in bench/, never asserted)",
))
NOTES.update(_note(
    "lambda/png_postprocessor/png_conversion.py",
    "compressor = zlib.compressobj(level, zlib.DEFLATED, 15, 9, zlib.Z_RLE)",
    ["compressor = zlib.compressobj(level, zlib.DEFLATED, 15, zlib.Z_RLE)", "compressor = zlib.compressobj(level, zlib.DEFLATED, 15, 9, )"],
    "performance only: another zlib memory level or strategy; the same pixels, another size or time",
))
NOTES.update(_note(
    "lambda/png_postprocessor/png_conversion.py",
    "return compressor.compress(memoryview(data).cast(\"B\")) + compressor.flush()",
    ["return compressor.compress(memoryview(data).cast(\"b\")) + compressor.flush()"],
    "equivalent: a memoryview cast to signed bytes hands zlib the same bytes",
))
NOTES.update(_note(
    "lambda/png_postprocessor/png_conversion.py",
    "return struct.pack(\">I\", len(data)) + kind + data + struct.pack(\">I\", crc)",
    ["return struct.pack(\">i\", len(data)) + kind + data + struct.pack(\">I\", crc)"],
    "equivalent: a chunk length below 2**31 packs the same as a signed integer",
))
NOTES.update(_note(
    "lambda/png_postprocessor/png_conversion.py",
    "if ends[0] < 5 or ends[-1] + 4 > len(segment):",
    ["if ends[0] < 5 and ends[-1] + 4 > len(segment):", "if ends[1] < 5 or ends[-1] + 4 > len(segment):", "if ends[0] < 5 or ends[-1] - 4 > len(segment):", "if ends[0] < 5 or ends[+1] + 4 > len(segment):", "if ends[0] < 5 or ends[-2] + 4 > len(segment):"],
    "equivalent: an unreachable guard made weaker; the segment starts with [[[[ and ends with ]]]], so the first run ends at 5 or later and the last 4 or more before the end",
))
NOTES.update(_note(
    "lambda/png_postprocessor/png_conversion.py",
    "key = raw.find(_KEY)",
    ["key = raw.rfind(_KEY)"],
    "performance only: a later \"generated_images\" (in the prompt) fails the checks that follow, and the reference path gives the same images or error",
))
NOTES.update(_note(
    "lambda/png_postprocessor/png_conversion.py",
    "if key < 0:",
    ["if key <= 0:", "if key < 1:"],
    "equivalent: the key cannot be at index 0 of a JSON object (a document starting with it is refused by the reference path either way)",
))
NOTES.update(_note(
    "lambda/png_postprocessor/png_conversion.py",
    "end = raw.rfind(b\"]]]]\", start)",
    ["end = raw.rfind(b\"]]]]\", None)", "end = raw.rfind(b\"]]]]\", )", "end = raw.find(b\"]]]]\", start)"],
    "performance only: another ]]]] (before the value, or the array's own with find) either fails the remainder check or is the same span; the reference path gives the same result",
))
NOTES.update(_note(
    "lambda/png_postprocessor/png_conversion.py",
    "if end < 0:",
    ["if end <= 0:", "if end < 1:"],
    "equivalent: a found ]]]] is at or after start, which is past the key, so end is never 0",
))
NOTES.update(_note(
    "lambda/png_postprocessor/png_conversion.py",
    "constants.append(name)",
    ["constants.append(None)"],
    "equivalent: only the number of constants is read, not their names",
))
NOTES.update(_note(
    "lambda/png_postprocessor/png_conversion.py",
    "with Image.open(io.BytesIO(data), formats=[\"JPEG\"]) as probe:",
    ["with Image.open(io.BytesIO(data), formats=None) as probe:", "with Image.open(io.BytesIO(data), ) as probe:", "with Image.open(io.BytesIO(data), formats=[\"jpeg\"]) as probe:"],
    "equivalent: the second Image.open of the same bytes is restricted to JPEG too, so a non-JPEG is still refused; Pillow compares format names case-insensitively",
))
NOTES.update(_note(
    "lambda/png_postprocessor/png_conversion.py",
    "with Image.open(io.BytesIO(data), formats=[\"JPEG\"]) as image:",
    ["with Image.open(io.BytesIO(data), formats=None) as image:", "with Image.open(io.BytesIO(data), ) as image:", "with Image.open(io.BytesIO(data), formats=[\"jpeg\"]) as image:"],
    "equivalent: the first Image.open (verify) of the same bytes is restricted to JPEG too, so a non-JPEG is still refused; Pillow compares format names case-insensitively",
))
NOTES.update(_note(
    "lambda/png_postprocessor/png_conversion.py",
    "words = np.ndarray(shape=(len(segment) - 7,), dtype=\"<u8\", buffer=segment, strides=(1,))",
    ["words = np.ndarray(shape=(len(segment) - 7,), dtype=None, buffer=segment, strides=(1,))", "words = np.ndarray(shape=(len(segment) - 7,), buffer=segment, strides=(1,))"],
    "equivalent: the words are only reinterpreted as uint8 bytes (view), so a float64 view of the same buffer gives the same bytes",
))
NOTES.update(_note(
    "lambda/png_postprocessor/png_conversion.py",
    "windows = words[ends - 4].view(np.uint8).reshape(-1, 8)[:, :5].T.copy()",
    ["windows = words[ends - 4].view(np.uint8).reshape(-2, 8)[:, :5].T.copy()"],
    "equivalent with this NumPy: reshape reads any negative size as 'inferred', like -1",
))
NOTES.update(_note(
    "lambda/png_postprocessor/png_conversion.py",
    "values = (last - np.uint8(48)).astype(np.uint16)",
    ["values = (last - np.uint8(48)).astype(None)"],
    "equivalent: float64 holds every sum exactly (at most 999) and the result is cast to uint8 after the 255 check",
))
NOTES.update(_note(
    "lambda/png_postprocessor/png_conversion.py",
    "return (chars - np.uint8(48)) < 10  # uint8 arithmetic wraps, so non-digits give >= 10",
    ["return (chars - np.uint8(48)) <= 10  # uint8 arithmetic wraps, so non-digits give >= 10", "return (chars - np.uint8(48)) < 11  # uint8 arithmetic wraps, so non-digits give >= 10"],
    "equivalent: the skeleton check already refused every byte but digits, brackets, commas and spaces, so ':' (the one byte 48 + 10) never reaches _is_digit",
))
NOTES.update(_note(
    "lambda/png_postprocessor/png_conversion.py",
    "height = _repeat_count(len(skeleton) - 2, row, separator)",
    ["height = None", "height = _repeat_count(len(skeleton) + 2, row, separator)", "height = _repeat_count(len(skeleton) - 3, row, separator)"],
    "performance only: the one-image shortcut; without it the general branch finds count 1 and the same shape",
))
NOTES.update(_note(
    "lambda/png_postprocessor/png_conversion.py",
    "if height is not None and skeleton == b\"[\" + _join(row, separator, height) + b\"]\":",
    ["if height is not None and skeleton == b\"XX[XX\" + _join(row, separator, height) + b\"]\":", "if height is not None and skeleton == b\"[\" + _join(row, separator, height) + b\"XX]XX\":"],
    "performance only: the one-image shortcut; when its comparison fails the general branch finds count 1 and the same shape",
))
NOTES.update(_note(
    "lambda/png_postprocessor/png_conversion.py",
    "return n if n >= 1 and remainder == 0 else None",
    ["return n if (n >= 1 and remainder == 0) or True else None", "return n if n >= 1 or remainder == 0 else None"],
    "equivalent: every count _repeat_count returns is checked by an exact comparison of the skeleton with the layout it implies, which a count that does not fit fails; a count of 0 builds the layout of 1, and then the number of values does not match, so the reference path gives the same result",
))

@dataclass
class Mutant:
    name: str
    status: str
    file: str = ""  # repository path
    line: int = 0
    before: str = ""
    after: str = ""
    statement: str = ""  # first line of the (innermost) statement the mutated line belongs to

    @property
    def note(self) -> str:
        from fnmatch import fnmatch

        for key in ((self.file, self.before.strip(), self.after.strip()), (self.file, self.before.strip(), "*")):
            if key in NOTES:
                return NOTES[key]
        for pattern, regex, note in NOTE_RULES:
            if fnmatch(self.file, pattern) and re.search(regex, self.statement or self.before):
                return note
        return "not reviewed"


@dataclass
class AreaResult:
    area: Area
    mutants: list[Mutant]
    seconds: float
    command: str
    taken: str = ""  # when it was measured (UTC)

    def to_json(self) -> dict:
        return {"area": self.area.key, "seconds": round(self.seconds), "command": self.command, "taken": self.taken,
                "mutants": [[m.name, m.status, m.file, m.line, m.before, m.after, m.statement] for m in self.mutants]}

    @classmethod
    def from_json(cls, data: dict) -> AreaResult:
        mutants = [Mutant(*row) for row in data["mutants"]]
        return cls(AREAS[data["area"]], mutants, float(data["seconds"]), data["command"], data.get("taken", ""))

    def count(self, *statuses: str) -> int:
        return sum(1 for mutant in self.mutants if mutant.status in statuses)

    @property
    def killed(self) -> int:
        return self.count("killed", "timeout")

    @property
    def total(self) -> int:
        return len(self.mutants)

    @property
    def score(self) -> float:
        return 100.0 * self.killed / self.total if self.total else 0.0

    @property
    def survivors(self) -> list[Mutant]:
        return [mutant for mutant in self.mutants if mutant.status not in ("killed", "timeout")]


# --- the scratch copy -------------------------------------------------------------------------------


def working_tree_files() -> list[str]:
    """The working tree as git sees it: tracked and untracked files, ignored ones left out."""
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO_ROOT, check=True,
                         capture_output=True).stdout.decode()
    return [path for path in out.split("\0") if path and (REPO_ROOT / path).is_file()]


def handler_modules() -> dict[str, str]:
    """module name -> repository path of every handler module (lambda/*/*.py and the shared layer)."""
    found: dict[str, str] = {}
    for path in sorted(REPO_ROOT.glob("lambda/*/*.py")) + sorted(REPO_ROOT.glob("lambda/shared_layer/python/*.py")):
        relative = path.relative_to(REPO_ROOT).as_posix()
        if path.stem in found:
            raise SystemExit(f"two handler modules named {path.stem}: {found[path.stem]} and {relative}")
        found[path.stem] = relative
    return found


def prepare(area: Area, work: Path) -> Path:
    """A scratch copy of the working tree for ``area``, with mutmut's configuration; returns its folder."""
    root = work / area.key
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    for relative in working_tree_files():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO_ROOT / relative, target)
    mutants = root / "mutants"
    mutants.mkdir()
    also_copy = [name for name in ALSO_COPY if (root / name).exists()]
    extra_pytest_args: list[str] = []
    if area.kind == "package":
        (root / "src").mkdir()
        shutil.move(str(root / PACKAGE), str(root / "src" / "genai_blueprints"))
        # Paths that name constructs/genai_blueprints still reach the (mutated) package.
        (root / PACKAGE).symlink_to(Path("..") / "src" / "genai_blueprints")
        (mutants / "constructs").mkdir()
        (mutants / PACKAGE).symlink_to(Path("..") / "src" / "genai_blueprints")
        also_copy.append("lambda")
        source_paths = ["src/genai_blueprints"]
        only_mutate = [f"src/genai_blueprints/{name}" for name in area.files]
    else:
        modules = handler_modules()
        (root / "src").mkdir()
        for module, relative in modules.items():
            shutil.copy2(root / relative, root / "src" / f"{module}.py")
        for path in (root / "lambda").rglob("*"):
            if path.is_dir():
                continue
            target = mutants / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            if path.suffix == ".py" and path.stem in modules:
                depth = len(path.relative_to(root).parts) - 1
                target.symlink_to(Path(*([".."] * depth)) / "src" / path.name)
            else:
                shutil.copy2(path, target)
        also_copy.append("constructs")
        # The constructs the handler tests compare against (metric names, alarms) come from this copy too.
        extra_pytest_args = ["-o", "pythonpath=. constructs"]
        source_paths = ["src"]
        only_mutate = ["src/*.py"]
    config = {
        "source_paths": source_paths,
        "only_mutate": only_mutate,
        "also_copy": also_copy,
        "pytest_add_cli_args_test_selection": selected_tests(area, root),
        # This module is also a pytest plugin for these runs (pytest_sessionstart below).
        "pytest_add_cli_args": ["-p", "no:cacheprovider", "-p", "bench.mutation", *extra_pytest_args],
        "use_git_change_detection": False,
        "use_setproctitle": False,
    }
    with (root / "pyproject.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n[tool.mutmut]\n")
        for key, value in config.items():
            handle.write(f"{key} = {json.dumps(value)}\n")
    return root


def selected_tests(area: Area, root: Path) -> list[str]:
    """The area's test folders and files, globs expanded, left-out files dropped."""
    found: list[str] = []
    for pattern in area.tests:
        matches = sorted(path.relative_to(root).as_posix() for path in root.glob(pattern)) if "*" in pattern else [pattern]
        found += [match for match in matches if match not in area.left_out and match not in found]
    ignores = [f"--ignore={path}" for path in area.left_out if any(path.startswith(t.rstrip("/") + "/") for t in found)]
    return found + ignores


def mutant_patterns(area: Area) -> list[str]:
    """mutmut name patterns of the mutants to test (none: every mutant of the mutated files)."""
    if not area.functions:
        return []
    patterns = []
    for name in area.files:
        module = "genai_blueprints." + name[: -len(".py")].replace("/", ".")
        for function in area.functions.get(name, ("*",)):
            patterns.append(f"{module}.{function}__mutmut_*" if function != "*" else f"{module}.*")
    return patterns


def run_slow_test(area: Area, root: Path, test_file: str, names: list[str], log: Path) -> tuple[float, int]:
    """Runs ``test_file`` once per mutant in a fresh pytest process, the mutant switched on the way mutmut's
    trampolines read it (MUTANT_UNDER_TEST), and records a failure as a kill in mutmut's results.

    Adding the file to mutmut's own test selection would change its configuration fingerprint, and mutmut
    would then forget every result."""
    env = dict(os.environ)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env["JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION"] = "1"
    env["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = "20"
    env["PY_IGNORE_IMPORTMISMATCH"] = "1"
    mutants = root / "mutants"
    env["PYTHONPATH"] = os.pathsep.join([str(mutants / "src"), str(mutants)])
    extra = ["-o", "pythonpath=. constructs"] if area.kind == "handlers" else []
    started, killed = time.perf_counter(), 0
    meta_files = {meta: json.loads(meta.read_text()) for meta in mutants.rglob("*.py.meta")}
    with log.open("ab") as handle:
        for name in names:
            env["MUTANT_UNDER_TEST"] = name
            command = [str(VENV_BIN / "python"), "-m", "pytest", "--rootdir=.", "-x", "-q", "-p", "no:cacheprovider",
                       "-p", "bench.mutation", *extra, *test_file.split()]
            code = subprocess.run(["nice", "-n", "10", *command], cwd=mutants, env=env, stdout=handle,
                                  stderr=subprocess.STDOUT, check=False, timeout=900).returncode
            if code in (1, 3):
                killed += 1
                for meta, data in meta_files.items():
                    if name in data.get("exit_code_by_key", {}):
                        data["exit_code_by_key"][name] = code
                        meta.write_text(json.dumps(data))
    return time.perf_counter() - started, killed


def area_folders(area: Area) -> set[str]:
    """The test folders of an area (those of its files and patterns)."""
    folders = set()
    for entry in area.tests:
        parts = entry.split("/")
        if "*" in parts[1]:
            folders.update(path.parent.relative_to(REPO_ROOT).as_posix() for path in REPO_ROOT.glob(entry))
        else:
            folders.add(entry.rstrip("/") if not entry.endswith(".py") else entry.rpartition("/")[0])
    return folders


KILL_TESTS = "mutation_kills.py"  # test files written to kill survivors (tests/*/test_*mutation_kills.py)


def refresh_kill_tests(area: Area, root: Path) -> list[str]:
    """Copies the working tree's kill tests of ``area`` (in its test folders) into the scratch copy, new or changed
    since the run; returns them all.

    Only those: the other tests stay as they were when the run started, in step with the sources it mutated
    (the working tree may have moved on since)."""
    found = []
    for relative in working_tree_files():
        folder = relative.rpartition("/")[0]
        if relative.endswith(KILL_TESTS) and folder in area_folders(area):
            for target in (root / relative, root / "mutants" / relative):
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(REPO_ROOT / relative, target)
            found.append(relative)
    return found


def run_mutmut(area: Area, root: Path, log: Path, names: list[str] | None = None) -> tuple[float, str]:
    patterns = mutant_patterns(area) if names is None else names
    command = ["nice", "-n", "10", str(VENV_BIN / "mutmut"), "run", "--max-children", str(MAX_CHILDREN), *patterns]
    env = dict(os.environ)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env["JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION"] = "1"
    env["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = "20"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    started = time.perf_counter()
    with log.open("wb") as handle:
        completed = subprocess.run(command, cwd=root, env=env, stdout=handle, stderr=subprocess.STDOUT, check=False)
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        tail = log.read_text(errors="replace")[-4000:]
        raise SystemExit(f"mutmut failed for {area.key} (exit {completed.returncode}); log {log}:\n{tail}")
    if names is not None:
        return seconds, f"mutmut run --max-children {MAX_CHILDREN} <the {len(names)} survivors>"
    shown = " ".join(["mutmut", "run", "--max-children", str(MAX_CHILDREN), *(f"'{p}'" for p in patterns)])
    return seconds, shown


def run_provenance(area: Area, root: Path, work: Path, recorded: AreaResult | None,
                   mutants: list[Mutant]) -> tuple[float, str]:
    """(seconds, command) of the earlier run in ``work`` that --retest goes on from.

    A full run writes them to <work>/<area>.run.json. Without that file the result recorded in the report
    stands for the run only if it holds the same mutants with the same statuses; otherwise (the report is of
    an older run) the time is taken from the scratch copy: from its configuration, written when it was laid
    out, to the last line of the run's log."""
    saved = work / f"{area.key}.run.json"
    if saved.is_file():
        data = json.loads(saved.read_text())
        return float(data["seconds"]), data["command"]
    if recorded is not None and sorted((m.name, m.status) for m in recorded.mutants) == sorted(
            (m.name, m.status) for m in mutants):
        return recorded.seconds, recorded.command
    log = work / f"{area.key}.log"
    if not log.is_file():
        raise SystemExit(f"--retest: no record of the run in {work} ({saved.name}, {log.name}) and the report "
                         f"holds another run of {area.key}")
    seconds = max(0.0, log.stat().st_mtime - (root / "pyproject.toml").stat().st_mtime)
    patterns = mutant_patterns(area)
    command = " ".join(["mutmut", "run", "--max-children", str(MAX_CHILDREN), *(f"'{p}'" for p in patterns)])
    return seconds, command


def pytest_sessionstart(session) -> None:
    """pytest hook, when mutmut's runs load this module as a plugin (``-p bench.mutation``).

    mutmut runs pytest several times in one process (stats, clean run, then every mutant in a fork of
    it), and modules imported by the first session are reused: a module-level logger (Powertools')
    keeps a handler on that session's captured stdout, closed when it ended, and a test that swaps the
    handler's stream then fails on flushing it. Such handlers are pointed at this session's stdout,
    where a single `pytest` run would have had them.
    """
    import logging

    loggers = [logging.getLogger()] + [
        logger for logger in logging.Logger.manager.loggerDict.values() if isinstance(logger, logging.Logger)
    ]
    for logger in loggers:
        for handler in logger.handlers:
            stream = getattr(handler, "stream", None)
            if stream is not None and getattr(stream, "closed", False):
                handler.stream = sys.stdout


# --- results ------------------------------------------------------------------------------------------


def repository_path(area: Area, mutated: str) -> str:
    """The checkout's path of a file mutmut mutated in the scratch copy."""
    if area.kind == "package":
        return PACKAGE + mutated[len("src/genai_blueprints"):]
    return handler_modules()[Path(mutated).stem]


def collect(area: Area, root: Path) -> list[Mutant]:
    """Every tested mutant of the area with its status; survivors with their file, line and change."""
    from fnmatch import fnmatch

    patterns = mutant_patterns(area)
    found: list[Mutant] = []
    previous = Path.cwd()
    os.chdir(root)
    try:
        from mutmut.configuration import reset_config
        from mutmut.mutation.diff_apply import get_diff_for_mutant
        from mutmut.stats import status_by_exit_code

        reset_config()
        for meta in sorted(Path("mutants").rglob("*.py.meta")):
            mutated = meta.relative_to("mutants").as_posix()[: -len(".meta")]
            data = json.loads(meta.read_text())
            for name, exit_code in data.get("exit_code_by_key", {}).items():
                if patterns and not any(fnmatch(name, pattern) for pattern in patterns):
                    continue
                mutant = Mutant(name=name, status=status_by_exit_code[exit_code], file=repository_path(area, mutated))
                if mutant.status not in ("killed", "timeout"):
                    try:
                        diff = get_diff_for_mutant(name, path=mutated)
                    except (FileNotFoundError, ValueError) as error:
                        mutant.after = f"(no diff: {error})"
                    else:
                        source = Path(mutated).read_text()
                        mutant.line, mutant.before, mutant.after = locate(source, name, diff)
                        mutant.statement = statement_at(source, mutant.line)
                found.append(mutant)
    finally:
        os.chdir(previous)
        try:
            from mutmut.configuration import reset_config

            reset_config()
        except ImportError:
            pass
    return found


def locate(source: str, mutant_name: str, diff: str) -> tuple[int, str, str]:
    """(line in the original file, original line, mutated line) of a one-function mutant diff."""
    removed = [line[1:] for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    before = " / ".join(line.strip() for line in removed)
    after = " / ".join(line.strip() for line in added)
    mangled = mutant_name.rpartition(".")[2].partition("__mutmut_")[0]
    class_name, function = (mangled.split("ǁ")[1:3] if "ǁ" in mangled else (None, mangled[len("x_"):]))
    start, end = 1, len(source.splitlines())
    tree = ast.parse(source)
    scope = tree.body
    if class_name is not None:
        classes = [node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == class_name]
        scope = classes[0].body if classes else []
    for node in scope:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == function:
            start, end = node.lineno, node.end_lineno or node.lineno
            break
    lines = source.splitlines()
    wanted = removed[0].strip() if removed else ""
    for number in range(start, end + 1):
        if wanted and lines[number - 1].strip() == wanted:
            return number, before, after
    return start, before, after


def statement_at(source: str, line: int) -> str:
    """The first line (stripped) of the innermost simple statement that holds ``line``."""
    best: ast.stmt | None = None
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.stmt) and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                                                 ast.If, ast.For, ast.While, ast.With, ast.Try)):
            if node.lineno <= line <= (node.end_lineno or node.lineno):
                if best is None or node.lineno >= best.lineno:
                    best = node
    return source.splitlines()[best.lineno - 1].strip() if best is not None else ""


# --- the report --------------------------------------------------------------------------------------


def mutmut_version() -> str:
    from importlib.metadata import version

    return version("mutmut")


DATA_MARKER = "<!-- mutation-data "


def previous_results(path: Path) -> dict[str, AreaResult]:
    """The areas an earlier run recorded in ``path`` (a run of some areas keeps the others)."""
    if not path.is_file():
        return {}
    found = {}
    for line in path.read_text().splitlines():
        if line.startswith(DATA_MARKER) and line.endswith(" -->"):
            data = json.loads(line[len(DATA_MARKER):-len(" -->")])
            if data.get("area") in AREAS:
                found[data["area"]] = AreaResult.from_json(data)
    return found


def render(results: list[AreaResult]) -> str:
    lines = [
        "# Mutation score",
        "",
        "Generated by `python -m bench.mutation` (`make mutation`); do not edit by hand. Notes on survivors live in "
        "bench/mutation.py (NOTES). The score is what the tests in each area's folders kill: a mutant counts as "
        "killed when at least one of those tests fails (or it times out).",
        "",
        f"mutmut {mutmut_version()}, Python {sys.version.split()[0]}, one mutant at a time "
        f"(`--max-children {MAX_CHILDREN}`).",
        "",
        "| Area | Mutated | Tests run | Killed | Survived | Score | Time | Taken (UTC) |",
        "|---|---|---|---:|---:|---:|---:|---|",
    ]
    for result in results:
        area = result.area
        mutated = ", ".join(f"`{PACKAGE}/{name}`" for name in area.files) if area.files else "`lambda/*/*.py`"
        lines.append(
            f"| {area.title} | {mutated} | {', '.join(f'`{t}`' for t in area.tests)} | {result.killed} / {result.total} "
            f"| {len(result.survivors)} | {result.score:.1f} % | {result.seconds / 60:.0f} min | {result.taken} |"
        )
    lines += ["", "## How it was run", ""]
    for result in results:
        lines.append(f"- {result.area.title}: `{result.command}` in a scratch copy laid out by bench/mutation.py.")
        if result.area.note:
            lines.append(f"  {result.area.note}")
        for path, reason in result.area.left_out.items():
            lines.append(f"  Not run: `{path}`: {reason}.")
        if result.area.functions:
            lines.append(
                "  In the options modules only the problems()/validate() functions (and their helpers named in "
                "bench/mutation.py) count; validation.py and regions.py count whole."
            )
    lines += [
        "",
        "What the tool could not run: mutants are tested one at a time, because a forked mutant shares the jsii "
        "node process of the process it was forked from; mutmut mutates function bodies only, so module-level "
        "constants (thresholds such as `EMBEDDING_DIMENSIONS_BUDGET`) are not mutated, though the comparisons "
        "that use them are; the sample-app snapshot and cfn-lint suites (tests/apps, tests/consumer) are not "
        "run for any area, so the score is what the fine-grained tests catch.",
        "",
        "## Surviving mutants",
    ]
    for result in results:
        lines += ["", f"### {result.area.title}", ""]
        if not result.survivors:
            lines.append("None.")
            continue
        lines += ["| Where | Status | Original | Mutant | Note |", "|---|---|---|---|---|"]
        for mutant in sorted(result.survivors, key=lambda m: (m.file, m.line, m.name)):
            lines.append(
                f"| `{mutant.file}:{mutant.line}` | {mutant.status} | `{_cell(mutant.before)}` | `{_cell(mutant.after)}` "
                f"| {mutant.note} |"
            )
    lines.append("")
    lines += [DATA_MARKER + json.dumps(result.to_json(), ensure_ascii=False) + " -->" for result in results]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    text = text.replace("|", "\\|").replace("`", "'")
    return text if len(text) <= 160 else text[:157] + "..."


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.mutation", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--areas", default=",".join(ORDER), help=f"comma-separated subset of {','.join(ORDER)}")
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "docs" / "mutation.md")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch copies (mutmut browse works in them)")
    parser.add_argument("--report-only", action="store_true",
                        help="write the report again from the results recorded in --output (after editing NOTES)")
    parser.add_argument("--resume", action="store_true",
                        help="go on with an earlier --work run that was stopped (mutmut keeps every result it "
                             "recorded), with the working tree's tests/")
    parser.add_argument("--retest", action="store_true",
                        help="in the scratch copies of an earlier --work run: take the working tree's tests/ and "
                             "test that run's survivors again (the other results stand)")
    args = parser.parse_args(argv)
    args.areas = [name.strip() for name in args.areas.split(",") if name.strip()]
    if (args.retest or args.resume) and args.work is None:
        parser.error("--retest and --resume need --work (the folder of the earlier run)")
    unknown = sorted(set(args.areas) - set(AREAS))
    if unknown:
        parser.error(f"unknown areas {unknown}; choose from {', '.join(ORDER)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="genai-mutation-"))
    kept = previous_results(args.output)
    if args.report_only:
        args.output.write_text(render([kept[name] for name in ORDER if name in kept]))
        print(f"wrote {args.output}")
        return 0
    results: list[AreaResult] = []
    try:
        for key in ORDER:
            if key not in args.areas:
                continue
            area = AREAS[key]
            log = work / f"{key}.log"
            if args.resume:
                root = work / key
                if not (root / "mutants").is_dir():
                    raise SystemExit(f"--resume needs an earlier run of {key} in {work}")
                refresh_kill_tests(area, root)
                print(f"mutation: {key}: resuming in {root} (log {log})", file=sys.stderr, flush=True)
                seconds, command = run_mutmut(area, root, log)
                if key in kept:
                    seconds += kept[key].seconds
                command += " (stopped, and resumed with the kill tests written meanwhile)"
            elif args.retest:
                root = work / key
                if not (root / "mutants").is_dir():
                    raise SystemExit(f"--retest needs an earlier run of {key} in {work}")
                import tomllib

                before = collect(area, root)
                names = [mutant.name for mutant in before if mutant.status not in ("killed", "timeout")]
                kill_tests = refresh_kill_tests(area, root)
                selection = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["mutmut"][
                    "pytest_add_cli_args_test_selection"]
                in_folders = [path for path in kill_tests
                              if any(path.startswith(entry.rstrip("/") + "/") for entry in selection)]
                outside = [path for path in kill_tests if path not in in_folders]
                seconds, command = run_provenance(area, root, work, kept.get(key), before)
                # Kept before this run rewrites the log that run_provenance may have read.
                (work / f"{key}.run.json").write_text(json.dumps({"seconds": round(seconds), "command": command}))
                if in_folders and names:
                    # mutmut finds the new tests in its selected folders, collects their coverage and tests the survivors.
                    print(f"mutation: {key}: testing {len(names)} survivors again (log {log})", file=sys.stderr, flush=True)
                    more, _ = run_mutmut(area, root, log, names)
                    seconds += more
                    command += f"; then its {len(names)} survivors again with {', '.join(in_folders)} added"
                names = [m.name for m in collect(area, root) if m.status not in ("killed", "timeout")]
                if outside and names:
                    # Outside the selection mutmut was given (file by file): one pytest per survivor (a new selection
                    # would make mutmut forget every result).
                    print(f"mutation: {key}: {len(names)} survivors against {outside}", file=sys.stderr, flush=True)
                    more, killed = run_slow_test(area, root, " ".join(outside), names, log.with_suffix(".new.log"))
                    seconds += more
                    command += (f"; then its {len(names)} survivors against {', '.join(outside)} "
                                f"(pytest per mutant, MUTANT_UNDER_TEST set: {killed} killed)")
                for test_file, regex in area.retest_with.items():
                    survivors = [m for m in collect(area, root) if m.status not in ("killed", "timeout")]
                    names = [m.name for m in survivors if re.search(regex, m.statement or m.before)]
                    if not names:
                        continue
                    print(f"mutation: {key}: {len(names)} survivors again with {test_file}", file=sys.stderr, flush=True)
                    more, killed = run_slow_test(area, root, test_file, names, log.with_suffix(".slow.log"))
                    seconds += more
                    command += (f"; then the {len(names)} survivors on lines matching {regex!r} with {test_file} "
                                f"(pytest per mutant, MUTANT_UNDER_TEST set: {killed} killed)")
                # The next --retest goes on from this one (its log is rewritten, its results are mutmut's now).
                (work / f"{key}.run.json").write_text(json.dumps({"seconds": round(seconds), "command": command}))
            else:
                print(f"mutation: {key}: preparing {work / key}", file=sys.stderr, flush=True)
                root = prepare(area, work)
                print(f"mutation: {key}: running mutmut (log {log})", file=sys.stderr, flush=True)
                seconds, command = run_mutmut(area, root, log)
                (work / f"{key}.run.json").write_text(json.dumps({"seconds": round(seconds), "command": command}))
            taken = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M")
            result = AreaResult(area, collect(area, root), seconds, command, taken)
            results.append(result)
            print(f"mutation: {key}: {result.killed} / {result.total} killed ({result.score:.1f} %) in "
                  f"{seconds / 60:.1f} min", file=sys.stderr, flush=True)
            args.output.parent.mkdir(parents=True, exist_ok=True)
            kept[key] = result
            args.output.write_text(render([kept[name] for name in ORDER if name in kept]))
    finally:
        if args.work is None and not args.keep and not (args.retest or args.resume):
            shutil.rmtree(work, ignore_errors=True)
    for result in results:
        print(f"{result.area.title}: {result.killed} / {result.total} ({result.score:.1f} %), "
              f"{len(result.survivors)} survivors")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
