package dlkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** dlkit's version: the Maven project version, written into the jar when it is built (one place). */
public final class Version {

    private static final String VERSION = read();

    private Version() {}

    /**
     * Returns dlkit's version, e.g. {@code 0.1.0-SNAPSHOT}.
     *
     * @return the version of the lib module this class came from
     */
    public static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            String v = p.getProperty("version", "");
            return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
