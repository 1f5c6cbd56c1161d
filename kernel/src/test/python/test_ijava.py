"""IJava's documented surface, output that cannot hang a client, cell errors and exits, over the
Jupyter protocol. Run with /usr/bin/python3 (environment/test-kernel.sh does).

The Maven tests use repositories made here: a folder laid out as a Maven repository, reached as
file:// and through an HTTP server on 127.0.0.1, so they need no network."""
import functools
import http.server
import os
import re
import shutil
import subprocess
import tempfile
import textwrap
import threading
import time
import unittest
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

from test_robustness import collect, execute

KERNEL = os.environ.get("DLKIT_KERNEL_NAME", "dlkit-java")
LIMIT = 200_000  # DLKIT_OUTPUT_LIMIT for these tests: small, so the flood test is quick


def java_tool(name):
    home = os.environ.get("JAVA_HOME")
    if home and Path(home, "bin", name).exists():
        return str(Path(home, "bin", name))
    return shutil.which(name) or name


def make_artifact(repo, group, artifact, version, source, dependencies=(), classpath=(), resources=None):
    """Compiles one class into a jar with a POM, laid out as in a Maven repository; classpath adds
    jars to compile against, resources maps a path in the jar to its text."""
    folder = Path(repo, *group.split("."), artifact, version)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        src = Path(work, "src")
        package, cls = source[0].rsplit(".", 1)
        Path(src, *package.split(".")).mkdir(parents=True)
        Path(src, *package.split("."), cls + ".java").write_text(source[1])
        classes = Path(work, "classes")
        jars = ":".join([str(p) for p in Path(repo).rglob("*.jar")] + [str(p) for p in classpath])
        subprocess.run([java_tool("javac"), "--release", "17", "-d", str(classes), "-cp", jars or ".",
                        *[str(p) for p in src.rglob("*.java")]], check=True)
        for path, text in (resources or {}).items():
            Path(classes, path).parent.mkdir(parents=True, exist_ok=True)
            Path(classes, path).write_text(text)
        subprocess.run([java_tool("jar"), "cf", str(folder / f"{artifact}-{version}.jar"), "-C", str(classes), "."],
                       check=True)
    deps = "".join(f"<dependency><groupId>{g}</groupId><artifactId>{a}</artifactId><version>{v}</version></dependency>"
                   for g, a, v in dependencies)
    (folder / f"{artifact}-{version}.pom").write_text(
        f"<project><modelVersion>4.0.0</modelVersion><groupId>{group}</groupId><artifactId>{artifact}</artifactId>"
        f"<version>{version}</version><dependencies>{deps}</dependencies></project>")


def start_kernel(**env):
    km = KernelManager(kernel_name=KERNEL)
    km.start_kernel(env=dict(os.environ, **env))
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return km, kc


def results(outputs):
    return [c["data"]["text/plain"] for t, c in outputs if t == "execute_result"]


def stream_text(outputs):
    return "".join(c["text"] for t, c in outputs if t == "stream")


class KernelTestCase(unittest.TestCase):
    env = {}

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_kernel(**cls.env)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def ok(self, code, timeout=120):
        reply, outputs = execute(self.kc, code, timeout)
        self.assertEqual(reply["status"], "ok", outputs)
        return outputs

    def error(self, code, timeout=60):
        reply, outputs = execute(self.kc, code, timeout)
        self.assertEqual(reply["status"], "error", outputs)
        (error,) = [c for t, c in outputs if t == "error"]
        return error


def kernel_java_release():
    """The feature release of the JDK the kernelspec runs (17, 25, ...)."""
    java = KernelSpecManager().get_kernel_spec(KERNEL).env.get("DLKIT_JAVA") or java_tool("java")
    version = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    return int(re.search(r'version "(\d+)', version).group(1))


