"""Compare the content of built benchmark projects: words and links per page kind.

The benchmark's ratios only measure overhead if the three projects carry the same
content. This reads the HTML output of each project, takes the main content of every
page (furo's ``<article>``, without the navigation and sidebars), and sums its words and
links per page kind: records by kind (``event``, ``actor``, ``agreement``, ``source``),
each listing page (``listing:timeline`` ...), the domain indices (``index:events`` ...,
written as static pages by the baseline and peer) and the root page.

Usage: python benchmarks/compare_content.py BUILD_DIR [BUILD_DIR ...]
e.g.   python benchmarks/compare_content.py /tmp/g/build/ours /tmp/g/build/baseline

The first directory is the reference; the table gives each other project's ratio to it.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from collections import defaultdict
from pathlib import Path

KIND_DIRS = {"events": "event", "actors": "actor", "agreements": "agreement", "sources": "source"}
_ARTICLE = re.compile(r"<article\b[^>]*>(.*?)</article>", re.S)
_DROP = re.compile(r"<(script|style)\b.*?</\1>", re.S)
#: sphinx-dossier's "Cite" controls: generated citations in six formats, which the other
#: projects do not have; not content a reader came for, so not compared.
_CITE = re.compile(r'<div class="dossier-cite-holder[^>]*>.*?</div></details>\s*</div>', re.S)
_LINK = re.compile(r"<a\b([^>]*)>")
#: Links of a page to itself (heading and claim permalinks), not counted.
_SELF_LINKS = ("headerlink", "dossier-permalink", "dossier-claim-id")
_TAG = re.compile(r"<[^>]+>")
#: Tags inside a line of text: removed without a space, so "[<a>1</a>]" stays one word.
_INLINE = re.compile(r"</?(?:a|span|em|strong|code|sup|sub|abbr|b|i|tspan)\b[^>]*>")


def page_kind(relative: Path) -> str | None:
    """The kind of a page from its path in the output, or None for pages not compared."""
    parts = relative.parts
    if parts[0].startswith("_"):
        return None
    if len(parts) == 3 and parts[0] == "records" and parts[1] in KIND_DIRS:
        return KIND_DIRS[parts[1]]
    if len(parts) == 2 and parts[0] == "records":
        return f"listing:{relative.stem}"
    if len(parts) == 1 and relative.stem.startswith("dossier-"):
        return f"index:{relative.stem.removeprefix('dossier-')}"
    if parts == ("index.html",):
        return "root"
    return None


def measure(page_html: str) -> tuple[int, int]:
    """(words, links) of the main content of one page."""
    match = _ARTICLE.search(page_html)
    article = _CITE.sub(" ", _DROP.sub(" ", match.group(1) if match else ""))
    links = sum(
        1
        for attrs in _LINK.findall(article)
        if "href=" in attrs and not any(name in attrs for name in _SELF_LINKS)
    )
    words = len(html.unescape(_TAG.sub(" ", _INLINE.sub("", article))).split())
    return words, links


def measure_build(build: Path) -> dict[str, dict[str, int]]:
    """Per page kind: number of pages, words and links in their main content."""
    totals: dict[str, dict[str, int]] = defaultdict(lambda: {"pages": 0, "words": 0, "links": 0})
    for path in sorted(build.rglob("*.html")):
        kind = page_kind(path.relative_to(build))
        if kind is None:
            continue
        words, links = measure(path.read_text(encoding="utf-8"))
        entry = totals[kind]
        entry["pages"] += 1
        entry["words"] += words
        entry["links"] += links
    return dict(totals)


def ratios(
    reference: dict[str, dict[str, int]], other: dict[str, dict[str, int]]
) -> dict[str, dict[str, float]]:
    """other/reference per kind, for words and links (a kind missing from other gives 0)."""
    out: dict[str, dict[str, float]] = {}
    for kind, ref in reference.items():
        got = other.get(kind, {"words": 0, "links": 0})
        out[kind] = {
            key: (got[key] / ref[key] if ref[key] else float(got[key] == 0))
            for key in ("words", "links")
        }
    return out


def table(builds: dict[str, dict[str, dict[str, int]]]) -> str:
    """A text table: words and links per kind for each build, and ratios to the first."""
    names = list(builds)
    ref = builds[names[0]]
    kinds = sorted(set().union(*builds.values()))
    head = ["kind"] + [f"{n} pages/words/links" for n in names]
    head += [f"{n}/{names[0]} words,links" for n in names[1:]]
    rows = [head]
    for kind in kinds:
        row = [kind]
        for name in names:
            e = builds[name].get(kind, {"pages": 0, "words": 0, "links": 0})
            row.append(f"{e['pages']}/{e['words']}/{e['links']}")
        for name in names[1:]:
            if kind in ref:
                r = ratios({kind: ref[kind]}, builds[name])[kind]
                row.append(f"{r['words']:.2f}, {r['links']:.2f}")
            else:
                row.append("-")
        rows.append(row)
    total = ["TOTAL"]
    for name in names:
        words = sum(e["words"] for e in builds[name].values())
        links = sum(e["links"] for e in builds[name].values())
        total.append(f"{sum(e['pages'] for e in builds[name].values())}/{words}/{links}")
    rows.append(total)
    widths = [max(len(r[i]) if i < len(r) else 0 for r in rows) for i in range(len(head))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)) for r in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("builds", nargs="+", type=Path, help="HTML output folders; first = ref")
    args = parser.parse_args(argv)
    builds = {}
    for build in args.builds:
        if not (build / "index.html").is_file():
            print(f"{build}: no index.html; build the project first", file=sys.stderr)
            return 2
        builds[build.name] = measure_build(build)
    print(table(builds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
