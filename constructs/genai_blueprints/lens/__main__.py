"""CLI: ``python -m genai_blueprints.lens {summary,report,docs}``.

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
    args = parser.parse_args(argv)

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


if __name__ == "__main__":
    sys.exit(main())
