"""Every citation as a W3C Web Annotation (``annotations.jsonld``).

One annotation per citation, in the W3C Web Annotation Data Model
(https://www.w3.org/TR/annotation-model/): the claim is the body (a ``TextualBody``
whose ``id`` is the claim on its record page), the cited source is the target, and
the target's selectors say where in the source text the quote is: a
``TextQuoteSelector`` (``exact``, ``prefix``, ``suffix``) and a
``TextPositionSelector`` (``start``, ``end``, in Unicode code points of the corpus
text, as the model defines them). The target's ``state`` names the text the
selectors were computed on by its SHA-256 (an RFC 6920 ``ni:`` URI), so a tool can
tell whether the text it holds is that text before trusting the offsets, and can
re-find a quote by its prefix and suffix when it is not.

Positions need the corpus. Without it (or for a source whose text is missing) an
annotation keeps the ``TextQuoteSelector`` with the quote as written and no position.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from sphinx_dossier.core.corpus import normalise
from sphinx_dossier.core.kinds import KINDS
from sphinx_dossier.core.model import Source
from sphinx_dossier.core.text import citations, cite_anchor, display_title, plain_claim_text
from sphinx_dossier.outputs.export import RecordParts, splice
from sphinx_dossier.outputs.files import ANNOTATIONS_FILE
from sphinx_dossier.outputs.license import content_version

if TYPE_CHECKING:
    from sphinx_dossier.core.corpus import Corpus
    from sphinx_dossier.core.dataset import Dataset, LoadedRecord
    from sphinx_dossier.outputs.export import PageUrls
    from sphinx_dossier.outputs.license import License

__all__ = [
    "ANNOTATIONS_FILE",
    "ANNO_CONTEXT",
    "CONTEXT_CHARS",
    "Located",
    "Locator",
    "annotations_json",
    "build_annotations",
    "locate",
    "ni_uri",
    "record_annotations",
]

ANNO_CONTEXT: Final = "http://www.w3.org/ns/anno.jsonld"
#: Characters of source text kept before and after a quote (``prefix``, ``suffix``):
#: enough to tell two occurrences apart, short enough to stay a quotation.
CONTEXT_CHARS: Final = 32


@dataclass(frozen=True, slots=True)
class Located:
    """A quote found in a text: ``text[start:end] == exact``."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str

    def __reduce__(self) -> tuple[Any, ...]:
        # Positional: the build keeps every position found (a cache of thousands), and the
        # dataclass default for frozen slots classes looks each field up per object.
        return (Located, (self.start, self.end, self.exact, self.prefix, self.suffix))


def _normalised_with_offsets(text: str) -> tuple[str, list[int]]:
    """``text`` reduced as :func:`sphinx_dossier.core.corpus.normalise` reduces it, and
    for each character of the result the offset of the character it came from."""
    out: list[str] = []
    where: list[int] = []
    space = True  # drop leading whitespace, as normalise does
    for index, char in enumerate(text):
        if char.isspace():
            if not space:
                out.append(" ")
                where.append(index)
                space = True
            continue
        # Per character, so each result character knows its origin; invisible ones vanish.
        reduced = char if char.isascii() else normalise(char)
        for piece in reduced:
            if piece == " ":
                if space:
                    continue
                space = True
            else:
                space = False
            out.append(piece)
            where.append(index)
    return "".join(out), where


