#!/usr/bin/python3
"""Renders the comparison table of one compare.sh run (not a workload twin).

Usage: _table.py RESULTS_DIR [LATER_DIR ...]

With several directories, a workload measured again in a later directory (for example rerun
because other load disturbed it; compare.sh accepts a list of workloads) replaces the earlier
figures of that workload: its JMH file, its Python lines, its lateness and RSS lines.

Reads from RESULTS_DIR:
  jmh-<workload>.json   JMH JSON results (both scheduler values, -prof gc secondary metrics)
  jmh-reference.json    JMH results of the reference benchmarks (optional)
  python.jsonl          one JSON line per Python twin run (asyncio, uvloop or skipped)
  lateness.jsonl        timer lateness lines written by the Java TimersBenchmark
  rss.jsonl             peak-RSS lines of the Java spawn+gather main (optional)
  extra.jsonl           issue 18's non-JMH workloads: TLS, pending tasks, echo on several loops
and prints a Markdown table, the reference points, and the goals of issues 3 and 18 with met/unmet.
"""
import json
import math
import os
import sys

WORKLOADS = [
    # key, JMH benchmark, label, unit shown (the JMH score's unit: ns/op, or ms/op for timers)
    ("task_switch", "dev.aio4j.bench.loop.TaskSwitchBenchmark.sleepZero", "task switch, 1000 tasks x 100 sleep(0)", "ns/switch"),
    ("ping_pong", "dev.aio4j.bench.loop.FuturePingPongBenchmark.pingPong", "Future ping-pong, 2 tasks", "ns/hand-off"),
    ("spawn_gather", "dev.aio4j.bench.loop.SpawnGatherBenchmark.spawnGather", "spawn+gather 100k tasks", "ns/task"),
    ("call_soon_chain", "dev.aio4j.bench.loop.CallSoonChainBenchmark.chain", "callSoon chain, 100k callbacks", "ns/callback"),
    ("queue_handoff", "dev.aio4j.bench.loop.QueueHandoffBenchmark.queueHandoff", "Queue(maxsize=1) put/get, 2 tasks", "ns/item"),
    ("lock_handoff", "dev.aio4j.bench.loop.LockHandoffBenchmark.lockHandoff", "Lock hand-off, 2 tasks, sleep(0) inside", "ns/acquire"),
    ("timers", "dev.aio4j.bench.loop.TimersBenchmark.timers", "100k timers 0-100 ms, total wall", "ms/batch"),
    ("event_fanout", "dev.aio4j.bench.loop.EventFanOutBenchmark.fanOut", "Event set() fan-out to 10k waiters", "ns/waiter"),
    ("virtual_time", "dev.aio4j.bench.loop.VirtualTimeBenchmark.virtualDay", "virtual time: 10k tasks sleep 24 h in all (no twin)", "ms/run"),
    ("echo_1", "dev.aio4j.bench.streams.EchoBenchmark.oneClient", "TCP echo 64 B, 1 client", "ns/round trip"),
    ("echo_50", "dev.aio4j.bench.streams.EchoBenchmark.fiftyClients", "TCP echo 64 B, 50 clients", "ns/round trip"),
    ("bulk", "dev.aio4j.bench.streams.BulkTransferBenchmark.transfer", "bulk transfer 1 GiB, 1 connection (MiB/s = 1e9/x)", "ns/MiB"),
    ("http_1", "dev.aio4j.bench.http.HttpKeepAliveBenchmark.sequential", "HTTP GET keep-alive, 1 at a time (Python: aiohttp)", "ns/request"),
    ("http_10", "dev.aio4j.bench.http.HttpKeepAliveBenchmark.concurrent10", "HTTP GET keep-alive, 10 concurrent (Python: aiohttp)", "ns/request"),
    ("http_50", "dev.aio4j.bench.http.HttpKeepAliveBenchmark.concurrent50", "HTTP GET keep-alive, 50 concurrent (Python: aiohttp)", "ns/request"),
]

SCHEDULERS = ["carrier", "portable"]


def load_json(path, default):
    if not os.path.exists(path):
        return default
    with open(path) as f:
        return json.load(f)


def load_lines(path):
    out = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line.startswith("{"):
                    out.append(json.loads(line))
    return out


