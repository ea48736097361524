"""Check a built sdist and wheel (``nox -s lint`` runs this on ``python -m build``'s output).

The wheel must carry everything the extension needs at run time (the modules, the
JSON Schema files, the static files, ``py.typed``, the licence), the sdist must ship
none of the test suite (the wheel is built from it, so it cannot miss a file), and
every ``package-data`` pattern must match a file.

Usage: ``python tests/packaging_check.py DIST_DIR``; exit 1 with one line per problem.
"""

from __future__ import annotations

import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "_ext" / "sphinx_dossier"
KINDS = ("actor", "agreement", "event", "source")


def problems(dist: Path) -> list[str]:
    found: list[str] = []
    wheels, sdists = list(dist.glob("*.whl")), list(dist.glob("*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        return [f"{dist}: expected one wheel and one sdist, found {wheels + sdists}"]
    wheel = set(zipfile.ZipFile(wheels[0]).namelist())
    wanted = {"sphinx_dossier/py.typed"}
    wanted |= {f"sphinx_dossier/schemas/{kind}.schema.json" for kind in KINDS}
    wanted |= {f"sphinx_dossier/static/{path.name}" for path in (PACKAGE / "static").iterdir()}
    wanted |= {f"sphinx_dossier/csl/{path.name}" for path in (PACKAGE / "csl").iterdir()}
    wanted.add("sphinx_dossier/schemas/dataset.schema.json")
    wanted |= {f"sphinx_dossier/{path.name}" for path in PACKAGE.glob("*.py")}
    found += [f"wheel: {name} is missing" for name in sorted(wanted - wheel)]
    if not any(name.endswith(".dist-info/licenses/LICENSE") for name in wheel):
        found.append("wheel: the LICENSE file is missing")
    with tarfile.open(sdists[0]) as sdist:
        members = [name.split("/", 1)[-1] for name in sdist.getnames()]
    found += [
        f"sdist: {name} ships part of the tests" for name in members if name.startswith("tests/")
    ]
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for package, patterns in config["tool"]["setuptools"]["package-data"].items():
        base = ROOT / "_ext" / package.replace(".", "/")
        found += [
            f"pyproject.toml: package-data pattern {package}:{pattern} matches nothing"
            for pattern in patterns
            if not list(base.glob(pattern))
        ]
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    found = problems(Path(argv[0]))
    for line in found:
        print(line)
    print(f"packaging: {len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
