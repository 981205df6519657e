package dev.aio4j.examples;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The BOM ({@code aio4j-bom}, which has no parent on purpose) stays in step with the build: same
 * version as the parent, and it lists exactly the published library modules, those whose pom
 * attaches a sources jar. aio4j-only (issue 12).
 */
class BomTest {
    private static final Path ROOT = Path.of("..");

    private static Document parse(Path pom) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(false);
        return f.newDocumentBuilder().parse(pom.toFile());
    }

    /** The text of the first direct child element called {@code name}. */
    private static String child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().trim();
            }
        }
        return null;
    }

    @Test
    void bomVersionIsTheParentVersion() throws Exception {
        String parent = child(parse(ROOT.resolve("pom.xml")).getDocumentElement(), "version");
        String bom = child(parse(ROOT.resolve("aio4j-bom/pom.xml")).getDocumentElement(), "version");
        assertEquals(parent, bom, "aio4j-bom/pom.xml <version> must equal the root pom's");
    }

    @Test
    void bomListsExactlyThePublishedLibraryModules() throws Exception {
        Element root = parse(ROOT.resolve("pom.xml")).getDocumentElement();
        TreeSet<String> published = new TreeSet<>();
        NodeList modules = root.getElementsByTagName("module");
        for (int i = 0; i < modules.getLength(); i++) {
            String module = modules.item(i).getTextContent().trim();
            Path pom = ROOT.resolve(module).resolve("pom.xml");
            if (Files.readString(pom).contains("<artifactId>maven-source-plugin</artifactId>")) {
                published.add(module);
            }
        }
        assertTrue(published.contains("aio-loop"), "the scan found the library modules: " + published);

        TreeSet<String> listed = new TreeSet<>();
        NodeList deps = parse(ROOT.resolve("aio4j-bom/pom.xml")).getElementsByTagName("dependency");
        List<String> versions = new ArrayList<>();
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            assertEquals("dev.aio4j", child(d, "groupId"));
            listed.add(child(d, "artifactId"));
            versions.add(child(d, "version"));
        }
        assertEquals(published, listed, "aio4j-bom lists the modules that publish a sources jar");
        assertTrue(versions.stream().allMatch("${project.version}"::equals), "versions: " + versions);
    }
}