def to_unit(score, unit):
    """JMH score in its unit -> ns (for ns/op) or ms (for ms/op)."""
    if unit in ("ns/op", "ms/op"):
        return score
    if unit == "us/op":
        return score * 1e3
    if unit == "s/op":
        return score * 1e3
    raise ValueError(f"unexpected JMH unit {unit}")


def fmt(v, digits=None):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    if digits is None:
        digits = 0 if abs(v) >= 100 else 1 if abs(v) >= 10 else 2
    return f"{v:,.{digits}f}"


def ratio(slow, fast):
    """How many times faster `fast` is than `slow` (both times); None if missing."""
    if slow is None or fast is None or fast == 0:
        return None
    return slow / fast


def fmt_ratio(r):
    return "-" if r is None else f"{r:.2f}x"


def main(results_dirs):
    results_dir = merged_view(results_dirs)
    java = {}  # (workload, scheduler) -> dict(score, error, alloc)
    for key, bench, _label, _unit in WORKLOADS:
        for rec in load_json(os.path.join(results_dir, f"jmh-{key}.json"), []):
            if rec["benchmark"] != bench:
                continue
            pm = rec["primaryMetric"]
            sched = rec.get("params", {}).get("scheduler")
            alloc = rec.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
            raw = [v for fork in pm.get("rawData", []) for v in fork]
            java[(key, sched)] = {
                "score": to_unit(pm["score"], pm["scoreUnit"]),
                "best": to_unit(min(raw), pm["scoreUnit"]) if raw else None,
                "error": None if math.isnan(float(pm["scoreError"])) else to_unit(float(pm["scoreError"]), pm["scoreUnit"]),
                "alloc": alloc,
            }
    py = {}
    skipped = {}
    for rec in load_lines(os.path.join(results_dir, "python.jsonl")):
        if "skipped" in rec:
            skipped[rec["impl"]] = rec["skipped"]
            continue
        v = rec["ns_per_op"]
        if rec["workload"] == "timers":
            v = v / 1e6  # ns per batch -> ms
        best = rec.get("min_ns_per_op")
        if best is not None and rec["workload"] == "timers":
            best = best / 1e6
        py[(rec["workload"], rec["impl"])] = dict(rec, value=v, best=best)
    lateness_all = {}
    for rec in load_lines(os.path.join(results_dir, "lateness.jsonl")):
        lateness_all.setdefault(rec["impl"], []).append(rec)
    rss = {rec["impl"]: rec for rec in load_lines(os.path.join(results_dir, "rss.jsonl"))}

    cols = ["aio4j carrier", "aio4j portable", "asyncio", "uvloop",
            "carrier vs asyncio", "carrier vs uvloop", "portable vs asyncio", "portable vs uvloop"]
    print("| workload | unit | " + " | ".join(cols) + " |")
    print("|---|---|" + "---|" * len(cols))
    values = {}
    for key, _bench, label, unit in WORKLOADS:
        c = java.get((key, "carrier"), {}).get("score")
        p = java.get((key, "portable"), {}).get("score")
        a = py.get((key, "asyncio"), {}).get("value")
        u = py.get((key, "uvloop"), {}).get("value")
        values[key] = (c, p, a, u)
        row = [label, unit, fmt(c), fmt(p), fmt(a), fmt(u),
               fmt_ratio(ratio(a, c)), fmt_ratio(ratio(u, c)), fmt_ratio(ratio(a, p)), fmt_ratio(ratio(u, p))]
        print("| " + " | ".join(row) + " |")
        if key == "spawn_gather":
            mb = lambda kb: None if kb is None else kb / 1024  # noqa: E731
            ra = py.get((key, "asyncio"), {}).get("peak_rss_kb")
            ru = py.get((key, "uvloop"), {}).get("peak_rss_kb")
            for suffix, what in (("", "default heap"), ("-xmx128m", "-Xmx128m")):
                rc = rss.get("aio4j-carrier" + suffix, {}).get("peak_rss_kb")
                rp = rss.get("aio4j-portable" + suffix, {}).get("peak_rss_kb")
                if rc is None and rp is None:
                    continue
                if not suffix:
                    values["rss"] = (mb(rc), mb(rp), mb(ra), mb(ru))
                row = [f"spawn+gather 100k, peak RSS, JVM {what} (lower is better)", "MiB",
                       fmt(mb(rc)), fmt(mb(rp)), fmt(mb(ra)), fmt(mb(ru)),
                       fmt_ratio(ratio(ra, rc)), fmt_ratio(ratio(ru, rc)), fmt_ratio(ratio(ra, rp)), fmt_ratio(ratio(ru, rp))]
                print("| " + " | ".join(row) + " |")
            base_j = rss.get("jvm", {}).get("peak_rss_kb")
            base_a = py.get((key, "asyncio"), {}).get("start_rss_kb")
            base_u = py.get((key, "uvloop"), {}).get("start_rss_kb")
            if base_j is not None or base_a is not None:
                row = ["  (idle process before the workload)", "MiB", fmt(mb(base_j)), fmt(mb(base_j)),
                       fmt(mb(base_a)), fmt(mb(base_u)), "", "", "", ""]
                print("| " + " | ".join(row) + " |")
            kept = [rss.get(f"aio4j-{s}", {}).get("retained_bytes_per_pending_task") for s in SCHEDULERS]
            if any(k is not None for k in kept):
                row = ["spawn+gather, heap retained per pending task", "B", fmt(kept[0], 0), fmt(kept[1], 0),
                       "-", "-", "", "", "", ""]
                print("| " + " | ".join(row) + " |")
        if key == "timers":
            for pct in ("p50_ms", "p99_ms", "max_ms"):
                lc = worst(lateness_all.get("aio4j-carrier"), pct)
                lp = worst(lateness_all.get("aio4j-portable"), pct)
                la = py.get((key, "asyncio"), {}).get(pct)
                lu = py.get((key, "uvloop"), {}).get(pct)
                values["lateness_" + pct] = (lc, lp, la, lu)
                row = [f"timers, lateness {pct[:-3]} (lower is better)", "ms", fmt(lc), fmt(lp), fmt(la), fmt(lu),
                       fmt_ratio(ratio(la, lc)), fmt_ratio(ratio(lu, lc)), fmt_ratio(ratio(la, lp)), fmt_ratio(ratio(lu, lp))]
                print("| " + " | ".join(row) + " |")
    print()
    print("Ratios are speed-ups of aio4j (time of the Python loop / time of aio4j; for RSS and lateness, "
          "Python's figure / aio4j's): above 1.00x aio4j is better.")
    print()
    print("Best iteration (JMH) / best run (Python), the figures least disturbed by other load on the machine:")
    print()
    print("| workload | unit | " + " | ".join(cols) + " |")
    print("|---|---|" + "---|" * len(cols))
    best = {}
    for key, _bench, label, unit in WORKLOADS:
        c = java.get((key, "carrier"), {}).get("best")
        p = java.get((key, "portable"), {}).get("best")
        a = py.get((key, "asyncio"), {}).get("best")
        u = py.get((key, "uvloop"), {}).get("best")
        best[key] = (c, p, a, u)
        row = [label, unit, fmt(c), fmt(p), fmt(a), fmt(u),
               fmt_ratio(ratio(a, c)), fmt_ratio(ratio(u, c)), fmt_ratio(ratio(a, p)), fmt_ratio(ratio(u, p))]
        print("| " + " | ".join(row) + " |")
    if any(k in java for k in [(w[0], s) for w in WORKLOADS for s in SCHEDULERS]):
        print()
        print("JMH score error (99.9%) and allocation per operation (-prof gc, gc.alloc.rate.norm):")
        print()
        print("| workload | scheduler | score | +- error | alloc B/op |")
        print("|---|---|---|---|---|")
        for key, _bench, label, unit in WORKLOADS:
            for s in SCHEDULERS:
                j = java.get((key, s))
                if j:
                    print(f"| {label} | {s} | {fmt(j['score'])} {unit} | {fmt(j['error'])} | {fmt(j['alloc'], 0)} |")
    for impl, why in skipped.items():
        print()
        print(f"NOTE: {impl} column empty: {why}")

    refs = load_json(os.path.join(results_dir, "jmh-reference.json"), [])
    if refs:
        print()
        print("Reference points (not aio4j):")
        print()
        print("| benchmark | score | +- error | unit |")
        print("|---|---|---|---|")
        for rec in refs:
            pm = rec["primaryMetric"]
            name = rec["benchmark"].replace("dev.aio4j.bench.reference.", "")
            err = float(pm["scoreError"])
            print(f"| {name} | {fmt(pm['score'])} | {fmt(None if math.isnan(err) else err)} | {pm['scoreUnit']} |")

    print()
    print("Goals of issue 3 (carrier = loop-as-scheduler back-end, portable = no JVM flags):")
    print()
    print("Judged on the mean figures of the first table; the figure in brackets is the same ratio from the")
    print("best-iteration table, for runs taken on a loaded machine.")
    print()
    for line in goals(values, best):
        print(line)
    ref_scores = {}
    for rec in refs:
        pm = rec["primaryMetric"]
        ref_scores[rec["benchmark"].replace("dev.aio4j.bench.reference.", "")] = to_unit(pm["score"], pm["scoreUnit"])
    print()
    print("Goals of issue 18 (schedulers; the hand-off references come from this run's `reference` workload):")
    print()
    for line in goals18(values, best, ref_scores):
        print(line)
    extra_section(load_lines(os.path.join(results_dir, "extra.jsonl")))


