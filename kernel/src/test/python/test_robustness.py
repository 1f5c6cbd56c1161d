"""The kernel survives what students do: errors, endless loops, timeouts, full heaps; and it
never outlives Jupyter. Run with /usr/bin/python3 (environment/test-kernel.sh does)."""
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest

from jupyter_client.manager import KernelManager

KERNEL = os.environ.get("DLKIT_KERNEL_NAME", "dlkit-java")
TIMEOUT_MS = 4000


def execute(kc, code, timeout=60):
    """Runs a cell; returns (reply content, list of (msg_type, content))."""
    return collect(kc, kc.execute(code), timeout)


def collect(kc, msg_id, timeout=60):
    """Waits for a sent request's outputs and reply; returns (reply content, list of (msg_type, content))."""
    outputs = []
    deadline = time.time() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.time()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
        if msg["msg_type"] not in ("status", "execute_input"):
            outputs.append((msg["msg_type"], msg["content"]))
    while True:
        reply = kc.get_shell_msg(timeout=max(0.1, deadline - time.time()))
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"], outputs


def km_argv0():
    """The launcher of the kernelspec under test."""
    from jupyter_client.kernelspec import KernelSpecManager
    return KernelSpecManager().get_kernel_spec(KERNEL).argv[0]


def results_with(variable, value, code, timeout=60):
    """Runs a cell in a fresh kernel started with one environment variable set; returns its results' text."""
    km = KernelManager(kernel_name=KERNEL)
    km.start_kernel(env=dict(os.environ, **{variable: value}))
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        reply, outputs = execute(kc, code, timeout)
        if reply["status"] != "ok":
            raise AssertionError(f"{variable}={value}: the cell failed: {outputs}")
        return [c["data"]["text/plain"] for t, c in outputs if t == "execute_result"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def launcher_refusal(variable, value):
    """The launcher's exit status and message for a bad value of one environment variable."""
    bad = subprocess.run([km_argv0(), "unused.json"], env=dict(os.environ, **{variable: value}),
                         capture_output=True, text=True, timeout=30)
    return bad.returncode, bad.stderr


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has exited; it is just not reaped yet.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def wait_gone(pid, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if not pid_alive(pid):
            return True
        time.sleep(0.1)
    return False


class RobustnessTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        env = dict(os.environ, IJAVA_TIMEOUT=str(TIMEOUT_MS), DLKIT_KERNEL_XMX="256m")
        cls.km = KernelManager(kernel_name=KERNEL)
        cls.km.start_kernel(env=env)
        cls.kc = cls.km.client()
        cls.kc.start_channels()
        cls.kc.wait_for_ready(timeout=60)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=False)

    def assert_next_cell_works(self):
        reply, outputs = execute(self.kc, "int after = 20; after + 1")
        self.assertEqual(reply["status"], "ok", outputs)
        results = [c for t, c in outputs if t == "execute_result"]
        self.assertEqual(results[0]["data"]["text/plain"], "21")

    def error_of(self, code, timeout=60):
        reply, outputs = execute(self.kc, code, timeout)
        self.assertEqual(reply["status"], "error", outputs)
        errors = [c for t, c in outputs if t == "error"]
        self.assertEqual(len(errors), 1, outputs)
        return errors[0]

    def test_runtime_exception(self):
        error = self.error_of('Integer.parseInt("x")')
        self.assertEqual(error["ename"], "java.lang.NumberFormatException")
        self.assertIn("For input string", error["evalue"])
        self.assert_next_cell_works()

    def test_compile_error(self):
        error = self.error_of("int x = \"text\";")
        self.assertEqual(error["ename"], "CompilationError")
        self.assertIn("incompatible types", error["evalue"])
        self.assert_next_cell_works()

    def test_undefined_symbol(self):
        error = self.error_of("noSuchVariable + 1")
        self.assertEqual(error["ename"], "CompilationError")
        self.assertIn("cannot find symbol", error["evalue"])

    def interrupt_after(self, code, delay=1.5):
        msg_id = self.kc.execute(code)
        time.sleep(delay)
        started = time.time()
        self.km.interrupt_kernel()
        while True:
            reply = self.kc.get_shell_msg(timeout=30)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        self.assertLess(time.time() - started, 10, "interrupt took too long")
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "Interrupted")

    def test_interrupt_busy_loop(self):
        self.interrupt_after("long n = 0; while (true) { n++; }")
        self.assert_next_cell_works()

    def test_interrupt_sleep(self):
        self.interrupt_after("Thread.sleep(600_000);")
        self.assert_next_cell_works()

    def test_timeout(self):
        started = time.time()
        error = self.error_of("while (true) { Math.sqrt(2); }", timeout=60)
        self.assertEqual(error["ename"], "Timeout")
        self.assertIn("IJAVA_TIMEOUT", error["evalue"])
        self.assertLess(time.time() - started, TIMEOUT_MS / 1000 + 10)
        self.assert_next_cell_works()

    def test_out_of_memory(self):
        error = self.error_of(textwrap.dedent("""\
            {
                List<long[]> hog = new ArrayList<>();
                while (true) { hog.add(new long[1 << 20]); }
            }"""))
        self.assertEqual(error["ename"], "java.lang.OutOfMemoryError")
        self.assert_next_cell_works()

    def test_printf_arrives_whole_in_one_message(self):
        reply, outputs = execute(self.kc, 'System.out.printf("a=%d, b=%s%n", 1, "two"); System.out.print("tail")')
        self.assertEqual(reply["status"], "ok")
        streams = [c["text"] for t, c in outputs if t == "stream"]
        # The two statements are two JShell snippets: "tail" may come in a second message when
        # compiling it takes longer than the 100 ms flush interval, but the printf is never cut.
        self.assertTrue(streams and streams[0].startswith("a=1, b=two\n"), streams)
        self.assertEqual("".join(streams), "a=1, b=two\ntail")

    def test_values_survive_errors(self):
        execute(self.kc, "String kept = \"still here\";")
        self.error_of("throw new RuntimeException(\"x\");")
        reply, outputs = execute(self.kc, "kept")
        self.assertEqual([c["data"]["text/plain"] for t, c in outputs if t == "execute_result"], ["still here"])