class Locator:
    """One text, normalised once, in which quotes are located (a source is quoted by many
    claims: normalising its text per quote made the annotations quadratic)."""

    __slots__ = ("_reduced", "_where", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._reduced, self._where = _normalised_with_offsets(text)

    def find(self, quote: str, *, context: int = CONTEXT_CHARS) -> Located | None:
        """Where ``quote`` is, matched as the quote check matches (curly and straight
        quotes, dashes and runs of whitespace alike); None if it is not there."""
        needle = normalise(quote)
        if not needle:
            return None
        at = self._reduced.find(needle)
        if at < 0:
            return None
        text, where = self.text, self._where
        start = where[at]
        end = where[at + len(needle) - 1] + 1
        return Located(
            start=start,
            end=end,
            exact=text[start:end],
            prefix=text[max(0, start - context) : start],
            suffix=text[end : end + context],
        )


def locate(text: str, quote: str, *, context: int = CONTEXT_CHARS) -> Located | None:
    """Where ``quote`` is in ``text`` (see :meth:`Locator.find`; for one quote)."""
    return Locator(text).find(quote, context=context)


def ni_uri(sha256_hex: str) -> str:
    """The RFC 6920 named-information URI of a SHA-256 digest (``ni:///sha-256;...``)."""
    raw = bytes.fromhex(sha256_hex)
    return "ni:///sha-256;" + base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


class SourceDocument:
    """A source's corpus text as the annotations need it: its digest, and a
    :class:`Locator` of its text, made when a quote is first looked for in it."""

    __slots__ = ("_locator", "path", "sha256")

    def __init__(self, path: Path, sha256: str) -> None:
        self.path = path
        self.sha256 = sha256
        self._locator: Locator | None = None

    def locator(self) -> Locator | None:
        """None when the file cannot be read any more."""
        if self._locator is None:
            try:
                raw = self.path.read_bytes()
            except OSError:
                return None
            self._locator = Locator(raw.decode("utf-8", errors="replace"))
        return self._locator


#: ``source id -> its corpus document``, or None when it has none that can be read.
SourceText = Callable[[str], "SourceDocument | None"]

#: ``(document sha256, quote) -> where the quote is``: kept between builds, so that an
#: edit locates its own quotes only.
LocatedCache = MutableMapping[tuple[str, str], "Located | None"]


def corpus_texts(dataset: Dataset, corpus: Corpus | None) -> SourceText:
    """The corpus document of each source (decoded as the quote check decodes it)."""
    cache: dict[str, SourceDocument | None] = {}

    def text_of(source_id: str) -> SourceDocument | None:
        if source_id in cache:
            return cache[source_id]
        found: SourceDocument | None = None
        loaded = dataset.records.get(source_id)
        if corpus is not None and loaded is not None and loaded.kind == "source":
            document = corpus.document(loaded.record_as(Source).document)
            if document is not None:
                found = SourceDocument(document.path, document.sha256)
        cache[source_id] = found
        return found

    return text_of


def build_annotations(
    dataset: Dataset,
    urls: PageUrls,
    *,
    corpus: Corpus | None = None,
    license: License | None = None,
    label: str = "Citations",
    located: LocatedCache | None = None,
) -> dict[str, Any]:
    """An ``AnnotationCollection`` of every citation of every valid record.

    ``corpus`` defaults to the corpus the dataset was checked against, if any (with the
    texts the check read). ``located`` keeps where each quote was found in each text.
    """
    text_of = corpus_texts(dataset, _corpus_of(dataset, corpus))
    where: LocatedCache = {} if located is None else located
    items: list[dict[str, Any]] = []
    for kind in KINDS:
        for loaded in dataset.by_kind(kind):
            items.extend(record_annotations(loaded, dataset, urls, text_of, where, license))
    collection = _collection_head(len(items), label, content_version(dataset), license)
    collection["first"]["items"] = items
    return collection


def annotations_json(
    dataset: Dataset,
    urls: PageUrls,
    parts: RecordParts[list[str]],
    *,
    corpus: Corpus | None = None,
    license: License | None = None,
    label: str = "Citations",
    located: LocatedCache | None = None,
    version: str | None = None,
) -> str:
    """``dumps(build_annotations(...), compact=True)``, with each record's annotations (as
    JSON texts) kept in ``parts``. The parts depend on the corpus texts and the licence
    too: ``parts`` must come from a build with the same corpus and settings."""
    text_of = corpus_texts(dataset, _corpus_of(dataset, corpus))
    where: LocatedCache = {} if located is None else located

    def make(loaded: LoadedRecord, ds: Dataset) -> list[str]:
        return [
            json.dumps(item, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
            for item in record_annotations(loaded, ds, urls, text_of, where, license)
        ]

    texts: list[str] = []
    for kind in KINDS:
        for loaded in dataset.by_kind(kind):
            texts.extend(parts.get(loaded, make))
    head = _collection_head(
        len(texts), label, version if version is not None else content_version(dataset), license
    )
    page = head.pop("first")
    first = splice(page, "items", texts).rstrip("\n")
    outer = json.dumps(head, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    # "first" sorts between "dossier:content_version" and "label": put it back there.
    at = outer.index(',"label":')
    return f'{outer[:at]},"first":{first}{outer[at:]}\n'


def _corpus_of(dataset: Dataset, corpus: Corpus | None) -> Corpus | None:
    if corpus is None and dataset.corpus.directory is not None:
        from sphinx_dossier.core.corpus import Corpus

        if dataset.corpus.directory.is_dir():
            return Corpus(dataset.corpus.directory, known=dataset.corpus_documents)
    return corpus


def _collection_head(
    total: int, label: str, version: str, license: License | None
) -> dict[str, Any]:
    collection: dict[str, Any] = {
        "@context": ANNO_CONTEXT,
        "type": "AnnotationCollection",
        "label": label,
        "total": total,
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": []},
    }
    # The version of the data the annotations were made from (not a term of the
    # model's context, so a JSON-LD processor drops it; plain JSON readers keep it).
    collection["dossier:content_version"] = version
    if license is not None and license.url is not None:
        collection["rights"] = license.url
    return collection


def record_annotations(
    loaded: LoadedRecord,
    dataset: Dataset,
    urls: PageUrls,
    text_of: SourceText,
    where: LocatedCache,
    license: License | None,
) -> list[dict[str, Any]]:
    """The annotations of one record's citations, in their order."""
    items: list[dict[str, Any]] = []
    page = urls(loaded.id)
    numbers = {(ci, si): n for ci, si, n in citations(loaded)}
    for ci, claim in enumerate(loaded.record.claims):
        body: dict[str, Any] = {
            "type": "TextualBody",
            "format": "text/plain",
            "purpose": "describing",
            "value": plain_claim_text(claim.text, dataset),
        }
        if page is not None:
            body["id"] = f"{page}#{claim.id}"
        for si, cite in enumerate(claim.cites):
            number = numbers[ci, si]
            items.append(
                _annotation(
                    f"{loaded.id}#{cite_anchor(number)}",
                    f"{page}#{cite_anchor(number)}" if page is not None else None,
                    body,
                    cite.source,
                    cite.quote,
                    dataset,
                    urls,
                    text_of,
                    where,
                    license,
                )
            )
    return items


def _annotation(
    name: str,
    iri: str | None,
    body: dict[str, Any],
    source_id: str,
    quote: str,
    dataset: Dataset,
    urls: PageUrls,
    text_of: SourceText,
    where: LocatedCache,
    license: License | None,
) -> dict[str, Any]:
    source = dataset.records.get(source_id)
    target: dict[str, Any] = {"type": "SpecificResource"}
    original = None
    if source is not None and source.kind == "source":
        record = source.record_as(Source)
        original = str(record.url) if record.url else None
        page = urls(source_id)
        # The article's own address when it has one, else its record page.
        target["source"] = original or page or source_id
        if original is not None and page is not None:
            target["scope"] = page
        target["dossier:source"] = source_id
        target["dossier:source_title"] = display_title(source)
    else:
        target["source"] = source_id
    selectors: list[dict[str, Any]] = []
    found = text_of(source_id)
    located: Located | None = None
    if found is not None:
        key = (found.sha256, quote)
        if key in where:
            located = where[key]
        else:
            locator = found.locator()
            if locator is not None:
                located = where[key] = locator.find(quote)
    if found is not None and located is not None:
        selectors.append(
            {
                "type": "TextQuoteSelector",
                "exact": located.exact,
                "prefix": located.prefix,
                "suffix": located.suffix,
            }
        )
        selectors.append(
            {"type": "TextPositionSelector", "start": located.start, "end": located.end}
        )
        target["state"] = {"id": ni_uri(found.sha256)}
    else:
        selectors.append({"type": "TextQuoteSelector", "exact": quote})
        if source is not None and source.kind == "source":
            target["state"] = {"id": ni_uri(source.record_as(Source).sha256)}
    target["selector"] = selectors
    annotation: dict[str, Any] = {
        "id": iri or name,
        "type": "Annotation",
        "motivation": "describing",
        "body": body,
        "target": target,
    }
    if license is not None and license.url is not None:
        annotation["rights"] = license.url
    return annotation
