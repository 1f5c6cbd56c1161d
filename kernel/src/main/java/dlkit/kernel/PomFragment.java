package dlkit.kernel;

import java.io.StringReader;
import java.io.StringWriter;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The body of a {@code %%loadFromPOM} cell made into a whole POM, as IJava does: a complete
 * {@code <project>} is kept as it is; otherwise loose {@code <dependency>} and {@code <repository>}
 * elements (and the children of {@code <dependencies>} / {@code <repositories>}) are collected,
 * other elements (properties, dependency management, a parent) are kept, and the model version
 * and coordinates the fragment lacks are filled in.
 */
final class PomFragment {

    private PomFragment() {}

    static String complete(String body) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document in = factory.newDocumentBuilder().parse(new InputSource(new StringReader("<fragment>" + body + "</fragment>")));
            Element root = in.getDocumentElement();
            Element only = onlyElement(root);
            if (only != null && only.getTagName().equals("project")) {
                return body;
            }
            Document out = factory.newDocumentBuilder().newDocument();
            Element project = out.createElement("project");
            out.appendChild(project);
            Element dependencies = out.createElement("dependencies");
            Element repositories = out.createElement("repositories");
            for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
                if (!(child instanceof Element e)) {
                    continue;
                }
                switch (e.getTagName()) {
                    case "dependency" -> dependencies.appendChild(out.importNode(e, true));
                    case "repository" -> repositories.appendChild(out.importNode(e, true));
                    case "dependencies" -> copyChildren(e, dependencies, out);
                    case "repositories" -> copyChildren(e, repositories, out);
                    default -> project.appendChild(out.importNode(e, true));
                }
            }
            add(out, project, "modelVersion", "4.0.0");
            add(out, project, "groupId", "dlkit.notebook");
            add(out, project, "artifactId", "cell");
            add(out, project, "version", "1");
            project.appendChild(dependencies);
            project.appendChild(repositories);
            StringWriter text = new StringWriter();
            var transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.INDENT, "yes");
            transformer.transform(new DOMSource(out), new StreamResult(text));
            return text.toString();
        } catch (Exception e) {
            throw new IllegalArgumentException("the cell is not a POM fragment (XML elements such as <dependency>): "
                    + e.getMessage());
        }
    }

    private static Element onlyElement(Element root) {
        Element only = null;
        for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e) {
                if (only != null) {
                    return null;
                }
                only = e;
            }
        }
        return only;
    }

    private static void copyChildren(Element from, Element to, Document out) {
        NodeList children = from.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element e) {
                to.appendChild(out.importNode(e, true));
            }
        }
    }

    /** Adds {@code <name>value</name>} unless the project has it. */
    private static void add(Document out, Element project, String name, String value) {
        if (directChild(project, name)) {
            return;
        }
        Element e = out.createElement(name);
        e.setTextContent(value);
        project.insertBefore(e, project.getFirstChild());
    }

    private static boolean directChild(Element parent, String name) {
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e && e.getTagName().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
