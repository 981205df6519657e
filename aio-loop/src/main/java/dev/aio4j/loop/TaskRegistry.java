package dev.aio4j.loop;

import java.util.ArrayList;
import java.util.List;

/**
 * A loop's pending tasks in creation order (asyncio's {@code tasks.py} {@code _scheduled_tasks},
 * behind {@code all_tasks()}): an intrusive doubly linked list through {@code Task.prevTask}/
 * {@code nextTask}, so the loop holds every pending task strongly and a finished one leaves in
 * O(1). Package-private; loop-confined.
 */
final class TaskRegistry {
    private Task<?> first;
    private Task<?> last;
    private int count;

    void add(Task<?> t) {
        t.linked = true;
        t.prevTask = last;
        if (last == null) {
            first = t;
        } else {
            last.nextTask = t;
        }
        last = t;
        count++;
    }

    /** The task is done: unlink it (idempotent). */
    void remove(Task<?> t) {
        if (!t.linked) {
            return;
        }
        t.linked = false;
        Task<?> p = t.prevTask;
        Task<?> n = t.nextTask;
        if (p == null) {
            first = n;
        } else {
            p.nextTask = n;
        }
        if (n == null) {
            last = p;
        } else {
            n.prevTask = p;
        }
        t.prevTask = null;
        t.nextTask = null;
        count--;
    }

    /** Forgets every task (EventLoop.close(), after they were unwound). */
    void clear() {
        first = null;
        last = null;
        count = 0;
    }

    /** A snapshot of the pending tasks, in creation order. */
    List<Task<?>> snapshot() {
        List<Task<?>> out = new ArrayList<>(count);
        for (Task<?> t = first; t != null; t = t.nextTask) {
            out.add(t);
        }
        return out;
    }

    /** EventLoop.dumpTasks(): each pending task, who awaits it, and its stack. */
    String dump(Object loop) {
        List<Task<?>> all = snapshot();
        StringBuilder sb = new StringBuilder();
        sb.append(loop).append(": ").append(all.size()).append(all.size() == 1 ? " pending task" : " pending tasks").append('\n');
        for (Task<?> t : all) {
            sb.append("  ").append(t).append('\n');
            List<String> awaitedBy = new ArrayList<>();
            for (Task<?> o : all) {
                if (o.waitingOn == t) {
                    awaitedBy.add(o.getName());
                }
            }
            if (!awaitedBy.isEmpty()) {
                sb.append("    awaited by: ").append(String.join(", ", awaitedBy)).append('\n');
            }
            for (StackTraceElement e : t.getStack()) {
                sb.append("    at ").append(e).append('\n');
            }
        }
        return sb.toString();
    }

    /** The oldest pending task, or null (EventLoop.closeAfterFatal walks the list without a snapshot). */
    Task<?> first() {
        return first;
    }

    /** How many tasks are pending. */
    int size() {
        return count;
    }
}
