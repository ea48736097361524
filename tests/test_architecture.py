"""The package's shape: layers imported one way, no import cycle, one kinds registry.

These read the whole package (tests/package_scan.py), so a new module is covered
the moment it exists. docs/extension.md ("Architecture") explains the layers.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from typing import Literal, get_args

import pytest
from dossier_factory import Fixture
from package_scan import cycles, import_graph, modules
from sphinx_dossier.core import kinds
from sphinx_dossier.core.model import RecordKind

#: Layer -> the layers it may import (besides itself and the leaf _version module).
ALLOWED = {
    "core": {"core"},
    "outputs": {"outputs", "core"},
    "cli": {"cli", "outputs", "core"},
    "sphinx_ext": {"sphinx_ext", "outputs", "core"},
}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_the_package_has_no_import_cycle() -> None:
    graph = import_graph()
    assert len(graph) == len(modules()) > 40, "the scan found too few modules"
    assert cycles(graph) == []


def test_a_cycle_is_found_when_there_is_one() -> None:
    # The detector itself must not be a test that cannot fail.
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_layers_import_downwards_only() -> None:
    wrong = []
    for module, targets in import_graph().items():
        layer = _layer(module)
        if layer not in ALLOWED:
            continue  # the package root, __main__ and _version
        for target in targets:
            if target != "sphinx_dossier._version" and _layer(target) not in ALLOWED[layer]:
                wrong.append(f"{module} -> {target}")
    assert wrong == []


def test_only_the_sphinx_layer_imports_sphinx_or_docutils() -> None:
    wrong = []
    for module in modules():
        if _layer(module.name) == "sphinx_ext":
            continue
        for node in ast.walk(module.tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            wrong += [
                f"{module.name}: {name}"
                for name in names
                if name.split(".")[0] in ("sphinx", "docutils", "sphinx_design", "myst_parser")
            ]
    # The package root's setup() hands over to sphinx_ext; it names Sphinx for typing only.
    assert [w for w in wrong if not w.startswith("sphinx_dossier: sphinx.application")] == []


def test_no_module_uses_sphinx_design() -> None:
    """sphinx-design is the site's choice (the ``docs`` extra), not a need of the extension:
    its post-transforms walked every page of a build (5 % of a full build of 1,000
    records) for the one listing that had cards."""
    used = []
    for module in modules():
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            else:
                continue
            used += [f"{module.name}: {n}" for n in names if n.split(".")[0] == "sphinx_design"]
    assert used == []
    source = "".join(module.path.read_text(encoding="utf-8") for module in modules())
    assert 'setup_extension("sphinx_design")' not in source


@pytest.mark.parametrize(
    "command",
    [
        ["check", "{data}", "--corpus", "{corpus}"],
        ["show", "pact-kept-2019", "--data", "{data}"],
        ["export", "{data}", "--corpus", "{corpus}", "--out", "{out}", "--schema", "{out}.s"],
        ["schema", "--check", "--dir", "{schema}"],
        ["new", "event", "fresh-event", "--data", "{data}"],
    ],
    ids=lambda c: c[0],
)
def test_commands_run_without_sphinx_or_docutils(
    dossier: Fixture, command: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    out = tmp_path_factory.mktemp("out") / "dataset.json"
    schema_dir = tmp_path_factory.mktemp("schema")
    subprocess.run(
        [sys.executable, "-m", "sphinx_dossier", "schema", "--dir", str(schema_dir)], check=True
    )
    argv = [
        part.format(data=dossier.data, corpus=dossier.corpus, out=out, schema=schema_dir)
        for part in command
    ]
    probe = (
        "import sys\n"
        "from sphinx_dossier.cli import main\n"
        f"status = main({argv!r})\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'sphinx', 'docutils', 'sphinx_design', 'myst_parser'})\n"
        "print(status, heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "0 []", done.stdout


def test_the_kinds_registry_record_kind_and_the_domain_agree() -> None:
    from sphinx_dossier.cli.init import _RECORDS
    from sphinx_dossier.outputs.export import _OUT_MODELS, RecordOut
    from sphinx_dossier.sphinx_ext.domain import DossierDomain
    from sphinx_dossier.sphinx_ext.indices import INDICES
    from sphinx_dossier.sphinx_ext.render import FACT_RENDERERS

    names = set(kinds.KINDS)
    assert names == set(get_args(RecordKind))
    assert len(kinds.SPECS) == len(names)
    assert set(DossierDomain.object_types) == names | {"claim"}
    assert set(DossierDomain.roles) == names | {"claim", "record"}
    assert {index.kind for index in INDICES} == names
    assert [index.name for index in INDICES] == [kinds.FOLDERS[k] for k in kinds.DISPLAY_ORDER]
    assert set(FACT_RENDERERS) == names, "every kind needs a page renderer (@facts_for)"
    assert set(_OUT_MODELS) == names, "every kind needs an export shape"
    union = get_args(get_args(RecordOut)[0])
    assert {model.model_fields["kind"].annotation for model in union} == {
        Literal[k] for k in names
    }, "every export shape must be in the RecordOut union"
    assert set(_RECORDS) == names, "sphinx-dossier init writes one record of each kind"
    for spec in kinds.SPECS:
        assert spec.model.record_kind == spec.name
        assert spec.title_field in spec.model.model_fields
        assert kinds.DIRECTORY_KINDS[spec.folder] == spec.name
    assert sorted(s.display_order for s in kinds.SPECS) == list(range(len(names)))


def test_an_unknown_kind_is_named_in_the_error() -> None:
    with pytest.raises(KeyError, match="known: source, actor, agreement, event"):
        kinds.spec("treaty")


def test_every_view_is_computed_and_rendered_in_exactly_one_place() -> None:
    import sphinx_dossier.sphinx_ext.browse
    import sphinx_dossier.sphinx_ext.notes  # noqa: F401  (they register their views)
    from sphinx_dossier.core.layout import LISTINGS
    from sphinx_dossier.sphinx_ext.cite import CITE_VIEWS
    from sphinx_dossier.sphinx_ext.figures import FIGURE_VIEWS
    from sphinx_dossier.sphinx_ext.nodes import View
    from sphinx_dossier.sphinx_ext.transforms import RENDERERS
    from sphinx_dossier.sphinx_ext.views import COMPUTERS

    assert set(COMPUTERS) == set(RENDERERS), "a view computed but not rendered, or back"
    homes = [set(RENDERERS), set(FIGURE_VIEWS), set(CITE_VIEWS)]
    assert sum(len(home) for home in homes) == len(set().union(*homes)), "a view in two homes"
    assert set().union(*homes) == set(View)
    assert set(LISTINGS) <= set(RENDERERS)


def test_the_shared_leaves_and_the_domain_import_no_page_code() -> None:
    graph = import_graph()
    ext = "sphinx_dossier.sphinx_ext."
    leaves = {f"{ext}_shared", f"{ext}nodes", f"{ext}cache", f"{ext}buildctx", f"{ext}heap"}
    for leaf in (f"{ext}_shared", f"{ext}nodes", f"{ext}buildctx", f"{ext}heap"):
        assert {t for t in graph[leaf] if t.startswith(ext)} == set(), leaf
    assert {t for t in graph[f"{ext}cache"] if t.startswith(ext)} <= {f"{ext}_shared", f"{ext}heap"}
    # The domain is a sink: it uses the leaves only; everything else uses it.
    assert {t for t in graph[f"{ext}domain"] if t.startswith(ext)} <= leaves
