"""Every ```python block of README.md, docs/*.md and CONTRIBUTING.md runs, as written, as a user runs it.

Each doc is one test: its examples run in one process of the consumer virtualenv (the installed
wheel, a folder outside the repository, no PYTHONPATH, no cdk.json; see conftest.py), through
doc_runner.py. How a doc's blocks are combined:

- **The main program.** A doc's ```python blocks run in order, in one namespace, as one script: a
  later block uses the names an earlier one defined. A doc whose examples are fragments (they use
  `stack`, a role, ...) therefore starts with a visible preamble block that defines them ("The
  examples on this page assume:"), and its examples hold real values, never `...` placeholders.
- **One synth per doc.** When no block of the main program synthesizes (`.synth()`), the runner
  synthesizes its `app` after the last block, so a fragment that only fails at synth still fails.
  The README's complete app calls `app.synth()` itself, with `add_lens_checks(app)`: any
  unacknowledged finding of AwsSolutions or a lens pack fails it.
- **Markers.** An HTML comment on the line before a fence, `<!-- doc-test: OPTION ... (a remark) -->`,
  invisible when the doc is rendered (text in parentheses is a remark for the reader of the source):
  - `standalone`: the block is a program of its own (a fresh namespace, run after the main program in
    the same process), e.g. a caller's code that runs in another process than the CDK app;
  - `fake-async-inference`: before the block, moto plays a deployed AsyncInferenceEndpoint stack
    (doc_runner.fake_async_inference_stack: its outputs in environment variables, the bucket and
    table, a result recorded when a request is accepted), so a block that calls AWS runs without
    reaching it; the fake ends with the block's program;
  - `file=PATH`: the block is not run but written to PATH in the doc's folder (next to the
    program's `__file__`) before any program runs, for the examples that read it (a prompt file, an
    action group's code); a `.py` file must compile.
- **Blocks that are not code to run** say so by their language: ```bash (commands), ```text
  (diagrams, layouts, output), ```json. Every fence in README.md and docs/*.md names its language,
  so a Python example cannot escape by having none, and Python is always spelled ```python.

What the runner does as the CDK CLI would: it sets CDK_OUTDIR (a cdk.out in the doc's folder) and
passes context through CDK_CONTEXT_JSON; the only context is `aws:cdk:bundling-stacks: []` (no
asset bundling: bundling runs pip against PyPI and tests never touch the network; the consumer
scenarios in this folder bundle). No feature flags: every App is a bare `cdk.App()`. Two docs run at
a time.

A failure names the doc, the line of the block that raised (or "the synth after the last block") and
the exception, and shows the traceback's tail, whose frames in the doc carry the doc's own path and
line numbers; a synth that failed validation also lists the unacknowledged findings.
test_readme_example_passes_every_pack_unacknowledged reads the README's run: every pack registered,
no non-compliant evaluation left unacknowledged (info included), and the endpoint on a dashboard and
under a budget.
"""

from __future__ import annotations

import json
import re
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import doc_runner  # this folder is on sys.path (pytest's rootdir-less import of test modules)
from harness import REPO_ROOT

DOCS = sorted([REPO_ROOT / "README.md", REPO_ROOT / "CONTRIBUTING.md", *(REPO_ROOT / "docs").glob("*.md")])
# Docs whose every fence must name its language (CONTRIBUTING.md's layout block is plain text, and its
# Python blocks, if it ever has any, run all the same).
TAGGED_DOCS = [doc for doc in DOCS if doc.name != "CONTRIBUTING.md"]
RUNNER = Path(__file__).with_name("doc_runner.py")

MARKER_OPTIONS = {"standalone", *doc_runner.FAKES}
NOT_PYTHON_SPELLINGS = {"py", "python3", "py3", "pycon", "ipython", "Python"}
TRACEBACK_TAIL_LINES = 40
PARALLEL_DOC_RUNS = 2

_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*)$")
_MARKER = re.compile(r"^\s*<!--\s*doc-test:(?P<options>.*?)-->\s*$")


@dataclass(frozen=True)
class Block:
    doc: str  # relative to the repository
    line: int  # the line of the block's first code line
    language: str
    source: str
    options: tuple[str, ...] = ()

    @property
    def file(self) -> str | None:
        for option in self.options:
            if option.startswith("file="):
                return option.removeprefix("file=")
        return None

    def where(self) -> str:
        return f"{self.doc}:{self.line}"


