package dlkit.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import dlkit.models.UniformDropout;
import org.junit.jupiter.api.Test;

class DropoutAdviceTest {

    private static final String AMD = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\n";
    private static final String INTEL = "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\n";

    @Test
    void appliesToDjlsDropoutAnywhereInTheModelOnAProcessorNotIntels() {
        Block nested = new SequentialBlock().add(Linear.builder().setUnits(4).build())
                .add(new SequentialBlock().add(Dropout.builder().optRate(0.3f).build()));
        assertTrue(DropoutAdvice.applies(nested, AMD, "amd64"));
        assertTrue(DropoutAdvice.applies(nested, "", "aarch64"), "no /proc/cpuinfo, an ARM processor");
        assertFalse(DropoutAdvice.applies(nested, INTEL, "amd64"));
        assertFalse(DropoutAdvice.applies(nested, "", "amd64"), "an x86 processor of unknown vendor");
        Block ours = new SequentialBlock().add(Linear.builder().setUnits(4).build()).add(new UniformDropout(0.3f));
        assertFalse(DropoutAdvice.applies(ours, AMD, "amd64"));
    }
}