def extra_section(lines):
    """Issue 18's TLS, pending-task memory and every-core figures, with their goals."""
    if not lines:
        return
    by = {}
    for r in lines:
        by.setdefault(r["workload"], {})[r["impl"]] = r
    out = []

    def check(desc, ok, detail):
        status = "n/a " if ok is None else ("MET " if ok else "UNMET")
        out.append(f"- [{status}] {desc}: {detail}")

    mb = lambda kb: None if kb is None else kb / 1024  # noqa: E731
    for wl, unit, per in (("tls_handshake", "handshakes/s", 1e9), ("tls_bulk", "MiB/s", 1e9)):
        rows = by.get(wl)
        if not rows:
            continue
        print()
        print(f"{wl}: " + ("1,000 full TLS 1.3 handshakes, one after the other, client and server on one loop"
                           if wl == "tls_handshake" else "100 MiB over one TLS 1.3 connection, 64 KiB writes, one loop"))
        print()
        print(f"| implementation | mean {unit} | best run {unit} | first (cold) run {unit} | peak RSS MiB | cipher |")
        print("|---|---|---|---|---|---|")
        for impl, r in rows.items():
            cold = r.get("first_run_ns_per_op")
            cipher = r.get("cipher")
            if isinstance(cipher, list):
                cipher = cipher[0]
            print(f"| {impl} | {fmt(per / r['ns_per_op'])} | {fmt(per / r['min_ns_per_op'])} | "
                  f"{fmt(per / cold) if cold else '-'} | {fmt(mb(r.get('peak_rss_kb')))} | {cipher} |")
        a = rows.get("asyncio")
        for impl in ("aio4j-carrier", "aio4j-portable", "aio4j-carrier-lean", "aio4j-portable-lean", "jsse-bare"):
            r = rows.get(impl)
            if r and a:
                rr = a["ns_per_op"] / r["ns_per_op"]
                rb = a["min_ns_per_op"] / r["min_ns_per_op"]
                check(f"{wl}, {impl} at least asyncio's", rr >= 1, f"{rr:.2f}x [best {rb:.2f}x]")
        for impl in ("aio4j-carrier", "aio4j-carrier-lean"):
            r = rows.get(impl)
            if r and a and r.get("peak_rss_kb") and a.get("peak_rss_kb"):
                check(f"{wl}, {impl} peak RSS at most asyncio's", r["peak_rss_kb"] <= a["peak_rss_kb"],
                      f"{fmt(mb(r['peak_rss_kb']))} MiB vs {fmt(mb(a['peak_rss_kb']))} MiB")
    pend = [r for r in lines if r["workload"] == "pending_tasks"]
    if pend:
        print()
        print("pending_tasks: N tasks started and suspended on one Future (heap per task after a full GC; RSS growth per task)")
        print()
        print("| implementation | tasks | heap retained B/task | RSS growth B/task | peak RSS MiB | create+start ms | max heap MiB |")
        print("|---|---|---|---|---|---|---|")
        for r in pend:
            print(f"| {r['impl']} | {r['tasks']:,} | {fmt(r['retained_bytes_per_task'], 0)} | {fmt(r['rss_bytes_per_task'], 0)} | "
                  f"{fmt(mb(r['peak_rss_kb']))} | {fmt(r['start_ms'])} | {r.get('max_heap_mb', '-')} |")
        for n in sorted({r["tasks"] for r in pend}):
            a = next((r for r in pend if r["tasks"] == n and r["impl"] == "asyncio"), None)
            for impl in ("aio4j-carrier-lean", "aio4j-portable-lean"):
                r = next((x for x in pend if x["tasks"] == n and x["impl"] == impl), None)
                if r and a:
                    check(f"pending tasks {n:,}, {impl} peak RSS at most asyncio's", r["peak_rss_kb"] <= a["peak_rss_kb"],
                          f"{fmt(mb(r['peak_rss_kb']))} MiB vs {fmt(mb(a['peak_rss_kb']))} MiB")
    echo = by.get("echo_server")
    if echo:
        cpu = by.get("echo_server_cpu", {})
        print()
        print("echo_cores: TCP echo server on N loops (SO_REUSEPORT), 50 connections x 16 messages of 64 B in flight, EchoLoadClient")
        print()
        print("| arrangement | messages/s | client CPU s (10 s) | server CPU s (whole client run) |")
        print("|---|---|---|---|")
        for impl, r in echo.items():
            print(f"| {impl} | {fmt(r['messages_per_s'])} | {r['client_cpu_s']} | {cpu.get(impl, {}).get('server_cpu_s', '-')} |")
        for pin in ("unpinned", "pinned"):
            one, two = echo.get(f"aio4j-loops1-{pin}"), echo.get(f"aio4j-loops2-{pin}")
            if one and two:
                rr = two["messages_per_s"] / one["messages_per_s"]
                check(f"echo server, 2 loops vs 1, {pin}", rr >= 1.6, f"{rr:.2f}x (goal >= 1.6x)")
    if out:
        print()
        print("Goals of issue 18 measured outside JMH:")
        print()
        for line in out:
            print(line)


