"""The kernel's outputs through JupyterLab 4's own output pipeline, in a real browser.

JupyterLab itself is a pip package that Debian 12 does not have, but the parts of it that talk to a
kernel and draw outputs are on npm: @jupyterlab/services (the kernel connection),
@jupyterlab/outputarea (a cell's output list: display ids, in-place updates, merged streams) and
@jupyterlab/rendermime (the image, HTML, text and error renderers), the same code JupyterLab's
notebook runs. kernel/src/test/lab/page.js runs a notebook's code cells through them; this test
serves that page from Debian's notebook server, opens it in headless Chromium and checks what a
student would see: no error output, figures as images of real size, tables as HTML tables, one
progress line per fit brought to its final state, a live chart and a display updated in place,
long printed output whole and in order, and an error shown as one. Screenshots land in
build/browser-test/. Needs node and npm, and the packages that environment/setup.sh --for-tests
installs into build/lab-frontend (with chromium, chromium-driver and python3-selenium). Run with
/usr/bin/python3."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request
from pathlib import Path

from test_browser import ROOT, SHOTS, assert_images_have_a_size, free_port, wait_for, webdriver

FRONTEND = ROOT / "build" / "lab-frontend"
PAGE = ROOT / "kernel" / "src" / "test" / "lab"
NOTEBOOK = "00-getting-started.ipynb"

# Cells a notebook of the student's own might have, run after 00-getting-started's cells.
EXTRA_CELLS = [
    # a display replaced in place
    'String step = display("step 1 of 3");\n'
    'for (int i = 2; i <= 3; i++) {\n'
    '    updateDisplay(step, "step " + i + " of 3");\n'
    '}',
    # a live learning-curve chart and a progress line, both updated every epoch
    'Run live = Fit.builder()\n'
    '        .setBlock(mlp)\n'
    '        .setTrainData(split.train())\n'
    '        .optValidation(split.validation())\n'
    '        .setLoss(Loss.softmaxCrossEntropyLoss())\n'
    '        .addEvaluator(new Accuracy())\n'
    '        .optEpochs(3)\n'
    '        .optBatchSize(64)\n'
    '        .optChart(true)\n'
    '        .optCache(false)\n'
    '        .build().run();',
    # much printed output
    'for (int i = 0; i < 3000; i++) {\n'
    '    System.out.println("line " + i);\n'
    '}',
    # an error, last: the page stops at the first one
    'int seven = Integer.parseInt("seven");',
]


def npm_missing():
    return shutil.which("node") is None or shutil.which("npm") is None


@unittest.skipIf(webdriver is None or not shutil.which("chromedriver") or npm_missing(),
                 "node, npm, chromium, chromium-driver or python3-selenium missing: environment/setup.sh --for-tests")
class JupyterLabOutputTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not (FRONTEND / "node_modules" / "@jupyterlab" / "outputarea").is_dir():
            raise AssertionError(f"JupyterLab's npm packages are not installed in {FRONTEND.relative_to(ROOT)}:"
                                 " run environment/setup.sh --for-tests")
        cls.work = Path(tempfile.mkdtemp(prefix="dlkit-lab-"))
        static = cls.work / "static"
        static.mkdir()
        cls.bundle(static)
        notebook = json.loads((ROOT / "notebooks" / NOTEBOOK).read_text())
        notebook["cells"] += [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                               "source": source} for source in EXTRA_CELLS]
        (cls.work / "notebooks").mkdir()
        (cls.work / "notebooks" / "lab-check.ipynb").write_text(json.dumps(notebook))
        env = dict(os.environ, DLKIT_PROFILE="quick", DLKIT_DATA=os.environ.get("DLKIT_DATA", str(ROOT / "data")),
                   DLKIT_RUNS=str(cls.work / "runs"), DLKIT_FIGURES=str(cls.work / "figures"))
        cls.port = free_port()
        # The page is served as the server's own static file (same origin, no sandbox); no token
        # and no XSRF check on this private loopback port, as the page does not log in.
        cls.server = subprocess.Popen(
            [sys.executable, "-m", "notebook", "--no-browser", f"--port={cls.port}", "--ip=127.0.0.1",
             "--NotebookApp.token=", "--NotebookApp.password=", "--NotebookApp.disable_check_xsrf=True",
             f"--NotebookApp.extra_static_paths=[{json.dumps(str(static))}]",
             f"--notebook-dir={cls.work / 'notebooks'}", "--allow-root"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        options = webdriver.ChromeOptions()
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
            options.add_argument(arg)
        from selenium.webdriver.chrome.service import Service
        cls.browser = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
        wait_for("the notebook server", cls.page_served, 60)
        cls.browser.get(f"http://127.0.0.1:{cls.port}/static/lab.html?notebook=lab-check.ipynb&kernel="
                        + os.environ.get("DLKIT_KERNEL_NAME", "dlkit-java"))
        cls.lab = wait_for("every cell to run", lambda: cls.browser.execute_script(
            "return window.labRun && window.labRun.done ? window.labRun : null"), 600, 1)
        SHOTS.mkdir(parents=True, exist_ok=True)
        # The page up to the long printed output, then its end (the printed lines and the error).
        printed = len(cls.lab["cells"]) - 2
        top = cls.browser.execute_script(f"return document.querySelector('.lab-cell[data-cell=\"{printed}\"]').offsetTop")
        cls.browser.set_window_size(1400, min(top + 100, 16000))
        cls.browser.save_screenshot(str(SHOTS / "jupyterlab-outputs.png"))
        cls.browser.set_window_size(1400, 1000)
        cls.browser.execute_script("window.scrollTo(0, document.body.scrollHeight)")
        cls.browser.save_screenshot(str(SHOTS / "jupyterlab-end.png"))

    @classmethod
    def bundle(cls, static):
        """Bundles page.js with JupyterLab's packages (esbuild, a second or two)."""
        shutil.copy(PAGE / "page.js", FRONTEND / "page.js")
        esbuild = FRONTEND / "node_modules" / ".bin" / "esbuild"
        subprocess.run([str(esbuild), "page.js", "--bundle", "--format=iife", "--log-level=warning",
                        f"--outfile={static / 'lab.js'}", "--loader:.svg=text", "--loader:.woff=dataurl",
                        "--loader:.woff2=dataurl", "--loader:.ttf=dataurl", "--loader:.eot=dataurl"],
                       cwd=FRONTEND, check=True)
        shutil.copy(PAGE / "lab.html", static / "lab.html")

    @classmethod
    def page_served(cls):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{cls.port}/static/lab.html", timeout=2) as page:
                return b"lab.js" in page.read()
        except OSError:
            return False

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "browser", None):
            cls.browser.quit()
        if getattr(cls, "server", None):
            cls.server.terminate()
            cls.server.wait(timeout=30)
        shutil.rmtree(cls.work, ignore_errors=True)

    def js(self, script):
        return self.browser.execute_script(script)

    def cell_text(self, index):
        return self.js(f"return document.querySelector('.lab-cell[data-cell=\"{index}\"]').innerText")

    def test_every_cell_ran_and_only_the_last_failed(self):
        self.assertIsNone(self.lab["error"])
        statuses = [cell["status"] for cell in self.lab["cells"]]
        code_cells = sum(1 for c in json.loads((ROOT / "notebooks" / NOTEBOOK).read_text())["cells"]
                         if c["cell_type"] == "code" and "".join(c["source"]).strip())
        self.assertEqual(["ok"] * (code_cells + len(EXTRA_CELLS) - 1) + ["error"], statuses)
        for cell in self.lab["cells"][:-1]:
            self.assertEqual([], [o for o in cell["outputs"] if o["type"] == "error" or o.get("name") == "stderr"])

    def test_figures_are_images_with_a_size(self):
        assert_images_have_a_size(self, ".jp-RenderedImage img", 5, "00-getting-started's four figures and the live chart")

    def test_tables_are_html_tables(self):
        rows = self.js("return Array.from(document.querySelectorAll('.jp-RenderedHTML table')).map(t => t.rows.length)")
        self.assertGreaterEqual(len(rows), 3, "class counts, model summary, history")
        self.assertTrue(all(r > 1 for r in rows), rows)

    def test_each_fit_shows_one_progress_line_at_its_end(self):
        lines = self.js("return Array.from(document.querySelectorAll('pre.dlkit-progress')).map(p => p.innerText)")
        self.assertEqual(2, len(lines), lines)  # updated in place, not appended
        for line in lines:
            self.assertIn("in all", line)
        self.assertGreater(self.lab["messages"].get("update_display_data", 0), 4)

    def test_a_display_is_updated_in_place(self):
        cell = self.lab["cells"][-4]
        self.assertEqual(["step 3 of 3"], [o["text"] for o in cell["outputs"]])

    def test_the_live_chart_is_one_image(self):
        cell = self.lab["cells"][-3]
        images = [o for o in cell["outputs"] if "image/png" in o["mimes"]]
        self.assertEqual(1, len(images), cell["outputs"])

    def test_long_printed_output_is_whole_and_in_order(self):
        text = "".join(o["text"] for o in self.lab["cells"][-2]["outputs"] if o.get("name") == "stdout")
        self.assertEqual([f"line {i}" for i in range(3000)], text.splitlines())

    def test_an_error_is_shown_as_one(self):
        outputs = self.lab["cells"][-1]["outputs"]
        self.assertEqual(["error"], [o["type"] for o in outputs])
        self.assertIn("NumberFormatException", outputs[0]["ename"])
        self.assertIn("NumberFormatException", self.cell_text(len(self.lab["cells"]) - 1))


if __name__ == "__main__":
    unittest.main(verbosity=2)
