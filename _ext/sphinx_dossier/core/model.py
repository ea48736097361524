"""Record models: one definition validates the YAML, yields the JSON Schema and documents fields.

Each field's docstring is its description, in the schema and in the docs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from sphinx_dossier.core.dates import PartialDate
from sphinx_dossier.core.docstrings import describe_fields
from sphinx_dossier.core.yamlload import Loc

__all__ = [
    "ID_MAX_LENGTH",
    "ID_PATTERN",
    "PART_MODELS",
    "Actor",
    "Agreement",
    "Cite",
    "Claim",
    "Event",
    "Id",
    "Publisher",
    "Record",
    "RecordKind",
    "Reference",
    "Role",
    "Source",
    "is_valid_id",
]

#: The record kinds. Everything else about a kind is its entry in ``core.kinds``;
#: this Literal exists for the type checker, and a guard test keeps the two equal.
RecordKind = Literal["source", "actor", "agreement", "event"]

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ID_MAX_LENGTH = 80
_ID_RE = re.compile(ID_PATTERN)
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
#: ``{dossier:<kind>}`target``` for every record kind.
_ROLE_REF_RE = re.compile(r"\{dossier:(" + "|".join(get_args(RecordKind)) + r")\}`([^`]*)`")

#: ``(location of the referring field, target id, kind the target must have)``.
Reference = tuple[Loc, str, RecordKind]


def is_valid_id(value: str) -> bool:
    """True for a lowercase slug of at most 80 characters."""
    return len(value) <= ID_MAX_LENGTH and _ID_RE.match(value) is not None


def _check_id(value: str) -> str:
    if not is_valid_id(value):
        if len(value) > ID_MAX_LENGTH and _ID_RE.match(value):
            raise PydanticCustomError(
                "dossier.id",
                "'{value}' is {length} characters long: an id has at most {limit}; shorten it",
                {"value": value[:100], "length": len(value), "limit": ID_MAX_LENGTH},
            )
        raise PydanticCustomError(
            "dossier.id",
            "'{value}' is not a valid id: use lowercase letters, digits and single hyphens"
            " (like 'south-korea')",
            {"value": value[:100]},
        )
    return value


def _check_text(value: str) -> str:
    stripped = value.strip()
    if not stripped:
        raise PydanticCustomError("dossier.missing-field", "must not be empty")
    return stripped


def _check_sha256(value: str) -> str:
    if not _SHA256_RE.match(value):
        raise PydanticCustomError(
            "dossier.type",
            "'{value}' is not a sha256 digest: expected 64 lowercase hex characters",
            {"value": value[:100]},
        )
    return value


def _check_document(value: str) -> str:
    unsafe = any(ord(char) < 32 or ord(char) == 127 for char in value)  # NUL breaks open()
    if unsafe or not value.strip() or "/" in value or "\\" in value or value in (".", ".."):
        raise PydanticCustomError(
            "dossier.type",
            "'{value}' is not a file name: give the name of the file in the corpus directory",
            {"value": repr(value[:100])[1:-1] if unsafe else value[:100]},
        )
    return value


def _check_url(value: str) -> str:
    if not re.match(r"^https?://\S+$", value):
        raise PydanticCustomError(
            "dossier.type", "'{value}' is not an http(s) URL", {"value": value[:100]}
        )
    return value


#: A record or claim id: a lowercase slug (``[a-z0-9]+(-[a-z0-9]+)*``), at most 80 characters.
Id = Annotated[
    str,
    AfterValidator(_check_id),
    WithJsonSchema({"type": "string", "pattern": ID_PATTERN, "maxLength": ID_MAX_LENGTH}),
]
#: Text that must say something (surrounding whitespace is dropped).
Text = Annotated[
    str, AfterValidator(_check_text), WithJsonSchema({"type": "string", "minLength": 1})
]
Sha256 = Annotated[
    str,
    AfterValidator(_check_sha256),
    WithJsonSchema({"type": "string", "pattern": _SHA256_RE.pattern}),
]
DocumentName = Annotated[
    str,
    AfterValidator(_check_document),
    WithJsonSchema({"type": "string", "pattern": r"^[^/\\]+$"}),
]
Url = Annotated[
    str,
    AfterValidator(_check_url),
    WithJsonSchema({"type": "string", "pattern": r"^https?://\S+$"}),
]


#: One set object per distinct set of given fields, shared by the models read back from a
#: cache (see ``_Strict.__setstate__``).
_GIVEN_FIELDS: dict[frozenset[str], set[str]] = {}


class _Strict(BaseModel):
    def __setstate__(self, state: dict[Any, Any]) -> None:
        # Pydantic keeps, per model, the set of fields its input gave; read back from a
        # cache, every claim and citation of a site got its own (43,000 sets at 5,000
        # records, which the collector walks at every full collection and at exit).
        # Nothing here reads it (no ``exclude_unset``, no ``model_fields_set``) and no
        # model is assigned to after validation, so models with the same fields share one.
        super().__setstate__(state)
        given = self.__pydantic_fields_set__
        shared = _GIVEN_FIELDS.setdefault(frozenset(given), given)
        object.__setattr__(self, "__pydantic_fields_set__", shared)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        describe_fields(cls)  # each field's docstring is its description

    model_config = ConfigDict(
        # Schemas are built at first use: an edit rebuild validates one record kind.
        defer_build=True,
        extra="forbid",
        validate_assignment=False,
        regex_engine="python-re",
    )


class Cite(_Strict):
    """A citation: a source and the verbatim words in it that back a claim."""

    source: Id
    """Id of the source record cited."""
    quote: str
    """A verbatim excerpt of the source (at most 25 words by default)."""
    note: Text | None = None
    """Optional remark in our own words (e.g. how a date was resolved)."""


class Claim(_Strict):
    """A statement in our own words, backed by citations, supporting some of the record's fields."""

    id: Id
    """Unique within the record; becomes the claim's HTML anchor."""
    text: Text
    """The claim in our own words; may use MyST inline markup and dossier roles."""
    supports: list[str] = Field(default_factory=list)
    """Names of the record's fields this claim backs (e.g. ``[date, actors]``); may be empty."""
    cites: list[Cite] = Field(min_length=1)
    """One or more citations."""
    disputed: Text | None = None
    """Why sources disagree, when they do."""


