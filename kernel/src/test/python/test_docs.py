"""Runs the code blocks of README.md and docs/*.md that say they run, in the real kernel.

A ```java block right after a line `<!-- runs -->` is a claim that it runs as written, after the
blocks before it in the same file; each file gets one kernel and its blocks are its cells, executed
on the quick profile. Blocks without the marker are fragments (with `...` or names from elsewhere).
Run with /usr/bin/python3 (environment/test-kernel.sh does)."""
import os
import re
import tempfile
import unittest
from pathlib import Path

import nbformat
from nbclient import NotebookClient

KERNEL = os.environ.get("DLKIT_KERNEL_NAME", "dlkit-java")
ROOT = Path(__file__).resolve().parents[4]
MARKED = re.compile(r"^<!-- runs -->\s*\n```java\n(.*?)^```", re.S | re.M)


def runnable_blocks(path):
    return [m.group(1) for m in MARKED.finditer(path.read_text(encoding="utf-8"))]


def documents():
    return [ROOT / "README.md"] + sorted((ROOT / "docs").glob("*.md"))


class DocsRunTest(unittest.TestCase):
    def test_marked_blocks_exist(self):
        counts = {p.name: len(runnable_blocks(p)) for p in documents()}
        self.assertGreaterEqual(counts["README.md"], 5, "README's notebook in five cells is marked to run")
        self.assertGreater(sum(counts.values()), counts["README.md"], "some docs blocks are marked too")

    def test_relative_links_point_to_files(self):
        broken = []
        for path in documents():
            for target in re.findall(r"\]\(([^)\s]+)\)", path.read_text(encoding="utf-8")):
                if re.match(r"[a-z]+:", target) or target.startswith("#"):
                    continue
                if not (path.parent / target.split("#")[0]).exists():
                    broken.append(f"{path.relative_to(ROOT)}: {target}")
        self.assertEqual([], broken)

    def test_every_marked_block_runs(self):
        with tempfile.TemporaryDirectory() as work:
            # the kernel inherits these: the repository's data, but runs and files of its own
            os.environ["DLKIT_PROFILE"] = "quick"
            os.environ.setdefault("DLKIT_DATA", str(ROOT / "data"))
            for name in ("RUNS", "FIGURES", "FEATURES"):
                os.environ["DLKIT_" + name] = str(Path(work) / name.lower())
            for path in documents():
                blocks = runnable_blocks(path)
                if not blocks:
                    continue
                with self.subTest(document=path.name):
                    nb = nbformat.v4.new_notebook()
                    nb.cells = [nbformat.v4.new_code_cell(b) for b in blocks]
                    NotebookClient(nb, kernel_name=KERNEL, timeout=300, startup_timeout=60,
                                   resources={"metadata": {"path": work}}).execute(cwd=work)
                    for i, cell in enumerate(nb.cells):
                        errors = [o for o in cell.outputs if o.output_type == "error"]
                        self.assertFalse(errors, f"{path.name} block {i + 1}: "
                                         + "; ".join(f"{e.ename}: {e.evalue}" for e in errors)
                                         + "\n" + cell.source)


if __name__ == "__main__":
    unittest.main(verbosity=2)
