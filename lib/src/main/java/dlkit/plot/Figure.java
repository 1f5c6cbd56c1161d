package dlkit.plot;

import de.erichseifert.vectorgraphics2d.Processors;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import dlkit.display.MimeBundle;
import dlkit.display.Notebook;
import dlkit.files.AtomicFiles;
import dlkit.files.ProjectDir;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * A finished figure: shows itself inline in a notebook and saves to PNG and SVG (or PDF) for a
 * write-up with one call.
 *
 * <pre>{@code
 * Figure fig = LearningCurves.of(runs).metric("accuracy").figure();
 * fig;                           // last expression of a cell: shown inline
 * fig.save("optimizers-acc");    // figures/optimizers-acc.png (2x) and .svg
 * }</pre>
 *
 * <p>A figure is drawn by a {@link Painter} at a logical size, so the same drawing makes the
 * inline PNG (1x), the export PNG ({@link Style#EXPORT_SCALE}x) and the vector file. An XChart
 * chart is painted when the figure is rendered, so changes made through {@link #chart()} show.
 *
 * <p>Every figure a notebook shows is also exported, so that none is missing from a write-up: one
 * that was not {@link #save}d gets a name from its title ({@code accuracy-by-epoch.png} and
 * {@code .svg}), prefixed with the notebook's name when the kernel knows it (environment variable
 * {@code DLKIT_NOTEBOOK}, which {@code run-notebooks.sh} sets, or Jupyter's {@code
 * JPY_SESSION_NAME}). Showing it again overwrites the same files. Give figures distinct titles, or
 * save them under a name of your own.
 */
public final class Figure implements MimeBundle {

    /** Draws a figure onto a canvas of the given logical size. */
    @FunctionalInterface
    public interface Painter {
        /**
         * Draws the figure.
         *
         * @param g where to draw; may be scaled for high-resolution output
         * @param width logical width in pixels
         * @param height logical height in pixels
         */
        void paint(Graphics2D g, int width, int height);
    }

    /** The file formats {@link #save(String, String...)} writes. */
    public static final List<String> FORMATS = List.of("png", "svg", "pdf");

    private final String title;
    private final int width;
    private final int height;
    private final Painter painter;
    private final Chart<?, ?> chart;
    /** The name it was saved under, or null: a figure saved by hand is not exported again. */
    private volatile String savedAs;
    private volatile boolean exportWhenShown = true;

    private Figure(String title, int width, int height, Painter painter, Chart<?, ?> chart) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException(
                    "figure size must be positive, got " + width + " x " + height);
        }
        this.title = title == null ? "" : title;
        this.width = width;
        this.height = height;
        this.painter = painter;
        this.chart = chart;
    }

    /**
     * Wraps an XChart chart (styled with {@link Style#apply} by this package's factories).
     *
     * @param chart any XChart chart
     * @return a figure of the chart's size
     */
    public static Figure of(Chart<?, ?> chart) {
        return new Figure(chart.getTitle(), chart.getWidth(), chart.getHeight(), chart::paint, chart);
    }

    /**
     * Wraps a custom drawing.
     *
     * @param title text shown in consoles and as the figure's name
     * @param width logical width in pixels
     * @param height logical height in pixels
     * @param painter draws the figure
     * @return a new figure
     */
    public static Figure of(String title, int width, int height, Painter painter) {
        return new Figure(title, width, height, painter, null);
    }

    /**
     * Lays figures out in a grid, left to right then top to bottom, as one figure (for example
     * loss and accuracy side by side). Cells take the size of the largest figure.
     *
     * @param columns figures per row
     * @param figures the figures
     * @return a new figure
     */
    public static Figure grid(int columns, Figure... figures) {
        if (figures.length == 0 || columns < 1) {
            throw new IllegalArgumentException(
                    "a grid needs at least one figure and one column, got "
                            + figures.length
                            + " figures and "
                            + columns
                            + " columns");
        }
        int cellWidth = 0;
        int cellHeight = 0;
        List<String> titles = new ArrayList<>();
        for (Figure figure : figures) {
            cellWidth = Math.max(cellWidth, figure.width);
            cellHeight = Math.max(cellHeight, figure.height);
            titles.add(figure.title);
        }
        int cols = Math.min(columns, figures.length);
        int rows = (figures.length + cols - 1) / cols;
        int cw = cellWidth;
        int ch = cellHeight;
        Figure[] cells = figures.clone();
        Painter painter = (g, w, h) -> {
            for (int i = 0; i < cells.length; i++) {
                Graphics2D cell = (Graphics2D) g.create((i % cols) * cw, (i / cols) * ch, cw, ch);
                try {
                    cell.setColor(Color.WHITE);
                    cell.fillRect(0, 0, cw, ch);
                    cells[i].painter.paint(cell, cw, ch);
                } finally {
                    cell.dispose();
                }
            }
        };
        return new Figure(String.join(" | ", titles), cols * cw, rows * ch, painter, null);
    }

    /**
     * The title, used as text fallback.
     *
     * @return the title, possibly empty
     */
    public String title() {
        return title;
    }

    /**
     * The logical width.
     *
     * @return width in pixels at 1x
     */
    public int width() {
        return width;
    }

    /**
     * The logical height.
     *
     * @return height in pixels at 1x
     */
    public int height() {
        return height;
    }

    /**
     * The XChart chart behind this figure, to adjust before showing or saving.
     *
     * @return the chart, or {@code null} for custom drawings (heat maps, image grids, grids)
     */
    public Chart<?, ?> chart() {
        return chart;
    }

    /**
     * Renders the figure to an image.
     *
     * @param scale pixels per logical pixel (1 for screen, 2 for print)
     * @return an RGB image of {@code width*scale} x {@code height*scale} pixels
     */
    public BufferedImage image(double scale) {
        if (!(scale > 0)) {
            throw new IllegalArgumentException("scale must be positive, got " + scale);
        }
        int w = (int) Math.round(width * scale);
        int h = (int) Math.round(height * scale);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.scale(scale, scale);
            painter.paint(g, width, height);
        } finally {
            g.dispose();
        }
        return image;
    }

    /**
     * Encodes the figure as PNG.
     *
     * @param scale pixels per logical pixel
     * @return PNG bytes, with a resolution of {@code 100 * scale} dots per inch
     */
    public byte[] png(double scale) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            writePng(image(scale), (int) Math.round(100 * scale), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Encodes the figure as a vector file.
     *
     * @param format {@code "svg"} or {@code "pdf"}
     * @return the file's bytes
     */
    public byte[] vector(String format) {
        String f = format.toLowerCase(Locale.ROOT);
        if (!f.equals("svg") && !f.equals("pdf")) {
            throw new IllegalArgumentException("vector format must be svg or pdf, got '" + format + "'");
        }
        VectorGraphics2D g = new VectorGraphics2D();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        painter.paint(g, width, height);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            Processors.get(f).getDocument(g.getCommands(), new PageSize(0, 0, width, height)).writeTo(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Saves {@code <name>.png} (at {@link Style#EXPORT_SCALE}x) and {@code <name>.svg} into the
     * {@linkplain #folder() figures folder}.
     *
     * @param name file name without extension, e.g. {@code "fig3-confusion"}
     * @return the written paths
     */
    public List<Path> save(String name) {
        return save(name, "png", "svg");
    }

    /**
     * Saves the figure in the given formats into the {@linkplain #folder() figures folder}.
     *
     * @param name file name without extension
     * @param formats any of {@code "png"}, {@code "svg"}, {@code "pdf"}
     * @return the written paths, in the order of {@code formats}
     */
    public List<Path> save(String name, String... formats) {
        return saveTo(folder(), name, formats);
    }

    /**
     * Saves the figure into a given folder, creating it if needed. Each file is written to a
     * temporary file and then moved into place, so a reader never sees half a figure.
     *
     * @param folder the target folder
     * @param name file name without extension
     * @param formats any of {@code "png"}, {@code "svg"}, {@code "pdf"}
     * @return the written paths, in the order of {@code formats}
     */
    public List<Path> saveTo(Path folder, String name, String... formats) {
        if (name == null || name.isBlank() || name.contains("/") || name.contains("\\")) {
            throw new IllegalArgumentException(
                    "figure name must be a plain file name without extension, like \"loss-curves\", got '"
                            + name
                            + "'");
        }
        if (formats.length == 0) {
            throw new IllegalArgumentException("give at least one format: " + FORMATS);
        }
        for (String format : formats) {
            if (!FORMATS.contains(format.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("unknown figure format '" + format + "'; use one of " + FORMATS);
            }
        }
        List<Path> written = new ArrayList<>();
        savedAs = name;
        try {
            AtomicFiles.createDirectories(folder);
            for (String format : formats) {
                String f = format.toLowerCase(Locale.ROOT);
                byte[] content = f.equals("png") ? png(Style.EXPORT_SCALE) : vector(f);
                Path file = folder.resolve(name + "." + f);
                AtomicFiles.write(file, content);
                written.add(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not save figure '" + name + "' in " + folder.toAbsolutePath(), e);
        }
        return written;
    }

    /**
     * Shows the figure as a new notebook output (or prints its title in a console).
     *
     * @return this figure
     */
    public Figure show() {
        Notebook.display(this);
        return this;
    }

    /**
     * Where figures are saved: the system property {@code dlkit.figures}, else the environment
     * variable {@code DLKIT_FIGURES}, else {@code figures/} in the {@linkplain
     * ProjectDir#projectRoot(Path) project root}, else {@code ./figures}.
     *
     * @return the figures folder (not necessarily existing yet)
     */
    public static Path folder() {
        return ProjectDir.locate("figures", "dlkit.figures", "DLKIT_FIGURES").path();
    }

    /**
     * Keeps this figure from being exported when it is shown, e.g. a chart that a progress display
     * redraws every epoch.
     *
     * @return this figure
     */
    public Figure withoutExport() {
        exportWhenShown = false;
        return this;
    }

    /**
     * The name a shown figure is exported under: the notebook's name (when known) and the title,
     * in lower case with dashes, e.g. {@code 02-cnn-mnist-accuracy}.
     *
     * @return a plain file name without extension
     */
    public String exportName() {
        String notebook = System.getenv("DLKIT_NOTEBOOK");
        if (notebook == null || notebook.isBlank()) {
            String session = System.getenv("JPY_SESSION_NAME"); // the notebook's path, from jupyter_server
            notebook = session == null ? "" : Path.of(session).getFileName().toString().replaceFirst("\\.ipynb$", "");
        }
        String slug = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        if (slug.length() > 60) {
            slug = slug.substring(0, 60).replaceAll("-[^-]*$", "");
        }
        slug = slug.isEmpty() ? "figure" : slug;
        return notebook.isBlank() ? slug : notebook.replaceAll("[^A-Za-z0-9._-]+", "-") + "-" + slug;
    }

    @Override
    public Map<String, String> toMimeBundle() {
        if (exportWhenShown && savedAs == null && Notebook.isActive()) {
            try {
                save(exportName());
            } catch (RuntimeException e) { // showing the figure matters more than its copy
                System.err.println("dlkit: could not export figure '" + title + "': " + e.getMessage());
            }
        }
        Map<String, String> bundle = new LinkedHashMap<>();
        bundle.put("image/png", Base64.getEncoder().encodeToString(png(1)));
        bundle.put("text/plain", toString());
        return bundle;
    }

    @Override
    public String toString() {
        return "Figure[" + (title.isEmpty() ? "untitled" : title) + ", " + width + "x" + height + "]";
    }

    // ImageIO writes no resolution by default; a pHYs chunk makes documents place the PNG at its
    // intended physical size.
    private static void writePng(BufferedImage image, int dpi, OutputStream out) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
            String dotsPerMetre = String.valueOf(Math.round(dpi / 0.0254));
            IIOMetadataNode phys = new IIOMetadataNode("pHYs");
            phys.setAttribute("pixelsPerUnitXAxis", dotsPerMetre);
            phys.setAttribute("pixelsPerUnitYAxis", dotsPerMetre);
            phys.setAttribute("unitSpecifier", "meter");
            IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
            root.appendChild(phys);
            metadata.mergeTree("javax_imageio_png_1.0", root);
            writer.write(metadata, new IIOImage(image, null, metadata), param);
        } finally {
            writer.dispose();
        }
    }
}