class Record(_Strict):
    """Fields every record has."""

    record_kind: ClassVar[RecordKind]
    #: Fields a claim may name in ``supports``.
    supportable: ClassVar[frozenset[str]] = frozenset()

    id: Id
    """The record id; equal to the file name without ``.yaml`` and unique across all kinds."""
    claims: list[Claim] = Field(default_factory=list)
    """The claims that back this record's facts."""

    if TYPE_CHECKING:

        @property
        def title(self) -> str:
            """The display title of the record."""

    def required_supports(self) -> Iterator[tuple[str, Loc]]:
        """Factual fields that some claim must name in ``supports``, with their locations."""
        return iter(())

    def references(self) -> list[Reference]:
        """Every reference to another record: ``(field location, target id, expected kind)``."""
        refs: list[Reference] = []
        for i, claim in enumerate(self.claims):
            for j, cite in enumerate(claim.cites):
                refs.append((("claims", i, "cites", j, "source"), cite.source, "source"))
            for kind, target in _role_references(claim.text):
                refs.append((("claims", i, "text"), target, kind))
        return refs

    def claim(self, claim_id: str) -> Claim | None:
        """The claim with id ``claim_id``, if any."""
        for claim in self.claims:
            if claim.id == claim_id:
                return claim
        return None


def _role_references(text: str) -> Iterator[tuple[RecordKind, str]]:
    for match in _ROLE_REF_RE.finditer(text):
        kind: RecordKind = match[1]  # type: ignore[assignment]
        target = role_target(match[2]).split("#", 1)[0]
        if target:
            yield kind, target


