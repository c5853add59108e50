"""CLI: ``genai-lens`` (or ``python -m genai_blueprints.lens``) ``{check,summary,report,docs}``.

- ``check PATH...``: every lens rule over cloud assemblies (cdk.out of a CDK app in any language),
  CloudFormation templates (JSON or YAML) or folders of them, without a CDK app; ``--format
  table|json|markdown|html|sarif|junit``, ``--output FILE``, ``--fail-on error|warning|info``,
  ``--baseline FILE`` / ``--write-baseline FILE``. Exit 0 clean, 1 findings at or above the
  threshold, 2 a usage or input error (with the file and what is wrong).

- ``summary CDK_OUT``: per-stack, per-pillar table; exit 1 on any unacknowledged error-level finding
  (of a lens pack, or of another validation plugin such as AwsSolutions in validation-report.json).
- ``report CDK_OUT --output DIR``: lens-review.md, lens-review.json and lens-review.html in DIR;
  same exit code as ``summary``.
- ``docs``: print docs/lens-rules.md (``python -m genai_blueprints.lens docs > docs/lens-rules.md``).
"""

from __future__ import annotations

import argparse
import sys

from .recording import EvaluationsNotFoundError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m genai_blueprints.lens", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    summary = commands.add_parser("summary", help="print the per-stack, per-pillar review table")
    summary.add_argument("assembly", nargs="?", default="cdk.out", help="cloud assembly directory (default: cdk.out)")
    report = commands.add_parser("report", help="write Markdown, JSON and HTML review files")
    report.add_argument("assembly", nargs="?", default="cdk.out")
    report.add_argument("--output", "-o", required=True, help="directory for lens-review.{md,json,html}")
    commands.add_parser("docs", help="print docs/lens-rules.md generated from the rule registry")
    check = commands.add_parser("check", help="check CloudFormation templates or cloud assemblies (no CDK app)")
    check.add_argument("paths", nargs="+", metavar="PATH", help="a cloud assembly, a template (JSON/YAML) or a folder")
    check.add_argument("--format", "-f", default="table", choices=FORMATS)
    check.add_argument("--output", "-o", help="write the output to this file (default: standard output)")
    check.add_argument("--fail-on", default="error", choices=("error", "warning", "info"),
                       help="exit 1 on unacknowledged findings at or above this level (default: error)")
    check.add_argument("--baseline", help="acknowledge the findings listed in this baseline file")
    check.add_argument("--write-baseline", metavar="FILE", help="write today's unacknowledged findings to FILE")
    check.add_argument("--ignore-non-templates", action="store_true",
                       help="skip JSON/YAML files that are not CloudFormation templates (for pre-commit)")
    args = parser.parse_args(argv)

    if args.command == "check":
        return _check(args)

    if args.command == "docs":
        from .docs import render

        sys.stdout.write(render())
        return 0

    from .report import build_review, exit_code, summary_text, write_report

    try:
        review = build_review(args.assembly)
    except EvaluationsNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.command == "summary":
        sys.stdout.write(summary_text(review))
    else:
        files = write_report(args.assembly, args.output)
        sys.stdout.write(summary_text(review))
        for kind, path in files.items():
            print(f"wrote {kind}: {path}")
    return exit_code(review)


FORMATS = ("table", "json", "markdown", "html", "sarif", "junit")


def _check(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from genai_blueprints import __version__

    from . import checker, formats
    from .registry import all_rules
    from .report import html_report, markdown_report, review_of, summary_text
    from .sources import InputError, NotATemplateError, read_sources

    try:
        sources = []
        for path in args.paths:
            try:
                sources += read_sources(path)
            except NotATemplateError:
                if not args.ignore_non_templates:
                    raise
        baseline = checker.read_baseline(args.baseline) if args.baseline else None
    except InputError as error:
        print(f"genai-lens: error: {error}", file=sys.stderr)
        return 2
    rules = all_rules()
    evaluations = checker.evaluate(sources, rules, baseline=baseline, baseline_file=args.baseline or "")
    if args.write_baseline:
        count = checker.write_baseline(args.write_baseline, evaluations)
        print(f"genai-lens: wrote {count} findings to {args.write_baseline}", file=sys.stderr)
    if args.format in ("sarif", "junit"):
        text = (json.dumps(formats.sarif(evaluations, sources, rules, Path.cwd(), __version__), indent=1) + "\n"
                if args.format == "sarif" else formats.junit(evaluations))
    else:
        review = review_of(checker.as_document(evaluations, rules), None)
        review["assembly"] = ", ".join(args.paths)
        text = {"table": summary_text, "markdown": markdown_report, "html": html_report,
                "json": lambda r: json.dumps(r, indent=1, sort_keys=True) + "\n"}[args.format](review)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 1 if checker.failing(evaluations, args.fail_on) else 0


if __name__ == "__main__":
    sys.exit(main())
