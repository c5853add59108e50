"""The newcomer's path, end to end: `cdk init app --language python`, the README's app pasted into
app.py, the wheel installed, `cdk synth` with the pinned CLI.

Unlike tests/consumer/test_user_apps.py, the CLI runs the app, so the app gets exactly the context
a user's app gets (the project's cdk.json written by `cdk init`, bundling on): the Lambda assets are
bundled for real, with pip kept offline on the wheel folder `make setup` fills.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

from user_install import Consumer
from harness import REPO_ROOT

CDK_CLI = REPO_ROOT / "node_modules" / ".bin" / "cdk"
LAMBDA_WHEELS = REPO_ROOT / ".cache" / "lambda-wheels"
README_APP_SECTION = "### The asynchronous inference blueprint"


def readme_app() -> str:
    """The first python block of the README's "use it in your app" section, as written."""
    readme = (REPO_ROOT / "README.md").read_text()
    section = readme.split(README_APP_SECTION, 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "the README's app section has no python block"
    return match[1]


def test_the_readme_app_synthesizes_in_a_cdk_init_project(consumer: Consumer, tmp_path: Path) -> None:
    assert any(LAMBDA_WHEELS.glob("numpy-*.whl")), f"no Lambda wheels in {LAMBDA_WHEELS}: run `make setup`"
    project = tmp_path / "image_app"
    project.mkdir()
    env = {key: value for key, value in consumer.environment().items() if key != "CDK_CONTEXT_JSON"}
    # The user's virtualenv is active: `python3 app.py` (cdk.json's app command) is its Python.
    env["PATH"] = f"{consumer.python.parent}{os.pathsep}{env['PATH']}"
    env.update({"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(LAMBDA_WHEELS), "PIP_CONFIG_FILE": os.devnull})
    init = subprocess.run([str(CDK_CLI), "init", "app", "--language", "python", "--generate-only"],
                          cwd=project, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert init.returncode == 0, init.stderr
    cdk_json = json.loads((project / "cdk.json").read_text())
    assert cdk_json["app"].endswith("app.py") and cdk_json["context"], "cdk init wrote no app or flags"
    (project / "app.py").write_text(readme_app())

    synth = subprocess.run([str(CDK_CLI), "synth", "--no-notices", "--quiet"],
                           cwd=project, env=env, capture_output=True, text=True, timeout=600, check=False)

    assert synth.returncode == 0, f"cdk synth failed:\n{synth.stdout[-3000:]}\n{synth.stderr[-6000:]}"
    out = project / "cdk.out"
    template = json.loads((out / "ImageGeneration.template.json").read_text())
    functions = [r for r in template["Resources"].values() if r["Type"] == "AWS::Lambda::Function"]
    assert len(functions) == 2  # the result tracker and the PNG post-processor
    evaluations = json.loads((out / "lens-evaluations.json").read_text())
    assert set(evaluations["packs"]) == {"GenAILens", "MLLens", "Sustainability", "DeliveryPaths"}
    # The post-processor's asset was bundled with its wheels, not zipped from the source folder.
    manifest = json.loads((out / "ImageGeneration.assets.json").read_text())
    staged = [out / file["source"]["path"] for file in manifest["files"].values()
              if file["source"].get("packaging") == "zip"]
    assert any((folder / "numpy").is_dir() and (folder / "PIL").is_dir() for folder in staged)
