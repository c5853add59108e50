"""What the profiles showed (python -m bench.profile ...): the causes behind the figures.

Written by hand from profiles of 2026-11-22 and kept with the generator, so docs/benchmarks.md
always explains its tables. Re-profile and update this text when a cause is fixed.
"""

FINDINGS = """\
Profiles taken with `python -m bench.profile synth`, `... import MODULE [--no-bytecode]` and
`... png SIZE` (see bench/profile.py), and a V8 CPU profile of the jsii node process
(`JSII_NODE` set to `node --cpu-prof`); their figures were taken under some load and are indicative.
This machine's speed drifts: the same synth took 6.2-7.1 s on a quiet machine and 9.2-9.6 s an hour
earlier under a load average of 2.5-3, so compare figures with the floor measured in the same run.

**Synth: what a synth costs, and what was fixed.**
- Half of every synth, the floor included, is aws-cdk-lib's built-in CloudFormation validation: its
  WASM engine is built once per process (about 4 s of CPU in the jsii node process, whatever the app)
  and then validates each template (about 0.3-0.5 s per sample stack). `CDK_VALIDATION=false` shows
  it (see that row). It stays on: cdk.json asks for it (`validateAgainstDefaultRules`), and it is what
  users of the library get.
- Fixed: `cdk synth <stack>` ran the whole app. The CDK CLI never tells the app which stacks it was
  asked for (it passes `aws:cdk:bundling-stacks=["**"]` unless `--exclusively`), so every sample was
  built, validated and checked, then one printed. `-c samples=<stack>[,...]` now builds only those
  (apps/__init__.py, with an error that lists the allowed names), and each sample's modules are
  imported only when it is built. The rows "cdk synth X -c samples=X" are the per-app budget; the
  rows without the key still build all three and are held to 3 s per sample.
- Fixed: the lens packs walked the construct tree through cdk-nag, which called back into Python for
  every resource of every pack (about 1 s for the three samples, a quarter of a one-sample synth's
  margin). They now read the cloud assembly CDK has already written (templates, and each stack's
  metadata file for construct paths and acknowledgements): about 0.04 s for the three packs on the
  three samples. AwsSolutions (cdk-nag's own JavaScript) remains: about 0.5 s the first time, most of
  it loading the aws-cdk-lib modules its rules import.
- What is left in a one-sample synth over the floor: building the constructs (node-side L2 work, not
  jsii round trips: ImageGeneration makes about 500 jsii requests), importing the aws_cdk modules the
  blueprints use, validating the template, AwsSolutions, and writing the assembly. With all of
  that, each sample alone still measured floor + 3.3-4.6 s in the interleaved run of 2026-11-22 05:27
  (budget floor + 3 s; an earlier one-run check passed all three): the budget is missed by 0.3-1.6 s,
  and what remains is aws-cdk-lib's and cdk-nag's own work per resource. Node's young-generation size (`--max-semi-space-size=64`) made no
  measurable difference.
- The first synth into an empty output folder bundles the Lambda assets with pip; later synths reuse
  them (CDK skips bundling when the staged asset exists).
- Without bundling, cost grows linearly with the number of blueprints (see Scaling).

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
- png_postprocessor still compiles numpy's Python files at a cold start when bundled on this host
  (about 0.3 s): it meets the budget with bytecode (its "import png_postprocessor" row) and misses it
  as bundled here. Pillow is imported only when a JPEG payload needs it.
- With bytecode, `import boto3` (from the runtime) is the largest single cost of every handler.

**PNG conversion** meets its budgets: the digits are parsed straight from the bytes with numpy (no
json.loads of the 16.5 MB array), and PNGs are written with a per-row "Up" filter and zlib's Z_RLE
strategy. At 1024x1024 the time splits roughly into reading the numbers (45 %), deflate (20 %), the
structure check (translate plus layout comparison, 25 %) and the rest.

**Result tracker** throughput against moto is bounded by moto itself (compare the floor of bare
put_item calls); it says nothing about DynamoDB's real latency.
"""
