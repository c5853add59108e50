"""The bench scripts' parsing and measuring helpers, on small inputs (no timing asserted)."""

from __future__ import annotations

import json
import sys

import pytest

from bench import handlers
from bench.__main__ import parse_args
from bench.measure import BenchError, run_process
from bench.profile import summarise_cpuprofile, top_imports
from bench.synth import stacks_in_assembly

sys.path.insert(0, str(handlers.LAMBDA_DIR / "png_postprocessor"))
import png_conversion  # noqa: E402


def test_stacks_in_assembly_reads_stacks_and_counts_their_resources(tmp_path):
    (tmp_path / "A.template.json").write_text(json.dumps({"Resources": {"X": {}, "Y": {}}}))
    (tmp_path / "manifest.json").write_text(json.dumps({"artifacts": {
        "A": {"type": "aws:cloudformation:stack", "displayName": "A", "properties": {"templateFile": "A.template.json"}},
        "A.assets": {"type": "cdk:asset-manifest"},
        "Tree": {"type": "cdk:tree"},
    }}))
    stacks = stacks_in_assembly(tmp_path)
    assert [(stack.name, stack.resources) for stack in stacks] == [("A", 2)]


def test_handler_modules_are_the_lambda_folders_with_a_same_named_module():
    modules = dict(handlers.handler_modules())
    assert modules["result_tracker"] == handlers.LAMBDA_DIR / "result_tracker"
    assert "png_postprocessor" in modules
    assert "shared_layer" not in modules


def test_lambda_env_sets_what_lambda_sets_and_orders_the_path(tmp_path):
    folder = handlers.LAMBDA_DIR / "result_tracker"
    env = handlers.lambda_env(folder, deps=tmp_path / "deps", powertools=tmp_path / "powertools",
                              runtime=tmp_path / "runtime")
    # /var/task, then /opt/python (both layers), then the runtime's own packages
    assert env["PYTHONPATH"].split(":") == [str(folder), str(tmp_path / "deps"), str(handlers.SHARED_LAYER),
                                            str(tmp_path / "powertools"), str(tmp_path / "runtime")]
    assert env["LAMBDA_TASK_ROOT"] == str(folder)  # X-Ray's recorder takes its Lambda path only with it
    assert env["POWERTOOLS_SERVICE_NAME"] == "result_tracker"
    assert env["AWS_LAMBDA_FUNCTION_NAME"]


def test_powertools_layer_copy_is_the_version_the_functions_deploy():
    from genai_blueprints.powertools import POWERTOOLS_VERSION

    assert handlers.POWERTOOLS_LAYER_PACKAGES == (f"aws-lambda-powertools[all]=={POWERTOOLS_VERSION}",)


def test_source_only_copy_drops_bytecode_and_bench_markers(tmp_path):
    source = tmp_path / "deps"
    (source / "pkg" / "__pycache__").mkdir(parents=True)
    (source / "pkg" / "__init__.py").write_text("")
    (source / "pkg" / "__pycache__" / "__init__.cpython-311.pyc").write_bytes(b"\0")
    (source / ".bench-complete").touch()
    copy = handlers._source_only_copy(source, tmp_path / "copy")
    assert sorted(str(path.relative_to(copy)) for path in copy.rglob("*")) == ["pkg", "pkg/__init__.py"]


def test_benchmark_payloads_take_the_conversions_real_paths():
    rgb = handlers.rgb_array_payload(16)
    fast = png_conversion._fast_rgb_images(rgb)  # the json.dumps layout must hit the fast path
    assert fast is not None and (fast[0] == handlers.sample_image(16)).all()
    converted = png_conversion.convert_model_output(handlers.jpeg_payload(16))
    assert converted.format == png_conversion.JPEG_BASE64
    assert (converted.images[0].width, converted.images[0].height) == (16, 16)


def test_run_process_returns_the_phases_the_child_wrote_and_its_memory():
    script = "import json, os; open(os.environ['BENCH_PHASES_FILE'], 'w').write(json.dumps({'build': 1.5}))"
    run = run_process([sys.executable, "-c", script])
    assert run.phases["build"] == 1.5 and run.phases["returncode"] == 0
    assert run.peak_rss_mb > 1 and run.seconds > 0


