"""Kernel benchmark (not a test): cold starts, hangs, cold start to first cell, trivial round trip.

    /usr/bin/python3 kernel/bench/bench_kernel.py [--starts 100] [--roundtrips 200] [--out build/bench/kernel.txt]

A cold start is: launch the kernelspec, wait for kernel_info, execute "1 + 1", get its reply.
A start that does not finish in --hang-after seconds counts as a hang (and is killed).
"""
import argparse
import os
import platform
import statistics
import subprocess
import time
from pathlib import Path

from jupyter_client.manager import KernelManager


def cold_start(kernel, hang_after):
    t0 = time.perf_counter()
    km = KernelManager(kernel_name=kernel)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=hang_after)
        reply = kc.execute_interactive("1 + 1", timeout=max(1, hang_after - (time.perf_counter() - t0)),
                                       output_hook=lambda m: None)
        ok = reply["content"]["status"] == "ok"
        return (time.perf_counter() - t0) if ok else None, False
    except (RuntimeError, TimeoutError) as e:
        return None, True
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def round_trips(kernel, n):
    km = KernelManager(kernel_name=kernel)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    times = []
    try:
        for i in range(n + 5):
            t = time.perf_counter()
            kc.execute_interactive("1 + 1", timeout=30, output_hook=lambda m: None)
            if i >= 5:  # the first cells warm the JIT
                times.append((time.perf_counter() - t) * 1000)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return times


def kernel_java(kernel):
    from jupyter_client.kernelspec import KernelSpecManager
    java = KernelSpecManager().get_kernel_spec(kernel).env.get("DLKIT_JAVA", "java")
    version = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.splitlines()
    return f"{java} ({version[0] if version else '?'})"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default=os.environ.get("DLKIT_KERNEL_NAME", "dlkit-java"))
    ap.add_argument("--starts", type=int, default=100)
    ap.add_argument("--roundtrips", type=int, default=200)
    ap.add_argument("--hang-after", type=float, default=30.0)
    ap.add_argument("--out", default="build/bench/kernel.txt")
    a = ap.parse_args()

    starts, hangs, failures = [], 0, 0
    for i in range(a.starts):
        seconds, hung = cold_start(a.kernel, a.hang_after)
        if hung:
            hangs += 1
        elif seconds is None:
            failures += 1
        else:
            starts.append(seconds)
        print(f"cold start {i + 1}/{a.starts}: " + ("HANG" if hung else "fail" if seconds is None else f"{seconds:.2f} s"),
              flush=True)
    rts = round_trips(a.kernel, a.roundtrips)

    load = os.getloadavg()
    lines = [
        f"dlkit kernel benchmark ({time.strftime('%Y-%m-%d %H:%M:%S')}, kernelspec {a.kernel})",
        f"machine: {os.cpu_count()} cores, {platform.platform()}, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}",
        f"java: {kernel_java(a.kernel)}",
        f"cold starts: {a.starts}, hangs (> {a.hang_after:.0f} s): {hangs}, failures: {failures}",
    ]
    if starts:
        q = statistics.quantiles(starts, n=20) if len(starts) > 1 else [starts[0]] * 19
        lines.append(f"cold start to first executed cell: median {statistics.median(starts):.2f} s, "
                     f"p95 {q[18]:.2f} s, min {min(starts):.2f} s, max {max(starts):.2f} s (target <= 2 s)")
    if rts:
        q = statistics.quantiles(rts, n=20)
        lines.append(f"trivial cell round trip ('1 + 1', n={len(rts)}): median {statistics.median(rts):.1f} ms, "
                     f"p95 {q[18]:.1f} ms, min {min(rts):.1f} ms (target <= 50 ms)")
    text = "\n".join(lines) + "\n"
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(text)
    tmp.replace(out)
    print(text, end="")


if __name__ == "__main__":
    main()
