#!/usr/bin/python3
"""Groups a JFR recording's CPU samples into the categories quoted in docs/benchmarks.md.

Usage:
    jfr print --json --events jdk.ExecutionSample profile.jfr > samples.json
    python3 jfr_categories.py samples.json

Each sample goes to the first category whose test matches its stack (top frame first), so the
shares add up to 100 %. A second list counts a few finer items (they may overlap).
"""
import collections
import json
import sys


def frames(event):
    return [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"]
            for f in event["values"]["stackTrace"]["frames"]]


def top_is(fr, *prefixes, depth=3):
    return any(m.startswith(prefixes) for m in fr[:depth])


def calls(fr, *names):
    return any(m in names for m in fr)


CATEGORIES = [
    ("gather (GatheringFuture: IdentityHashMap de-duplication, child callbacks, result list)",
     lambda fr: any("GatheringFuture" in m for m in fr)),
    ("task registry (EventLoop.tasks LinkedHashSet add/remove)",
     lambda fr: top_is(fr, "java.util.HashMap", "java.util.LinkedHashMap")
     and calls(fr, "dev.aio4j.loop.EventLoop.createTask", "dev.aio4j.loop.EventLoop.taskDone")),
    ("JDK thread-container tracking (ConcurrentHashMap)",
     lambda fr: any("ThreadContainer" in m or "ConcurrentHashMap" in m for m in fr)),
    ("thread-local map (Aio.CURRENT_TASK.set)", lambda fr: any("ThreadLocal" in m for m in fr)),
    ("new VirtualThread / Thread.<init> / start",
     lambda fr: calls(fr, "java.lang.VirtualThread.<init>", "java.lang.Thread.<init>",
                      "java.lang.ThreadBuilders$VirtualThreadBuilder.unstarted", "java.lang.VirtualThread.start")),
    ("virtual thread run/mount/unmount/continuation",
     lambda fr: top_is(fr, "java.lang.VirtualThread", "jdk.internal.vm.Continuation")),
]

FINER = [
    ("IdentityHashMap in the top 3 frames (gather de-duplication)",
     lambda fr: any("IdentityHashMap" in m for m in fr[:3])),
    ("tasks.add (HashMap code under EventLoop.createTask)",
     lambda fr: top_is(fr, "java.util.HashMap", "java.util.LinkedHashMap") and calls(fr, "dev.aio4j.loop.EventLoop.createTask")),
    ("tasks.remove (HashMap code under EventLoop.taskDone)",
     lambda fr: top_is(fr, "java.util.HashMap", "java.util.LinkedHashMap") and calls(fr, "dev.aio4j.loop.EventLoop.taskDone")),
]


def main(path):
    events = json.load(open(path))["recording"]["events"]
    total = len(events)
    counts = collections.Counter()
    finer = collections.Counter()
    for e in events:
        fr = frames(e)
        for name, test in CATEGORIES:
            if test(fr):
                counts[name] += 1
                break
        else:
            counts["other"] += 1
        for name, test in FINER:
            if test(fr):
                finer[name] += 1
    print("samples", total)
    for name, n in counts.most_common():
        print(f"{100 * n / total:5.1f} %  {name}")
    print("finer:")
    for name, n in finer.most_common():
        print(f"{100 * n / total:5.1f} %  {name}")


if __name__ == "__main__":
    main(sys.argv[1])