def worst(recs, field):
    """Lateness lines come one per fork: report the worst fork (the tail is what matters)."""
    if not recs:
        return None
    return max(r[field] for r in recs)


def goals(v, best=None):
    out = []
    best = best or {}

    def check(desc, ok, detail):
        status = "n/a " if ok is None else ("MET " if ok else "UNMET")
        out.append(f"- [{status}] {desc}: {detail}")

    def speed(key, impl_idx, base_idx):
        vals = v.get(key)
        if not vals:
            return None
        return ratio(vals[base_idx], vals[impl_idx])

    def at_least(desc, key, impl_idx, base_idx, target):
        r = speed(key, impl_idx, base_idx)
        b = best.get(key)
        rb = ratio(b[base_idx], b[impl_idx]) if b else None
        check(desc, None if r is None else r >= target, f"{fmt_ratio(r)} [best {fmt_ratio(rb)}] (goal >= {target}x)")

    C, P, A, U = 0, 1, 2, 3
    at_least("task switch, carrier vs asyncio", "task_switch", C, A, 8)
    at_least("task switch, carrier vs uvloop", "task_switch", C, U, 4)
    at_least("task switch, portable vs uvloop", "task_switch", P, U, 2)
    at_least("Future ping-pong, carrier vs asyncio", "ping_pong", C, A, 15)
    at_least("Future ping-pong, carrier vs uvloop", "ping_pong", C, U, 7)
    at_least("Future ping-pong, portable vs uvloop", "ping_pong", P, U, 3)
    at_least("spawn+gather, carrier vs asyncio", "spawn_gather", C, A, 5)
    rss = v.get("rss")
    if rss and rss[C] is not None and rss[A] is not None:
        check("spawn+gather, carrier peak RSS <= asyncio's", rss[C] <= rss[A], f"{fmt(rss[C])} MiB vs {fmt(rss[A])} MiB")
    at_least("spawn+gather, portable vs asyncio", "spawn_gather", P, A, 4)
    at_least("callSoon chain, carrier vs asyncio", "call_soon_chain", C, A, 30)
    at_least("callSoon chain, portable vs asyncio", "call_soon_chain", P, A, 30)
    at_least("100k timers total wall, carrier <= 1/4 asyncio", "timers", C, A, 4)
    at_least("100k timers total wall, portable <= 1/4 asyncio", "timers", P, A, 4)
    p99 = v.get("lateness_p99_ms")
    if p99:
        for idx, name in ((C, "carrier"), (P, "portable")):
            if p99[idx] is not None:
                check(f"timers p99 lateness < 20 ms, {name}", p99[idx] < 20, f"{fmt(p99[idx])} ms (worst fork)")
    return out