#: Sphinx's own ``Title <target>`` pattern (sphinx.util.nodes.explicit_title_re).
_EXPLICIT_TITLE = re.compile(r"^(.+?)\s*(?<!\x00)<(.*?)>$", re.DOTALL)


def split_title(content: str) -> tuple[bool, str, str]:
    """Split ``Title <target>`` as Sphinx's roles do: (explicit, title, target).

    The checker and the build both read roles through this, so they agree on the
    target even of ``North <land> <northland>`` (Sphinx: ``land> <northland``).
    """
    match = _EXPLICIT_TITLE.match(content) if content.rstrip("\n").endswith(">") else None
    if match:
        return True, match.group(1).strip(), match.group(2).strip()
    return False, content.strip(), content.strip()


def role_target(content: str) -> str:
    """The target of a role's content: ``id``, ``Title <id>``, ``~id`` or ``!id``."""
    return split_title(content)[2].lstrip("~!").strip()


#: ``{dossier:claim}`record#claim``` and ``{dossier:record}`id``` (any kind) in claim text.
UNTYPED_ROLE_RE = re.compile(r"\{dossier:(claim|record)\}`([^`]*)`")


class Publisher(_Strict):
    """Who published the source, and how we know."""

    name: Text | None
    """The outlet's name; ``null`` when the basis is ``unknown``."""
    basis: Literal["stated", "inferred", "unknown"]
    """``stated`` (the text names it), ``inferred`` (from other evidence) or ``unknown``."""
    note: Text | None = None
    """How the publisher was inferred, or why it is unknown; required unless ``stated``."""

    @model_validator(mode="after")
    def _consistent(self) -> Publisher:
        if self.basis == "unknown" and self.name is not None:
            raise PydanticCustomError(
                "dossier.type", "publisher basis is 'unknown' but a name is given: set name: null"
            )
        if self.basis != "unknown" and self.name is None:
            raise PydanticCustomError(
                "dossier.missing-field",
                "publisher name is missing: give it, or set basis: unknown",
            )
        if self.basis != "stated" and self.note is None:
            raise PydanticCustomError(
                "dossier.missing-field",
                "publisher basis is '{basis}': add a note saying how we know",
                {"basis": self.basis},
            )
        return self


class Source(Record):
    """A published text in the corpus that claims cite."""

    record_kind: ClassVar[RecordKind] = "source"
    supportable: ClassVar[frozenset[str]] = frozenset(
        {"title", "publisher", "via", "author", "published", "url"}
    )
    #: Source fields whose supporting claims must cite the source itself.
    self_cited: ClassVar[frozenset[str]] = frozenset({"published", "publisher", "author", "via"})

    title: Text
    """The title as published."""
    publisher: Publisher
    """The outlet that published this text."""
    via: Text | None = None
    """The outlet whose text this reproduces (e.g. a wire service), if any."""
    author: Text | None = None
    """The author as given in the text; ``null`` when none is given."""
    published: PartialDate | None
    """Publication date; ``null`` when the text has no dateline (then ``published_note``)."""
    published_note: Text | None = Field(default=None, validate_default=True)
    """Why the publication date is unknown or how it was worked out."""
    url: Url | None = None
    """The address of the text, only if the text itself gives one."""
    document: DocumentName
    """File name of the text in the corpus directory."""
    sha256: Sha256
    """SHA-256 of that file, so a changed text is noticed."""

    @field_validator("published_note")
    @classmethod
    def _dateline(cls, note: str | None, info: ValidationInfo) -> str | None:
        if note is None and "published" in info.data and info.data["published"] is None:
            raise PydanticCustomError(
                "dossier.missing-field",
                "published is null: add published_note saying why there is no date",
            )
        return note

    def required_supports(self) -> Iterator[tuple[str, Loc]]:
        if self.published is not None:
            yield "published", ("published",)
        if self.publisher.basis != "unknown":
            yield "publisher", ("publisher",)
        for name in ("author", "via", "url"):
            if getattr(self, name) is not None:
                yield name, (name,)


