"""Docker-free bundling: the pip command targets Lambda's platform; sources are copied cleanly; the
output carries bytecode for the runtime when the build host has that Python."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from aws_cdk import aws_lambda as lambda_

import aws_cdk as cdk

from genai_blueprints import bundling
from genai_blueprints._handler_code import HandlerCode
from genai_blueprints.bundling import BundlingError, LocalPipBundling, pip_install_command, python_version_of
from genai_blueprints.handler_function import Invocation, PythonHandlerFunction
from harness import make_app

BUNDLING_OPTIONS = cdk.BundlingOptions(image=lambda_.Runtime.PYTHON_3_14.bundling_image)
HOST_VERSION = f"{sys.version_info.major}.{sys.version_info.minor}"
HOST_TAG = sys.implementation.cache_tag  # cpython-311
# A Python runtime of the host's own version, so the bundling finds an interpreter for it here.
HOST_RUNTIME = lambda_.Runtime(f"python{HOST_VERSION}", lambda_.RuntimeFamily.PYTHON)
_real_run = subprocess.run


@pytest.fixture
def host_python(monkeypatch):
    """`python<host version>` resolves to this interpreter, any other version to nothing."""
    looked_up = []

    def which(name):
        looked_up.append(name)
        return sys.executable if name == f"python{HOST_VERSION}" else None

    monkeypatch.setattr(shutil, "which", which)
    return looked_up


@pytest.fixture
def no_runtime_python(monkeypatch):
    """No interpreter of any version on the build host; the missing-Python line not yet printed."""
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(bundling, "_REPORTED_MISSING", set())


def _pyc_flags(path: Path) -> int:
    header = path.read_bytes()[:16]
    assert header[:4] == importlib.util.MAGIC_NUMBER, path
    return int.from_bytes(header[4:8], "little")


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


def test_local_bundling_copies_sources_without_caches_and_skips_pip_without_requirements(
    tmp_path, monkeypatch, no_runtime_python
):
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


def test_local_bundling_runs_pip_for_requirements_and_drops_the_runtime_sdk(tmp_path, monkeypatch, capsys,
                                                                           no_runtime_python):
    source = tmp_path / "handler"
    source.mkdir()
    (source / "handler.py").write_text("")
    (source / "requirements.txt").write_text("aws-lambda-powertools==3.37.0\n")
    calls = []

    def fake_pip(command, **kwargs):
        calls.append(command)
        target = Path(command[command.index("--target") + 1])
        for installed in ("aws_lambda_powertools", "botocore", "botocore-1.44.5.dist-info", "boto3", "s3transfer",
                          "dateutil", "python_dateutil-2.9.0.post0.dist-info", "jmespath"):
            (target / installed).mkdir()
        (target / "six.py").write_text("")
        return subprocess.CompletedProcess(command, 0, stdout="", stderr="WARNING: a warning of pip's\n")

    monkeypatch.setattr("subprocess.run", fake_pip)
    output = tmp_path / "out"
    output.mkdir()

    LocalPipBundling(source, runtime=lambda_.Runtime.PYTHON_3_14, architecture=lambda_.Architecture.ARM_64).try_bundle(str(output), BUNDLING_OPTIONS)
    (command,) = calls
    assert command[command.index("--requirement") + 1] == str(source / "requirements.txt")
    assert command[command.index("--target") + 1] == str(output)
    assert sorted(p.name for p in output.iterdir()) == ["aws_lambda_powertools", "handler.py"]
    assert "WARNING: a warning of pip's" in capsys.readouterr().err  # pip's output is captured, not lost


def test_local_bundling_compiles_sources_and_wheels_with_the_runtime_python(tmp_path, monkeypatch, host_python):
    source = tmp_path / "handler"
    (source / "__pycache__").mkdir(parents=True)
    (source / "handler.py").write_text("import helper\ndef handler(event, context): return helper.VALUE\n")
    (source / "helper.py").write_text("VALUE = 1\n")
    (source / "__pycache__" / f"stale.{HOST_TAG}.pyc").write_bytes(b"\0")  # a source cache: never copied
    (source / "requirements.txt").write_text("somepackage==1.0\n")
    commands = []

    def fake_pip_real_compileall(command, **kwargs):
        commands.append(command)
        if command[1:3] == ["-m", "pip"]:
            package = Path(command[command.index("--target") + 1]) / "somepackage"
            package.mkdir()
            (package / "__init__.py").write_text("NAME = 'somepackage'\n")
            return subprocess.CompletedProcess(command, 0)
        return _real_run(command, **kwargs)

    monkeypatch.setattr(subprocess, "run", fake_pip_real_compileall)
    output = tmp_path / "out"
    output.mkdir()

    bundled = LocalPipBundling(source, runtime=HOST_RUNTIME, architecture=lambda_.Architecture.ARM_64)
    assert bundled.try_bundle(str(output), BUNDLING_OPTIONS) is True

    assert f"python{HOST_VERSION}" in host_python
    compile_command = commands[-1]
    assert compile_command[:3] == [sys.executable, "-m", "compileall"]
    assert compile_command[compile_command.index("--invalidation-mode") + 1] == "unchecked-hash"
    compiled = sorted(str(path.relative_to(output)) for path in output.rglob("*.pyc"))
    assert compiled == [
        f"__pycache__/handler.{HOST_TAG}.pyc",
        f"__pycache__/helper.{HOST_TAG}.pyc",
        f"somepackage/__pycache__/__init__.{HOST_TAG}.pyc",
    ]
    # Unchecked hash-based: flags word 0b01 (hash-based, source not checked), so missing mtimes do not matter.
    assert {_pyc_flags(output / path) for path in compiled} == {0b01}
    assert (output / "handler.py").is_file()  # sources stay beside their bytecode


def test_bytecode_compile_command_needs_exactly_the_runtime_version(host_python):
    assert bundling.bytecode_compile_command(Path("/out"), python_version="3.14") is None
    command = bundling.bytecode_compile_command(Path("/out"), python_version=HOST_VERSION)
    assert command == [sys.executable, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash",
                       "/out"]
    assert host_python == ["python3.14", f"python{HOST_VERSION}"]


def test_local_bundling_without_the_runtime_python_ships_sources_and_says_so_once(tmp_path, monkeypatch, capsys,
                                                                                  no_runtime_python):
    source = tmp_path / "handler"
    source.mkdir()
    (source / "handler.py").write_text("def handler(event, context): return 1\n")
    (source / "requirements.txt").write_text("# nothing beyond the runtime\n")
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: pytest.fail("nothing may run: no pip, no compileall"))

    for attempt in ("one", "two"):
        output = tmp_path / attempt
        output.mkdir()
        LocalPipBundling(source, runtime=lambda_.Runtime.PYTHON_3_14,
                         architecture=lambda_.Architecture.ARM_64).try_bundle(str(output), BUNDLING_OPTIONS)
        assert sorted(p.name for p in output.rglob("*")) == ["handler.py"]

    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert lines == [
        "genai-blueprints bundling: no python3.14 on this build host, so Lambda assets carry no bytecode and every "
        "cold start compiles the handler code from source; install python3.14 on the build host (on PATH) to "
        "bundle bytecode."
    ]


def test_synthesized_asset_keeps_the_compiled_bytecode(tmp_path, host_python):
    """With bundling on, the staged assets (the function's and the shared layer's) still hold the
    __pycache__ the bundling wrote (ASSET_EXCLUDES filters the source folder only). Neither has
    requirements, so pip never runs."""

    class HostPythonFunction(PythonHandlerFunction):
        RUNTIME = HOST_RUNTIME

    app = make_app(**{"aws:cdk:bundling-stacks": ["**"]})
    stack = cdk.Stack(app, "Bundled")
    HostPythonFunction(stack, "Fn", invocation=Invocation.REQUEST, source="result_tracker", handler="result_tracker.handler", service_name="svc",
                       description="bundled for real")
    outdir = Path(app.synth().directory)
    (asset,) = [path for path in outdir.glob("asset.*") if (path / "result_tracker.py").is_file()]
    assert _pyc_flags(asset / "__pycache__" / f"result_tracker.{HOST_TAG}.pyc") == 0b01
    assert not (asset / "requirements.txt").exists()
    (layer,) = [path for path in outdir.glob("asset.*") if (path / "python" / "aws_clients.py").is_file()]
    assert _pyc_flags(layer / "python" / "__pycache__" / f"aws_clients.{HOST_TAG}.pyc") == 0b01


# --- what bundling says when pip or the wheels are missing ------------------------------------------

ABSENT = "genai-blueprints-absent-package==1.0"


@pytest.fixture
def handler_with_requirements(tmp_path):
    """A handler folder whose requirements.txt names a package no index or wheel folder here holds."""
    source = tmp_path / "handler"
    source.mkdir()
    (source / "handler.py").write_text("def handler(event, context): return 1\n")
    (source / "requirements.txt").write_text(f"# what the handler needs\n{ABSENT}\n")
    return source


@pytest.fixture
def offline_pip(tmp_path, monkeypatch):
    """pip as on a host without network: no index, an empty wheel folder, no pip config files."""
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    for name in ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(wheels))
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    return wheels


def _bundle(source: Path, output: Path) -> None:
    output.mkdir()
    LocalPipBundling(source, runtime=lambda_.Runtime.PYTHON_3_14,
                     architecture=lambda_.Architecture.ARM_64).try_bundle(str(output), BUNDLING_OPTIONS)


def test_an_interpreter_without_pip_is_explained(tmp_path, monkeypatch, handler_with_requirements, no_runtime_python):
    """As in a virtualenv made by uv: the interpreter runs, `-m pip` does not."""
    environment = tmp_path / "no-pip"
    venv.EnvBuilder(with_pip=False, symlinks=True).create(environment)
    interpreter = str(environment / "bin" / "python")
    monkeypatch.setattr(sys, "executable", interpreter)

    with pytest.raises(BundlingError) as raised:
        _bundle(handler_with_requirements, tmp_path / "out")

    requirements = handler_with_requirements / "requirements.txt"
    assert str(raised.value) == (
        f"genai-blueprints bundling: the Lambda asset {handler_with_requirements} has requirements ({requirements}: "
        f"{ABSENT}), and installing them as Lambda wheels needs pip, which {interpreter} does not have "
        f"({interpreter}: No module named pip). Virtualenvs created by uv come without pip. Add pip to the "
        f"environment that runs the CDK app, with `{interpreter} -m ensurepip` or, in a uv environment, "
        f"`uv pip install pip`; then synthesize again."
    )


def test_an_interpreter_that_cannot_start_is_explained(tmp_path, monkeypatch, handler_with_requirements,
                                                       no_runtime_python):
    interpreter = str(tmp_path / "gone" / "python")
    monkeypatch.setattr(sys, "executable", interpreter)

    with pytest.raises(BundlingError) as raised:
        _bundle(handler_with_requirements, tmp_path / "out")

    message = str(raised.value)
    assert f"needs pip, which {interpreter} does not have ([Errno 2] No such file or directory" in message
    assert f"`{interpreter} -m ensurepip`" in message and "`uv pip install pip`" in message


def test_offline_pip_says_what_it_needs_and_how_to_point_it_at_wheels(tmp_path, handler_with_requirements, offline_pip,
                                                                       no_runtime_python):
    """A real pip run with no index and an empty wheel folder: no network is touched."""
    with pytest.raises(BundlingError) as raised:
        _bundle(handler_with_requirements, tmp_path / "out")

    requirements = handler_with_requirements / "requirements.txt"
    lines = str(raised.value).splitlines()
    assert lines[:3] == [
        f"genai-blueprints bundling: pip found no wheels for the Lambda asset {handler_with_requirements}: it cannot "
        f"reach a package index (offline, or no index configured), or a requirement has no wheel for the Lambda "
        f"platform.",
        f"  requirements ({requirements}): {ABSENT}",
        "  wheels asked for: CPython 3.14, platform manylinux_2_28_aarch64 or manylinux2014_aarch64, binary only "
        "(--only-binary=:all:)",
    ]
    message = "\n".join(lines)
    assert ("Bundling needs the network to PyPI (or to your package index), or a local folder holding these wheels"
            in message)
    assert "  PIP_NO_INDEX=1 PIP_FIND_LINKS=/path/to/wheels   (a folder of .whl files, no index)" in lines
    assert "  PIP_INDEX_URL=https://pypi.example.com/simple   (a mirror or proxy of PyPI)" in lines
    assert "`python -m pip config set global.find-links /path/to/wheels`" in message
    assert (
        "  python -m pip download --only-binary=:all: --implementation cp --python-version 3.14 --platform "
        f"manylinux_2_28_aarch64 --platform manylinux2014_aarch64 --dest /path/to/wheels --requirement {requirements}"
    ) in lines
    assert ("pip variables set in this environment (values not shown): PIP_FIND_LINKS, PIP_NO_INDEX, PIP_CONFIG_FILE"
            in lines)
    tail = lines[lines.index("pip's last lines:") + 1:]
    assert tail[-1] == f"  ERROR: No matching distribution found for {ABSENT}"
    assert str(offline_pip) not in message  # variable values are never shown


def test_any_other_pip_failure_is_ours_too_with_the_command_and_pip_output(tmp_path, monkeypatch,
                                                                           handler_with_requirements, no_runtime_python):
    def failing_pip(command, **kwargs):
        return subprocess.CompletedProcess(command, 2, stdout="", stderr="ERROR: a resolver conflict\n")

    monkeypatch.setattr(subprocess, "run", failing_pip)
    with pytest.raises(BundlingError) as raised:
        _bundle(handler_with_requirements, tmp_path / "out")

    lines = str(raised.value).splitlines()
    assert lines[0] == (
        f"genai-blueprints bundling: pip failed (exit code 2) installing the requirements of the Lambda asset "
        f"{handler_with_requirements} ({handler_with_requirements / 'requirements.txt'})."
    )
    assert lines[1].startswith(f"  command: {sys.executable} -m pip install --requirement ")
    assert lines[2:] == ["pip's last lines:", "  ERROR: a resolver conflict"]


def test_a_function_that_cannot_be_bundled_raises_our_error_at_construction(tmp_path, handler_with_requirements,
                                                                             offline_pip, no_runtime_python):
    """CDK bundles while the function is created and jsii passes it only our error's text; the construct
    raises the BundlingError itself (not CDK's RuntimeError around it)."""
    app = make_app(**{"aws:cdk:bundling-stacks": ["**"]})
    stack = cdk.Stack(app, "Offline")
    with pytest.raises(BundlingError, match="^genai-blueprints bundling: pip found no wheels for the Lambda asset "):
        PythonHandlerFunction(stack, "Fn", invocation=Invocation.REQUEST, source=HandlerCode.from_path(handler_with_requirements),
                              handler="handler.handler", service_name="svc", description="offline")
