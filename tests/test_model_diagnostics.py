"""Problems: the subtype catalogue, formatting and ordering."""

from __future__ import annotations

from pathlib import Path

from sphinx_dossier.core.diagnostics import WARNING_TYPE, Problem, Subtype, sort_problems


def test_every_subtype_has_its_own_description() -> None:
    descriptions = [s.description for s in Subtype]
    for subtype, text in zip(Subtype, descriptions, strict=True):
        assert text.endswith("."), f"{subtype}: {text!r}"
        assert text != subtype.value.replace("-", " ")
    assert len(set(descriptions)) == len(descriptions)


def test_subtype_values_are_lowercase_slugs() -> None:
    for subtype in Subtype:
        assert subtype.value == subtype.name.lower().replace("_", "-")
        assert str(subtype) == subtype.value


def test_problem_format() -> None:
    problem = Problem(Path("/p/data/events/x.yaml"), 3, Subtype.TIME, "too early")
    assert str(problem) == "/p/data/events/x.yaml:3: too early [dossier.time]"
    assert (
        problem.format(relative_to=Path("/p")) == "data/events/x.yaml:3: too early [dossier.time]"
    )
    # Outside the base directory the path stays absolute rather than climbing with "..".
    assert problem.format(relative_to=Path("/q")).startswith("/p/data/events/x.yaml:3:")
    assert problem.location == "/p/data/events/x.yaml:3"
    assert WARNING_TYPE == "dossier"
    info = Problem(Path("data"), None, Subtype.CORPUS_SKIPPED, "skipped", severity="info")
    assert str(info) == "data: note: skipped [dossier.corpus-skipped]"
    assert not info.is_error and problem.is_error


def test_problems_sort_by_file_then_line() -> None:
    a1 = Problem(Path("a.yaml"), 10, "x", "m")
    a2 = Problem(Path("a.yaml"), 2, "x", "m")
    b = Problem(Path("b.yaml"), 1, "x", "m")
    assert sort_problems([b, a1, a2]) == [a2, a1, b]
