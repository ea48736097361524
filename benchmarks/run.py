"""Benchmark runner: our extension against plain Sphinx (baseline) and sphinx-needs (peer).

For each size N it generates the three projects from one seeded dataset and
measures, as the median of ``--repeat`` runs: the full build (``-j 1`` and
``-j 2``) with its wall time and peak memory, the rebuild after editing one
record, the no-op rebuild, and ``python -m sphinx_dossier check`` with the
corpus. It prints a table with the ratios ours/baseline and ours/peer and the
verdict on each target, and writes ``results.json`` and ``bench.png`` to the
results folder (merging with sizes measured by earlier runs).

Quick mode: ``python benchmarks/run.py --sizes 200 --repeat 1``.
Every build runs in a fresh subprocess, so peak memory is that build's own.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib
import importlib.util
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (sibling module, benchmarks/ is not a package)
import projects  # noqa: E402

DEFAULT_SIZES = (200, 1000, 5000)
METRICS = ("full_j1", "full_j2", "edit", "noop", "edit_usual_exit")
#: Relative path (from the size folder) of the file each project edits for the edit rebuild.
EDIT_FILES = {
    "ours": "data/events/event-00001.yaml",
    "baseline": "baseline/records/events/event-00001.rst",
    "peer": "peer/records/events/event-00001.rst",
}
_MARK = re.compile(r"editmark\d+")

# Runs one command as its child and reports its wall time and the peak RSS of the
# largest process of its tree (RUSAGE_CHILDREN covers every waited-for descendant).
_WRAPPER = r"""
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - t0
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "maxrss_kb": usage.ru_maxrss, "rc": proc.returncode,
                  "cpu": usage.ru_utime + usage.ru_stime,
                  "stderr": proc.stderr[-20000:], "stdout": proc.stdout[-4000:]}))
"""


def log(msg: str) -> None:
    stamp = dt.datetime.now(dt.UTC).strftime("%H:%M:%S")
    print(f"[{stamp}] {msg}", file=sys.stderr, flush=True)


def measure(cmd: Sequence[str], cwd: Path) -> dict[str, Any]:
    """Run ``cmd`` in a fresh wrapper process; wall time, peak RSS, sampled tree RSS."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRAPPER, *cmd], cwd=cwd, stdout=subprocess.PIPE, text=True
    )
    tree_peak = _poll_tree_rss(proc.pid, proc)
    out, _ = proc.communicate()
    result: dict[str, Any] = json.loads(out)
    result["tree_rss_mb"] = tree_peak / 2**20 if tree_peak else None
    result["warnings"] = len(re.findall(r"WARNING|ERROR", result["stderr"]))
    return result


def _poll_tree_rss(pid: int, proc: subprocess.Popen[str]) -> int:
    """Peak summed RSS of the build's process tree, sampled every 50 ms (needs psutil)."""
    try:
        import psutil
    except ImportError:
        return 0
    peak = 0
    try:
        root = psutil.Process(pid)
    except psutil.Error:
        return 0
    while proc.poll() is None:
        total = 0
        try:
            for p in root.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    total += p.memory_info().rss
        except psutil.Error:
            break
        peak = max(peak, total)
        time.sleep(0.05)
    return peak


def sphinx_cmd(src: Path, build: Path, jobs: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "sphinx",
        "-q",
        "-b",
        "html",
        "-j",
        str(jobs),
        "-d",
        str(build / "doctrees"),
        str(src),
        str(build / "html"),
    ]


def check_cmd(size_dir: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "sphinx_dossier",
        "check",
        "--corpus",
        str(size_dir / "corpus"),
        str(size_dir / "data"),
    ]


def available(project: str) -> str | None:
    """None when ``project`` can be built here, else why not."""
    module = {"ours": "sphinx_dossier", "baseline": "sphinx", "peer": "sphinx_needs"}[project]
    if importlib.util.find_spec(module) is None:
        return f"{module} is not installed (nox -s bench installs it)"
    try:
        loaded = importlib.import_module(module)
    except Exception as exc:  # a half-written extension must not stop the other projects
        return f"{module} does not import: {exc}"
    if project != "baseline" and not hasattr(loaded, "setup"):
        return f"{module} has no Sphinx setup() yet"
    return None


