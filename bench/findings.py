"""What the profiles showed (python -m bench.profile ...): the causes behind the figures.

Written by hand from profiles of 2026-11-22 and kept with the generator, so docs/benchmarks.md
always explains its tables. Re-profile and update this text when a cause is fixed.
"""

FINDINGS = """\
Profiles taken with `python -m bench.profile synth`, `... import MODULE [--no-bytecode]` and
`... png SIZE` (see bench/profile.py); their figures were taken under some load and are indicative.

**Synth: the per-app budget is missed because `cdk synth <stack>` runs the whole app, and
aws-cdk-lib's built-in CloudFormation validation is half of every synth.**
- Measured on a quiet machine (2026-11-22 03:15, Other CPU 0-1 %): `cdk synth <stack>` took
  11.9-12.9 s for each of the three sample stacks against a CLI floor of 7.1 s, so floor + 4.8-5.8 s
  where the budget is floor + 3 s. `python -m apps` (all three stacks) took 11.4 s against a Python
  floor of 5.9 s; the same with `CDK_VALIDATION=false` took 5.4 s.
- Cause 1: `cdk synth <stack>` runs the whole app. Every sample stack is built, validated and
  checked by every pack, then one is printed, so each new sample stack adds about 1.8 s to the
  synth of every other one (by that estimate, one sample app alone would be within floor + 3 s).
  A fix belongs to apps/ (not done here): build only the stacks asked for, e.g. a context key
  (`cdk synth -c samples=ImageGeneration ImageGeneration`) read by `apps/__main__.py` and
  `build_sample_stacks`, or one app per sample.
- Cause 2: aws-cdk-lib 2.275 runs a built-in CloudFormation validation plugin on every synth (App
  prop `builtinCloudFormationValidation`, default true). Its WASM engine is built once per process
  (about 3.7 s of CPU in the jsii node process, whatever the app: most of the floor) and then
  validates every template (about 0.3 s each for the sample stacks). Switching it off halves the sample apps' synth
  (11.4 s to 5.4 s). `cdk synth --no-validation`, `CDK_VALIDATION=false` or
  `App(builtin_cloud_formation_validation=False)` do it; the project already runs cfn-lint on every
  sample template in its tests, so turning it off for the sample apps (apps/__main__.py, cdk.json)
  is a decision for their owners, not for this benchmark.
- The CDK CLI adds about 1 s of its own start-up (node, the CLI, reading the cloud assembly): compare
  the two floors.
- The first synth into an empty output folder bundles every Lambda asset with pip (about 5 s per
  function here, from pip's cache): 46 s for the six functions. Later synths reuse them (CDK skips
  bundling when the staged asset exists).
- The lens packs (AwsSolutions plus the three lens packs) are 5-6 % of the sample apps' synth: well
  within their 25 % budget. Their cost is cdk-nag's tree walk in node and the Python lens rules
  called back through jsii (mostly reading L1 properties across the bridge).
- Without bundling, cost grows linearly with the number of blueprints (see Scaling): the
  per-endpoint slope is construct building through jsii plus per-resource validation and checks.

**Handler cold start: bytecode, not code.**
- With bytecode cached, `import boto3` (provided by the runtime) is the largest single cost of every
  handler; Powertools (logger, metrics, batch, tracer with the X-Ray SDK) comes next, and numpy for
  png_postprocessor.
- As bundled, nothing the function ships has bytecode: genai_blueprints/bundling.py installs the
  requirements with `pip --no-compile` and excludes `*.pyc` (bytecode from the build host's Python
  would not match the 3.14 runtime anyway), and Lambda's /var/task is read-only, so Python compiles
  Powertools, the X-Ray SDK, numpy's Python files and the handler on every cold start. That makes
  imports several times slower ("as bundled" rows). The bundle also carries its own urllib3,
  python-dateutil, jmespath and six (dependencies of aws-xray-sdk's botocore), which shadow the
  runtime's compiled copies. Fixes belong to the bundling: compile the asset with a Python of the
  runtime's version (for example `python3.14 -m compileall -b` in the bundling step when such an
  interpreter is available, or the Docker bundling image, which has it), and drop the runtime's
  boto3 dependencies too.
- png_postprocessor imported Pillow at start-up although only base64-JPEG output needs it: it is now
  imported on first use (about 0.2 s saved per cold start when compiled from source).

**PNG conversion** meets its budgets: the digits are parsed straight from the bytes with numpy (no
json.loads of the 16.5 MB array), and PNGs are written with a per-row "Up" filter and zlib's Z_RLE
strategy. At 1024x1024 the time splits roughly into reading the numbers (45 %), deflate (20 %), the
structure check (translate plus layout comparison, 25 %) and the rest.

**Result tracker** throughput against moto is bounded by moto itself (compare the floor of bare
put_item calls); it says nothing about DynamoDB's real latency.
"""