class CompilerOptionsTest(KernelTestCase):
    """IJAVA_COMPILER_OPTS and IJAVA_TIMEOUT's "amount unit" form, as IJava documents them."""

    @classmethod
    def setUpClass(cls):
        # preview features exist for the running release only, and need the JVM's flag too
        cls.env = {"IJAVA_COMPILER_OPTS": f"-parameters --enable-preview --release {kernel_java_release()}",
                   "IJAVA_TIMEOUT": "2 MINUTES"}
        super().setUpClass()

    def test_options_reach_the_compiler_and_preview_the_jvm(self):
        self.ok("class P { void m(int alpha) {} }")
        self.assertEqual(results(self.ok("P.class.getDeclaredMethods()[0].getParameters()[0].getName()")), ["alpha"])
        self.assertEqual(results(self.ok("java.lang.management.ManagementFactory.getRuntimeMXBean()"
                                         ".getInputArguments().contains(\"--enable-preview\")")), ["true"])


class ClasspathFolderTest(KernelTestCase):
    """IJava's rule for IJAVA_CLASSPATH: an entry ending in / stands for the jars in that folder."""

    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="dlkit-cp-")
        repo = os.path.join(cls.work, "repo")
        make_artifact(repo, "test.dlkit", "folder", "1.0", ("dlkit.folder.Hello", textwrap.dedent("""\
            package dlkit.folder;
            public class Hello { public static String hi() { return "from a folder"; } }""")))
        lib = Path(cls.work, "lib")
        lib.mkdir()
        shutil.copy(Path(repo, "test", "dlkit", "folder", "1.0", "folder-1.0.jar"), lib)
        (lib / "notes.txt").write_text("not a jar")
        cls.env = {"IJAVA_CLASSPATH": str(lib) + "/"}
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.work, ignore_errors=True)

    def test_the_jars_of_a_folder_are_on_the_class_path(self):
        self.assertEqual(results(self.ok("dlkit.folder.Hello.hi()")), ["from a folder"])


FANCY = """\
package dlkit.fancy;

import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

public class Fancy {
    public final String name;

    public Fancy(String name) { this.name = name; }

    public static void init(BaseKernel kernel) {
        kernel.getRenderer().createRegistration(Fancy.class)
                .preferring(MIMEType.TEXT_HTML).supporting(MIMEType.TEXT_PLAIN)
                .register((f, ctx) -> ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> "<b>" + f.name + "</b>"));
    }

    /** Installs itself as DFLib's dflib-jupyter does: its imports, then init with the kernel. */
    public static class Install implements Extension {
        public void install(BaseKernel kernel) {
            try {
                kernel.eval("import dlkit.fancy.*;\\nFancy.init(getKernelInstance());");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }
    }
}
"""


class JJavaExtensionTest(KernelTestCase):
    """A jar that names a JJava kernel extension in its services installs it when added, as in JJava."""

    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="dlkit-ext-")
        repo = os.path.join(cls.work, "repo")
        (jjava,) = (Path(__file__).resolve().parents[3] / "target" / "lib").glob("jjava-jupyter-*.jar")
        service = {"META-INF/services/org.dflib.jjava.jupyter.Extension": "# DFLib's form\ndlkit.fancy.Fancy$Install\n"}
        make_artifact(repo, "test.dlkit", "fancy", "1.0", ("dlkit.fancy.Fancy", FANCY), classpath=[jjava],
                      resources=service)
        make_artifact(repo, "test.dlkit", "broken", "1.0", ("dlkit.broken.Broken", textwrap.dedent("""\
            package dlkit.broken;
            public class Broken implements org.dflib.jjava.jupyter.Extension {
                public void install(org.dflib.jjava.jupyter.kernel.BaseKernel kernel) {
                    throw new IllegalStateException("cannot install here");
                }
            }""")), classpath=[jjava],
                      resources={"META-INF/services/org.dflib.jjava.jupyter.Extension": "dlkit.broken.Broken\n"})
        cls.fancy = Path(repo, "test", "dlkit", "fancy", "1.0", "fancy-1.0.jar")
        cls.broken = Path(repo, "test", "dlkit", "broken", "1.0", "broken-1.0.jar")
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.work, ignore_errors=True)

    def test_an_extension_installs_its_imports_and_renderers(self):
        self.ok(f"%jars {self.fancy}")
        (result,) = [c for t, c in self.ok('new Fancy("from an extension")') if t == "execute_result"]
        self.assertEqual("<b>from an extension</b>", result["data"]["text/html"])

    def test_an_extension_that_fails_is_reported_and_the_kernel_goes_on(self):
        text = stream_text(self.ok(f"%jars {self.broken}"))
        self.assertIn("the JJava extension dlkit.broken.Broken did not install", text)
        self.assertIn("cannot install here", text)
        self.assertEqual(results(self.ok("1 + 1")), ["2"])


