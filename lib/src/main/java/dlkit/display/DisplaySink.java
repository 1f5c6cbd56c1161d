package dlkit.display;

/** Where {@link Notebook} sends rich output; implemented by the notebook kernel. */
public interface DisplaySink {

    /**
     * Shows an object as a new output of the running cell.
     *
     * @param value what to show; rendered as the kernel renders cell results
     * @return an id that {@link #updateDisplay} accepts
     */
    String display(Object value);

    /**
     * Replaces a shown output in place.
     *
     * @param id an id returned by {@link #display}
     * @param value the new content
     */
    void updateDisplay(String id, Object value);
}
