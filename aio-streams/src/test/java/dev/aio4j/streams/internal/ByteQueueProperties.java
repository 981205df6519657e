package dev.aio4j.streams.internal;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * ByteQueue, the StreamReader's buffer, against a plain byte array as the model, under any mix of
 * copied appends, adopted (owned) arrays of every size around the adoption threshold, takes,
 * skips and searches: every byte comes out once, in order; a copied append is not affected by
 * later changes to the caller's array; an adopted array that a take asks for exactly comes back
 * as itself. aio4j-only (asyncio's bytearray has no such split).
 */
class ByteQueueProperties {

    /** One operation: kind 0 append (copy), 1 append owned, 2 take, 3 skip, 4 indexOf, 5 startsWith; n a size. */
    record Op(int kind, int n) {}

    @Provide
    Arbitrary<Op> ops() {
        Arbitrary<Integer> sizes = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 64),
                Arbitraries.integers().between(ByteQueue.ADOPT_MIN - 2, ByteQueue.ADOPT_MIN + 2),
                Arbitraries.integers().between(0, 70_000));
        return Combinators.combine(Arbitraries.integers().between(0, 5), sizes).as(Op::new);
    }

    @Property(tries = 300)
    void everyByteComesOutOnceInOrder(@ForAll @Size(max = 150) List<@net.jqwik.api.From("ops") Op> ops, @ForAll long seed) {
        Random random = new Random(seed);
        ByteQueue q = new ByteQueue();
        ByteArrayOutputStream model = new ByteArrayOutputStream(); // all bytes appended
        ByteArrayOutputStream out = new ByteArrayOutputStream(); // all bytes taken or skipped
        byte[] lastOwned = null;
        for (Op op : ops) {
            byte[] all = model.toByteArray();
            int consumed = out.size();
            int size = all.length - consumed;
            assertEquals(size, q.size());
            assertEquals(size == 0, q.isEmpty());
            switch (op.kind()) {
                case 0 -> {
                    byte[] src = bytes(random, op.n() + 3);
                    q.append(src, 1, op.n()); // an offset and a tail the queue must not read
                    model.write(src, 1, op.n());
                    Arrays.fill(src, (byte) 0x5a); // the caller reuses its array: the queue kept a copy
                }
                case 1 -> {
                    byte[] owned = bytes(random, op.n());
                    q.appendOwned(owned);
                    model.write(owned, 0, owned.length);
                    lastOwned = owned;
                }
                case 2 -> {
                    int n = size == 0 ? 0 : Math.min(size, op.n() == 0 ? size : op.n());
                    if (lastOwned != null && lastOwned.length <= size && random.nextBoolean()) {
                        n = Math.min(size, lastOwned.length);
                    }
                    byte[] got = q.take(n);
                    assertArrayEquals(Arrays.copyOfRange(all, consumed, consumed + n), got);
                    out.write(got, 0, got.length);
                    Arrays.fill(got, (byte) 0x5a); // the taker owns what it got (it may be an adopted array)
                }
                case 3 -> {
                    int n = Math.min(size, op.n());
                    q.skip(n);
                    out.write(all, consumed, n);
                }
                case 4 -> {
                    byte[] sep = separator(all, consumed, random);
                    int from = size == 0 ? 0 : random.nextInt(size);
                    assertEquals(modelIndexOf(all, consumed, sep, from), q.indexOf(sep, from));
                }
                default -> {
                    byte[] sep = separator(all, consumed, random);
                    int at = random.nextInt(size + 2) - 1;
                    boolean expected = at >= 0 && at + sep.length <= size
                            && Arrays.equals(all, consumed + at, consumed + at + sep.length, sep, 0, sep.length);
                    assertEquals(expected, q.startsWith(sep, at));
                }
            }
        }
        byte[] all = model.toByteArray();
        byte[] rest = q.take(q.size());
        out.write(rest, 0, rest.length);
        assertArrayEquals(all, out.toByteArray());
        assertEquals(0, q.size());
    }

    @Property(tries = 50)
    void anAdoptedArrayTakenExactlyComesBackAsItself(@ForAll @net.jqwik.api.constraints.IntRange(min = ByteQueue.ADOPT_MIN, max = 300_000) int n) {
        ByteQueue q = new ByteQueue();
        byte[] a = new byte[n];
        byte[] b = new byte[n];
        q.appendOwned(a);
        q.appendOwned(b);
        assertSame(a, q.take(n));
        assertSame(b, q.take(n));
        assertEquals(0, q.size());
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) random.nextInt(4); // a small alphabet, so searches find things
        }
        return b;
    }

    private static byte[] separator(byte[] all, int consumed, Random random) {
        int len = 1 + random.nextInt(3);
        if (all.length - consumed >= len && random.nextBoolean()) {
            int at = consumed + random.nextInt(all.length - consumed - len + 1);
            return Arrays.copyOfRange(all, at, at + len); // one that occurs
        }
        return bytes(random, len);
    }

    private static int modelIndexOf(byte[] all, int consumed, byte[] sep, int from) {
        for (int i = consumed + Math.max(from, 0); i + sep.length <= all.length; i++) {
            if (Arrays.equals(all, i, i + sep.length, sep, 0, sep.length)) {
                return i - consumed;
            }
        }
        return -1;
    }
}
