"""Executes the test notebooks headlessly with nbclient and checks their outputs.
Run with /usr/bin/python3 (environment/test-kernel.sh does)."""
import os
import unittest
from pathlib import Path

import nbformat
from nbclient import NotebookClient

KERNEL = os.environ.get("DLKIT_KERNEL_NAME", "dlkit-java")
NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def run(name):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    NotebookClient(nb, kernel_name=KERNEL, timeout=180, startup_timeout=60).execute()
    return [c for c in nb.cells if c.cell_type == "code"]


class SmokeNotebookTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cells = run("kernel-smoke.ipynb")

    def outputs(self, index):
        return self.cells[index].outputs

    def test_no_errors(self):
        for i, cell in enumerate(self.cells):
            errors = [o for o in cell.outputs if o.output_type == "error"]
            self.assertEqual(errors, [], f"cell {i} failed")

    def test_chart_is_png_with_display_size(self):
        (result,) = [o for o in self.outputs(0) if o.output_type == "execute_result"]
        self.assertIn("image/png", result.data)
        self.assertIn("text/plain", result.data)
        self.assertTrue(result.data["image/png"].startswith("iVBOR"))
        self.assertEqual(result.metadata["image/png"], {"width": 480, "height": 300})

    def test_chained_setter_shows_nothing(self):
        self.assertEqual(self.outputs(1), [])

    def test_table_is_html_and_text(self):
        (result,) = [o for o in self.outputs(2) if o.output_type == "execute_result"]
        self.assertIn("<table>", result.data["text/html"])
        self.assertIn("3 rows x 2 columns", result.data["text/html"])
        self.assertIn("metrics", result.data["text/plain"])

    def test_ndarray_summary(self):
        results = [o for o in self.outputs(3) if o.output_type == "execute_result"]
        text = results[-1].data["text/plain"]
        self.assertIn("float32", text)
        self.assertIn("(2, 3)", text)

    def test_display_and_update(self):
        kinds = [o.output_type for o in self.outputs(4)]
        self.assertIn("display_data", kinds)
        shown = [o for o in self.outputs(4) if o.output_type == "display_data"]
        # nbclient applies update_display_data to the shown output in place.
        self.assertEqual(shown[0].data["text/plain"], "epoch 2")


FIT_CELL = """
var run = Fit.builder()
        .setBlock(new SequentialBlock().add(Linear.builder().setUnits(8).build()).add(Activation::ACT)
                .add(Linear.builder().setUnits(2).build()))
        .setTrainData(x, y).setLoss(Loss.softmaxCrossEntropyLoss())
        .optEpochs(2).optBatchSize(16).optSeed(1).optRunsDir(runs).optName("cell").build().run();
run.fromCache()
"""


class RerunAfterEditTest(unittest.TestCase):
    """A student re-runs a Fit cell, then edits only its activation and runs it again."""

    @classmethod
    def setUpClass(cls):
        nb = nbformat.v4.new_notebook()
        nb.cells = [
            nbformat.v4.new_code_cell(
                "var runs = java.nio.file.Files.createTempDirectory(\"dlkit-rerun\");\n"
                "var data = NDManager.newBaseManager();\n"
                "var x = data.randomNormal(new Shape(64, 4));\n"
                "var y = x.get(\":, 0\").gt(0).toType(DataType.FLOAT32, false);"),
            nbformat.v4.new_code_cell(FIT_CELL.replace("ACT", "relu")),
            nbformat.v4.new_code_cell(FIT_CELL.replace("ACT", "relu")),
            nbformat.v4.new_code_cell(FIT_CELL.replace("ACT", "tanh")),
            nbformat.v4.new_code_cell(FIT_CELL.replace("ACT", "tanh")),
        ]
        NotebookClient(nb, kernel_name=KERNEL, timeout=180, startup_timeout=60).execute()
        cls.cells = nb.cells

    def from_cache(self, index):
        results = [o for o in self.cells[index].outputs if o.output_type == "execute_result"]
        self.assertEqual(len(results), 1, self.cells[index].outputs)
        return results[0].data["text/plain"].strip()

    def test_same_cell_again_comes_from_the_cache(self):
        self.assertEqual(self.from_cache(1), "false")
        self.assertEqual(self.from_cache(2), "true")

    def test_changing_only_the_activation_retrains(self):
        self.assertEqual(self.from_cache(3), "false")
        self.assertEqual(self.from_cache(4), "true")


if __name__ == "__main__":
    unittest.main(verbosity=2)
