package dlkit.tune;

import dlkit.display.Notebook;

/**
 * The status of a search or a grid: in a notebook one line, shown once and then updated in place;
 * in a console, the lines worth keeping printed one after another. Silent when progress is off.
 */
final class StatusLine {

    private final boolean on;
    private String display; // the notebook display's id, once shown

    StatusLine(boolean on) {
        this.on = on;
    }

    /** A passing state, such as a trial starting: shown in a notebook only. */
    void show(String text) {
        if (on && Notebook.isActive()) {
            if (display == null) {
                display = Notebook.display(text);
            } else {
                Notebook.updateDisplay(display, text);
            }
        }
    }

    /** A state worth keeping, such as a trial's result: shown in a notebook, printed in a console. */
    void report(String text) {
        if (on && Notebook.isActive()) {
            show(text);
        } else if (on) {
            System.out.println(text);
        }
    }

    /** The notebook display's id, or null while nothing is shown in a notebook. */
    String displayId() {
        return display;
    }
}