class OtherDjlModulesTest(KernelTestCase):
    """A notebook written for DJL 0.20 (d2l-java's %maven lines) in a kernel with a newer DJL and PyTorch."""

    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="dlkit-djl-")
        cls.repo = os.path.join(cls.work, "repo")
        lib = Path(__file__).resolve().parents[3] / "target" / "lib"
        (api,) = lib.glob("api-*.jar")
        cls.djl = api.name[len("api-"):-len(".jar")]
        # an engine that DJL would prefer to PyTorch (a lower rank), at the kernel's DJL release only
        make_artifact(cls.repo, "ai.djl.fake", "fake-engine", cls.djl,
                      ("fake.FakeProvider", "package fake; public class FakeProvider implements ai.djl.engine.EngineProvider {"
                       " public String getEngineName() { return \"Fake\"; } public int getEngineRank() { return -1; }"
                       " public ai.djl.engine.Engine getEngine() { throw new IllegalStateException(\"not an engine\"); } }"),
                      classpath=[api], resources={"META-INF/services/ai.djl.engine.EngineProvider": "fake.FakeProvider\n"})
        cls.env = {"DLKIT_MAVEN_REPO": os.path.join(cls.work, "m2")}
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.work, ignore_errors=True)

    def test_a_djl_module_of_another_release_is_taken_at_the_kernels_and_pytorch_stays_the_default(self):
        outputs = self.ok(f"%mavenRepo local {Path(self.repo).as_uri()}\n"
                          "%maven ai.djl.fake:fake-engine:0.20.0 --from local\n"
                          "ai.djl.engine.Engine.getAllEngines().contains(\"Fake\") + \" \""
                          " + ai.djl.engine.Engine.getInstance().getEngineName()")
        text = stream_text(outputs)
        self.assertIn(f"ai.djl.fake:fake-engine:0.20.0 is taken at {self.djl}, the kernel's DJL release", text)
        self.assertIn(f"added 1 jar (fake-engine-{self.djl}.jar)", text)
        self.assertEqual(results(outputs), ["true PyTorch"])


