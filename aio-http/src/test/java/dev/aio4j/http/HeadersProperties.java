package dev.aio4j.http;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link Headers} behaves like a simple reference model (a list of pairs compared by lower-cased
 * name) under any sequence of operations. aio4j-only.
 */
class HeadersProperties {
    /** One operation on both the model and the real thing. */
    record Op(int kind, String name, String value) {
        @Override
        public String toString() {
            return switch (kind) {
                case 0 -> "add(" + name + ", " + value + ")";
                case 1 -> "set(" + name + ", " + value + ")";
                default -> "remove(" + name + ")";
            };
        }
    }

    @Property(tries = 500, seed = "20261130")
    void behavesLikeTheReferenceModel(@ForAll("ops") List<Op> ops) {
        Headers h = new Headers();
        List<String[]> model = new ArrayList<>();
        for (Op op : ops) {
            switch (op.kind()) {
                case 0 -> {
                    h.add(op.name(), op.value());
                    model.add(new String[] {op.name(), op.value()});
                }
                case 1 -> {
                    h.set(op.name(), op.value());
                    int first = -1;
                    for (int i = 0; i < model.size(); i++) {
                        if (same(model.get(i)[0], op.name())) {
                            if (first < 0) {
                                first = i;
                                model.get(i)[1] = op.value();
                            } else {
                                model.remove(i--);
                            }
                        }
                    }
                    if (first < 0) {
                        model.add(new String[] {op.name(), op.value()});
                    }
                }
                default -> {
                    int expected = (int) model.stream().filter(f -> same(f[0], op.name())).count();
                    model.removeIf(f -> same(f[0], op.name()));
                    assertEquals(expected, h.remove(op.name()));
                }
            }
            check(h, model, ops);
        }
    }

    private static void check(Headers h, List<String[]> model, List<Op> ops) {
        assertEquals(model.size(), h.size(), ops::toString);
        for (int i = 0; i < model.size(); i++) {
            assertEquals(model.get(i)[0], h.entries().get(i).getKey());
            assertEquals(model.get(i)[1], h.entries().get(i).getValue());
        }
        for (String probe : List.of("a", "A", "b", "B", "content-type", "Content-Type", "x")) {
            List<String> all = model.stream().filter(f -> same(f[0], probe)).map(f -> f[1]).toList();
            assertEquals(all, h.getAll(probe));
            assertEquals(all.isEmpty() ? null : all.get(0), h.get(probe));
            assertEquals(!all.isEmpty(), h.contains(probe));
        }
        List<String> names = new ArrayList<>();
        for (String[] f : model) {
            if (names.stream().noneMatch(n -> same(n, f[0]))) {
                names.add(f[0]);
            }
        }
        assertEquals(names, h.names());
        assertEquals(h, Headers.copyOf(h));
        assertEquals(h.hashCode(), h.readOnlyCopy().hashCode());
    }

    private static boolean same(String a, String b) {
        return a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<String> names = Arbitraries.of("a", "A", "b", "B", "content-type", "Content-Type", "CONTENT-TYPE", "x");
        Arbitrary<String> values = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(5);
        return Combinators.combine(Arbitraries.integers().between(0, 2), names, values).as(Op::new).list().ofMaxSize(30);
    }
}
