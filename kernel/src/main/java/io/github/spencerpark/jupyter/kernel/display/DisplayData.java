package io.github.spencerpark.jupyter.kernel.display;

import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;

/**
 * Display data as notebooks written for IJava build it: JJava's display data (which the kernel
 * shows) with the methods that take IJava's {@link MIMEType}.
 */
public class DisplayData extends org.dflib.jjava.jupyter.kernel.display.DisplayData {

    /** Empty display data. */
    public DisplayData() {}

    /**
     * Display data with a {@code text/plain} representation.
     *
     * @param text the plain text
     */
    public DisplayData(String text) {
        super(text);
    }

    /**
     * A view of other display data: what is put here is put there.
     *
     * @param that the data to write into
     */
    public DisplayData(org.dflib.jjava.jupyter.kernel.display.DisplayData that) {
        super(that);
    }

    /** Adds the data for one type. */
    public void putData(MIMEType type, Object data) {
        putData(type.toString(), data);
    }

    /** Adds the data and metadata for one type. */
    public void putData(MIMEType type, Object data, Object metadata) {
        putData(type.toString(), data);
        putMetaData(type.toString(), metadata);
    }

    /** Adds the metadata for one type (e.g. an image's width). */
    public void putMetaData(MIMEType type, Object metadata) {
        putMetaData(type.toString(), metadata);
    }

    /** The data for one type, or null. */
    public Object getData(MIMEType type) {
        return getData(Renderer.jjava(type));
    }

    /** Whether there is data for this type. */
    public boolean hasDataForType(MIMEType type) {
        return hasDataForType(Renderer.jjava(type));
    }
}