def bump_edit(path: Path, serial: int) -> None:
    """Rewrite the edit marker in one record (a text-only change with no effect on other pages)."""
    text = path.read_text(encoding="utf-8")
    new = _MARK.sub(f"editmark{serial}", text)
    if new == text:
        raise SystemExit(f"edit marker not found in {path}")
    path.write_text(new, encoding="utf-8")


def _run_ok(res: dict[str, Any], what: str) -> None:
    if res["rc"] != 0:
        log(f"FAILED {what} (exit {res['rc']}):\n{res['stderr'][-3000:]}")
        raise SystemExit(1)
    if res["warnings"]:
        log(f"note: {what} printed {res['warnings']} warning(s): {res['stderr'][:500]}")


def size_key(n: int, shape: str) -> str:
    """Where a size's results go: ``"1000"``, or ``"1000-hub"`` for a skewed shape."""
    return str(n) if shape == "uniform" else f"{n}-{shape}"


def bench_size(
    n: int,
    work: Path,
    names: list[str],
    repeat: int,
    seed: int,
    jobs: Sequence[int],
    builds: bool = True,
    edit_repeat: int = 1,
    edit_only: bool = False,
    shape: str = "uniform",
) -> dict[str, Any]:
    """Measure one size; ``builds=False`` measures ``check`` alone.

    ``shape`` other than ``uniform`` makes one record skewed (``generate.SHAPES``); its
    results go under ``"<n>-<shape>"``.

    ``edit_only`` measures the edit and no-op rebuilds alone, on the builds an earlier
    run left in ``work`` (after one unmeasured build that brings them up to date with
    the current code): for re-measuring rebuilds after a change without hours of
    full builds.
    """
    size_dir = work / size_key(n, shape)
    if edit_only:
        return _edit_only(n, size_dir, names, repeat)
    log(f"N={n}: generating into {size_dir}")
    syn = generate.generate(n, seed, shape)
    projects.write_projects(syn, size_dir, ["data", *(names if builds else [])])
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {p: {} for p in names}
    serial = 0
    for rep in range(repeat if builds else 0):
        for name in names:  # interleaved, so that machine noise hits all three alike
            src, build = size_dir / name, size_dir / "build" / name
            for j in jobs:
                shutil.rmtree(build, ignore_errors=True)
                res = measure(sphinx_cmd(src, build, j), size_dir)
                _run_ok(res, f"{name} N={n} full -j {j}")
                runs[name].setdefault(f"full_j{j}", []).append(res)
                log(
                    f"N={n} rep {rep + 1} {name}: full -j {j} {res['wall']:.1f}s "
                    f"{res['maxrss_kb'] / 1024:.0f} MB"
                )
        # The last full build was -j jobs[-1]; edits are built with -j 1, alternating
        # between the projects edit by edit: the machine's speed drifts by a fifth within
        # minutes, and ratios of edits a few seconds apart are the ones that compare.
        for _ in range(edit_repeat):
            serial += 1
            for name in names:
                _measure_rebuilds(n, size_dir, name, serial, runs[name], f"rep {rep + 1}")
        # A long run stopped early still leaves what it measured.
        partial = {p: summarise(r) for p, r in runs.items() if r}
        (size_dir / "partial.json").write_text(json.dumps(partial, indent=1), encoding="utf-8")
    for name in names if builds else []:
        _restore_marker(size_dir / EDIT_FILES[name])
    result: dict[str, Any] = {p: summarise(r) for p, r in runs.items()}
    if "ours" in names:
        # Cold: every file parsed and checked (--no-cache). Warm: the same command with
        # its cache after one uncounted run, nothing changed (the pre-commit case).
        cache = ["--cache-dir", str(size_dir / "check-cache")]
        shutil.rmtree(size_dir / "check-cache", ignore_errors=True)
        for metric, extra in (("check", ["--no-cache"]), ("check_warm", cache)):
            if metric == "check_warm":
                measure([*check_cmd(size_dir), *extra], size_dir)
            checks = [
                measure([*check_cmd(size_dir), *extra], size_dir) for _ in range(max(repeat, 3))
            ]
            for c in checks:
                if c["rc"] != 0:
                    log(
                        f"{metric} N={n} exit {c['rc']}: {c['stdout'][-1500:]}{c['stderr'][-1500:]}"
                    )
            result["ours"][metric] = {
                "median": statistics.median(c["wall"] for c in checks),
                "runs": [c["wall"] for c in checks],
                "cpu": statistics.median(c["cpu"] for c in checks),
                "exit": [c["rc"] for c in checks],
            }
            log(f"N={n} {metric} {result['ours'][metric]['median']:.2f}s")
    return result


