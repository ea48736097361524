"""The checker's problems in machine-readable formats: JSON, GitHub workflow commands
and SARIF 2.1.0.

Every format carries the same facts per problem: file, line, column, end line and
column (when the rule knows the span), subtype, severity, message and, for quote
problems, a second location in the corpus file. The JSON shape is described by
:data:`JSON_SCHEMA` (committed as ``schema/check-output.schema.json``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sphinx_dossier._version import __version__
from sphinx_dossier.core.diagnostics import WARNING_TYPE, Problem, Subtype, printable

__all__ = ["FORMATS", "JSON_SCHEMA", "JSON_VERSION", "render"]

#: ``check --format`` choices.
FORMATS = ("text", "json", "github", "sarif")
#: Version of the JSON output's shape; raised when a field changes meaning or goes.
JSON_VERSION = 1

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _path(path: Path, base: Path | None) -> str:
    if base is not None and path.is_absolute():
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def problem_dict(problem: Problem, base: Path | None = None) -> dict[str, Any]:
    """One problem as a JSON object (see :data:`JSON_SCHEMA`)."""
    related = None
    if problem.related is not None:
        related = {
            "file": _path(problem.related.path, base),
            "line": problem.related.line,
            "message": problem.related.message,
        }
    return {
        "file": _path(problem.path, base),
        "line": problem.line,
        "column": problem.column,
        "end_line": problem.end_line,
        "end_column": problem.end_column,
        "type": WARNING_TYPE,
        "subtype": str(problem.subtype),
        "severity": problem.severity,
        "message": problem.message,
        "related": related,
    }


def render(
    problems: Sequence[Problem],
    fmt: str,
    *,
    base: Path | None = None,
    summary: dict[str, Any] | None = None,
) -> str:
    """``problems`` in format ``fmt`` (not ``text``: the command prints that itself)."""
    if fmt == "json":
        body = {
            "version": JSON_VERSION,
            "tool": {"name": "sphinx-dossier", "version": __version__},
            "summary": summary or {},
            "problems": [problem_dict(p, base) for p in problems],
        }
        return json.dumps(body, indent=2, ensure_ascii=False) + "\n"
    if fmt == "github":
        return "".join(_github(p, base) + "\n" for p in problems)
    if fmt == "sarif":
        return json.dumps(_sarif(problems, base), indent=2, ensure_ascii=False) + "\n"
    raise ValueError(f"unknown format {fmt!r}")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github(problem: Problem, base: Path | None) -> str:
    # https://docs.github.com/actions/reference/workflow-commands-for-github-actions
    command = {"error": "error", "warning": "warning", "info": "notice"}[problem.severity]
    props = {"file": _path(problem.path, base)}
    if problem.line is not None:
        props["line"] = str(problem.line)
    if problem.column is not None:
        props["col"] = str(problem.column)
    if problem.end_line is not None:
        props["endLine"] = str(problem.end_line)
    if problem.end_column is not None:
        props["endColumn"] = str(problem.end_column)
    props["title"] = f"{WARNING_TYPE}.{problem.subtype}"
    shown = ",".join(f"{k}={_escape_property(v)}" for k, v in props.items())
    message = problem.message
    if problem.related is not None:
        related = problem.related
        message += f" ({related.message}: {_path(related.path, base)}:{related.line})"
    return f"::{command} {shown}::{_escape_data(printable(message))}"


def _region(
    line: int | None, column: int | None, end_line: int | None, end_col: int | None
) -> dict[str, int]:
    region: dict[str, int] = {}
    if line is not None:
        region["startLine"] = line
    if column is not None:
        region["startColumn"] = column
    if end_line is not None:
        region["endLine"] = end_line
    if end_col is not None:
        region["endColumn"] = end_col
    return region


def _sarif(problems: Iterable[Problem], base: Path | None) -> dict[str, Any]:
    # https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
    rules = [
        {
            "id": f"{WARNING_TYPE}.{member.value}",
            "name": member.name.title().replace("_", ""),
            "shortDescription": {"text": " ".join(member.description.replace("``", "").split())},
        }
        for member in Subtype
    ]
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = []
    for problem in problems:
        rule_id = f"{WARNING_TYPE}.{problem.subtype}"
        location: dict[str, Any] = {
            "physicalLocation": {"artifactLocation": {"uri": _path(problem.path, base)}}
        }
        region = _region(problem.line, problem.column, problem.end_line, problem.end_column)
        if region:
            location["physicalLocation"]["region"] = region
        result: dict[str, Any] = {
            "ruleId": rule_id,
            "level": _LEVEL[problem.severity],
            "message": {"text": problem.message},
            "locations": [location],
        }
        if rule_id in index:
            result["ruleIndex"] = index[rule_id]
        if problem.related is not None:
            result["relatedLocations"] = [
                {
                    "id": 1,
                    "message": {"text": problem.related.message or "related"},
                    "physicalLocation": {
                        "artifactLocation": {"uri": _path(problem.related.path, base)},
                        "region": {"startLine": problem.related.line},
                    },
                }
            ]
        results.append(result)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "sphinx-dossier",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }


_NULLABLE_INT = {"type": ["integer", "null"], "minimum": 1}

#: JSON Schema (draft 2020-12) of ``check --format json``.
JSON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://sphinx-dossier.invalid/schema/check-output.schema.json",
    "title": "sphinx-dossier check --format json",
    "type": "object",
    "required": ["version", "tool", "summary", "problems"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": JSON_VERSION, "description": "Version of this shape."},
        "tool": {
            "type": "object",
            "required": ["name", "version"],
            "properties": {"name": {"const": "sphinx-dossier"}, "version": {"type": "string"}},
        },
        "summary": {
            "type": "object",
            "description": "Counts: records checked, errors, warnings, quotes verified.",
            "properties": {
                "records": {"type": "integer"},
                "errors": {"type": "integer"},
                "warnings": {"type": "integer"},
                "notes": {"type": "integer"},
                "quotes_total": {"type": ["integer", "null"]},
                "quotes_verified": {"type": ["integer", "null"]},
            },
        },
        "problems": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "file",
                    "line",
                    "column",
                    "end_line",
                    "end_column",
                    "type",
                    "subtype",
                    "severity",
                    "message",
                    "related",
                ],
                "additionalProperties": False,
                "properties": {
                    "file": {"type": "string", "description": "Relative to the working directory."},
                    "line": _NULLABLE_INT,
                    "column": {**_NULLABLE_INT, "description": "From 1, in characters."},
                    "end_line": _NULLABLE_INT,
                    "end_column": {**_NULLABLE_INT, "description": "Just past the span."},
                    "type": {"const": WARNING_TYPE},
                    "subtype": {"enum": sorted(m.value for m in Subtype)},
                    "severity": {"enum": ["error", "warning", "info"]},
                    "message": {"type": "string"},
                    "related": {
                        "description": "A second location: the passage in the corpus file.",
                        "oneOf": [
                            {"type": "null"},
                            {
                                "type": "object",
                                "required": ["file", "line", "message"],
                                "properties": {
                                    "file": {"type": "string"},
                                    "line": {"type": "integer", "minimum": 1},
                                    "message": {"type": "string"},
                                },
                            },
                        ],
                    },
                },
            },
        },
    },
}
