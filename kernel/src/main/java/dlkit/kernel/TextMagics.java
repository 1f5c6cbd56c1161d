package dlkit.kernel;

import dlkit.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * IPython's cell magics whose body is not Java, as notebooks of other kernels (BeakerX, Ganymede)
 * use them: {@code %%html}, {@code %%markdown}, {@code %%javascript} (or {@code %%js}) and {@code
 * %%latex} show the body as that kind of output; {@code %%writefile [-a] FILE} writes it to a file.
 */
final class TextMagics {

    /** The cell magics this class runs. */
    static final List<String> NAMES = List.of("html", "markdown", "javascript", "js", "latex", "writefile");

    private TextMagics() {}

    /** Runs one; the value is the cell's result (none for {@code %%writefile}). */
    static Object run(String name, List<String> args, String body) throws IOException {
        if (name.equals("writefile")) {
            return writeFile(args, body);
        }
        DisplayData shown = new DisplayData(body); // text/plain: the source, for consoles and nbconvert to text
        switch (name) {
            case "html" -> shown.putHTML(body);
            case "markdown" -> shown.putMarkdown(body);
            case "latex" -> shown.putLatex(body);
            default -> shown.putJavaScript(body);
        }
        return shown;
    }

    private static Object writeFile(List<String> args, String body) throws IOException {
        boolean append = !args.isEmpty() && (args.get(0).equals("-a") || args.get(0).equals("--append"));
        List<String> files = append ? args.subList(1, args.size()) : args;
        if (files.size() != 1) {
            throw new IllegalArgumentException("%%writefile needs one file name, e.g. %%writefile data.csv"
                    + " (or %%writefile -a data.csv to append)");
        }
        Path file = KernelConfig.resolve(files.get(0));
        boolean existed = Files.exists(file);
        String text = body.endsWith("\n") ? body : body + "\n";
        if (append) {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } else {
            AtomicFiles.writeString(file, text); // a reader never sees half a file
        }
        System.out.println((append ? "Appending to " : existed ? "Overwriting " : "Writing ") + files.get(0));
        return null;
    }
}
