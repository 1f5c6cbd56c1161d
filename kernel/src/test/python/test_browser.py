"""The notebook in a real browser: Jupyter's classic notebook driven by headless Chromium.

Opens notebooks/00-getting-started.ipynb (a copy) on the quick profile, runs all cells, waits for
the kernel to go idle, and checks what a student would see: no error output, figures as <img>
elements with a real size, tables as HTML tables, and the training progress line brought to its
final state. Screenshots land in build/browser-test/. Needs Debian's chromium, chromium-driver and
python3-selenium (environment/setup.sh --for-tests installs them). Run with /usr/bin/python3."""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
SHOTS = ROOT / "build" / "browser-test"
NOTEBOOK = "00-getting-started.ipynb"

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
except ImportError:  # reported by the test below, not as a crash
    webdriver = None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, check, timeout, interval=0.5):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def assert_images_have_a_size(test, selector, at_least, why):
    """The page's images under selector: at least so many, each drawn and laid out larger than 100 px."""
    sizes = test.js(f"return Array.from(document.querySelectorAll('{selector}'))"
                    ".map(i => [i.naturalWidth, i.naturalHeight, i.clientWidth])")
    test.assertGreaterEqual(len(sizes), at_least, why)
    for width, height, shown in sizes:
        test.assertGreater(width, 100)
        test.assertGreater(height, 100)
        test.assertGreater(shown, 100, "laid out at a visible size")


@unittest.skipIf(webdriver is None or not shutil.which("chromedriver"),
                 "chromium, chromium-driver and python3-selenium are not installed: environment/setup.sh --for-tests")
class BrowserTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = Path(tempfile.mkdtemp(prefix="dlkit-browser-"))
        shutil.copy(ROOT / "notebooks" / NOTEBOOK, cls.work / NOTEBOOK)
        env = dict(os.environ, DLKIT_PROFILE="quick", DLKIT_DATA=os.environ.get("DLKIT_DATA", str(ROOT / "data")),
                   DLKIT_RUNS=str(cls.work / "runs"), DLKIT_FIGURES=str(cls.work / "figures"))
        cls.port, cls.token = free_port(), "dlkit-browser-test"
        cls.server = subprocess.Popen(
            [sys.executable, "-m", "notebook", "--no-browser", f"--port={cls.port}", "--ip=127.0.0.1",
             f"--NotebookApp.token={cls.token}", f"--notebook-dir={cls.work}", "--allow-root"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for("the notebook server", cls.server_up, 60)
        options = webdriver.ChromeOptions()
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
            options.add_argument(arg)
        cls.browser = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
        cls.browser.get(f"http://127.0.0.1:{cls.port}/notebooks/{NOTEBOOK}?token={cls.token}")
        SHOTS.mkdir(parents=True, exist_ok=True)
        js = cls.browser.execute_script
        wait_for("the kernel", lambda: js("return !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel"
                                          " && Jupyter.notebook.kernel.is_connected())"), 120)
        cls.browser.save_screenshot(str(SHOTS / "opened.png"))
        js("Jupyter.notebook.clear_all_output(); Jupyter.notebook.execute_all_cells();")
        time.sleep(1)
        wait_for("every cell to run", lambda: js(
            "return Jupyter.notebook.get_cells().filter(c => c.cell_type == 'code')"
            ".every(c => typeof c.input_prompt_number == 'number')"
            " && !Jupyter.notebook.kernel_busy && document.querySelector('#kernel_indicator_icon.kernel_idle_icon') != null"),
            600, 1)
        time.sleep(1)  # the last display updates
        cls.browser.save_screenshot(str(SHOTS / "run-all.png"))
        js("window.scrollTo(0, document.body.scrollHeight / 2)")
        cls.browser.save_screenshot(str(SHOTS / "middle.png"))

    @classmethod
    def server_up(cls):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{cls.port}/api/status?token={cls.token}", timeout=2)
            return True
        except OSError:
            return False

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "browser", None):
            cls.browser.quit()
        cls.server.terminate()
        cls.server.wait(timeout=30)
        shutil.rmtree(cls.work, ignore_errors=True)

    def js(self, script):
        return self.browser.execute_script(script)

    def test_no_cell_shows_an_error(self):
        errors = self.js("return Array.from(document.querySelectorAll('.output_error')).map(e => e.innerText)")
        self.assertEqual([], errors)

    def test_figures_are_images_with_a_size(self):
        assert_images_have_a_size(self, ".output_png img", 3, "the notebook shows several figures")

    def test_tables_are_html_tables(self):
        rows = self.js("return Array.from(document.querySelectorAll('.output_html table')).map(t => t.rows.length)")
        self.assertTrue(rows and all(r > 1 for r in rows), rows)

    def test_the_progress_line_was_updated_to_its_end(self):
        lines = self.js("return Array.from(document.querySelectorAll('pre.dlkit-progress')).map(p => p.innerText)")
        self.assertTrue(lines, "a fit shows a progress line")
        self.assertTrue(any("in all" in line or "from the run cache" in line for line in lines), lines)

    def test_the_progress_line_wraps_only_between_words(self):
        # The classic notebook's stylesheet breaks <pre> text anywhere ("0.5 s in al" / "l").
        breaks = self.js("return Array.from(document.querySelectorAll('pre.dlkit-progress'))"
                         ".map(p => getComputedStyle(p).wordBreak)")
        self.assertTrue(breaks and all(b == "normal" for b in breaks), breaks)


if __name__ == "__main__":
    unittest.main(verbosity=2)
