"""Field descriptions from the docstrings written under a model's attributes.

A field's description is the string literal that follows its annotated attribute in the
class body, as with pydantic's ``use_attribute_docstrings``. Pydantic finds each class's
source by walking the call stack and asking :func:`inspect.getmodule` about every frame,
which on Python < 3.13 scans all of ``sys.modules`` for each frame it does not know: in a
Sphinx process (1,500 modules loaded, a deep import chain) that was about 0.1 s of every
build's start, a third of the extension's import. Here each module's source is parsed
once, and the descriptions are set on the fields before the model's schema is built; the
models that use this build their schema at first use (``defer_build``).
"""

from __future__ import annotations

import ast
import inspect
import sys
from functools import cache
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = ["describe_fields"]


def describe_fields(model: type[BaseModel]) -> None:
    """Give each field of ``model`` that has no description the docstring under it.

    Call it from ``__pydantic_init_subclass__`` of a base whose subclasses defer their
    build: pydantic reads the descriptions into the schema when it builds it.
    """
    docs = _docstrings_of_module(model.__module__).get(model.__qualname__)
    if not docs:
        return
    for name, info in model.model_fields.items():
        if info.description is None and name in docs:
            info.description = docs[name]


@cache
def _docstrings_of_module(module: str) -> dict[str, dict[str, str]]:
    """``class qualname -> {attribute: docstring}`` for every class in a module's source."""
    try:
        source = inspect.getsource(sys.modules[module])
    except (KeyError, OSError, TypeError):
        return {}
    found: dict[str, dict[str, str]] = {}
    _collect(ast.parse(source).body, "", found)
    return found


def _collect(body: list[ast.stmt], prefix: str, found: dict[str, dict[str, str]]) -> None:
    for statement in body:
        if isinstance(statement, ast.ClassDef):
            qualname = prefix + statement.name
            found[qualname] = _attribute_docstrings(statement.body)
            _collect(statement.body, qualname + ".", found)


def _attribute_docstrings(body: list[ast.stmt]) -> dict[str, str]:
    """An annotated name directly followed by a string literal: pydantic's rule."""
    docs: dict[str, str] = {}
    for previous, statement in pairwise(body):
        if (
            isinstance(previous, ast.AnnAssign)
            and isinstance(previous.target, ast.Name)
            and isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str)
        ):
            docs[previous.target.id] = inspect.cleandoc(statement.value.value)
    return docs
