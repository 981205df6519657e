package dev.aio4j.loop.test;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The hand-rolled API listing catches the breaks japicmp reports (issue 12 asks us to show it
 * before keeping it instead of the established tool): for each kind, a "before" and an "after"
 * version of a small type, whose listings must differ, and one pair that only changes a method
 * body, whose listings must not. aio4j-only.
 */
@SuppressWarnings({"unused", "RedundantThrows"})
class ApiListingTest {

    private static String listing(Class<?> version) {
        String text = ApiListing.of(List.of(version.getDeclaredClasses()), null);
        return text.replace(version.getName() + "$", "X$").replace(version.getName() + ".", "X.");
    }

    private static void assertBreakCaught(Class<?> before, Class<?> after) {
        assertNotEquals(listing(before), listing(after), before.getSimpleName() + " -> " + after.getSimpleName());
    }

    // ----------------------------------------------------------------- a change that is no break

    static class Body1 {
        public static final class T {
            public int f() {
                return 1;
            }
        }
    }

    static class Body2 {
        public static final class T {
            public int f() {
                return 2;
            }
        }
    }

    @Test
    void aChangedMethodBodyIsNoChange() {
        assertEquals(listing(Body1.class), listing(Body2.class));
    }

    // -------------------------------------------------------------------------------- methods

    static class MethodRemoved1 { public static class T { public void a() {} public void b() {} } }
    static class MethodRemoved2 { public static class T { public void a() {} } }

    static class ReturnType1 { public static class T { public int a() { return 0; } } }
    static class ReturnType2 { public static class T { public long a() { return 0; } } }

    static class ParamType1 { public static class T { public void a(int x) {} } }
    static class ParamType2 { public static class T { public void a(long x) {} } }

    static class Throws1 { public static class T { public void a() {} } }
    static class Throws2 { public static class T { public void a() throws IOException {} } }

    static class Static1 { public static class T { public void a() {} } }
    static class Static2 { public static class T { public static void a() {} } }

    static class Visibility1 { public static class T { public void a() {} } }
    static class Visibility2 { public static class T { void a() {} } }

    static class GenericBound1 { public static class T { public <E> void a(E e) {} } }
    static class GenericBound2 { public static class T { public <E extends Number> void a(E e) {} } }

    static class GenericReturn1 { public static class T { public List<String> a() { return null; } } }
    static class GenericReturn2 { public static class T { public List<Object> a() { return null; } } }

    static class DefaultToAbstract1 { public interface T { default void a() {} } }
    static class DefaultToAbstract2 { public interface T { void a(); } }

    @Test
    void methodBreaks() {
        assertBreakCaught(MethodRemoved1.class, MethodRemoved2.class);
        assertBreakCaught(ReturnType1.class, ReturnType2.class);
        assertBreakCaught(ParamType1.class, ParamType2.class);
        assertBreakCaught(Throws1.class, Throws2.class);
        assertBreakCaught(Static1.class, Static2.class);
        assertBreakCaught(Visibility1.class, Visibility2.class);
        assertBreakCaught(GenericBound1.class, GenericBound2.class);
        assertBreakCaught(GenericReturn1.class, GenericReturn2.class);
        assertBreakCaught(DefaultToAbstract1.class, DefaultToAbstract2.class);
    }

    // ------------------------------------------------------------------------ types and fields

    static class MadeFinal1 { public static class T {} }
    static class MadeFinal2 { public static final class T {} }

    static class Superclass1 { public static class T extends RuntimeException {} }
    static class Superclass2 { public static class T extends Exception {} }

    static class Base1 { public static class Mid extends RuntimeException {} public static class T extends Mid {} }
    static class Base2 { public static class Mid extends Exception {} public static class T extends Mid {} }

    static class Interface1 { public static class T implements Runnable { public void run() {} } }
    static class Interface2 { public static class T { public void run() {} } }

    static class InterfaceGeneric1 { public static class T implements Comparable<T> { public int compareTo(T o) { return 0; } } }
    static class InterfaceGeneric2 { public static class T implements Comparable<Object> { public int compareTo(Object o) { return 0; } } }

    static class NestedRemoved1 { public static class T { public interface Body {} } }
    static class NestedRemoved2 { public static class T {} }

    static class NestedChanged1 { public static class T { public interface Body { void run(); } } }
    static class NestedChanged2 { public static class T { public interface Body { void run() throws Exception; } } }

    static class FieldType1 { public static class T { public static final int F = 1; } }
    static class FieldType2 { public static class T { public static final long F = 1; } }

    static class EnumConstant1 { public enum T { A, B } }
    static class EnumConstant2 { public enum T { A } }

    static class Sealed1 { public sealed interface T permits A, B {} public record A() implements T {} public record B() implements T {} }
    static class Sealed2 { public sealed interface T permits A {} public record A() implements T {} public record B() {} }

    static class RecordComponent1 { public record T(int a) {} }
    static class RecordComponent2 { public record T(long a) {} }

    @Test
    void typeBreaks() {
        assertBreakCaught(MadeFinal1.class, MadeFinal2.class);
        assertBreakCaught(Superclass1.class, Superclass2.class);
        assertBreakCaught(Base1.class, Base2.class);
        assertBreakCaught(Interface1.class, Interface2.class);
        assertBreakCaught(InterfaceGeneric1.class, InterfaceGeneric2.class);
        assertBreakCaught(NestedRemoved1.class, NestedRemoved2.class);
        assertBreakCaught(NestedChanged1.class, NestedChanged2.class);
        assertBreakCaught(FieldType1.class, FieldType2.class);
        assertBreakCaught(EnumConstant1.class, EnumConstant2.class);
        assertBreakCaught(Sealed1.class, Sealed2.class);
        assertBreakCaught(RecordComponent1.class, RecordComponent2.class);
    }

    @Test
    void superclassChainIsListedSoADistantChangeShows() {
        String text = listing(Base1.class);
        assertEquals(true, text.contains("(is a java.lang.RuntimeException, java.lang.Exception, java.lang.Throwable)"), text);
    }

    // ------------------------------------------- members of a superclass that is not API itself

    static class Declared { public static final class T implements AutoCloseable {
        public static final int F = 1; public void a() {} public void close() {} } }
    static class InHidden { abstract static class Hidden implements AutoCloseable {
        public static final int F = 1; public void a() {} public void close() {} }
        public static final class T extends Hidden {} }
    static class InTwoHidden { abstract static class Base { public static final int F = 1; public void a() {} }
        abstract static class Mid extends Base implements AutoCloseable { public void close() {} }
        public static final class T extends Mid {} }
    static class HiddenMethodRemoved { abstract static class Hidden implements AutoCloseable {
        public static final int F = 1; public void close() {} }
        public static final class T extends Hidden {} }

    @Test
    void membersOfAPackagePrivateSuperclassAreListedAsTheClassOwn() {
        // Moving public members up into package-private layers (EventLoop over BaseEventLoop and
        // SelectorEventLoop) is no change to the API; removing one from a layer is.
        assertEquals(listing(Declared.class), listing(InHidden.class));
        assertEquals(listing(Declared.class), listing(InTwoHidden.class));
        assertBreakCaught(InHidden.class, HiddenMethodRemoved.class);
    }
}
