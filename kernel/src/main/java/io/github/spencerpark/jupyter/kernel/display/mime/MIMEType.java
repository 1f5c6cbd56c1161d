package io.github.spencerpark.jupyter.kernel.display.mime;

import java.util.Objects;

/**
 * A MIME type as notebooks written for IJava name it ({@code MIMEType.TEXT_HTML}); the kernel
 * itself works with JJava's {@code org.dflib.jjava.jupyter.kernel.display.mime.MIMEType}, and the
 * classes of this compatibility layer convert by the type's text.
 */
public final class MIMEType {
    public static final MIMEType ANY = parse("*");
    public static final MIMEType APPLICATION_XML = parse("application/xml");
    public static final MIMEType APPLICATION_JSON = parse("application/json");
    public static final MIMEType APPLICATION_JAVASCRIPT = parse("application/javascript");
    public static final MIMEType APPLICATION_PDF = parse("application/pdf");
    public static final MIMEType TEXT_HTML = parse("text/html");
    public static final MIMEType TEXT_MARKDOWN = parse("text/markdown");
    public static final MIMEType TEXT_LATEX = parse("text/latex");
    public static final MIMEType TEXT_PLAIN = parse("text/plain");
    public static final MIMEType TEXT_CSS = parse("text/css");
    public static final MIMEType IMAGE_PNG = parse("image/png");
    public static final MIMEType IMAGE_JPEG = parse("image/jpeg");
    public static final MIMEType IMAGE_GIF = parse("image/gif");
    public static final MIMEType IMAGE_SVG = parse("image/svg+xml");

    private final org.dflib.jjava.jupyter.kernel.display.mime.MIMEType type;

    private MIMEType(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType type) {
        this.type = type;
    }

    /**
     * Reads a type such as {@code text/html} or {@code image/svg+xml}.
     *
     * @param type the type's text
     * @return the type
     * @throws IllegalArgumentException when the text is not a MIME type
     */
    public static MIMEType parse(String type) {
        return new MIMEType(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.parse(type));
    }

    /** The type before the slash, e.g. {@code text}. */
    public String getGroup() {
        return type.getGroup();
    }

    /** The type after the slash, without a suffix, e.g. {@code svg}. */
    public String getSubtype() {
        return type.getSubtype();
    }

    /** The suffix after {@code +}, e.g. {@code xml}, or null. */
    public String getSuffix() {
        return type.getSuffix();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MIMEType that && type.equals(that.type);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type);
    }

    @Override
    public String toString() {
        return type.toString();
    }
}
