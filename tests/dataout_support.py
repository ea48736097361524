"""A test root for the data outputs: the small dossier root plus records of every shape.

It adds a year-only event, a month-only planned event, a government organization
(parent: a state) and a plain organization, and the ``dossier:data-files`` list and
``dossier:subtypes`` table on the home page. The extra records reuse quotes of the
root's invented corpus.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from sphinx_support import copy_root

EXTRA: dict[str, str] = {
    "events/talks-era-2019.yaml": """\
        id: talks-era-2019
        title: Harbour talks in 2019
        date: 2019
        status: reported
        claims:
          - id: year
            text: Talks on the {dossier:agreement}`harbour-treaty` were under way in 2019.
            supports: [date]
            cites:
              - source: gazette-2020-01-05
                quote: "it will resume talks with Southland on the harbour treaty."
        """,
    "events/signing-planned-2020.yaml": """\
        id: signing-planned-2020
        title: Signing planned for February 2020
        date: 2020-02
        until: 2020-03
        status: planned
        claims:
          - id: plan
            text: A signing was planned for February 2020.
            supports: [date, until]
            cites:
              - source: gazette-2020-01-05
                quote: "A signing is planned for February 2020, officials said."
        """,
    "actors/northland-foreign-ministry.yaml": """\
        id: northland-foreign-ministry
        name: Northland foreign ministry
        kind: organization
        parent: northland
        claims:
          - id: ministry
            text: The foreign minister speaks for {dossier:actor}`northland`.
            supports: [parent]
            cites:
              - source: gazette-2020-01-05
                quote: "Foreign Minister Ann Minister told reporters"
        """,
    "actors/harbour-press.yaml": """\
        id: harbour-press
        name: Harbour press
        kind: organization
        claims: []
        """,
}

#: Record id -> the schema.org type its page must declare.
EXPECTED_TYPES = {
    "signing-2020": "Event",
    "talks-resume-2020": "Event",
    "talks-era-2019": "Event",
    "signing-planned-2020": "Event",
    "northland": "Country",
    "southland": "Country",
    "ann-minister": "Person",
    "northland-foreign-ministry": "GovernmentOrganization",
    "harbour-press": "Organization",
    "harbour-treaty": "Legislation",
    "gazette-2020-01-05": "NewsArticle",
    "courier-2020-03-03": "NewsArticle",
}


HOME_ADDITIONS = """
## Data

```{dossier:data-files}
```

## Subtypes

```{dossier:subtypes}
```
"""


def make_dataout_root(dest: Path) -> Path:
    """Copy the dossier root to ``dest`` and add the extra records and the data-files list."""
    root = copy_root("dossier", dest)
    for relative, body in EXTRA.items():
        path = root / "data" / relative
        kind = path.parent.name.rstrip("s")
        header = f"# yaml-language-server: $schema=../../schema/{kind}.schema.json\n"
        path.write_text(header + textwrap.dedent(body), encoding="utf-8")
    index = root / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8") + HOME_ADDITIONS,
        encoding="utf-8",
    )
    return root