def _measure_rebuilds(
    n: int, size_dir: Path, name: str, serial: int, runs: dict[str, list[dict[str, Any]]], rep: str
) -> None:
    """One edit rebuild (edit marker set to ``serial``) and the no-op rebuild after it."""
    src, build = size_dir / name, size_dir / "build" / name
    bump_edit(size_dir / EDIT_FILES[name], serial)
    res = measure(sphinx_cmd(src, build, 1), size_dir)
    _run_ok(res, f"{name} N={n} edit rebuild")
    runs.setdefault("edit", []).append(res)
    res2 = measure(sphinx_cmd(src, build, 1), size_dir)
    _run_ok(res2, f"{name} N={n} no-op rebuild")
    runs.setdefault("noop", []).append(res2)
    log(f"N={n} {rep} {name}: edit {res['wall']:.1f}s, no-op {res2['wall']:.1f}s")
    if name == "ours":
        # The same edit with Python's usual exit (dossier_fast_exit = False): what the
        # rebuild costs without the exit shortcut, which plain Sphinx does not take.
        bump_edit(size_dir / EDIT_FILES[name], serial + 100_000)
        cmd = sphinx_cmd(src, build, 1)
        res3 = measure([*cmd[:-2], "-D", "dossier_fast_exit=0", *cmd[-2:]], size_dir)
        _run_ok(res3, f"{name} N={n} edit rebuild, usual exit")
        runs.setdefault("edit_usual_exit", []).append(res3)
        log(f"N={n} {rep} {name}: edit with the usual exit {res3['wall']:.1f}s")


def _edit_only(n: int, size_dir: Path, names: list[str], repeat: int) -> dict[str, Any]:
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {p: {} for p in names}
    for name in names:
        src, build = size_dir / name, size_dir / "build" / name
        if not (build / "html").is_dir() or not (build / "doctrees").is_dir():
            raise SystemExit(f"--edit-only: no earlier build of {name} in {build}")
        res = measure(sphinx_cmd(src, build, 1), size_dir)
        _run_ok(res, f"{name} N={n} catch-up build")
        log(f"N={n} {name}: catch-up build {res['wall']:.1f}s (not counted)")
    serial = 1000
    for rep in range(repeat):
        for name in names:
            serial += 1
            _measure_rebuilds(n, size_dir, name, serial, runs[name], f"rep {rep + 1}")
    for name in names:
        _restore_marker(size_dir / EDIT_FILES[name])
    return {p: summarise(r) for p, r in runs.items()}