@dataclass
class DocProgram:
    """What one doc gives the runner: its main program, its standalone programs and its files."""

    doc: Path
    blocks: list[Block]
    main: list[Block] = field(default_factory=list)
    standalone: list[Block] = field(default_factory=list)
    files: list[Block] = field(default_factory=list)

    def __post_init__(self) -> None:
        for block in self.blocks:
            if block.file is not None:
                self.files.append(block)
            elif block.language == "python":
                (self.standalone if "standalone" in block.options else self.main).append(block)

    @property
    def synthesizes(self) -> bool:
        return any(".synth()" in block.source for block in self.main)

    def spec(self, folder: Path) -> dict:
        def program(blocks: list[Block], *, synth: bool) -> dict:
            return {
                "blocks": [{"line": b.line, "source": b.source,
                            "fakes": [o for o in b.options if o.startswith("fake-")]} for b in blocks],
                "synth": synth,
            }

        programs = [program(self.main, synth=not self.synthesizes)] if self.main else []
        programs += [program([block], synth=False) for block in self.standalone]
        return {
            "doc": relative(self.doc),
            "text": self.doc.read_text(),
            "folder": str(folder),
            "files": [{"path": b.file, "line": b.line, "source": b.source} for b in self.files],
            "programs": programs,
        }


def relative(path: Path) -> str:
    return path.relative_to(REPO_ROOT).as_posix()


def code_blocks(doc: Path) -> list[Block]:
    """Every fenced block of a Markdown file, with its language and doc-test options."""
    lines = doc.read_text().splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        fence, indent = opening["fence"], len(opening["indent"])
        language = opening["info"].split()[0] if opening["info"].split() else ""
        closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        end = index + 1
        while end < len(lines) and not closing.match(lines[end]):
            end += 1
        # A fence indented by n spaces (in a list item) has its content indented by up to n spaces too.
        body = [line[min(indent, len(line) - len(line.lstrip(" "))):] for line in lines[index + 1:end]]
        options: tuple[str, ...] = ()
        previous = index - 1
        while previous >= 0 and not lines[previous].strip():
            previous -= 1
        if previous >= 0 and (marker := _MARKER.match(lines[previous])):
            options = tuple(re.sub(r"\(.*?\)", " ", marker["options"]).split())
        blocks.append(Block(doc=relative(doc), line=index + 2, language=language,
                            source="\n".join(body) + "\n", options=options))
        index = end + 1
    return blocks


def doc_id(doc: Path) -> str:
    return relative(doc)


RUNNABLE_DOCS = [doc for doc in DOCS if any(b.language == "python" and b.file is None for b in code_blocks(doc))]


# --- The doc's shape ------------------------------------------------------------------------------


@pytest.mark.parametrize("doc", TAGGED_DOCS, ids=doc_id)
def test_every_code_block_names_its_language(doc: Path) -> None:
    problems = [f"{block.where()}: a fence without a language (```text for diagrams and output)"
                for block in code_blocks(doc) if not block.language]
    problems += [f"{block.where()}: ```{block.language}: spell Python examples ```python, so they run"
                 for block in code_blocks(doc) if block.language in NOT_PYTHON_SPELLINGS]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("doc", DOCS, ids=doc_id)
def test_doc_test_markers_are_known(doc: Path) -> None:
    problems = []
    for block in code_blocks(doc):
        for option in block.options:
            if option not in MARKER_OPTIONS and not option.startswith("file="):
                problems.append(f"{block.where()}: unknown doc-test option {option!r}")
        if block.file is None and block.options and block.language != "python":
            problems.append(f"{block.where()}: doc-test options on a ```{block.language} block (only file= applies)")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("doc", [d for d in DOCS if any(b.language == "json" for b in code_blocks(d))], ids=doc_id)