class LifecycleTests(unittest.TestCase):
    def test_shutdown_exits_promptly(self):
        km = KernelManager(kernel_name=KERNEL)
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        pid = km.provisioner.pid
        execute(kc, "Thread t = new Thread(() -> { while (true) { try { Thread.sleep(1000); } catch (Exception e) {} } }); t.start();")
        kc.stop_channels()
        started = time.time()
        km.shutdown_kernel(now=False)
        self.assertTrue(wait_gone(pid, 10), "kernel JVM still running after shutdown")
        self.assertLess(time.time() - started, 10)

    def test_jit_setting(self):
        cell = ('java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()'
                '.contains("-XX:TieredStopAtLevel=1")')
        for jit, c1_only in (("full", "false"), ("quick", "true")):
            self.assertEqual(results_with("DLKIT_KERNEL_JIT", jit, cell), [c1_only], jit)
        status, message = launcher_refusal("DLKIT_KERNEL_JIT", "fast")
        self.assertEqual(status, 2)
        self.assertIn("DLKIT_KERNEL_JIT must be 'full' (C1 and C2) or 'quick' (C1 only), got 'fast'", message)

    def test_mkl_vendor_check(self):
        # Preloaded on processors not Intel's where install-kernel.sh built the library; either way
        # libtorch's float products (MKL) agree with double-precision ones.
        lib = os.path.join(os.path.dirname(os.path.dirname(km_argv0())), "target", "native", "libdlkit-mkl-cpu.so")
        with open("/proc/cpuinfo") as f:
            intel = "GenuineIntel" in f.read()
        if shutil.which("cc") and platform.system() == "Linux" and platform.machine() == "x86_64":
            self.assertTrue(os.path.exists(lib), "install-kernel.sh did not build " + lib)
        cell = textwrap.dedent("""\
            boolean preloaded = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/maps"))
                .contains("libdlkit-mkl-cpu.so");
            float worst = 0;
            try (var m = ai.djl.ndarray.NDManager.newBaseManager()) {
                for (int[] s : new int[][] {{128, 784, 128}, {301, 517, 263}, {1024, 1024, 1024}}) {
                    var a = m.randomNormal(new ai.djl.ndarray.types.Shape(s[0], s[1]));
                    var b = m.randomNormal(new ai.djl.ndarray.types.Shape(s[2], s[1])).transpose();
                    var exact = a.toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
                        .matMul(b.toType(ai.djl.ndarray.types.DataType.FLOAT64, false));
                    float err = a.matMul(b).toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
                        .sub(exact).abs().max().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).getFloat();
                    worst = Math.max(worst, err / (float) Math.sqrt(s[1]));
                }
            }
            preloaded + " " + (worst < 3e-5f) + " " + worst
            """)
        for check, expected in (("skip", os.path.exists(lib) and not intel), ("keep", False)):
            result = results_with("DLKIT_MKL_VENDOR_CHECK", check, cell, timeout=120)
            self.assertEqual(len(result), 1, check)
            preloaded, accurate, worst = result[0].strip('"').split()
            self.assertEqual(preloaded, str(expected).lower(), check)
            self.assertEqual(accurate, "true", f"{check}: worst error {worst} per sqrt(inner size)")
        status, message = launcher_refusal("DLKIT_MKL_VENDOR_CHECK", "off")
        self.assertEqual(status, 2)
        self.assertIn("DLKIT_MKL_VENDOR_CHECK must be 'skip' (MKL chooses by instruction sets) or 'keep'", message)

    def test_parent_death_ends_kernel(self):
        # A throw-away Jupyter client process starts the kernel, prints its pid, then is killed.
        script = textwrap.dedent(f"""\
            import sys, time
            from jupyter_client.manager import KernelManager
            km = KernelManager(kernel_name={KERNEL!r})
            km.start_kernel()
            kc = km.client(); kc.start_channels(); kc.wait_for_ready(timeout=60)
            print(km.provisioner.pid, flush=True)
            time.sleep(600)
            """)
        parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
        try:
            line = parent.stdout.readline()
            while line and not line.strip().isdigit():
                line = parent.stdout.readline()
            pid = int(line)
            self.assertTrue(pid_alive(pid))
            parent.send_signal(signal.SIGKILL)
            parent.wait()
            self.assertTrue(wait_gone(pid, 10), "kernel JVM outlived its Jupyter parent")
        finally:
            parent.kill()