class MagicsAndFunctionsTest(KernelTestCase):
    """%maven, %mavenRepo, %%loadFromPOM, magics as expressions, eval, lineMagic, cellMagic."""

    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="dlkit-ijava-")
        cls.repo = os.path.join(cls.work, "repo")
        make_artifact(cls.repo, "test.dlkit", "base", "1.0",
                      ("base.Base", "package base; public class Base { public static String name() { return \"base\"; } }"))
        make_artifact(cls.repo, "test.dlkit", "hello", "1.0",
                      ("hello.Greeter", "package hello; public class Greeter { public static String greet() "
                                        "{ return \"hello from \" + base.Base.name(); } }"),
                      dependencies=[("test.dlkit", "base", "1.0")])
        make_artifact(cls.repo, "test.dlkit", "pommed", "2.0",
                      ("pommed.P", "package pommed; public class P { public static int two() { return 2; } }"))
        for name in ("bxjar", "bxmvn", "rapaio"):
            make_artifact(cls.repo, "test.dlkit", name, "1.0", (f"{name}.K", f"package {name}; public class K "
                          f"{{ public static String name() {{ return \"{name}\"; }} }}"), dependencies=[("test.dlkit", "base", "1.0")])
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=cls.repo)
        handler.log_message = lambda *args: None
        cls.http = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=cls.http.serve_forever, daemon=True).start()
        cls.env = {"DLKIT_MAVEN_REPO": os.path.join(cls.work, "m2")}
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.http.shutdown()
        shutil.rmtree(cls.work, ignore_errors=True)

    def test_maven_repo_and_transitive_dependencies(self):
        outputs = self.ok(f"%mavenRepo local {Path(self.repo).as_uri()}\n"
                          "%maven test.dlkit:hello:1.0 --from local\n"
                          "hello.Greeter.greet()")
        self.assertEqual(results(outputs), ['hello from base'])
        text = stream_text(outputs)
        self.assertIn("%maven test.dlkit:hello:1.0: added 2 jars (hello-1.0.jar, base-1.0.jar)", text)

    def test_maven_takes_ivy_coordinates_as_ijava_and_jjava_do(self):
        outputs = self.ok(f"%mavenRepo ivy {Path(self.repo).as_uri()}\n"
                          "%maven test.dlkit#hello;1.0 --from ivy\n"
                          "hello.Greeter.greet()")
        self.assertEqual(results(outputs), ['hello from base'])

    def test_time_magics_print_the_times_and_keep_the_value(self):
        outputs = self.ok("%time 6 * 7")
        self.assertEqual(results(outputs), ["42"])
        self.assertRegex(stream_text(outputs), r"CPU time: \d+\.\d{3} s \(every thread of the kernel\)\nWall time: \d+\.\d{3} s")
        outputs = self.ok("%%time\nint timedSum = 0;\nfor (int i = 1; i <= 100; i++) timedSum += i;\ntimedSum")
        self.assertEqual(results(outputs), ["5050"])
        self.assertIn("Wall time:", stream_text(outputs))
        self.assertEqual(results(self.ok("timedSum")), ["5050"], "what %%time ran stays defined")
        self.assertEqual(results(self.ok('int timedLength = %time "a b".length();\ntimedLength')), ["3"])
        error = self.error("%%time\nInteger.parseInt(\"x\")")
        self.assertEqual(error["ename"], "java.lang.NumberFormatException")

    def test_text_cell_magics_show_their_body_and_writefile_writes_it(self):
        for magic, mime in (("html", "text/html"), ("markdown", "text/markdown"), ("latex", "text/latex"),
                            ("javascript", "application/javascript"), ("js", "application/javascript")):
            outputs = self.ok(f"%%{magic}\n<b>shown</b> $x$")
            (result,) = [c for t, c in outputs if t == "execute_result"]
            self.assertEqual(result["data"][mime], "<b>shown</b> $x$", magic)
        source = os.path.join(self.work, "Written.java")
        outputs = self.ok(f"%%writefile {source}\nclass Written {{ static int seven() {{ return 7; }} }}")
        self.assertEqual(stream_text(outputs), f"Writing {source}\n")
        self.assertEqual(results(self.ok(f"%load {source}\nWritten.seven()")), ["7"])
        self.assertIn("Appending to", stream_text(self.ok(f"%%writefile -a {source}\n// more")))
        self.assertTrue(Path(source).read_text().endswith("}\n// more\n"))
        self.assertIn("needs one file name", self.error("%%writefile\ntext")["evalue"])
        listed = stream_text(self.ok("%lsmagic"))
        self.assertIn("%%html", listed)
        self.assertIn("%maven", listed)
        self.assertIn("%%writefile", self.error("%%bash\nls")["traceback"][-1])

    def test_maven_over_http_as_an_expression(self):
        url = f"http://127.0.0.1:{self.http.server_address[1]}/"
        outputs = self.ok(f"%addMavenRepo web {url}\n"
                          "List<String> jars = %addMavenDependency test.dlkit:pommed:2.0 --from web\n"
                          "jars.size() + \" \" + pommed.P.two()")
        self.assertEqual(results(outputs), ['1 2'])

    def test_load_from_pom_cell_magic(self):
        outputs = self.ok(textwrap.dedent(f"""\
            %%loadFromPOM
            <repository>
              <id>cellrepo</id>
              <url>{Path(self.repo).as_uri()}</url>
            </repository>
            <properties><v>1.0</v></properties>
            <dependency>
              <groupId>test.dlkit</groupId>
              <artifactId>hello</artifactId>
              <version>${{v}}</version>
            </dependency>"""))
        self.assertIn("%%loadFromPOM: added 2 jars", stream_text(outputs))
        self.assertEqual(results(self.ok("hello.Greeter.greet()")), ['hello from base'])

    def test_jars_as_an_expression_returns_the_added_paths(self):
        jar = next(Path(self.repo).rglob("base-1.0.jar"))
        outputs = self.ok(f"List<String> added = %jars {jar}\nadded.size() + \" \" + added.get(0).endsWith(\"base-1.0.jar\")")
        self.assertEqual(results(outputs), ['1 true'])

    def test_eval_line_magic_and_cell_magic_are_functions(self):
        self.assertEqual(results(self.ok('Object v = eval("int inner = 20; inner * 2"); v')), ["40"])
        self.assertEqual(results(self.ok("inner")), ["20"], "eval's definitions stay")
        jar = next(Path(self.repo).rglob("pommed-2.0.jar"))
        self.assertEqual(results(self.ok(f'List<String> l = lineMagic("classpath", List.of("{jar}")); l.size()')), ["1"])
        pom = (f"<repository><id>r</id><url>{Path(self.repo).as_uri()}</url></repository>"
               "<dependency><groupId>test.dlkit</groupId><artifactId>base</artifactId><version>1.0</version></dependency>")
        self.ok(f'cellMagic("loadFromPOM", List.of(), "{pom}");')
        self.assertEqual(results(self.ok("base.Base.name()")), ['base'])

    def test_load_takes_a_java_file_from_a_project_with_its_package_line(self):
        source = Path(self.work, "Helper.java")
        source.write_text("package my.helpers;\n\nimport java.util.List;\n\n"
                          "public class Helper {\n    public static int twice(int x) { return 2 * x; }\n}\n")
        outputs = self.ok(f"%load {source}\nHelper.twice(21)")
        self.assertEqual(results(outputs), ["42"])
        self.assertIn("%load Helper.java: its package line is left out", stream_text(outputs))
        broken = Path(self.work, "Broken.java")
        broken.write_text("class Broken {\n    int x = ;\n}\n")
        error = self.error(f"int before = 1;\n%load {broken}")
        self.assertIn("(line 2) (from the %load on line 2)", error["evalue"])

    def test_beakerx_classpath_add_forms(self):
        jar = next(Path(self.repo).rglob("bxjar-1.0.jar"))
        self.assertEqual(results(self.ok(f"%classpath add jar {jar}\nbxjar.K.name()")), ["bxjar"])
        outputs = self.ok(f"%mavenRepo bx {Path(self.repo).as_uri()}\n%classpath add mvn test.dlkit bxmvn 1.0\n"
                          "bxmvn.K.name()")
        self.assertEqual(results(outputs), ["bxmvn"])
        self.assertIn("%maven test.dlkit:bxmvn:1.0: added", stream_text(outputs))
        self.assertIn("BeakerX's forms", self.error("%classpath add gradle x")["evalue"])

    def test_rapaio_dependency_magics(self):
        self.ok(f"%dependency /add-repo rp {Path(self.repo).as_uri()}\n%dependency /add test.dlkit:rapaio:1.0")
        self.assertIn("proposed test.dlkit:rapaio:1.0", stream_text(self.ok("%dependency /list-dependencies")))
        outputs = self.ok("%dependency /resolve\nrapaio.K.name() + \" \" + base.Base.name()")
        self.assertEqual(results(outputs), ["rapaio base"])
        self.assertIn("resolved test.dlkit:rapaio:1.0", stream_text(self.ok("%dependency /list-dependencies")))
        self.assertIn("rp file:", stream_text(self.ok("%dependency /list-repos")))
        self.assertIn("rapaio-1.0.jar", stream_text(self.ok("%dependency /list-artifacts")))
        self.assertIn("/resolve", self.error("%dependency /install x")["evalue"])

    def test_unresolvable_artifacts_name_artifact_and_repository(self):
        error = self.error(f"%mavenRepo local {Path(self.repo).as_uri()}\n%maven test.dlkit:missing:9.9 --from local")
        self.assertEqual(error["ename"], "MagicError")
        self.assertIn("test.dlkit:missing:9.9", error["evalue"])
        self.assertIn("local (file:", error["evalue"])
        error = self.error("%mavenRepo down http://127.0.0.1:9/\n%maven test.dlkit:hello:1.0 --from down", timeout=120)
        self.assertIn("down (http://127.0.0.1:9/)", error["evalue"])
        self.assertIn("no network?", error["evalue"])
        error = self.error("%maven not-coordinates")
        self.assertIn("use groupId:artifactId:version", error["evalue"])