def _restore_marker(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(_MARK.sub("editmark0", text), encoding="utf-8")


def summarise(runs: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for metric, rs in runs.items():
        out[metric] = {
            "median": statistics.median(r["wall"] for r in rs),
            "runs": [round(r["wall"], 3) for r in rs],
            "min": min(r["wall"] for r in rs),
            # CPU seconds of the whole tree: less sensitive than wall time to other
            # work on the machine (but counts -j 2 workers' time twice).
            "cpu": statistics.median(r["cpu"] for r in rs),
            "peak_rss_mb": statistics.median(r["maxrss_kb"] / 1024 for r in rs),
            "tree_rss_mb": (
                statistics.median(r["tree_rss_mb"] for r in rs)
                if all(r["tree_rss_mb"] for r in rs)
                else None
            ),
            "warnings": max(r["warnings"] for r in rs),
        }
    return out


# -- targets and table -------------------------------------------------------------------
def _get(
    sizes: dict[str, Any], n: int | str, project: str, metric: str, key: str = "median"
) -> Any:
    try:
        return sizes[str(n)][project][metric][key]
    except (KeyError, TypeError):
        return None


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def verdicts(sizes: dict[str, Any]) -> list[dict[str, Any]]:
    """Every target of the issue, evaluated on whatever sizes were measured.

    Time targets are judged on wall time, as the issue states them; ``cpu``
    gives the same ratio in CPU seconds, which other load on the machine
    disturbs less.
    """
    out: list[dict[str, Any]] = []

    def add(
        target: str, value: float | None, limit: float, unit: str = "x", cpu: float | None = None
    ) -> None:
        verdict = "not measured" if value is None else ("PASS" if value <= limit else "FAIL")
        out.append(
            {
                "target": target,
                "value": value,
                "cpu": cpu,
                "limit": limit,
                "unit": unit,
                "verdict": verdict,
            }
        )

    def ratio(a: tuple[int, str, str], b: tuple[int, str, str], key: str) -> float | None:
        return _ratio(_get(sizes, *a, key), _get(sizes, *b, key))

    def time_target(target: str, a: tuple[int, str, str], b: tuple[int, str, str], lim: float):
        add(target, ratio(a, b, "median"), lim, cpu=ratio(a, b, "cpu"))

    for n in (1000, 5000):
        for j in (1, 2):
            # The issue states the targets without -j; -j 2 is judged where it was measured.
            full = f"full_j{j}"
            if j == 2 and _get(sizes, n, "ours", full) is None:
                continue
            ours = (n, "ours", full)
            time_target(
                f"full build -j{j} ours/baseline at N={n}", ours, (n, "baseline", full), 0.6
            )
            time_target(f"full build -j{j} ours/peer at N={n}", ours, (n, "peer", full), 0.7)
    time_target(
        "growth time(5000)/time(1000), ours -j1",
        (5000, "ours", "full_j1"),
        (1000, "ours", "full_j1"),
        5.5,
    )
    _mark_other_commit(out[-1], sizes, "5000", "1000")
    for n in (1000, 5000):
        # The target is the edit with Python's usual exit; the exit shortcut is shown beside.
        time_target(
            f"edit rebuild, usual exit, ours/baseline at N={n}",
            (n, "ours", "edit_usual_exit"),
            (n, "baseline", "edit"),
            1.15,
        )
        time_target(
            f"edit rebuild, fast exit, ours/baseline at N={n}",
            (n, "ours", "edit"),
            (n, "baseline", "edit"),
            1.15,
        )
        out[-1]["verdict"] = "info" if out[-1]["value"] is not None else out[-1]["verdict"]
    ours_growth = ratio(
        (5000, "ours", "edit_usual_exit"), (1000, "ours", "edit_usual_exit"), "median"
    )
    base_growth = ratio((5000, "baseline", "edit"), (1000, "baseline", "edit"), "median")
    add(
        "edit growth 5000/1000: ours over the baseline's",
        _ratio(ours_growth, base_growth),
        1.0,
    )
    _mark_other_commit(out[-1], sizes, "5000", "1000")
    for shape in sorted(generate.SHAPES):
        key = f"1000-{shape}"
        if key not in sizes:
            continue
        add(
            f"skewed shape {shape}: full build -j1 over the uniform one at N=1000",
            _ratio(_get(sizes, key, "ours", "full_j1"), _get(sizes, 1000, "ours", "full_j1")),
            1.2,
        )
        _mark_other_commit(out[-1], sizes, key, "1000")
        add(
            f"skewed shape {shape}: edit rebuild, usual exit, ours/baseline at N=1000",
            _ratio(
                _get(sizes, key, "ours", "edit_usual_exit"), _get(sizes, 1000, "baseline", "edit")
            ),
            1.15,
        )
        _mark_other_commit(out[-1], sizes, key, "1000")
    add("check of N=5000 with corpus, cold", _get(sizes, 5000, "ours", "check"), 2.5, "s")
    add("check of N=5000 with corpus, warm", _get(sizes, 5000, "ours", "check_warm"), 2.5, "s")
    for n in sorted(int(k) for k in sizes if k.isdigit()):
        for j in (1, 2):
            full = f"full_j{j}"
            if j == 2 and _get(sizes, n, "ours", full) is None:
                continue
            add(
                f"peak memory -j{j} ours/baseline at N={n}",
                ratio((n, "ours", full), (n, "baseline", full), "peak_rss_mb"),
                1.5,
            )
    return out


def _commit_of(sizes: dict[str, Any], key: str) -> str | None:
    meta = sizes.get(key, {}).get("_meta")
    return meta.get("commit") if isinstance(meta, dict) else None


def _mark_other_commit(verdict: dict[str, Any], sizes: dict[str, Any], key: str, ref: str) -> None:
    """Say so when a ratio divides results of two commits (a shape, or N = 5,000, run
    at another commit than N = 1,000): the verdict then mixes a change of code (or of
    machine) with what it means to measure."""
    mine, theirs = _commit_of(sizes, key), _commit_of(sizes, ref)
    if verdict["value"] is not None and mine and theirs and mine != theirs:
        verdict["note"] = f"{key} measured at {mine[:7]}, {ref} at {theirs[:7]}"


def _fmt(value: float | None, unit: str = "s") -> str:
    if value is None:
        return "-"
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def table(sizes: dict[str, Any]) -> str:
    """The human-readable table: one block per size, then the target verdicts."""
    rows = [
        f"{'N':>5}  {'measure':<16}{'ours':>10}{'baseline':>10}{'peer':>10}"
        f"{'ours/base':>11}{'ours/peer':>11}"
    ]
    labels = {
        "full_j1": "full -j1",
        "full_j2": "full -j2",
        "edit": "edit rebuild",
        "noop": "no-op rebuild",
        "edit_usual_exit": "edit, usual exit",
    }
    # Skewed shapes are kept under "1000-hub" and the like, after their size.
    for n in sorted(sizes, key=lambda k: (int(k.split("-")[0]), k)):
        for metric in METRICS:
            vals = [_get(sizes, n, p, metric) for p in projects.PROJECT_NAMES]
            if any(v is not None for v in vals):
                rows.append(_row(n, labels[metric], vals, "s"))
        for metric in ("full_j1", "edit"):
            vals = [_get(sizes, n, p, metric, "cpu") for p in projects.PROJECT_NAMES]
            if any(v is not None for v in vals):
                rows.append(_row(n, f"cpu {labels[metric]}", vals, "s"))
        for metric in ("full_j1", "full_j2"):
            vals = [_get(sizes, n, p, metric, "peak_rss_mb") for p in projects.PROJECT_NAMES]
            if any(v is not None for v in vals):
                rows.append(_row(n, f"peak mem {labels[metric][-3:]}", vals, "MB"))
        rows.append(f"{n:>5}  {'check':<16}{_fmt(_get(sizes, n, 'ours', 'check')):>10}")
        rows.append(f"{n:>5}  {'check, warm':<16}{_fmt(_get(sizes, n, 'ours', 'check_warm')):>10}")
    rows.append("")
    for v in verdicts(sizes):
        limit = f"<= {v['limit']}{'x' if v['unit'] == 'x' else ' s'}"
        cpu = f"  cpu {_fmt(v['cpu'], 'x')}" if v.get("cpu") is not None else ""
        note = f"  [{v['note']}]" if v.get("note") else ""
        rows.append(
            f"{v['verdict']:<13}{v['target']:<44}{_fmt(v['value'], v['unit']):>9}  ({limit}){cpu}"
            f"{note}"
        )
    return "\n".join(rows)


def _row(n: int | str, label: str, vals: list[float | None], unit: str) -> str:
    ours, base, peer = vals
    return (
        f"{n:>5}  {label:<16}{_fmt(ours, unit):>10}{_fmt(base, unit):>10}"
        f"{_fmt(peer, unit):>10}{_fmt(_ratio(ours, base), 'x'):>11}"
        f"{_fmt(_ratio(ours, peer), 'x'):>11}"
    )


def plot(sizes: dict[str, Any], path: Path) -> bool:
    """Full-build time against N for the three projects (False when matplotlib is missing)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    ns = sorted(int(k) for k in sizes if k.isdigit())  # the uniform datasets
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    for name, style in zip(projects.PROJECT_NAMES, ("o-", "s--", "^:"), strict=True):
        for ax, metric in ((ax1, "full_j1"), (ax2, "edit")):
            pts = [(n, _get(sizes, n, name, metric)) for n in ns]
            pts = [(n, t) for n, t in pts if t is not None]
            if pts:
                ax.plot(*zip(*pts, strict=True), style, label=name)
    ax1.set(title="Full build (-j 1)", xlabel="records (N)", ylabel="wall time (s)")
    ax2.set(title="Rebuild after editing one record", xlabel="records (N)", ylabel="wall time (s)")
    for ax in (ax1, ax2):
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def environment() -> dict[str, Any]:
    versions = {}
    for dist in ("sphinx", "sphinx-needs", "furo", "sphinx-dossier", "myst-parser"):
        try:
            from importlib.metadata import version

            versions[dist] = version(dist)
        except Exception:
            versions[dist] = None
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "commit": commit or None,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "versions": versions,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="comma-separated record counts (default: 200,1000,5000)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument(
        "--projects",
        default=",".join(projects.PROJECT_NAMES),
        help="comma-separated subset of ours,baseline,peer",
    )
    parser.add_argument("--jobs", default="1,2", help="-j values for the full build")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=HERE / "work", help="scratch folder")
    parser.add_argument("--out", type=Path, default=HERE / "results", help="results folder")
    parser.add_argument(
        "--edit-repeat",
        type=int,
        default=1,
        help="edit + no-op rebuilds after each full build (cheap medians for large N)",
    )
    parser.add_argument(
        "--check-only", action="store_true", help="measure `check` alone (no Sphinx builds)"
    )
    parser.add_argument(
        "--fresh", action="store_true", help="drop earlier results instead of merging with them"
    )
    parser.add_argument(
        "--edit-only",
        action="store_true",
        help="measure edit and no-op rebuilds alone, on the builds an earlier run left in --work",
    )
    parser.add_argument(
        "--shape",
        choices=sorted(generate.SHAPES),
        default="uniform",
        help="a skewed dataset: one record linked by all events (hub), cited by half the"
        " claims (hot-source), with 500 roles (busy-person) or 50,000 aliases (many-aliases)",
    )
    args = parser.parse_args(argv)

    sizes_to_run = [int(s) for s in args.sizes.split(",") if s]
    jobs = [int(j) for j in args.jobs.split(",") if j]
    names = []
    skipped = {}
    for name in args.projects.split(","):
        why = available(name)
        if why:
            skipped[name] = why
            log(f"skipping {name}: {why}")
        else:
            names.append(name)
    results_path = args.out / "results.json"
    results: dict[str, Any] = {"sizes": {}}
    if results_path.exists() and not args.fresh:
        results = json.loads(results_path.read_text(encoding="utf-8"))
    for n in sizes_to_run:
        t0 = time.perf_counter()
        load0 = os.getloadavg()
        # The commit measured is the one checked out when the size starts, not when it ends.
        commit = environment()["commit"]
        measured = bench_size(
            n,
            args.work,
            names,
            args.repeat,
            args.seed,
            jobs,
            builds=not args.check_only,
            edit_repeat=args.edit_repeat,
            edit_only=args.edit_only,
            shape=args.shape,
        )
        # A partial run keeps the settings (and commit) of the full run it amends.
        meta_key = (
            "_meta_edit_only"
            if args.edit_only
            else "_meta_check_only"
            if args.check_only
            else "_meta"
        )
        measured[meta_key] = {
            "repeat": args.repeat,
            "edit_repeat": args.edit_repeat,
            "seed": args.seed,
            "jobs": jobs,
            "skipped": skipped,
            "seconds": round(time.perf_counter() - t0, 1),
            "loadavg_start": load0,
            "loadavg_end": os.getloadavg(),
            "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "counts": generate.counts(n),
            "shape": args.shape,
            "commit": commit,
        }
        # Merge per project and metric, so that e.g. --check-only keeps earlier builds.
        merged = results["sizes"].setdefault(size_key(n, args.shape), {})
        for key, value in measured.items():
            if not key.startswith("_meta") and isinstance(merged.get(key), dict):
                merged[key].update(value)
            else:
                merged[key] = value
        results["environment"] = environment()
        results["verdicts"] = verdicts(results["sizes"])
        args.out.mkdir(parents=True, exist_ok=True)
        results_path.write_text(
            json.dumps(results, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
        log(f"N={n} done in {measured[meta_key]['seconds']}s; wrote {results_path}")
    print(table(results["sizes"]))
    if plot(results["sizes"], args.out / "bench.png"):
        log(f"wrote {args.out / 'bench.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
