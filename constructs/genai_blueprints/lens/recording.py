"""Every rule evaluation, written into the cloud assembly so the CLI can read it after synthesis.

CDK's validation report lists only violations, so the lens packs record every (rule, resource)
evaluation themselves, compliant and not-applicable ones included, and write them to
``<app outdir>/lens-evaluations.json`` at the end of their validation step (which CDK runs inside
``app.synth()``, after the templates are written). The file holds one section per pack::

    {"version": 1, "packs": {"GenAILens": {"rules": [...ids], "evaluations": [{...}, ...]}}}

The first pack to write in a process replaces whatever an earlier synthesis left in the directory;
later packs of the same process merge their section in.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

EVALUATIONS_FILE = "lens-evaluations.json"
FORMAT_VERSION = 1

# Output directories this process has already written to (see module docstring).
_WRITTEN_THIS_PROCESS: set[str] = set()


@dataclass(frozen=True)
class Evaluation:
    """One rule evaluated on one resource."""

    pack: str
    rule_id: str
    stack: str
    path: str  # construct path of the L1 resource
    logical_id: str
    resource_type: str
    compliance: str  # "compliant" | "non_compliant" | "not_applicable"
    level: str  # "error" | "warning" | "info"
    detail: str = ""
    acknowledged: bool = False
    acknowledgement_id: str = ""
    reason: str = ""  # the acknowledgement's reason
    acknowledged_at: str = ""  # construct path where the acknowledgement was made

    @property
    def status(self) -> str:
        """compliant | non_compliant | acknowledged | not_applicable."""
        if self.compliance == "non_compliant" and self.acknowledged:
            return "acknowledged"
        return self.compliance

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Evaluation":
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)


def evaluations_path(outdir: str | os.PathLike[str]) -> Path:
    return Path(outdir) / EVALUATIONS_FILE


def write_pack_evaluations(
    outdir: str | os.PathLike[str], pack: str, rule_ids: list[str], evaluations: list[Evaluation]
) -> Path:
    """Write (or merge) one pack's evaluations into ``<outdir>/lens-evaluations.json``."""
    path = evaluations_path(outdir)
    key = str(path.resolve())
    document: dict[str, Any] = {"version": FORMAT_VERSION, "packs": {}}
    if key in _WRITTEN_THIS_PROCESS and path.exists():
        document = json.loads(path.read_text(encoding="utf-8"))
    document["packs"][pack] = {
        "rules": rule_ids,
        "evaluations": [evaluation.to_dict() for evaluation in evaluations],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    _WRITTEN_THIS_PROCESS.add(key)
    return path


class EvaluationsNotFoundError(FileNotFoundError):
    """The cloud assembly has no lens evaluations: it was synthesized without the lens packs."""


def read_evaluations(outdir: str | os.PathLike[str]) -> dict[str, Any]:
    """The evaluations document of a cloud assembly, with ``Evaluation`` objects per pack."""
    path = evaluations_path(outdir)
    if not path.exists():
        raise EvaluationsNotFoundError(
            f"{path} not found: synthesize the app with the lens packs registered "
            "(genai_blueprints.lens.add_lens_checks(app)) before asking for a lens review."
        )
    document = json.loads(path.read_text(encoding="utf-8"))
    packs = {
        name: {
            "rules": list(section.get("rules", [])),
            "evaluations": [Evaluation.from_dict(item) for item in section.get("evaluations", [])],
        }
        for name, section in document.get("packs", {}).items()
    }
    return {"version": document.get("version"), "packs": packs}
