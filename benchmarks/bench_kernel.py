"""Kernel benchmark (not a test): cold starts, hangs, cold start to first cell, trivial round trip,
for the dlkit kernel and, side by side on the same machine, ipykernel (kernelspec python3).

    benchmarks/kernel.sh [--starts 100] [--roundtrips 200] [--baseline python3]
                                                  [--out benchmarks/results/kernel.txt]

The evaluation alone is also timed without messages, for the JDK's JShell by itself and for the
kernel (dlkit-kernel --eval-timing): what no JShell kernel can go below.
A cold start is: launch the kernelspec, wait for kernel_info, execute "1 + 1", get its reply.
A start that does not finish in --hang-after seconds counts as a hang (and is killed).
The two kernels' cold starts are interleaved, so that both see the same machine load.
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


# The messages of a cell, in the order a kernel sends them: where in a round trip the time goes.
STEPS = ("status busy", "execute_input", "execute_result", "status idle")


def round_trips(kernel, n):
    """Round trips in ms, and for each step the ms from the request to its message's arrival."""
    km = KernelManager(kernel_name=kernel)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    times = []
    steps = {s: [] for s in STEPS}
    try:
        for i in range(n + 5):
            arrived = {}
            t = time.perf_counter()

            def note(msg):
                step = msg["msg_type"]
                if step == "status":
                    step += " " + msg["content"]["execution_state"]
                arrived.setdefault(step, (time.perf_counter() - t) * 1000)

            kc.execute_interactive("1 + 1", timeout=30, output_hook=note)
            if i >= 5:  # the first cells warm the JIT
                times.append((time.perf_counter() - t) * 1000)
                for s in STEPS:
                    if s in arrived:
                        steps[s].append(arrived[s])
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return times, steps


def kernel_java(kernel):
    from jupyter_client.kernelspec import KernelSpecManager
    java = KernelSpecManager().get_kernel_spec(kernel).env.get("DLKIT_JAVA", "java")
    version = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.splitlines()
    return f"{java} ({version[0] if version else '?'})"


def eval_timing(kernel, what, n):
    """Median ms of n evaluations of '1 + 1' without Jupyter's messages (dlkit-kernel --eval-timing)."""
    from jupyter_client.kernelspec import KernelSpecManager
    spec = KernelSpecManager().get_kernel_spec(kernel)
    run = subprocess.run([spec.argv[0], "--eval-timing", what, str(n)], capture_output=True, text=True,
                         env={**os.environ, **spec.env}, timeout=600)
    fields = run.stdout.split()
    if run.returncode != 0 or len(fields) != 4:
        raise RuntimeError(f"--eval-timing {what} failed: {run.stderr[-2000:]}")
    return float(fields[2])


def summary(name, values, unit, scale):
    q = statistics.quantiles(values, n=20) if len(values) > 1 else [values[0]] * 19
    return (f"{name}: median {statistics.median(values) * scale:.{2 if unit == 's' else 1}f} {unit}, "
            f"p95 {q[18] * scale:.{2 if unit == 's' else 1}f} {unit}, min {min(values) * scale:.{2 if unit == 's' else 1}f} {unit}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default=os.environ.get("DLKIT_KERNEL_NAME", "dlkit-java"))
    ap.add_argument("--baseline", default="python3", help="kernelspec to compare with ('' for none)")
    ap.add_argument("--starts", type=int, default=100)
    ap.add_argument("--roundtrips", type=int, default=200)
    ap.add_argument("--hang-after", type=float, default=30.0)
    ap.add_argument("--out", default="benchmarks/results/kernel.txt")
    a = ap.parse_args()

    kernels = [a.kernel] + ([a.baseline] if a.baseline else [])
    starts = {k: [] for k in kernels}
    hangs = {k: 0 for k in kernels}
    failures = {k: 0 for k in kernels}
    for i in range(a.starts):
        for k in kernels:
            seconds, hung = cold_start(k, a.hang_after)
            if hung:
                hangs[k] += 1
            elif seconds is None:
                failures[k] += 1
            else:
                starts[k].append(seconds)
            print(f"cold start {i + 1}/{a.starts} {k}: " + ("HANG" if hung else "fail" if seconds is None
                                                             else f"{seconds:.2f} s"), flush=True)
    measured = {k: round_trips(k, a.roundtrips) for k in kernels}
    # The same cells evaluated without messages: JShell alone is the floor under any JShell kernel.
    evals = {what: eval_timing(a.kernel, what, a.roundtrips) for what in ("jshell", "kernel")}
    rts = {k: measured[k][0] for k in kernels}

    load = os.getloadavg()
    lines = [
        f"kernel benchmark ({time.strftime('%Y-%m-%d %H:%M:%S')}, kernelspecs {', '.join(kernels)})",
        f"command: benchmarks/kernel.sh --starts {a.starts} --roundtrips {a.roundtrips}",
        f"machine: {os.cpu_count()} cores, {platform.platform()}, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}",
        f"java: {kernel_java(a.kernel)}, DLKIT_KERNEL_JIT={os.environ.get('DLKIT_KERNEL_JIT', 'full')}",
    ]
    for k in kernels:
        lines.append(f"{k}: cold starts {a.starts}, hangs (> {a.hang_after:.0f} s) {hangs[k]}, failures {failures[k]}")
        if starts[k]:
            lines.append("  " + summary("cold start to first executed cell", starts[k], "s", 1))
        if rts[k]:
            lines.append("  " + summary(f"trivial cell round trip ('1 + 1', n={len(rts[k])})", rts[k], "ms", 1))
            lines.append("  arrival after the request, median ms: " + ", ".join(
                f"{s} {statistics.median(v):.1f}" for s, v in measured[k][1].items() if v)
                + ", reply " + f"{statistics.median(rts[k]):.1f}")
    lines.append(f"{a.kernel} without messages ('1 + 1', n={a.roundtrips}, dlkit-kernel --eval-timing): "
                 f"median {evals['kernel']:.1f} ms with its imports; the JDK's JShell alone (no class path, "
                 f"no imports) {evals['jshell']:.1f} ms")
    if a.baseline and starts[a.kernel] and starts[a.baseline] and rts[a.kernel] and rts[a.baseline]:
        cold = statistics.median(starts[a.kernel]) / statistics.median(starts[a.baseline])
        trip = statistics.median(rts[a.kernel]) / statistics.median(rts[a.baseline])
        lines.append(f"ratio {a.kernel} / {a.baseline}: cold start {cold:.2f}x (target <= 1.5x, "
                     f"{'met' if cold <= 1.5 else 'not met'}), round trip {trip:.2f}x (target <= 2x, "
                     f"{'met' if trip <= 2 else 'not met'}; JShell alone, without messages: "
                     f"{evals['jshell'] / statistics.median(rts[a.baseline]):.2f}x)")
    text = "\n".join(lines) + "\n"
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(text)
    tmp.replace(out)
    print(text, end="")


if __name__ == "__main__":
    main()
