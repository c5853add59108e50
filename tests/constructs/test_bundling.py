"""Docker-free bundling: the pip command targets Lambda's platform; sources are copied cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest
from aws_cdk import aws_lambda as lambda_

import aws_cdk as cdk

from genai_blueprints.bundling import LocalPipBundling, pip_install_command, python_version_of

BUNDLING_OPTIONS = cdk.BundlingOptions(image=lambda_.Runtime.PYTHON_3_14.bundling_image)


def test_python_version_comes_from_the_runtime():
    assert python_version_of(lambda_.Runtime.PYTHON_3_14) == "3.14"
    with pytest.raises(ValueError, match="not a Python runtime"):
        python_version_of(lambda_.Runtime.NODEJS_22_X)


@pytest.mark.parametrize(("architecture", "platforms"), [
    (lambda_.Architecture.ARM_64, ["manylinux_2_28_aarch64", "manylinux2014_aarch64"]),
    (lambda_.Architecture.X86_64, ["manylinux_2_28_x86_64", "manylinux2014_x86_64"]),
])
def test_pip_installs_only_wheels_for_the_function_platform(architecture, platforms):
    command = pip_install_command(Path("req.txt"), Path("/out"), python_version="3.14", architecture=architecture)
    assert command[1:4] == ["-m", "pip", "install"]
    assert "--only-binary=:all:" in command
    assert command[command.index("--python-version") + 1] == "3.14"
    assert command[command.index("--implementation") + 1] == "cp"
    assert command[command.index("--target") + 1] == "/out"
    assert [command[i + 1] for i, arg in enumerate(command) if arg == "--platform"] == platforms


def test_local_bundling_copies_sources_without_caches_and_skips_pip_without_requirements(tmp_path, monkeypatch):
    source = tmp_path / "handler"
    (source / "__pycache__").mkdir(parents=True)
    (source / "handler.py").write_text("def handler(event, context): return 1\n")
    (source / "__pycache__" / "handler.cpython-311.pyc").write_bytes(b"\0")
    (source / "requirements.txt").write_text("# nothing beyond the runtime\n")
    monkeypatch.setattr("subprocess.run", lambda *a, **k: pytest.fail("pip must not run without requirements"))
    output = tmp_path / "out"
    output.mkdir()

    bundled = LocalPipBundling(source, runtime=lambda_.Runtime.PYTHON_3_14, architecture=lambda_.Architecture.ARM_64)
    assert bundled.try_bundle(str(output), BUNDLING_OPTIONS) is True
    assert sorted(p.name for p in output.iterdir()) == ["handler.py"]


def test_local_bundling_runs_pip_for_requirements_and_drops_the_runtime_sdk(tmp_path, monkeypatch):
    source = tmp_path / "handler"
    source.mkdir()
    (source / "handler.py").write_text("")
    (source / "requirements.txt").write_text("aws-lambda-powertools==3.37.0\n")
    calls = []

    def fake_pip(command, check):
        calls.append((command, check))
        target = Path(command[command.index("--target") + 1])
        for installed in ("aws_lambda_powertools", "botocore", "botocore-1.44.5.dist-info", "boto3", "s3transfer",
                          "dateutil", "python_dateutil-2.9.0.post0.dist-info", "jmespath"):
            (target / installed).mkdir()
        (target / "six.py").write_text("")

    monkeypatch.setattr("subprocess.run", fake_pip)
    output = tmp_path / "out"
    output.mkdir()

    LocalPipBundling(source, runtime=lambda_.Runtime.PYTHON_3_14, architecture=lambda_.Architecture.ARM_64).try_bundle(str(output), BUNDLING_OPTIONS)
    ((command, check),) = calls
    assert check is True
    assert command[command.index("--requirement") + 1] == str(source / "requirements.txt")
    assert command[command.index("--target") + 1] == str(output)
    assert sorted(p.name for p in output.iterdir()) == ["aws_lambda_powertools", "handler.py"]
