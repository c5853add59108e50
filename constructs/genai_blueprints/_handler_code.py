"""Where a Lambda function's code comes from: a handler folder of this library, or the user's own folder.

The library's handlers live in the repository's lambda/ folder, which the wheel ships as
genai_blueprints/_lambda (pyproject.toml force-includes it); they are named by folder name. A user's
code is a path to a folder of theirs. `HandlerCode` keeps the two apart: a name is never read as a path.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import aws_cdk as cdk

from genai_blueprints.validation import PropsValidator, describe

_PACKAGE_DIR = Path(__file__).resolve().parent
_IDENTIFIER = r"[A-Za-z_][A-Za-z0-9_]*"
# Lambda's Python runtime splits the handler at its last dot and imports the module, whose path may
# use dots or slashes between packages: "orders.handler", "app.orders.handler", "app/orders.handler".
_HANDLER = re.compile(rf"^{_IDENTIFIER}([./]{_IDENTIFIER})*\.{_IDENTIFIER}$")
HANDLER_FORMAT = (
    "it must be 'module.function' (e.g. 'orders.handler'), the module a .py file (or package) in the "
    "source folder"
)


def handler_source_dir(name: str) -> Path:
    """The folder of the library's handler `name`: inside the wheel when installed, else the checkout's lambda/."""
    if not re.fullmatch(_IDENTIFIER, name):  # a name, never a path (an absolute one would replace the root)
        raise FileNotFoundError(f"Lambda handler source {name!r} is not a handler name")
    for root in (_PACKAGE_DIR / "_lambda", _PACKAGE_DIR.parents[1] / "lambda"):
        candidate = root / name
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"Lambda handler source {name!r} not found beside genai_blueprints")


@dataclass(frozen=True)
class HandlerCode:
    """The folder a function is bundled from: its handler modules and an optional requirements.txt.

    Attributes:
        directory: the absolute path of the folder.
    """

    directory: Path

    @classmethod
    def builtin(cls, name: str) -> HandlerCode:
        """One of the library's handler folders, by name (e.g. "result_tracker")."""
        return cls(handler_source_dir(name))

    @classmethod
    def from_path(cls, path: str | os.PathLike[str]) -> HandlerCode:
        """A folder of your own. A relative path is resolved against the current working directory, as
        `lambda_.Code.from_asset` does; it is resolved here because the jsii process keeps the working
        directory it started in."""
        return cls(Path(os.path.abspath(os.fspath(path))))


def user_folder(validator: PropsValidator, prop: str, value: object) -> Path | None:
    """The absolute folder that the path `value` (str or os.PathLike) names, or None after adding the problem."""
    path = os.fspath(value) if isinstance(value, os.PathLike) else value
    if not isinstance(path, str) or not path:
        validator.add(
            f"{prop} is {describe(value)}; it must be the path of the folder holding the handler code, a str or "
            f"os.PathLike (e.g. Path(__file__).parent / 'lambda' / 'orders')"
        )
        return None
    folder = HandlerCode.from_path(path).directory
    if not folder.is_dir():
        where = f"there is no folder at {folder}"
        if not os.path.isabs(path):
            where += f" (a relative path is resolved against the current working directory, {os.getcwd()})"
        validator.add(
            f"{prop} is {path!r}; {where}; it must be the folder holding the handler module and an optional "
            f"requirements.txt"
        )
        return None
    return folder


def check_handler(validator: PropsValidator, folder: Path, handler: object, prop: str = "handler") -> None:
    """Adds a problem unless `handler` is 'module.function' with the module in `folder`."""
    if isinstance(handler, str) and cdk.Token.is_unresolved(handler):
        return
    if not isinstance(handler, str) or not _HANDLER.match(handler):
        shown = repr(handler) if isinstance(handler, str) else describe(handler)
        validator.add(f"{prop} is {shown}; {HANDLER_FORMAT}")
        return
    module = handler.rsplit(".", 1)[0]
    parts = re.split(r"[./]", module)
    candidates = [folder.joinpath(*parts[:-1], f"{parts[-1]}.py"), folder.joinpath(*parts, "__init__.py")]
    if not any(candidate.is_file() for candidate in candidates):
        relative = " nor ".join(str(candidate.relative_to(folder)) for candidate in candidates)
        validator.add(f"{prop} is {handler!r}; the source folder {folder} has no {relative}; {HANDLER_FORMAT}")

