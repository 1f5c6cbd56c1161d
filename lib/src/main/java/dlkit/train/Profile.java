package dlkit.train;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How big a run should be: {@code quick} for tests and CI (tiny subsets, about one epoch), {@code
 * standard} (the default: a notebook finishes in about 20 minutes on 2 cores) or {@code full} (the
 * coursework's own settings).
 *
 * <p>Chosen with the environment variable {@code DLKIT_PROFILE} or the system property {@code
 * dlkit.profile} (the property wins). Notebooks read it and size their runs:
 *
 * <pre>{@code
 * int epochs = Profile.pick(1, 5, 15);
 * int limit  = Profile.pick(2_000, 20_000, 60_000);
 * }</pre>
 */
public enum Profile {
    /** Tiny subsets, about one epoch: tests and CI. */
    QUICK,
    /** The default: a notebook finishes in about 20 minutes on 2 cores. */
    STANDARD,
    /** The settings of the original coursework. */
    FULL;

    /** Environment variable that selects the profile. */
    public static final String ENV = "DLKIT_PROFILE";

    /** System property that selects the profile; wins over the environment variable. */
    public static final String PROPERTY = "dlkit.profile";

    /**
     * Returns the profile chosen by {@code dlkit.profile} / {@code DLKIT_PROFILE}, or {@link
     * #STANDARD} when neither is set.
     *
     * @return the current profile
     * @throws IllegalArgumentException if the setting names no profile
     */
    public static Profile current() {
        String value = System.getProperty(PROPERTY);
        String source = "system property " + PROPERTY;
        if (value == null || value.isBlank()) {
            value = System.getenv(ENV);
            source = "environment variable " + ENV;
        }
        if (value == null || value.isBlank()) {
            return STANDARD;
        }
        return parse(value, source);
    }

    /**
     * Parses a profile name, ignoring case.
     *
     * @param name {@code quick}, {@code standard} or {@code full}
     * @return the profile
     * @throws IllegalArgumentException naming the valid profiles if {@code name} is none of them
     */
    public static Profile parse(String name) {
        return parse(name, "profile name");
    }

    private static Profile parse(String value, String source) {
        String wanted = value.trim().toUpperCase(Locale.ROOT);
        for (Profile p : values()) {
            if (p.name().equals(wanted)) {
                return p;
            }
        }
        throw new IllegalArgumentException(
                "Unknown dlkit profile '"
                        + value
                        + "' (from "
                        + source
                        + "). Valid profiles: "
                        + Arrays.stream(values()).map(Profile::id).collect(Collectors.joining(", "))
                        + ".");
    }

    /**
     * Picks the value for the {@linkplain #current() current} profile.
     *
     * @param quick value for {@code quick}
     * @param standard value for {@code standard}
     * @param full value for {@code full}
     * @param <T> the value type
     * @return one of the three values
     */
    public static <T> T pick(T quick, T standard, T full) {
        return current().choose(quick, standard, full);
    }

    /**
     * Picks the value for this profile.
     *
     * @param quick value for {@code quick}
     * @param standard value for {@code standard}
     * @param full value for {@code full}
     * @param <T> the value type
     * @return one of the three values
     */
    public <T> T choose(T quick, T standard, T full) {
        switch (this) {
            case QUICK:
                return quick;
            case FULL:
                return full;
            default:
                return standard;
        }
    }

    /**
     * Returns the lower-case name used in settings and cache keys.
     *
     * @return {@code quick}, {@code standard} or {@code full}
     */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return id();
    }
}
