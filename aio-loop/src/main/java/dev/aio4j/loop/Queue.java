package dev.aio4j.loop;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.LoopBinding;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * A first-in, first-out queue for passing items between tasks of one loop.
 *
 * <p><b>asyncio:</b> {@code asyncio.Queue}. <b>Differences:</b> {@link #get()}, {@link #put} and
 * {@link #join()} suspend the calling task and return the value directly; {@code shutdown} is
 * Python 3.13's. Subclasses {@link PriorityQueue} and {@link LifoQueue} change only the order.
 * Items may be {@code null} (Python's {@code None}, the usual end-of-stream sentinel), except in a
 * {@link PriorityQueue}, which must compare them.
 *
 * <pre>{@code
 * Queue<String> q = new Queue<>(10);
 * Aio.createTask(() -> { for (String url : urls) q.put(url); return null; });
 * String first = q.get();
 * q.taskDone();
 * }</pre>
 *
 * <p><b>Threading:</b> loop-confined; create it inside a running loop (it binds to that loop on
 * first use). From other threads use {@link EventLoop#callSoonThreadsafe}.
 *
 * <p><b>Testing:</b> run producers and consumers on a loop with a {@link VirtualClock}.
 *
 * @param <T> the item type
 * @since 0.1
 */
public sealed class Queue<T> permits PriorityQueue, LifoQueue {
    /*
     * Maintainer notes. getters/putters hold one future per suspended task, FIFO. A woken waiter
     * that is cancelled before it resumes passes its wake-up to the next waiter (asyncio
     * bpo-31620 and friends): no lost wake-ups, no lost items. Items are only ever added by
     * putNowait and removed by getNowait, so a cancelled put or get never loses an item.
     */
    private final int maxsize;
    private final ArrayDeque<Future<Void>> getters = new ArrayDeque<>();
    private final ArrayDeque<Future<Void>> putters = new ArrayDeque<>();
    private int unfinishedTasks;
    private final Event finished = new Event();
    private boolean shutdown;
    private EventLoop loop;

    /** An unbounded queue. */
    public Queue() {
        this(0);
    }

    /**
     * A queue holding at most {@code maxsize} items; 0 or less means unbounded.
     *
     * @param maxsize the bound
     */
    public Queue(int maxsize) {
        this.maxsize = maxsize;
        this.finished.set();
    }

    // -------------------------------------------------------------- storage, overridden by subclasses

    /** Storage: FIFO, of {@link #mask masked} items. */
    private final ArrayDeque<Object> fifo = new ArrayDeque<>();

    void store(T item) {
        fifo.addLast(mask(item));
    }

    T take() {
        return unmask(fifo.pollFirst());
    }

    int storedSize() {
        return fifo.size();
    }

    Iterator<T> storedItems() {
        return unmasking(fifo.iterator());
    }

    /** Stands for a null item in an ArrayDeque, which refuses null (asyncio's queues carry None). */
    private static final Object NULL_ITEM = new Object();

    static Object mask(Object item) {
        return item == null ? NULL_ITEM : item;
    }

    @SuppressWarnings("unchecked")
    static <T> T unmask(Object stored) {
        return stored == NULL_ITEM ? null : (T) stored;
    }

    static <T> Iterator<T> unmasking(Iterator<Object> stored) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return stored.hasNext();
            }

            @Override
            public T next() {
                return unmask(stored.next());
            }
        };
    }

    // -------------------------------------------------------------------------------- API

    /**
     * The number of items in the queue.
     *
     * @return the size
     */
    public int qsize() {
        return storedSize();
    }

    /**
     * The bound given at construction (0 for unbounded).
     *
     * @return maxsize
     */
    public int maxsize() {
        return maxsize;
    }

    /**
     * Whether the queue holds no items.
     *
     * @return true if empty
     */
    public boolean empty() {
        return storedSize() == 0;
    }

    /**
     * Whether the queue holds {@code maxsize} items (never true for an unbounded queue).
     *
     * @return true if full
     */
    public boolean full() {
        return maxsize > 0 && storedSize() >= maxsize;
    }

    /**
     * Puts an item, suspending while the queue is full.
     *
     * <p><b>Cancellation:</b> this method may suspend. If the task is cancelled while it waits,
     * the item is not added (the caller still holds it) and the next waiting producer is woken
     * if there is room.
     *
     * @param item the item; may be null, except in a {@link PriorityQueue}
     * @throws QueueShutDown if the queue is shut down (before or while waiting)
     */
    public void put(T item) {
        bind();
        while (full()) {
            if (shutdown) {
                throw new QueueShutDown(kind() + ".put() called on a queue that is shut down: " + this);
            }
            Future<Void> putter = loop.createFuture();
            putters.addLast(putter);
            try {
                putter.await();
            } catch (CancelledError e) {
                putter.cancel();
                putters.remove(putter);
                if (!full() && !putter.cancelled()) {
                    wakeupNext(putters);
                }
                throw e;
            }
        }
        if (shutdown) {
            // (putNowait would refuse too, but under its own name)
            throw new QueueShutDown(kind() + ".put() called on a queue that is shut down: " + this);
        }
        putNowait(item);
    }

    /**
     * Puts an item without suspending.
     *
     * @param item the item; may be null, except in a {@link PriorityQueue}
     * @throws QueueFull if the queue is full
     * @throws QueueShutDown if the queue is shut down
     */
    public void putNowait(T item) {
        bind();
        if (shutdown) {
            throw new QueueShutDown(kind() + ".putNowait() called on a queue that is shut down: " + this);
        }
        if (full()) {
            throw new QueueFull(kind() + ".putNowait() called on a full queue: " + this);
        }
        store(item);
        unfinishedTasks++;
        finished.clear();
        wakeupNext(getters);
    }

    /**
     * Removes and returns an item, suspending while the queue is empty.
     *
     * <p><b>Cancellation:</b> this method may suspend. If the task is cancelled while it waits,
     * no item is taken (items stay in the queue for other consumers) and the wake-up, if one
     * was already given to this task, passes to the next waiting consumer.
     *
     * @return the item
     * @throws QueueShutDown if the queue is shut down and empty
     */
    public T get() {
        bind();
        while (empty()) {
            if (shutdown) {
                throw new QueueShutDown(kind() + ".get() called on an empty queue that is shut down: " + this);
            }
            Future<Void> getter = loop.createFuture();
            getters.addLast(getter);
            try {
                getter.await();
            } catch (CancelledError e) {
                getter.cancel();
                getters.remove(getter);
                if (!empty() && !getter.cancelled()) {
                    wakeupNext(getters);
                }
                throw e;
            }
        }
        return getNowait();
    }

    /**
     * Removes and returns an item without suspending.
     *
     * @return the item
     * @throws QueueEmpty if the queue is empty
     * @throws QueueShutDown if the queue is empty and shut down
     */
    public T getNowait() {
        bind();
        if (empty()) {
            if (shutdown) {
                throw new QueueShutDown(kind() + ".getNowait() called on an empty queue that is shut down: " + this);
            }
            throw new QueueEmpty(kind() + ".getNowait() called on an empty queue: " + this);
        }
        T item = take();
        wakeupNext(putters);
        return item;
    }

    /**
     * Says that an item taken with {@link #get()} has been fully processed; {@link #join()}
     * returns when every item put has been marked done.
     *
     * @throws IllegalStateException if called more times than items were put
     */
    public void taskDone() {
        if (unfinishedTasks <= 0) {
            throw new IllegalStateException(kind() + ".taskDone() called more times than items were put: " + this);
        }
        unfinishedTasks--;
        if (unfinishedTasks == 0) {
            finished.set();
        }
    }

    /**
     * Suspends until every item put into the queue has been marked with {@link #taskDone()}.
     *
     * <p><b>Cancellation:</b> this method may suspend; cancelling the waiting task changes
     * nothing in the queue.
     */
    public void join() {
        if (unfinishedTasks > 0) {
            finished.await();
        }
    }

    /**
     * Shuts the queue down (Python 3.13): {@code put} and {@code putNowait} then throw
     * {@link QueueShutDown}, and so do {@code get} and {@code getNowait} once the queue is
     * empty. Every suspended producer and consumer is woken to see it. With
     * {@code immediate}, the items still queued are dropped (and counted as done for
     * {@link #join()}).
     *
     * @param immediate whether to drop the queued items
     */
    public void shutdown(boolean immediate) {
        shutdown = true;
        if (immediate) {
            while (!empty()) {
                take();
                if (unfinishedTasks > 0) {
                    unfinishedTasks--;
                }
            }
            if (unfinishedTasks == 0) {
                finished.set();
            }
        }
        while (!getters.isEmpty()) {
            Future<Void> g = getters.pollFirst();
            if (!g.done()) {
                g.setResult(null);
            }
        }
        while (!putters.isEmpty()) {
            Future<Void> p = putters.pollFirst();
            if (!p.done()) {
                p.setResult(null);
            }
        }
    }

    /** {@link #shutdown(boolean) shutdown(false)}. */
    public void shutdown() {
        shutdown(false);
    }

    /**
     * Whether {@link #shutdown} was called.
     *
     * @return true once shut down
     */
    public boolean isShutdown() {
        return shutdown;
    }

    private static void wakeupNext(ArrayDeque<Future<Void>> waiters) {
        while (!waiters.isEmpty()) {
            Future<Void> w = waiters.pollFirst();
            if (!w.done()) {
                w.setResult(null);
                break;
            }
        }
    }

    private void bind() {
        loop = LoopBinding.bind(loop, Aio.getRunningLoop(), getClass().getSimpleName());
    }

    String kind() {
        return "Queue";
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(kind()).append("[maxsize=").append(maxsize);
        sb.append(", qsize=").append(storedSize());
        if (!getters.isEmpty()) {
            sb.append(", getters=").append(getters.size());
        }
        if (!putters.isEmpty()) {
            sb.append(", putters=").append(putters.size());
        }
        if (unfinishedTasks > 0) {
            sb.append(", tasks=").append(unfinishedTasks);
        }
        if (shutdown) {
            sb.append(", shutdown");
        }
        return sb.append(']').toString();
    }
}
