package dlkit.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MagicsTest {

    @Test
    void splitsMagicLinesFromCodeInOrder() {
        List<Magics.Segment> segments = Magics.split("%maven a:b:1\nint x = 1;\n  %jars lib/*.jar\nx % 2");
        assertEquals(List.of(
                new Magics.Magic("maven", List.of("a:b:1"), "a:b:1", 1),
                new Magics.Code("int x = 1;\n", 2),
                new Magics.Magic("jars", List.of("lib/*.jar"), "lib/*.jar", 3),
                new Magics.Code("x % 2", 4)), segments);
    }

    @Test
    void modulusInsideALineIsCode() {
        assertEquals(List.of(new Magics.Code("int r = 7 % 3;", 1)), Magics.split("int r = 7 % 3;"));
        assertEquals(List.of(new Magics.Code("x %= 3;", 1)), Magics.split("x %= 3;"));
        assertEquals(List.of(new Magics.Code("String f = \"a = %d\";", 1)), Magics.split("String f = \"a = %d\";"));
    }

    @Test
    void aMagicAfterAnAssignmentBecomesALineMagicCall() {
        assertEquals(List.of(new Magics.Code(
                "List<String> added = dlkit.kernel.Kernel.lineMagic(\"jars\", java.util.List.of(\"lib/*.jar\", \"a b\"));\nadded", 1)),
                Magics.split("List<String> added = %jars lib/*.jar \"a b\"\nadded"));
    }

    @Test
    void aCellMagicTakesTheRestOfTheCell() {
        Magics.CellMagic m = Magics.cellMagic("%%loadFromPOM compile runtime\n<dependency/>\n<x/>");
        assertEquals(new Magics.CellMagic("loadFromPOM", List.of("compile", "runtime"), "<dependency/>\n<x/>"), m);
        assertEquals(null, Magics.cellMagic("%maven a:b:1"));
    }

    @Test
    void argumentsHonourQuotes() {
        assertEquals(List.of("a b", "c", "d e"), Magics.arguments(" \"a b\"  c 'd e' "));
        assertThrows(IllegalArgumentException.class, () -> Magics.arguments("\"open"));
    }

    @Test
    void maskKeepsOffsets() {
        String cell = "%jars x.jar\nMath.ma";
        String masked = Magics.mask(cell);
        assertEquals(cell.length(), masked.length());
        assertEquals("           \nMath.ma", masked);
    }

    @Test
    void timeoutParsing() {
        assertEquals(-1, KernelConfig.from(Map.of()).timeoutMillis());
        assertEquals(-1, KernelConfig.from(Map.of("IJAVA_TIMEOUT", "-1")).timeoutMillis());
        assertEquals(1500, KernelConfig.from(Map.of("IJAVA_TIMEOUT", "1500")).timeoutMillis());
        assertEquals(30_000, KernelConfig.from(Map.of("IJAVA_TIMEOUT", "30 SECONDS")).timeoutMillis(), "IJava's form");
        assertEquals(120_000, KernelConfig.from(Map.of("IJAVA_TIMEOUT", "2 minutes")).timeoutMillis());
        assertEquals(5_000, KernelConfig.from(Map.of("JJAVA_TIMEOUT", "5000")).timeoutMillis(), "JJava's name");
        assertEquals(1_000, KernelConfig.from(Map.of("IJAVA_TIMEOUT", "1000", "JJAVA_TIMEOUT", "5000")).timeoutMillis(),
                "IJava's name first");
        for (String bad : new String[] {"10s", "10 parsecs", "1 2 3"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KernelConfig.from(Map.of("IJAVA_TIMEOUT", bad)));
            assertEquals(true, e.getMessage().contains("IJAVA_TIMEOUT") && e.getMessage().contains("30 SECONDS"),
                    e.getMessage());
        }
    }

    @Test
    void compilerOptionsAreSpaceSeparated() {
        assertEquals(List.of(), KernelConfig.from(Map.of()).compilerOptions());
        assertEquals(List.of("-parameters", "-Xlint:all"),
                KernelConfig.from(Map.of("IJAVA_COMPILER_OPTS", " -parameters  -Xlint:all ")).compilerOptions());
        assertEquals(List.of("-parameters"), KernelConfig.from(Map.of("JJAVA_COMPILER_OPTS", "-parameters")).compilerOptions());
    }

    @Test
    void ivyCoordinatesBecomeMavenOnes() {
        assertEquals("org.a:b:1.0", MavenResolver.fromIvy("org.a#b;1.0"));
        assertEquals("org.a:b:1.0", MavenResolver.fromIvy("org.a:b:1.0"));
        assertEquals("odd;x#y", MavenResolver.fromIvy("odd;x#y"), "not Ivy's form: left for the error message");
    }


    @Test
    void timeAsAnExpressionPassesItsCodeAsWritten() {
        assertEquals("var n = dlkit.kernel.Kernel.lineMagic(\"time\", java.util.List.of(\"\\\"a b\\\".length()\"));",
                Magics.expression("var n = %time \"a b\".length();"));
    }

}
