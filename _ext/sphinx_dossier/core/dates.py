"""Partial dates (year, year-month or full date) with a basis, as records state them."""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

__all__ = ["Basis", "DateError", "PartialDate", "Precision"]

Precision = Literal["year", "month", "day"]
_RANK: dict[str, int] = {"year": 1, "month": 2, "day": 3}
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


class Basis(StrEnum):
    """How a date was obtained from the sources."""

    STATED = "stated"
    """The source gives the date itself."""
    RESOLVED = "resolved"
    """Resolved from a relative expression ("on Monday") and the source's own date."""
    INFERRED = "inferred"
    """Inferred from context; the supporting claim explains how."""


class DateError(ValueError):
    """A value that is not a valid partial date; the message says how to fix it."""


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to the year, the month or the day, plus how it was obtained."""

    year: int
    month: int | None = None
    day: int | None = None
    basis: Basis = Basis.STATED

    def __reduce__(self) -> tuple[Any, ...]:
        # Positional: dates are in every cached record, and the dataclass default for
        # frozen slots classes looks each field up per object.
        return (PartialDate, (self.year, self.month, self.day, self.basis))

    @property
    def precision(self) -> Precision:
        """The finest component that is known."""
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    @property
    def iso(self) -> str:
        """ISO 8601 text at the date's own precision: ``2016``, ``2016-11`` or ``2016-11-14``."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def __str__(self) -> str:
        return self.iso

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Orders dates chronologically; a coarser date sorts before the finer ones it contains."""
        return (self.year, self.month or 0, self.day or 0)

    def truncated(self, precision: Precision) -> tuple[int, ...]:
        """The date's components down to ``precision`` (never finer than the date itself)."""
        parts = (self.year, self.month, self.day)[: _RANK[precision]]
        return tuple(p for p in parts if p is not None)

    def coarser_precision(self, other: PartialDate) -> Precision:
        """The precision both dates share."""
        return (
            self.precision if _RANK[self.precision] <= _RANK[other.precision] else other.precision
        )

    def compare(self, other: PartialDate) -> int:
        """-1, 0 or 1, comparing both dates at the coarser of their two precisions."""
        prec = self.coarser_precision(other)
        a, b = self.truncated(prec), other.truncated(prec)
        return (a > b) - (a < b)

    def on_or_after(self, other: PartialDate) -> bool:
        """True unless this date is certainly before ``other``."""
        return self.compare(other) >= 0

    def to_date(self) -> _dt.date:
        """The first day the partial date can mean (for sorting and date arithmetic)."""
        return _dt.date(self.year, self.month or 1, self.day or 1)

    def last_date(self) -> _dt.date:
        """The last day the partial date can mean."""
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return _dt.date(self.year, month, day)

    @classmethod
    def parse(cls, value: object, basis: Basis | str = Basis.STATED) -> PartialDate:
        """Build from YAML input: ``2016`` (int), ``"2016-11"``, ``"2016-11-14"`` or a date.

        A mapping ``{value: ..., basis: stated|resolved|inferred}`` is accepted too.
        Raises :class:`DateError` with a message meant for the person editing the record.
        """
        if isinstance(value, Mapping):
            return cls._parse_mapping(value)
        try:
            basis = Basis(basis)
        except ValueError:
            raise DateError(_basis_message(basis)) from None
        if isinstance(value, bool):
            raise DateError(f"expected a date such as 2016, 2016-11 or 2016-11-14, got {value!r}")
        if isinstance(value, _dt.datetime):
            return cls(value.year, value.month, value.day, basis)
        if isinstance(value, _dt.date):
            return cls(value.year, value.month, value.day, basis)
        if isinstance(value, int):
            if not 1 <= value <= 9999:
                raise DateError(f"year {value} is out of range (1-9999)")
            return cls(value, None, None, basis)
        if isinstance(value, str):
            return cls._parse_text(value.strip(), basis)
        raise DateError(
            f"expected a date such as 2016, 2016-11 or 2016-11-14, got {type(value).__name__}"
        )

    @classmethod
    def _parse_text(cls, text: str, basis: Basis) -> PartialDate:
        match = _DATE_RE.match(text)
        if match is None:
            raise DateError(
                f"'{text}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2016-11-14)"
            )
        year = int(match[1])
        month = int(match[2]) if match[2] else None
        day = int(match[3]) if match[3] else None
        if year < 1:
            raise DateError(f"'{text}' is not a date: year 0000 does not exist")
        if month is not None and not 1 <= month <= 12:
            raise DateError(f"'{text}' is not a date: month {month} does not exist")
        if month is not None and day is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise DateError(
                    f"'{text}' is not a date: {calendar.month_name[month]} {year} has {last} days"
                )
        return cls(year, month, day, basis)

    @classmethod
    def _parse_mapping(cls, value: Mapping[Any, Any]) -> PartialDate:
        extra = sorted(str(k) for k in value if k not in ("value", "basis"))
        if extra:
            raise DateError(
                f"unknown key '{extra[0]}' in date: a date mapping has only 'value' and 'basis'"
            )
        if "value" not in value:
            raise DateError("date mapping needs 'value', e.g. {value: 2016-11-14, basis: resolved}")
        inner = value["value"]
        if isinstance(inner, Mapping):
            raise DateError("date 'value' must be a date such as 2016-11-14, not a mapping")
        basis = value.get("basis", Basis.STATED)
        if not isinstance(basis, str):
            raise DateError(_basis_message(basis))
        return cls.parse(inner, basis)

    # pydantic integration: one validator for every accepted input form, so errors
    # stay at the field's own location instead of being split across union members.
    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        def validate(value: object) -> PartialDate:
            if isinstance(value, PartialDate):
                return value
            try:
                return cls.parse(value)
            except DateError as exc:
                raise PydanticCustomError(
                    "dossier.date", "{reason}", {"reason": str(exc)}
                ) from None

        return core_schema.no_info_plain_validator_function(
            validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                _serialize, when_used="always"
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        plain: list[JsonSchemaValue] = [
            {"type": "integer", "minimum": 1, "maximum": 9999, "description": "a year"},
            {
                "type": "string",
                "pattern": _PATTERN,
                "description": "YYYY, YYYY-MM or YYYY-MM-DD",
            },
        ]
        return {
            "anyOf": [
                *plain,
                {
                    "type": "object",
                    "properties": {
                        "value": {"anyOf": plain},
                        "basis": {
                            "enum": [b.value for b in Basis],
                            "description": "stated (default), resolved or inferred",
                        },
                    },
                    "required": ["value"],
                    "additionalProperties": False,
                },
            ],
            "description": (
                "A date at year, month or day precision, optionally with its basis "
                "as {value: ..., basis: stated|resolved|inferred}."
            ),
        }


def _serialize(value: PartialDate) -> str | dict[str, str]:
    if value.basis is Basis.STATED:
        return value.iso
    return {"value": value.iso, "basis": value.basis.value}


def _basis_message(basis: object) -> str:
    choices = ", ".join(b.value for b in Basis)
    return f"date basis {basis!r} is not one of: {choices}"
