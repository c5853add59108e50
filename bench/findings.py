"""What the profiles showed (python -m bench.profile ...): the causes behind the figures.

Written by hand from profiles of 2026-11-22 and kept with the generator, so docs/benchmarks.md
always explains its tables. Re-profile and update this text when a cause is fixed.
"""

FINDINGS = """\
Profiles taken with `python -m bench.profile synth`, `... import MODULE [--no-bytecode]` and
`... png SIZE` (see bench/profile.py), and a V8 CPU profile of the jsii node process
(`JSII_NODE` set to `node --cpu-prof`); their figures were taken under some load and are indicative.
This machine's speed drifts: the same synth took 6.2-7.1 s on a quiet machine and 9.2-9.6 s an hour
earlier under a load average of 2.5-3, and the CLI floor 2.0-3.2 s on one morning, so compare figures
with the floor measured in the same run.

**Synth: what a synth costs, and what was fixed.**
- Fixed: CDK's built-in CloudFormation validation (the "CloudFormation Validate" plugin: cfn-lint's
  rules and CDK's default rules, in a WASM engine) ran on every synth. Its engine costs each process
  about 3 s to start (over 4 s of CPU, on both cores) and then about 1 s per sample stack; without it
  the CLI floor fell from 5.2-5.7 s to 2.0-2.2 s and ImageGeneration alone from 7.5-8.5 s to
  3.7-4.5 s (one-off runs of 2026-11-22 09:00). The sample apps are now built in `apps.new_app()`,
  which turns it on only for `-c builtin-validation=true`. `make synth` (and so the delivery pipeline)
  always asks for it, and tests/apps/test_builtin_validation.py runs it over every sample stack, as
  cfn-lint already did for every template, so no check was dropped: it moved from every developer
  synth to the full check. The floors are built in `new_app()` too, so a floor always has the
  samples' validation settings; the "-c builtin-validation=true" rows show the full check against a
  floor that pays it as well (unbudgeted).
- Fixed: `cdk synth <stack>` ran the whole app. The CDK CLI never tells the app which stacks it was
  asked for (it passes `aws:cdk:bundling-stacks=["**"]` unless `--exclusively`), so every sample was
  built, validated and checked, then one printed. `-c samples=<stack>[,...]` now builds only those
  (apps/__init__.py, with an error that lists the allowed names), and each sample's modules are
  imported only when it is built. The rows "cdk synth X -c samples=X" are the per-app budget; the
  rows without the key still build all three and are held to 3 s per sample.
- Fixed: the lens packs walked the construct tree through cdk-nag, which called back into Python for
  every resource of every pack (about 1 s for the three samples). They now read the cloud assembly
  CDK has already written (templates, and each stack's metadata file for construct paths and
  acknowledgements): about 0.05 s for the three packs on the three samples. What the "lens packs'
  share" still measures is mostly cdk-nag itself: loading its jsii assembly (`import cdk_nag`, about
  0.2-0.35 s) and AwsSolutions' own JavaScript (about 0.5-0.65 s the first time, much of it loading
  the aws-cdk-lib modules its rules import). With the built-in validation off, that share of a much
  shorter synth rose from 1 % to 10-19 % in today's three runs, still under the 25 % budget.
- What is left in a one-sample synth over the floor: 2.0-3.2 s, and the budget is 3 s. Three runs of
  2026-11-22, each a median of 5 interleaved with the floor: 09:20 (synth only) ImageGeneration +2.2 s,
  Assistant +2.0 s, DocumentQa +2.5 s, all pass; 09:38 +2.7, +2.4, +3.04 (DocumentQa over by 0.04 s);
  10:06 (the tables here) +3.2, +2.7, +2.96 (ImageGeneration over by 0.2 s). So each sample sits near
  the line, and this machine's drift is larger than the margin: the budget is not reliably met.
  A V8 profile of the jsii node process for DocumentQa alone (`python -m bench.profile synth
  --samples DocumentQa`): of 4.3 s, 1.5 s waiting on Python, about 1.0 s compiling aws-cdk-lib's and
  cdk-nag's JavaScript as it is first required (jsii runs node on a fresh kernel folder per process,
  so node's compile cache cannot help, and Node 20 has none built in), about 1.0 s for cdk-nag (see
  above), and the rest CDK's own synthesis. On the Python side: about 0.85 s
  importing the aws_cdk and blueprint modules the sample uses, and jsii's runtime type checks (about
  0.2 s). Tried and not kept, each within noise in an interleaved A/B: `python -O` (skips jsii's
  type checks: maybe 0.3 s, with asserts gone) and `@aws-cdk/core:enableAdditionalMetadataCollection`
  off (about 0.2 s, and it changes what CDK reports).
- The first synth into an empty output folder bundles the Lambda assets with pip; later synths reuse
  them (CDK skips bundling when the staged asset exists).
- Without bundling, cost grows linearly with the number of blueprints (see Scaling; the scaling apps
  are built in `new_app()`, so without the built-in validation).

**Handler cold start: bytecode, not code.**
- Lambda's /var/task is read-only, so code shipped without bytecode for the runtime's Python is
  compiled at every cold start. The build host here is Python 3.11 and the runtime 3.14.
- Fixed: Powertools (and the X-Ray SDK, wrapt and the rest of its tracer extra) is no longer bundled.
  Every function uses the AWS-published Powertools layer, which ships bytecode compiled for the
  runtime; its version is pinned (genai_blueprints/powertools.py) and its ARN read at deploy time from
  the public SSM parameter for that version. This took the "as bundled" imports from 0.5-0.8 s to
  the bytecode-cached figures for six of the seven handlers.
- Fixed in the bundling, not measurable here: when the build host has the runtime's Python on its
  PATH (python3.14), the bundling compiles every asset to unchecked-hash bytecode (asset zips do not
  keep source mtimes). This host has none, so synth says so and ships sources.
- Tried and dropped: OPENBLAS_NUM_THREADS=1 before numpy is imported (its thread pool is started at
  import). An interleaved A/B of `import numpy` and of the handler with 1 or 2 threads showed no
  difference here (0.08-0.13 s and 0.41-0.47 s either way); a first, non-interleaved check that
  seemed to show 0.1 s was the machine's drift.
- png_postprocessor still compiles numpy's Python files at a cold start when bundled on a host without
  python3.14 (about 0.25 s more): it meets the budget with bytecode (its "import png_postprocessor" row)
  and misses it as bundled here. The fix is the build host's: python3.14 on its PATH. The delivery
  pipeline's build now pins Python 3.14 (CodeBuild's AL2023 standard:5.0 offers it), so its assets
  carry bytecode; not verified in a real CodeBuild run. Pillow is
  imported only when a JPEG payload needs it.
- With bytecode, `import boto3` (from the runtime) is the largest single cost of every handler.

**PNG conversion** meets its budgets: the digits are parsed straight from the bytes with numpy (no
json.loads of the 16.5 MB array), and PNGs are written with a per-row "Up" filter and zlib's Z_RLE
strategy. At 1024x1024 the time splits roughly into reading the numbers (45 %), deflate (20 %), the
structure check (translate plus layout comparison, 25 %) and the rest.

**Result tracker** throughput against moto is bounded by moto itself (compare the floor of bare
put_item calls); it says nothing about DynamoDB's real latency.
"""
