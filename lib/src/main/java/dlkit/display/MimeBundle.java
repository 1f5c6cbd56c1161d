package dlkit.display;

import java.util.Map;

/**
 * Implemented by dlkit objects that know how to show themselves in a notebook.
 *
 * <p>The kernel calls {@link #toMimeBundle()} when such an object is a cell's result or is
 * displayed. Keys are MIME types; values are text, or base64 for binary types such as
 * {@code image/png}. A bundle should always contain {@code text/plain}.
 */
public interface MimeBundle {

    /**
     * Renders this object.
     *
     * @return MIME type to content, in the order of preference
     */
    Map<String, String> toMimeBundle();
}
