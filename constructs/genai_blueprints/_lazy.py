"""How the package imports: lazy exports (PEP 562), and one clear error for a missing extra.

The base install (boto3) is enough for ``genai_blueprints.async_inference.client`` and the lens CLI;
the constructs need the ``cdk`` extra (aws-cdk-lib, constructs) and ``add_lens_checks`` the ``lens``
extra (cdk-nag 3). Importing the client must not load aws-cdk-lib and Node, so the package
``__init__`` modules import nothing of the CDK: their exports load on first access.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import sys
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

# The top-level modules of the `cdk` extra (jsii comes with aws-cdk-lib).
CDK_MODULES = ("aws_cdk", "constructs", "jsii")
CDK_INSTALL = "pip install 'genai-blueprints[cdk]'"
LENS_INSTALL = "pip install 'genai-blueprints[lens]'"
LENS_CDK_NAG = "cdk-nag>=3.0.2,<4"


def lazy_exports(package: str, exports: Mapping[str, str]) -> Callable[[str], Any]:
    """A module `__getattr__` that imports `name` from `exports[name]` on first access."""

    def __getattr__(name: str) -> Any:
        try:
            module = exports[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        return getattr(importlib.import_module(module), name)

    return __getattr__


class MissingExtraError(ModuleNotFoundError):
    """A genai_blueprints module needs a package of an extra that is not installed."""


def missing_cdk_message(module: str, missing: str) -> str:
    return (
        f"{module} needs aws-cdk-lib and constructs, and {missing!r} is not installed. The constructs come "
        f"with the 'cdk' extra: {CDK_INSTALL} (add_lens_checks: {LENS_INSTALL}). Without it only "
        "genai_blueprints.async_inference.client and the lens CLI (python -m genai_blueprints.lens) work."
    )


class _CdkHintLoader(importlib.machinery.SourceFileLoader):
    """Loads a genai_blueprints module as usual; a failed import of the CDK becomes MissingExtraError."""

    def exec_module(self, module: ModuleType) -> None:
        try:
            super().exec_module(module)
        except ModuleNotFoundError as error:
            missing = (error.name or "").partition(".")[0]
            if missing not in CDK_MODULES:
                raise
            # Name the module the user imported (the outermost), keep the original error as the cause.
            cause = error.__cause__ if isinstance(error, MissingExtraError) else error
            raise MissingExtraError(missing_cdk_message(module.__name__, missing), name=error.name) from cause


class _CdkHintFinder:
    """A meta-path finder for genai_blueprints submodules that gives them the hinting loader."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if not fullname.startswith("genai_blueprints."):
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is None or type(spec.loader) is not importlib.machinery.SourceFileLoader:
            return None  # not a plain source file (e.g. bytecode only): the usual finders load it
        spec.loader = _CdkHintLoader(fullname, spec.loader.path)
        return spec


def hint_missing_cdk() -> None:
    """Where the `cdk` extra is not installed, make a construct import say which extra to install.

    Nothing is installed where aws-cdk-lib is present, so the usual case loads modules unchanged.
    """
    if any(isinstance(finder, _CdkHintFinder) for finder in sys.meta_path):
        return
    if any(importlib.util.find_spec(name) is None for name in CDK_MODULES):
        sys.meta_path.insert(0, _CdkHintFinder())


def require_cdk_nag() -> None:
    """One ImportError, saying what is installed and what is needed, unless cdk-nag 3.0.2+ (< 4) is there.

    The lens packs are cdk-nag 3 validation plugins (cdk-nag 2 packs are Aspects, with another API), and
    cdk-nag 3.0.0 and 3.0.1 do not honour the acknowledgements that the constructs make.
    """
    import re
    try:
        import cdk_nag  # noqa: F401  (imported here so that the error can say what is missing)
    except ModuleNotFoundError as error:
        if error.name != "cdk_nag":
            raise
        raise MissingExtraError(
            f"add_lens_checks and the lens packs need {LENS_CDK_NAG}, and cdk-nag is not installed: {LENS_INSTALL}",
            name="cdk_nag",
        ) from error
    from importlib.metadata import PackageNotFoundError, version

    try:
        installed = version("cdk-nag")
    except PackageNotFoundError:
        return  # importable without distribution metadata (vendored): nothing to compare
    release = re.match(r"(\d+)\.(\d+)\.(\d+)", installed)
    if release is None or (3, 0, 2) <= tuple(int(part) for part in release.groups()) < (4,):
        return
    raise ImportError(
        f"add_lens_checks and the lens packs need {LENS_CDK_NAG}, and cdk-nag {installed} is installed: "
        f"{LENS_INSTALL} (or pip install '{LENS_CDK_NAG}')"
    )