class MavenMagicNetworkTest(unittest.TestCase):
    """NETWORK: resolves a tiny artifact from Maven Central (or the ~/.m2 cache). Skipped when
    DLKIT_OFFLINE_TESTS=1 or when the resolver reports it cannot reach the repository."""

    def test_maven_magic(self):
        if os.environ.get("DLKIT_OFFLINE_TESTS") == "1":
            raise unittest.SkipTest("offline")
        km = KernelManager(kernel_name=KERNEL)
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=60)
            reply, outputs = execute(kc, '%maven org.apache.commons:commons-lang3:3.14.0\n'
                                         'org.apache.commons.lang3.StringUtils.reverse("abc")', timeout=120)
            if reply["status"] == "error" and "Could not transfer" in reply.get("evalue", ""):
                raise unittest.SkipTest("Maven Central not reachable: " + reply["evalue"][:200])
            self.assertEqual(reply["status"], "ok", outputs)
            results = [c["data"]["text/plain"] for t, c in outputs if t == "execute_result"]
            self.assertEqual(results, ["cba"])

            # Tribuo's parent POM activates profiles by JDK version: without the JVM's system
            # properties the resolver dropped tribuo-clustering-core silently.
            reply, outputs = execute(kc, '%maven org.tribuo:tribuo-clustering-hdbscan:4.3.2\n'
                                         'import org.tribuo.clustering.*;\n'
                                         'new ClusterID(3).getID()', timeout=300)
            self.assertEqual(reply["status"], "ok", outputs)
            self.assertEqual([c["data"]["text/plain"] for t, c in outputs if t == "execute_result"], ["3"])
            summary = "".join(c["text"] for t, c in outputs if t == "stream")
            self.assertEqual(self.kernel_view(summary), self.maven_view("org.tribuo", "tribuo-clustering-hdbscan", "4.3.2"))
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)

    @staticmethod
    def kernel_view(summary):
        """artifactId-version of everything %maven's summary line names: added, present, shadowed."""
        line = summary.strip().splitlines()[-1]
        names = set(re.findall(r"([\w.-]+?-\d[\w.-]*)\.jar", line))
        for section in line.split("; ")[1:]:
            for item in section.split(": ", 1)[1].split(", "):
                artifact, version = item.split()[:2]
                names.add(f"{artifact}-{version}")
        return names

    @staticmethod
    def maven_view(group, artifact, version):
        """artifactId-version of Maven's own runtime class path for that one dependency."""
        with tempfile.TemporaryDirectory() as work:
            pom = os.path.join(work, "pom.xml")
            with open(pom, "w") as f:
                f.write(f"<project><modelVersion>4.0.0</modelVersion><groupId>t</groupId><artifactId>t</artifactId>"
                        f"<version>1</version><dependencies><dependency><groupId>{group}</groupId>"
                        f"<artifactId>{artifact}</artifactId><version>{version}</version></dependency>"
                        f"</dependencies></project>")
            out = os.path.join(work, "cp.txt")
            subprocess.run(["mvn", "-q", "-B", "-f", pom, "dependency:build-classpath", "-Dmdep.includeScope=runtime",
                            f"-Dmdep.outputFile={out}"], check=True, timeout=600)
            with open(out) as f:
                return {os.path.basename(p)[:-4] for p in f.read().strip().split(os.pathsep) if p.endswith(".jar")}


if __name__ == "__main__":
    unittest.main(verbosity=2)