class Role(_Strict):
    """An observation that an actor held a title on a date (not a tenure)."""

    title: Text
    """The title as the source gives it (e.g. Foreign Minister)."""
    organization: Id | None = None
    """Id of the actor (state or organization) the title belongs to."""
    observed: PartialDate
    """The date of the source that gives the title."""
    claims: list[Id] = Field(min_length=1)
    """Ids of claims in this record that back the role."""


class Actor(Record):
    """A state, organization or person."""

    record_kind: ClassVar[RecordKind] = "actor"
    supportable: ClassVar[frozenset[str]] = frozenset({"name", "kind", "aliases", "parent"})

    name: Text
    """The usual name."""
    kind: Literal["state", "organization", "person"]
    """``state``, ``organization`` or ``person``."""
    aliases: list[Text] = Field(default_factory=list)
    """Other names the sources use."""
    parent: Id | None = None
    """Id of the actor this one belongs to (a ministry belongs to a state)."""
    roles: list[Role] = Field(default_factory=list)
    """Titles the sources give this actor, each observed on a date."""

    @property
    def title(self) -> str:
        return self.name

    def required_supports(self) -> Iterator[tuple[str, Loc]]:
        if self.parent is not None:
            yield "parent", ("parent",)

    def references(self) -> list[Reference]:
        refs = super().references()
        if self.parent is not None:
            refs.append((("parent",), self.parent, "actor"))
        for i, role in enumerate(self.roles):
            if role.organization is not None:
                refs.append((("roles", i, "organization"), role.organization, "actor"))
        return refs


class Agreement(Record):
    """An agreement or arrangement; its lifecycle comes from the events that reference it."""

    record_kind: ClassVar[RecordKind] = "agreement"
    supportable: ClassVar[frozenset[str]] = frozenset({"name", "short_name", "kind", "parties"})

    name: Text
    """The full name."""
    short_name: Text | None = None
    """The short name (e.g. GSOMIA); shown as the title when given."""
    kind: Text
    """What sort of agreement it is, in our words."""
    parties: list[Id] = Field(min_length=1)
    """Ids of the actors that are party to it."""

    @property
    def title(self) -> str:
        return self.short_name or self.name

    def required_supports(self) -> Iterator[tuple[str, Loc]]:
        yield "parties", ("parties",)

    def references(self) -> list[Reference]:
        refs = super().references()
        refs.extend((("parties", i), p, "actor") for i, p in enumerate(self.parties))
        return refs


class Event(Record):
    """Something that happened, was planned, or was reported, on a date."""

    record_kind: ClassVar[RecordKind] = "event"
    supportable: ClassVar[frozenset[str]] = frozenset(
        {"title", "date", "until", "status", "actors", "agreements", "location", "after"}
    )

    title: Text
    """A short title in our words."""
    date: PartialDate
    """When it happened (or is planned); the start of a multi-day event."""
    until: PartialDate | None = None
    """The end of a multi-day event."""
    status: Literal["occurred", "planned", "reported"]
    """``occurred``, ``planned`` (announced or expected for the date) or ``reported``
    (reported as having happened, date uncertain). ``occurred`` needs a source
    published on or after the date."""
    actors: list[Id] = Field(default_factory=list)
    """Ids of the actors involved."""
    agreements: list[Id] = Field(default_factory=list)
    """Ids of the agreements concerned."""
    location: Text | None = None
    """Where it took place."""
    after: list[Id] = Field(default_factory=list)
    """Ids of events this one happened after, as a source states the order in words; used
    to order events whose dates are too vague to order them (e.g. several in one year)."""

    @field_validator("until")
    @classmethod
    def _ordered(cls, until: PartialDate | None, info: ValidationInfo) -> PartialDate | None:
        start = info.data.get("date")
        if until is not None and isinstance(start, PartialDate) and until.compare(start) < 0:
            raise PydanticCustomError(
                "dossier.date",
                "until ({until}) is before date ({date})",
                {"until": until.iso, "date": start.iso},
            )
        return until

    def required_supports(self) -> Iterator[tuple[str, Loc]]:
        yield "date", ("date",)
        if self.until is not None:
            yield "until", ("until",)
        if self.actors:
            yield "actors", ("actors",)
        if self.agreements:
            yield "agreements", ("agreements",)
        if self.location is not None:
            yield "location", ("location",)
        if self.after:
            yield "after", ("after",)

    def references(self) -> list[Reference]:
        refs = super().references()
        refs.extend((("actors", i), a, "actor") for i, a in enumerate(self.actors))
        refs.extend((("agreements", i), a, "agreement") for i, a in enumerate(self.agreements))
        refs.extend((("after", i), a, "event") for i, a in enumerate(self.after))
        return refs


