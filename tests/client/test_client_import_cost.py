"""The client is for callers, often Lambda functions: it must not pull in aws-cdk-lib."""

from __future__ import annotations

import subprocess
import sys


def test_client_imports_without_aws_cdk():
    code = (
        "import sys\n"
        "from genai_blueprints.async_inference.client import AsyncInferenceClient\n"
        "assert 'aws_cdk' not in sys.modules and 'jsii' not in sys.modules, sorted(m for m in sys.modules if 'cdk' in m)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