def test_run_process_raises_with_the_output_of_a_failed_child():
    with pytest.raises(BenchError, match="exited with 3:\nboom"):
        run_process([sys.executable, "-c", "import sys; print('boom'); sys.exit(3)"])


def test_parse_args_quick_mode_and_sections():
    args = parse_args(["--quick", "--only", "synth,png", "--scale", "1,5,20"])
    assert (args.repeats, args.scale, args.only) == (1, [1, 5], ["synth", "png"])
    with pytest.raises(SystemExit):
        parse_args(["--only", "synth,nonsense"])


def test_top_imports_keeps_shallow_imports_biggest_first():
    output = "\n".join([
        "import time: self [us] | cumulative | imported package",
        "import time:       100 |        100 |   json",
        "import time:       200 |        900 |     boto3.compat",
        "import time:       300 |       5000 |   boto3",
        "import time:        50 |       7000 | result_tracker",
    ])
    assert top_imports(output, depth=1) == [(7000, "result_tracker"), (5000, "  boto3"), (100, "  json")]


def test_summarise_cpuprofile_counts_recursive_frames_once():
    frame = {"functionName": "synth", "url": "file:///x/node_modules/aws-cdk-lib/core/lib/app.js", "lineNumber": 3}
    profile = {
        "nodes": [
            {"id": 1, "callFrame": {"functionName": "(root)", "url": "", "lineNumber": -1}, "children": [2]},
            {"id": 2, "callFrame": frame, "children": [3]},
            {"id": 3, "callFrame": frame, "children": []},
        ],
        "samples": [2, 3, 3],
        "timeDeltas": [1_000_000, 2_000_000, 1_000_000],
    }
    summary = dict((label, seconds) for seconds, label in summarise_cpuprofile(profile))
    assert summary["synth aws-cdk-lib/core/lib/app.js:3"] == pytest.approx(4.0)
    assert summary["(root) :-1"] == pytest.approx(4.0)


def test_lens_share_is_the_fraction_the_packs_add_and_never_negative():
    from bench.synth import lens_share

    assert lens_share(10.0, 8.0) == pytest.approx(0.2)
    assert lens_share(8.0, 9.0) == 0.0  # noise: without the packs measured slower
    with pytest.raises(ValueError):
        lens_share(0.0, 1.0)


def test_other_cpu_share_is_what_others_used_of_the_capacity():
    from bench.measure import other_cpu_share

    assert other_cpu_share(busy=3.0, ours=1.0, seconds=2.0, cores=2) == pytest.approx(0.5)
    assert other_cpu_share(busy=1.0, ours=1.2, seconds=2.0, cores=2) == 0.0  # tick rounding, never negative
    assert other_cpu_share(busy=9.0, ours=0.0, seconds=2.0, cores=2) == 1.0
    assert other_cpu_share(busy=1.0, ours=0.0, seconds=0.0, cores=2) == 0.0


def test_parse_args_runs_everything_by_default_and_quick_mode_skips_the_test_suite():
    assert parse_args([]).only == ["synth", "scaling", "cold-start", "png", "tracker", "gateway", "test"]
    assert "test" not in parse_args(["--quick"]).only
    assert parse_args(["--quick", "--only", "test"]).only == ["test"]


def test_pytest_outcome_reads_the_final_summary():
    from bench.__main__ import pytest_outcome

    output = "FAILED tests/x.py::test_y\n============= 5 failed, 911 passed, 3 warnings in 98.06s (0:01:38) =============\n"
    assert pytest_outcome(output) == "5 failed, 911 passed, 3 warnings in 98.06s (0:01:38)"
    assert pytest_outcome("make: *** [Makefile:31: test] Error 2\n") is None


def test_run_process_without_check_keeps_the_exit_status_and_output():
    run = run_process([sys.executable, "-c", "import sys; print('tail'); sys.exit(2)"], check=False)
    assert run.phases["returncode"] == 2 and "tail" in run.phases["output_tail"]