class StartupImportsTest(KernelTestCase):
    """The start-up imports are one JShell snippet; a cell's own imports must not undo them."""

    def test_importing_start_up_packages_again_keeps_the_others(self):
        self.ok("import java.util.*;\nimport java.io.*;\nimport static dlkit.kernel.Display.*;\nimport ai.djl.ndarray.*;")
        outputs = self.ok('new File("x").getName() + Table.create("t").name() + List.of(1).size() + Shape.class.getSimpleName()')
        self.assertEqual(["xt1Shape"], results(outputs))
        self.assertEqual(["2"], results(self.ok("eval(\"1 + 1\")")))


class KernelInstanceTest(KernelTestCase):
    """IJava's getKernelInstance(): renderer registrations, display data, eval, class path, as
    notebooks written for IJava use them (the imports are IJava's)."""

    def test_a_renderer_registered_as_in_ijava_shows_the_type_as_html(self):
        self.ok(textwrap.dedent("""\
            import io.github.spencerpark.ijava.IJava;
            import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
            record Money(double amount) {}
            IJava.getKernelInstance().getRenderer()
                    .createRegistration(Money.class)
                    .preferring(MIMEType.TEXT_HTML)
                    .register((money, ctx) -> ctx.renderIfRequested(MIMEType.TEXT_HTML,
                            () -> "<b>" + money.amount() + " EUR</b>"));"""))
        (result,) = [c for t, c in self.ok("new Money(3.5)") if t == "execute_result"]
        self.assertEqual("<b>3.5 EUR</b>", result["data"]["text/html"])
        (shown,) = [c for t, c in self.ok("display(new Money(2));") if t == "display_data"]
        self.assertEqual("<b>2.0 EUR</b>", shown["data"]["text/html"])

    def test_a_renderer_registered_as_in_jjava_with_its_mime_types(self):
        self.ok(textwrap.dedent("""\
            record Celsius(double degrees) {}
            getKernelInstance().getRenderer()
                    .createRegistration(Celsius.class)
                    .preferring(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_HTML)
                    .register((c, ctx) -> ctx.renderIfRequested(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_HTML,
                            () -> "<i>" + c.degrees() + " C</i>"));"""))
        (result,) = [c for t, c in self.ok("new Celsius(21)") if t == "execute_result"]
        self.assertEqual("<i>21.0 C</i>", result["data"]["text/html"])

    def test_jjava_kernel_function_gives_jjava_renderer_and_printf(self):
        self.ok(textwrap.dedent("""\
            import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
            import org.dflib.jjava.kernel.JavaKernel;
            record Kelvin(double k) {}
            JavaKernel jk = kernel();
            jk.getRenderer().createRegistration(Kelvin.class)
                    .preferring(MIMEType.TEXT_HTML)
                    .register((v, ctx) -> ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> "<u>" + v.k() + " K</u>"));"""))
        (result,) = [c for t, c in self.ok("new Kelvin(300)") if t == "execute_result"]
        self.assertEqual("<u>300.0 K</u>", result["data"]["text/html"])
        self.assertEqual(["2"], results(self.ok("kernel().evalRaw(\"1 + 1\")")))
        self.assertEqual("3-x\n", stream_text(self.ok('printf("%d-%s%n", 3, "x");')))

    def test_a_render_function_writes_into_the_output_container(self):
        self.ok(textwrap.dedent("""\
            import io.github.spencerpark.jupyter.kernel.display.DisplayData;
            record Point(int x, int y) {}
            getKernelInstance().getRenderer().createRegistration(Point.class)
                    .supporting(MIMEType.TEXT_MARKDOWN)
                    .register((p, ctx) -> {
                        DisplayData out = ctx.getOutputContainer();
                        out.putData(MIMEType.TEXT_MARKDOWN, "*(" + p.x() + ", " + p.y() + ")*");
                        out.putMetaData(MIMEType.TEXT_MARKDOWN, Map.of("note", "from IJava code"));
                    });""").replace("MIMEType.", "io.github.spencerpark.jupyter.kernel.display.mime.MIMEType."))
        (result,) = [c for t, c in self.ok('render(new Point(1, 2), "text/markdown")') if t == "execute_result"]
        self.assertEqual("*(1, 2)*", result["data"]["text/markdown"])
        self.assertEqual({"note": "from IJava code"}, result["metadata"]["text/markdown"])

    def test_display_data_eval_and_class_path_through_the_kernel_instance(self):
        outputs = self.ok(textwrap.dedent("""\
            var k = io.github.spencerpark.ijava.IJava.getKernelInstance();
            var d = new io.github.spencerpark.jupyter.kernel.display.DisplayData("plain");
            d.putHTML("<i>shown</i>");
            k.display(d);
            (int) k.evalRaw("20 + 1") * 2"""))
        (shown,) = [c for t, c in outputs if t == "display_data"]
        self.assertEqual("<i>shown</i>", shown["data"]["text/html"])
        self.assertEqual(["42"], results(outputs))
        self.assertEqual(["[3]"], results(self.ok('getKernelInstance().eval("List.of(3)").getData(MIMEType.TEXT_PLAIN)'
                                                  .replace("MIMEType.", "io.github.spencerpark.jupyter.kernel.display.mime.MIMEType."))))
        with tempfile.TemporaryDirectory() as folder:
            error = self.error(f'getKernelInstance().addToClasspath("{folder}/missing-*.jar")')
            self.assertIn("missing-*.jar", error["evalue"])

