package dlkit.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The benchmark's timing of evaluation without messages. */
class EvalTimingTest {

    @Test
    void printsTheMedianAndMinimumOfJShellAlone() {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            EvalTiming.run(new String[] {"--eval-timing", "jshell", "3"});
        } finally {
            System.setOut(out);
        }
        String[] fields = captured.toString(StandardCharsets.UTF_8).trim().split(" ");
        assertEquals(4, fields.length, captured.toString(StandardCharsets.UTF_8));
        assertEquals("jshell", fields[0]);
        assertEquals("3", fields[1]);
        double median = Double.parseDouble(fields[2]);
        double min = Double.parseDouble(fields[3]);
        assertTrue(min > 0 && min <= median, "min " + min + ", median " + median);
    }

    @Test
    void anUnknownKindSaysWhatItTakes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvalTiming.run(new String[] {"--eval-timing", "ipython"}));
        assertTrue(e.getMessage().contains("jshell|kernel"), e.getMessage());
    }
}
