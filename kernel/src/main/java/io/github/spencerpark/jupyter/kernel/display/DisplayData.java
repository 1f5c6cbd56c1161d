package io.github.spencerpark.jupyter.kernel.display;

import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;

/**
 * Display data as notebooks written for IJava build it: JJava's display data (which the kernel
 * shows) with the methods that take IJava's {@link MIMEType}.
 */
public class DisplayData extends org.dflib.jjava.jupyter.kernel.display.DisplayData {

    public DisplayData() {}

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

    public void putData(MIMEType type, Object data) {
        putData(type.toString(), data);
    }

    public void putData(MIMEType type, Object data, Object metadata) {
        putData(type.toString(), data);
        putMetaData(type.toString(), metadata);
    }

    public void putMetaData(MIMEType type, Object metadata) {
        putMetaData(type.toString(), metadata);
    }

    public Object getData(MIMEType type) {
        return getData(Renderer.jjava(type));
    }

    public boolean hasDataForType(MIMEType type) {
        return hasDataForType(Renderer.jjava(type));
    }
}