def field_names(model: type[BaseModel]) -> list[str]:
    """The YAML keys ``model`` accepts."""
    return list(model.model_fields)


def submodel_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``loc`` inside ``model``, if known."""
    import typing

    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue  # list item: the annotation was already unwrapped
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(str(part))
        if info is None:
            return None
        current = _unwrap(info.annotation, typing)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any, typing: Any) -> Any:
    # list[X] -> X, X | None -> X, Annotated[X, ...] -> X
    while True:
        origin = typing.get_origin(annotation)
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if origin is None or not args:
            return annotation
        if origin is Annotated or origin is list or len(args) == 1:
            annotation = args[0]
        else:
            return annotation


# ---------------------------------------------------------------- field reference

#: The models of the parts of a record, by the name the docs use for them (the record
#: models themselves are in ``core.kinds``: ``DOCUMENTED_MODELS`` joins both).
PART_MODELS: dict[str, type[BaseModel]] = {
    "claim": Claim,
    "cite": Cite,
    "role": Role,
    "publisher": Publisher,
}


@dataclass(frozen=True, slots=True)
class FieldDoc:
    """One row of the field reference: what a YAML key holds and means."""

    name: str
    type: str
    required: bool
    description: str


def field_reference(model: type[BaseModel]) -> list[FieldDoc]:
    """The fields of ``model`` in declaration order, described from the model itself."""
    rows = []
    for name, info in model.model_fields.items():
        rows.append(
            FieldDoc(
                name=name,
                type=_type_text(info.annotation, list(info.metadata)),
                required=info.is_required(),
                description=" ".join((info.description or "").split()),
            )
        )
    return rows


def _type_text(annotation: Any, metadata: list[Any]) -> str:
    import typing

    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    nullable = type(None) in typing.get_args(annotation)
    if origin is Annotated:
        return _type_text(args[0], [*metadata, *args[1:]])
    validators = {getattr(m, "func", None) for m in metadata}
    if _check_id in validators:
        text = "id"
    elif _check_sha256 in validators:
        text = "sha256 hex digest"
    elif _check_url in validators:
        text = "URL"
    elif _check_document in validators:
        text = "file name"
    elif annotation is PartialDate:
        text = "date"
    elif annotation is str:
        text = "text"
    elif origin is Literal:
        text = "one of " + ", ".join(f"``{a}``" for a in typing.get_args(annotation))
    elif origin is list:
        inner = _type_text(args[0], [])
        text = f"list of {inner}s" if inner.endswith(("mapping", "id")) else f"list of {inner}"
    elif nullable and len(args) == 1:
        return f"{_type_text(args[0], metadata)} or null"
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        name = next((k for k, v in PART_MODELS.items() if v is annotation), "mapping")
        text = f"{name} mapping"
    else:
        text = getattr(annotation, "__name__", str(annotation))
    return text