def goals18(v, best, refs):
    """Issue 18's scheduler goals and its held-back twins (asyncio ratios), met/unmet."""
    out = []
    C, P, A, U = 0, 1, 2, 3

    def check(desc, ok, detail):
        status = "n/a " if ok is None else ("MET " if ok else "UNMET")
        out.append(f"- [{status}] {desc}: {detail}")

    def within(desc, key, idx, ref_name, limit):
        vals = v.get(key)
        ref = refs.get(ref_name)
        x = vals[idx] if vals else None
        if x is None or ref is None:
            check(desc, None, f"missing ({key} or reference {ref_name} not measured in this run)")
            return
        r = x / ref
        b = best.get(key)
        rb = f" [best iteration {b[idx] / ref:.2f}x]" if b and b[idx] is not None else ""
        check(desc, r <= limit, f"{fmt(x)} ns vs {fmt(ref)} ns = {r:.2f}x{rb} (goal <= {limit}x)")

    def faster(desc, key, idx, base_idx, target):
        vals = v.get(key)
        r = ratio(vals[base_idx], vals[idx]) if vals else None
        b = best.get(key)
        rb = ratio(b[base_idx], b[idx]) if b else None
        check(desc, None if r is None else r >= target, f"{fmt_ratio(r)} [best {fmt_ratio(rb)}] (goal >= {target}x)")

    within("portable task switch within 1.5x of one default-scheduler hand-off", "task_switch", P,
           "VirtualThreadHandoffBenchmark.defaultScheduler", 1.5)
    within("portable Future ping-pong within 1.5x of one default-scheduler hand-off", "ping_pong", P,
           "VirtualThreadHandoffBenchmark.defaultScheduler", 1.5)
    faster("portable spawn+gather vs asyncio", "spawn_gather", P, A, 4)
    faster("portable 50-client echo vs uvloop", "echo_50", P, U, 1)
    within("carrier task switch within 1.3x of the custom-scheduler hand-off", "task_switch", C,
           "VirtualThreadHandoffBenchmark.customScheduler", 1.3)
    out.append("")
    out.append("Held-back twins (asyncio ratios, both schedulers):")
    out.append("")
    for key, label, tc, tp in (("task_switch", "task switch", 6, 2.5), ("ping_pong", "Future ping-pong", 15, 5),
                               ("spawn_gather", "spawn+gather", 5, 4), ("call_soon_chain", "callSoon chain", 30, 30),
                               ("timers", "100k timers, total wall", 4, 4)):
        faster(f"{label}, carrier vs asyncio", key, C, A, tc)
        faster(f"{label}, portable vs asyncio", key, P, A, tp)
    return out


