"""Executes dlkit notebooks headlessly with the Java (dlkit) kernel.

Used two ways:
  * regenerate a report: every (or the chosen) notebook runs with a profile; executed copies land
    in the output folder, figures that notebooks export land in <output>/figures;
  * test: with --check, a notebook fails when a cell raises an error, when a cell tagged
    `expect-image` / `expect-html` shows no image/png / text/html output, or when the file has a
    cell without an id.
Prints one line per notebook and a closing 'N passed, N failed' line; exits 1 on any failure.
"""
import argparse
import json
import os
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

KERNEL = "dlkit-java"
EXPECTED_MIME = {"expect-image": "image/png", "expect-html": "text/html"}


def problems_in(nb):
    """What a check run finds wrong in an executed notebook."""
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        outputs = cell.get("outputs", [])
        for out in outputs:
            if out.get("output_type") == "error":
                found.append(f"cell {index}: {out.get('ename')}: {out.get('evalue')}")
        mimes = {m for out in outputs for m in out.get("data", {})}
        for tag in cell.get("metadata", {}).get("tags", []):
            mime = EXPECTED_MIME.get(tag)
            if mime and mime not in mimes:
                found.append(f"cell {index}: tagged {tag} but shows no {mime}")
    return found


def missing_ids(path):
    """Cells a notebook file stores without an id: nbformat 4.5 requires one in every cell (nbformat
    warns today and will refuse such files), and Jupyter adds them on the next save."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    if (raw.get("nbformat"), raw.get("nbformat_minor", 0)) < (4, 5):
        return []
    return [f"cell {i}: no id in the file (nbformat 4.5 needs one)" for i, c in enumerate(raw["cells"]) if "id" not in c]


class Progress:
    """Where a running notebook is: on a terminal one line rewritten after every cell, elsewhere
    (CI logs) a line when a cell ends more than 30 s after the last one shown."""

    def __init__(self, name, cells):
        self.name, self.cells, self.started, self.shown = name, cells, time.monotonic(), time.monotonic()
        self.tty = sys.stdout.isatty()

    def cell_done(self, cell, cell_index, **kwargs):
        now = time.monotonic()
        line = f"     {self.name}: cell {cell_index + 1}/{self.cells}, {now - self.started:.0f} s"
        if self.tty:
            print("\r" + line, end="", flush=True)
        elif now - self.shown >= 30:
            print(line, flush=True)
            self.shown = now

    def finish(self):
        if self.tty:
            print("\r\033[K", end="", flush=True)  # the notebook's own line follows


def run(path, out_dir, timeout, check):
    nb = nbformat.read(path, as_version=4)
    progress = Progress(path.name, len(nb.cells))
    client = NotebookClient(
        nb,
        kernel_name=KERNEL,
        timeout=timeout,
        allow_errors=check,  # in check mode, run on and report every failing cell
        resources={"metadata": {"path": str(path.parent)}},
        on_cell_executed=progress.cell_done,
    )
    started = time.monotonic()
    error = None
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as e:
        error = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    seconds = time.monotonic() - started
    progress.finish()
    target = out_dir / path.name
    tmp = target.with_suffix(".ipynb.tmp")
    nbformat.write(nb, tmp)
    os.replace(tmp, target)  # never leave a half-written notebook behind
    problems = ([error] if error else []) + (problems_in(nb) + missing_ids(path) if check else [])
    return problems, seconds


def check_kernel(root):
    """Exits, saying how to fix it, unless the dlkit-java kernel Jupyter finds is this checkout's:
    another clone's kernel would run these notebooks on its own library, without a word."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL)
    except NoSuchKernel:
        sys.exit(f"error: Jupyter has no {KERNEL} kernel: run environment/setup.sh (or environment/install-kernel.sh)")
    script = pathlib.Path(spec.argv[0]).resolve()
    if root not in script.parents:
        sys.exit(f"error: the {KERNEL} kernel Jupyter finds ({spec.resource_dir}) runs {script}, not this"
                 f" checkout's ({root}): run environment/install-kernel.sh here, or put a kernelspec of this"
                 f" checkout first in JUPYTER_PATH")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", help="notebooks to run (default: notebooks/*.ipynb)")
    parser.add_argument("--profile", default=os.environ.get("DLKIT_PROFILE", "standard"),
                        choices=["quick", "standard", "full"])
    parser.add_argument("--out", default="report", help="folder for executed notebooks and figures")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds allowed per cell")
    parser.add_argument("--check", action="store_true", help="fail on errors and missing tagged outputs")
    args = parser.parse_args()

    root = pathlib.Path(__file__).resolve().parent.parent
    paths = [pathlib.Path(p).resolve() for p in args.notebooks] or sorted((root / "notebooks").glob("*.ipynb"))
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        sys.exit(f"error: no such notebook: {', '.join(missing)}")
    check_kernel(root)
    out_dir = pathlib.Path(args.out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    # The kernel inherits these: the profile every notebook reads, and where exported figures go.
    os.environ["DLKIT_PROFILE"] = args.profile
    os.environ.setdefault("DLKIT_FIGURES", str(out_dir / "figures"))

    passed = failed = 0
    for path in paths:
        os.environ["DLKIT_NOTEBOOK"] = path.stem  # exported figures are named after their notebook
        problems, seconds = run(path, out_dir, args.timeout, args.check)
        if problems:
            failed += 1
            print(f"FAIL {path.name} ({seconds:.1f} s)")
            for p in problems:
                print(f"     {p}")
        else:
            passed += 1
            print(f"ok   {path.name} ({seconds:.1f} s)")
        sys.stdout.flush()
    print(f"notebooks: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