class OutputTest(KernelTestCase):
    """Output is coalesced and capped; the reply and the idle status always arrive."""

    env = {"DLKIT_OUTPUT_LIMIT": str(LIMIT)}

    def test_fifty_megabytes_of_prints_end_with_a_note(self):
        started = time.time()
        code = 'String line = "x".repeat(999); for (int i = 0; i < 50_000; i++) System.out.println(line);'
        outputs = self.ok(code, timeout=300)
        seconds = time.time() - started
        streams = [c for t, c in outputs if t == "stream"]
        text = stream_text(outputs)
        self.assertLess(len(streams), 40, "coalesced, not one message per println")
        self.assertLess(len(text), LIMIT + 2000)
        self.assertIn("output truncated after", text)
        rest = text.split("the rest goes to ")[1].split(";")[0]
        self.assertIn("more output went to", text)
        deadline = time.time() + 10
        while time.time() < deadline and os.path.getsize(rest) < 50_000_000 - LIMIT:
            time.sleep(0.2)
        self.assertGreaterEqual(os.path.getsize(rest), 50_000_000 - LIMIT - 1000)
        self.assertLess(seconds, 120)
        self.assertEqual(results(self.ok("1 + 1")), ["2"])

    def test_prints_in_a_loop_are_few_messages(self):
        outputs = self.ok('for (int i = 0; i < 2000; i++) System.out.println("line " + i);')
        streams = [c for t, c in outputs if t == "stream"]
        self.assertLess(len(streams), 10)
        self.assertEqual(stream_text(outputs), "".join(f"line {i}\n" for i in range(2000)))

    def test_background_thread_output_goes_to_the_cell_that_started_it(self):
        first = self.kc.execute('new Thread(() -> { try { Thread.sleep(1500); } catch (Exception e) {} '
                                'System.out.println("late line"); }).start();')
        second = None
        late_parent = None
        deadline = time.time() + 20
        while time.time() < deadline and late_parent is None:
            msg = self.kc.get_iopub_msg(timeout=20)
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle" \
                    and msg["parent_header"].get("msg_id") == first and second is None:
                second = self.kc.execute("Thread.sleep(3000); 2")
            if msg["msg_type"] == "stream" and "late line" in msg["content"]["text"]:
                late_parent = msg["parent_header"].get("msg_id")
        self.assertIsNotNone(second)
        self.assertEqual(late_parent, first, "printed into the cell that started the thread")