def merged_view(dirs):
    """One directory's files, or a temporary directory merging several (later ones win per workload)."""
    if len(dirs) == 1:
        return dirs[0]
    import atexit
    import shutil
    import tempfile
    out = tempfile.mkdtemp(prefix="aio4j-table-")
    atexit.register(shutil.rmtree, out, True)
    keys = [w[0] for w in WORKLOADS] + ["reference"]
    for name in ("python.jsonl", "lateness.jsonl", "rss.jsonl", "extra.jsonl"):
        merged = []
        for d in dirs:
            lines = load_lines(os.path.join(d, name))
            if name in ("python.jsonl", "extra.jsonl"):
                redone = {r["workload"] for r in lines}
            elif name == "lateness.jsonl":
                redone = {"timers"} if lines else set()
            else:
                redone = {"spawn_gather"} if lines else set()
            merged = [r for r in merged if r.get("workload", "timers") not in redone] + lines
        with open(os.path.join(out, name), "w") as f:
            for r in merged:
                f.write(json.dumps(r) + "\n")
    for key in keys:
        for d in dirs:
            src = os.path.join(d, f"jmh-{key}.json")
            if os.path.exists(src):
                with open(src) as f_in, open(os.path.join(out, f"jmh-{key}.json"), "w") as f_out:
                    f_out.write(f_in.read())
    return out


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    main(sys.argv[1:])
