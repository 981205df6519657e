package dev.aio4j.streams;

import dev.aio4j.loop.test.ApiSurfaceContract;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * aio-streams's public surface (see {@link ApiSurfaceContract}). aio-streams exports its public
 * package and, since 0.2, the network seam {@code dev.aio4j.streams.spi}; the contract knows one
 * package, so the export check, the type list and the Javadoc check are widened here to the
 * second, as aio-test's ApiSurfaceTest does for its web package. aio4j-only.
 */
class ApiSurfaceTest extends ApiSurfaceContract {
    private static final String SPI = "dev.aio4j.streams.spi";

    @Override
    protected String moduleName() {
        return "dev.aio4j.streams";
    }

    @Override
    protected String exportedPackage() {
        return "dev.aio4j.streams";
    }

    @Override
    protected String artifact() {
        return "aio-streams";
    }

    /** The public package's types and then the SPI's, so that the api file lists both. */
    @Override
    protected List<Class<?>> publicTypes() throws Exception {
        List<Class<?>> out = new ArrayList<>(super.publicTypes());
        try (Stream<Path> s = Files.list(Path.of("target/classes/dev/aio4j/streams/spi"))) {
            for (Path p : s.sorted().collect(Collectors.toList())) {
                String f = p.getFileName().toString();
                if (!f.endsWith(".class") || f.contains("$") || f.equals("package-info.class")) {
                    continue;
                }
                Class<?> c = Class.forName(SPI + "." + f.substring(0, f.length() - 6));
                if (Modifier.isPublic(c.getModifiers())) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    @Test
    @Override
    public void moduleExportsOnlyThePublicPackage() {
        ModuleDescriptor d = ModuleFinder.of(Path.of("target/classes")).findAll().stream().findFirst()
                .orElseThrow(() -> new AssertionError("no module-info.class in target/classes")).descriptor();
        assertEquals(moduleName(), d.name());
        Set<String> exported = d.exports().stream().filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertEquals(Set.of("dev.aio4j.streams", SPI), exported, "packages exported to everyone");
        assertTrue(d.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified), "qualified exports: " + d.exports());
        assertTrue(d.opens().isEmpty(), "no opened packages");
        assertTrue(d.packages().stream().filter(p -> !exported.contains(p)).allMatch(p -> p.startsWith("dev.aio4j.streams.internal")),
                "every other package is internal: " + d.packages());
    }

    /** The contract's Javadoc rule, for the sources of the SPI package, which are new in 0.2. */
    @Test
    void everyPublicSpiTypeSaysAio4jOnlyAndSince02() throws IOException {
        List<String> missing = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("src/main/java/dev/aio4j/streams/spi"))) {
            for (Path src : s.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList())) {
                String name = src.getFileName().toString().replace(".java", "");
                if (name.equals("package-info")) {
                    continue;
                }
                String text = Files.readString(src, StandardCharsets.UTF_8);
                var decl = Pattern.compile("(?m)^public\\s+(?:(?:final|sealed|non-sealed|abstract)\\s+)*"
                        + "(?:class|interface|record|enum|@interface)\\s+" + Pattern.quote(name) + "\\b").matcher(text);
                if (!decl.find()) {
                    continue;
                }
                String before = text.substring(0, decl.start());
                int start = before.lastIndexOf("/**");
                int end = before.lastIndexOf("*/");
                String doc = start >= 0 && end > start ? before.substring(start, end) : "";
                if (!doc.contains("aio4j-only") || !doc.contains("@since 0.2")) {
                    missing.add(name);
                }
            }
        }
        assertTrue(missing.isEmpty(), "SPI types whose Javadoc lacks 'aio4j-only' or '@since 0.2': " + missing);
    }
}
