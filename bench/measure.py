"""Running and timing whole processes: wall time, peak memory of the process tree, load average.

Linux only: memory is read from /proc (this machine, CI and the Lambda runtime are Linux)."""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
# How often the memory of a measured process tree is sampled.
SAMPLE_INTERVAL_S = 0.02


class BenchError(RuntimeError):
    """A measured process failed: the benchmark would be meaningless."""


@dataclass(frozen=True)
class Run:
    """One measured process."""

    seconds: float
    peak_rss_mb: float
    load1: float  # 1-minute load average when the run started
    cpu_seconds: float = 0.0  # user + system time of the process and its reaped children
    # Share of the machine's CPU capacity that other processes used during the run (0-1): the
    # interference, which the load average (a 1-minute mean that includes our own runs) only hints at.
    other_cpu: float = 0.0
    phases: dict[str, Any] = field(default_factory=dict)  # what the child reported, if anything


@dataclass(frozen=True)
class Series:
    """Several runs of the same thing; figures are medians."""

    runs: tuple[Run, ...]

    @property
    def seconds(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def peak_rss_mb(self) -> float:
        return statistics.median(run.peak_rss_mb for run in self.runs)

    @property
    def load1(self) -> float:
        return max(run.load1 for run in self.runs)

    @property
    def cpu_seconds(self) -> float:
        return statistics.median(run.cpu_seconds for run in self.runs)

    @property
    def other_cpu(self) -> float:
        return max(run.other_cpu for run in self.runs)

    def phase(self, name: str) -> float:
        return statistics.median(float(run.phases[name]) for run in self.runs)


def load1() -> float:
    return os.getloadavg()[0]


def base_env(**extra: str) -> dict[str, str]:
    """This environment with the venv first on PATH (as `make` runs things) and jsii quiet."""
    env = dict(os.environ)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env["JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION"] = "1"
    env["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = "20"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra)
    return env


def run_process(
    command: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path = REPO_ROOT,
    timeout: float = 1800,
    check: bool = True,
) -> Run:
    """Runs `command` to completion; wall time and peak RSS summed over the process and its children.

    The child may write a JSON object to the file named by $BENCH_PHASES_FILE (its own phase
    timings); it comes back as Run.phases. Output goes to a log file, shown if the command fails.
    """
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        phases_file = Path(tmp) / "phases.json"
        log_file = Path(tmp) / "output.log"
        child_env = dict(env if env is not None else base_env())
        child_env["BENCH_PHASES_FILE"] = str(phases_file)
        start_load = load1()
        cpu_before, own_before, busy_before = _children_cpu(), _own_cpu(), machine_busy_seconds()
        with log_file.open("wb") as log:
            start = time.perf_counter()
            process = subprocess.Popen(list(command), cwd=cwd, env=child_env, stdout=log, stderr=subprocess.STDOUT)
            peak = _watch(process, timeout=timeout, started=start)
            seconds = time.perf_counter() - start
        cpu = _children_cpu() - cpu_before
        other = other_cpu_share(
            busy=machine_busy_seconds() - busy_before, ours=cpu + _own_cpu() - own_before, seconds=seconds
        )
        output = log_file.read_text(errors="replace")
        if check and process.returncode != 0:
            raise BenchError(f"{' '.join(command)} exited with {process.returncode}:\n{output[-3000:]}")
        phases = json.loads(phases_file.read_text()) if phases_file.exists() else {}
        phases.setdefault("returncode", process.returncode)
        phases.setdefault("output_tail", output[-2000:])
    return Run(seconds=seconds, peak_rss_mb=peak / 2**20, load1=start_load, cpu_seconds=cpu, other_cpu=other,
               phases=phases)


def machine_busy_seconds() -> float:
    """CPU seconds all cores have spent busy since boot (/proc/stat: everything but idle and iowait)."""
    with open("/proc/stat") as file:
        fields = [int(value) for value in file.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / _CLOCK_TICKS


def other_cpu_share(*, busy: float, ours: float, seconds: float, cores: int | None = None) -> float:
    """The share (0-1) of the machine's capacity over `seconds` that was busy with other work."""
    capacity = seconds * (cores or os.cpu_count() or 1)
    if capacity <= 0:
        return 0.0
    return min(1.0, max(0.0, (busy - ours) / capacity))


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)  # the sampling loop costs a little too
    return usage.ru_utime + usage.ru_stime


def _children_cpu() -> float:
    """CPU seconds of every reaped child so far (runs are sequential, so a difference is one run's)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _watch(process: subprocess.Popen, *, timeout: float, started: float) -> int:
    """Waits for `process`, sampling the RSS of its whole tree; returns the peak in bytes.

    The samples miss a child that ends between two of them (a loaded machine, a short command), so
    the peak is at least what the kernel recorded for the child itself (wait4's ru_maxrss, in KiB on
    Linux), reaped here rather than by Popen.
    """
    peak = 0
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return max(peak, usage.ru_maxrss * 1024)
        if time.perf_counter() - started > timeout:
            process.kill()
            process.wait()
            raise BenchError(f"timed out after {timeout} s")
        peak = max(peak, tree_rss(process.pid))
        time.sleep(SAMPLE_INTERVAL_S)


def tree_rss(pid: int) -> int:
    """RSS in bytes of process `pid` and all its descendants (Linux /proc; 0 once it has ended)."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/statm") as file:
                total += int(file.read().split()[1]) * _PAGE_SIZE
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as file:
                    pending += [int(child) for child in file.read().split()]
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue  # ended between listing and reading
    return total


_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def repeat(make_run: Callable[[], Run], times: int) -> Series:
    return Series(tuple(make_run() for _ in range(max(1, times))))


def interleave(make_runs: dict[str, Callable[[], Run]], times: int) -> dict[str, Series]:
    """Round-robin: one run of each, `times` rounds. This machine's speed drifts by tens of percent
    over minutes; measured in blocks, a figure and its floor can land in different weather, while
    interleaved runs share it, so their comparison holds."""
    runs: dict[str, list[Run]] = {name: [] for name in make_runs}
    for _ in range(max(1, times)):
        for name, make_run in make_runs.items():
            runs[name].append(make_run())
    return {name: Series(tuple(series)) for name, series in runs.items()}


def machine_info() -> dict[str, str]:
    """What the figures depend on: cores, CPU, memory, OS."""
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cores (nproc)": str(os.cpu_count()),
        "CPU": cpu,
        "memory": _total_memory(),
        "OS": f"{platform.system()} {platform.release()}",
    }


def _total_memory() -> str:
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 2**20:.1f} GiB"
    return "unknown"


def versions() -> dict[str, str]:
    """Versions of everything measured (packages of this venv, node, the CDK CLI)."""
    from importlib import metadata

    found = {"python": platform.python_version()}
    for package in (
        "aws-cdk-lib",
        "cdk-nag",
        "jsii",
        "constructs",
        "aws-lambda-powertools",
        "boto3",
        "moto",
        "numpy",
        "pillow",
        "pytest",
    ):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    found["node"] = _output(["node", "--version"])
    found["aws-cdk (CLI)"] = _output([str(REPO_ROOT / "node_modules" / ".bin" / "cdk"), "--version"]).split(" ")[0]
    return found


def _output(command: list[str]) -> str:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, env=base_env())
    except (OSError, subprocess.TimeoutExpired):
        return "unavailable"
    return result.stdout.strip() or "unavailable"