def test_json_blocks_parse(doc: Path) -> None:
    problems = []
    for block in code_blocks(doc):
        if block.language == "json":
            try:
                json.loads(block.source)
            except ValueError as error:
                problems.append(f"{block.where()}: {error}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("doc", RUNNABLE_DOCS, ids=doc_id)
def test_examples_have_no_placeholders(doc: Path) -> None:
    """`...` as a value (an argument, a set, a string, a string's elided end) is not an example."""
    placeholder = re.compile(r"""(\(\s*\.\.\.|,\s*\.\.\.\s*[,)]|\{\s*\.\.\.\s*\}|=\s*\.\.\.|["'](.*\s)?\.\.\.["'])""")
    problems = [
        f"{block.where()}: {line.strip()}"
        for block in code_blocks(doc) if block.language == "python" and block.file is None
        for line in block.source.splitlines() if placeholder.search(line.split("#", 1)[0])
    ]
    assert not problems, "placeholders in examples:\n" + "\n".join(problems)


# --- Running the examples -------------------------------------------------------------------------


@dataclass(frozen=True)
class DocRun:
    doc: str
    folder: Path  # the doc's folder: its files, app.py's place, cdk.out
    outcome: dict


@pytest.fixture(scope="module")
def run_doc(consumer, request):
    """Runs a doc's examples, once per module (the README's lens test reads the same run).

    The docs whose test_doc_examples_run is selected start at once, two processes at a time (jsii
    leaves a core idle while Node works); a pytest-xdist worker runs only what it asks for.
    """
    folder = consumer.workdir / "doc-runner"
    folder.mkdir(exist_ok=True)
    # Copied out of the repository: a script's own folder is on its sys.path.
    runner = Path(shutil.copy(RUNNER, folder / RUNNER.name))

    def run(doc: Path) -> DocRun:
        folder = consumer.workdir / "docs" / relative(doc).replace("/", "_").removesuffix(".md")
        folder.mkdir(parents=True, exist_ok=True)
        spec, results = folder.with_suffix(".spec.json"), folder.with_suffix(".results.json")
        spec.write_text(json.dumps(DocProgram(doc, code_blocks(doc)).spec(folder)))
        completed = consumer.run(runner, str(spec), str(results))
        assert completed.returncode == 0 and results.exists(), (
            f"the runner itself failed for {relative(doc)}:\n{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}"
        )
        return DocRun(relative(doc), folder, json.loads(results.read_text()))

    with ThreadPoolExecutor(max_workers=PARALLEL_DOC_RUNS) as pool:
        runs: dict[Path, Future[DocRun]] = {}
        if not hasattr(request.config, "workerinput"):
            for item in request.session.items:
                if getattr(item, "module", None) is request.module and item.originalname == "test_doc_examples_run":
                    doc = item.callspec.params["doc"]
                    if doc not in runs:
                        runs[doc] = pool.submit(run, doc)

        def result(doc: Path) -> DocRun:
            if doc not in runs:
                runs[doc] = pool.submit(run, doc)
            return runs[doc].result()

        yield result


def failure_report(doc: str, program: dict) -> str:
    if program["failed_line"] is not None:
        where = f"{doc}: the block at line {program['failed_line']}"
        if program["doc_line"] not in (None, program["failed_line"]):
            where += f", at line {program['doc_line']},"
    else:
        where = f"{doc}: the synth after the last block (the block at line {program['ran'][-1]} ran last)"
    tail = program["traceback"].rstrip().splitlines()[-TRACEBACK_TAIL_LINES:]
    return f"{where} raised {program['error']}\n" + "\n".join(f"    {line}" for line in tail)


def validation_findings(folder: Path) -> list[str]:
    """The findings of CDK's validation report (what a ValidationFailed synth printed), one line each."""
    report = folder / "cdk.out" / "validation-report.json"
    if not report.exists():
        return []
    return [
        f"{violation['ruleName']} ({violation.get('severity', '?')}) on {construct['constructPath']}: "
        f"{violation['description'][:160]}"
        for plugin in json.loads(report.read_text())["pluginReports"]
        for violation in plugin.get("violations", [])
        for construct in violation.get("violatingConstructs", [])
    ]


def failures_of(run: DocRun) -> list[str]:
    failures = []
    for program in run.outcome["programs"]:
        if program["traceback"] is None:
            continue
        report = failure_report(run.doc, program)
        if "ValidationFailed" in program["error"]:
            report += "\n  unacknowledged findings:\n" + "\n".join(f"    {f}" for f in validation_findings(run.folder))
        failures.append(report)
    return failures


@pytest.mark.parametrize("doc", RUNNABLE_DOCS, ids=doc_id)
def test_doc_examples_run(doc: Path, run_doc) -> None:
    run = run_doc(doc)
    if run.outcome["package_file"] is not None:  # the installed wheel, never the checkout
        assert not Path(run.outcome["package_file"]).resolve().is_relative_to(REPO_ROOT), run.outcome["package_file"]
    failures = failures_of(run)
    assert not failures, "\n\n".join(failures)


def test_readme_example_passes_every_pack_unacknowledged(run_doc) -> None:
    """The README's app registers every pack and nothing is left to acknowledge, not even an info finding;
    the endpoint is on a dashboard and covered by a budget (the app-level rules were evaluated, and pass)."""
    run = run_doc(REPO_ROOT / "README.md")
    assert not failures_of(run), "the README's examples fail: see test_doc_examples_run[README.md]"
    evaluations_file = run.folder / "cdk.out" / "lens-evaluations.json"
    assert evaluations_file.exists(), "the README's app does not call add_lens_checks(app)"
    packs = json.loads(evaluations_file.read_text())["packs"]
    assert set(packs) == {"GenAILens", "MLLens", "Sustainability", "DeliveryPaths"}
    evaluations = [evaluation for pack in packs.values() for evaluation in pack["evaluations"]]
    unacknowledged = [f"{e['rule_id']} ({e['level']}) on {e['path']}: {e['detail']}" for e in evaluations
                      if e["compliance"] == "non_compliant" and not e["acknowledged"]]
    assert not unacknowledged, "\n".join(unacknowledged)
    app_level = {(e["rule_id"], e["compliance"]) for e in evaluations
                 if e["resource_type"] == "AWS::SageMaker::Endpoint"}
    assert {("GenAILens-GENOPS02-BP01", "compliant"), ("GenAILens-GENCOST02-BP02", "compliant")} <= app_level
    report = json.loads((run.folder / "cdk.out" / "validation-report.json").read_text())
    assert report["pluginReports"] == [], "a validation plugin (AwsSolutions) reported findings"
