"""Every sample app is clean under the checkers a regulated team runs besides AwsSolutions (issue 15):
cdk-nag's HIPAA.Security, NIST.800.53.R5, PCI.DSS.321 and Serverless packs, and checkov.

Each finding the blueprints leave on purpose is acknowledged on the construct that causes it, with
its reason; where checkov has the same check, that reason is also the resource's checkov skip comment
(acknowledgements.CHECKOV_EQUIVALENTS), so both tools say the same thing.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from genai_blueprints.acknowledgements import CHECKOV_EQUIVALENTS
from genai_blueprints.lens.checks import COMPLIANCE_PACKS
from harness import REPO_ROOT

CHECKOV = REPO_ROOT / ".cache" / "checkov-venv" / "bin" / "checkov"
# checkov stays off the network: no update check, no Prisma Cloud mapping or policy download.
CHECKOV_ENV = {**os.environ, "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true", "BC_SKIP_MAPPING": "TRUE"}


@pytest.mark.parametrize("pack", sorted(COMPLIANCE_PACKS))
def test_compliance_pack_has_no_unacknowledged_findings(sample_app, pack):
    report = COMPLIANCE_PACKS[pack](sample_app.app).validate_scope(sample_app.app)
    findings = [
        f"{violation.rule_name} at {resource.construct_path}"
        for violation in report.violations
        for resource in violation.violating_resources
    ]
    assert findings == []


def _checkov(folder: Path) -> dict:
    assert CHECKOV.exists(), f"{CHECKOV} is missing: `make setup` installs checkov (tests/tools/checkov-requirements.txt)"
    done = subprocess.run(
        [str(CHECKOV), "--directory", str(folder), "--framework", "cloudformation", "--output", "json",
         "--skip-download", "--compact"],
        capture_output=True, text=True, env=CHECKOV_ENV, timeout=600,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]  # 1: failed checks, reported below
    report = json.loads(done.stdout)
    return report[0] if isinstance(report, list) else report


@pytest.fixture(scope="module")
def checkov_report(sample_app, tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("checkov")
    for name, template in sample_app.templates.items():
        (folder / f"{name}.template.json").write_text(json.dumps(template))
    return _checkov(folder)


def test_checkov_fails_no_check_on_any_sample_template(checkov_report):
    assert checkov_report["summary"]["parsing_errors"] == 0
    assert checkov_report["summary"]["passed"] > 0
    failed = [(check["check_id"], check["resource"]) for check in checkov_report["results"]["failed_checks"]]
    assert failed == []


def test_every_checkov_skip_is_a_mapped_acknowledgement_with_its_reason(checkov_report):
    skipped = checkov_report["results"]["skipped_checks"]
    assert skipped, "the samples acknowledge findings checkov also reports, so some checks are skipped"
    mapped = {check_id for check_id, _ in CHECKOV_EQUIVALENTS.values()}
    for check in skipped:
        assert check["check_id"] in mapped, check["check_id"]
        assert len(check["check_result"]["suppress_comment"]) > 40, (check["check_id"], check["resource"])


def test_genai_lens_check_on_the_bare_templates_agrees_with_the_plugins(sample_app, tmp_path):
    """A team that checks only the synthesized templates (no cloud assembly) gets the same result: the
    constructs' lens acknowledgements are in the templates too (Metadata: genai-lens)."""
    from genai_blueprints.lens.checker import evaluate
    from genai_blueprints.lens.sources import read_sources

    for name, template in sample_app.templates.items():
        (tmp_path / f"{name}.template.json").write_text(json.dumps(template))
    evaluations = evaluate(read_sources(tmp_path))
    assert [(e.rule_id, e.path) for e in evaluations if e.status == "non_compliant"] == []
    acknowledged = [(e.rule_id, e.acknowledged_at) for e in evaluations if e.status == "acknowledged"]
    assert sorted(acknowledged) == [("GenAILens-GENSEC01-BP01-b", "Metadata.genai-lens"),
                                    ("Sustainability-EfficientAccelerators", "Metadata.genai-lens")]