class InputTest(KernelTestCase):
    def test_reading_stdin_without_it_says_why(self):
        _, outputs = collect(self.kc, self.kc.execute("new Scanner(System.in).hasNextLine()", allow_stdin=False))
        self.assertEqual(results(outputs), ["false"])
        self.assertIn("System.in: this front end sends no input", stream_text(outputs))

    def test_a_line_typed_in_the_notebook_reaches_system_in(self):
        msg_id = self.kc.execute("new Scanner(System.in).nextLine().toUpperCase()", allow_stdin=True)
        request = self.kc.get_stdin_msg(timeout=60)
        self.assertEqual(request["msg_type"], "input_request")
        self.kc.input("typed line")
        _, outputs = collect(self.kc, msg_id)
        self.assertEqual(results(outputs), ["TYPED LINE"])
        self.assertNotIn("sends no input", stream_text(outputs))


class ErrorsAndExitTest(KernelTestCase):
    def test_exception_in_the_last_expression_names_its_line(self):
        error = self.error("int a = 1;\nint b = 2;\nString s = null;\na + b;\ns.length()")
        self.assertEqual(error["ename"], "java.lang.NullPointerException")
        self.assertIn('"s" is null', error["evalue"])
        self.assertNotIn("$JShell$", error["evalue"])
        trace = "\n".join(error["traceback"])
        self.assertIn("at line 5", trace)
        self.assertEqual(trace.count("at line 5"), 1, trace)

    def test_a_frame_in_an_earlier_cell_names_that_cell(self):
        self.ok("class Thrower {\n  static int go() {\n    throw new IllegalStateException(\"deep\");\n  }\n}")
        error = self.error("\n\nThrower.go()")
        trace = "\n".join(error["traceback"])
        self.assertRegex(trace, r"at Thrower\.go \(cell \[\d+\], line 3\)")
        self.assertIn("at line 3", trace)

    def test_compile_errors_name_the_place(self):
        error = self.error("int ok = 1;\nSystem.out.println(undefinedName);")
        self.assertEqual(error["ename"], "CompilationError")
        self.assertIn("(line 2)", error["evalue"])
        trace = "\n".join(error["traceback"])
        self.assertNotRegex(trace, r"location: class\s*$")
        self.assertIn("location: the cell's code", trace)

    def test_system_exit_is_an_error_and_the_kernel_stays(self):
        self.ok('String survivor = "still here";')
        for call in ("System.exit(1);", "Runtime.getRuntime().exit(2);", "java.util.function.IntConsumer c = System::exit; c.accept(3);"):
            error = self.error(call)
            self.assertEqual(error["ename"], "SystemExit", call)
            self.assertIn("the kernel keeps running", error["evalue"])
        self.assertEqual(results(self.ok("survivor")), ['still here'])


if __name__ == "__main__":
    unittest.main(verbosity=2)
