"""Summarises bench-vs-pytorch.sh's raw lines: medians, ranges, dlkit/PyTorch ratios; writes
<prefix>.txt and <prefix>.json atomically (temp file + rename) and prints the text. Standard library only."""
import json
import os
import pathlib
import statistics
import sys
import tempfile

TARGETS = {"mlp128": 1.0, "mlp32": 1.0, "cnn128": 1.1, "evalcnn": 1.0}
TITLES = {"mlp128": "MLP 784-128-10 train, batch 128", "mlp32": "MLP 784-128-10 train, batch 32",
          "cnn128": "MNIST CNN (490) train, batch 128", "evalcnn": "MNIST CNN eval, 10k test images"}


def atomic_write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.chmod(tmp, 0o644)  # mkstemp makes it private; results are for everyone to read
    os.replace(tmp, path)


def main(raw, prefix, pytorch, threads, repeats):
    rows, cpu_rows, loads, comments, memory, blas = {}, {}, [], [], None, set()
    for line in open(raw):
        if line.startswith("#"):
            comments.append(line[1:].strip())
            continue
        entry = json.loads(line)
        loads.append(entry["load1"])
        if entry["case"] == "memory":
            memory = entry["result"]
            continue
        result = entry["result"]
        blas.update(result.get("blas", []))
        rows.setdefault(entry["case"], {}).setdefault(result["framework"], []).append(result["images_per_s"])
        if "images_per_cpu_s" in result:
            cpu_rows.setdefault(entry["case"], {}).setdefault(result["framework"], []).append(result["images_per_cpu_s"])
    out = [f"dlkit vs PyTorch, images/s (median [min-max] of {repeats} interleaved repeats), Adam 1e-3, {threads} threads",
           f"load average (1 min) during the runs: median {statistics.median(loads):.1f}, max {max(loads):.1f}; "
           + "; ".join(comments)]
    if pytorch != "yes":
        out.append("PyTorch for Python is not installed: dlkit only, no ratios.")
    else:
        out.append("PyTorch loaded (from /proc/PID/maps): " + (", ".join(sorted(blas)) or "no BLAS library found"))
    summary = {"threads": int(threads), "repeats": int(repeats), "load1": loads, "pytorch_blas": sorted(blas), "cases": {}}
    for case, sides in rows.items():
        d = sides.get("dlkit", [])
        p = sides.get("pytorch", [])
        item = {"dlkit": d, "pytorch": p}
        text = f"{TITLES.get(case, case):36s} dlkit {statistics.median(d):9.0f} [{min(d):.0f}-{max(d):.0f}]"
        if p:
            ratio = statistics.median(d) / statistics.median(p)
            # ratio of each repeat's pair: the spread shows how much the machine's noise matters
            pairs = [a / b for a, b in zip(d, p)]
            item.update(ratio=ratio, pair_ratios=pairs, target=TARGETS.get(case))
            text += (f"  pytorch {statistics.median(p):9.0f} [{min(p):.0f}-{max(p):.0f}]"
                     f"  ratio {ratio:.2f} (per repeat {min(pairs):.2f}-{max(pairs):.2f}; target >= {TARGETS.get(case)})"
                     f" {'MET' if ratio >= TARGETS.get(case, 0) else 'NOT MET'}")
        summary["cases"][case] = item
        out.append(text)
        # images per process CPU-second: what each side costs, little changed by other processes' load
        dc, pc = cpu_rows.get(case, {}).get("dlkit", []), cpu_rows.get(case, {}).get("pytorch", [])
        if dc and pc:
            item.update(dlkit_per_cpu_s=dc, pytorch_per_cpu_s=pc,
                        cpu_ratio=statistics.median(dc) / statistics.median(pc))
            out.append(f"{'':36s}   per CPU-second: dlkit {statistics.median(dc):.0f} [{min(dc):.0f}-{max(dc):.0f}]"
                       f"  pytorch {statistics.median(pc):.0f} [{min(pc):.0f}-{max(pc):.0f}]"
                       f"  ratio {item['cpu_ratio']:.2f}")
    if memory:
        summary["memory"] = memory
        out.append(f"memory: {memory['fits']} consecutive fits, RSS every 10 fits (MB): {memory['rss_mb_every_10']};"
                   f" growth over the second half: {memory['rss_growth_mb_second_half']} MB")
    text = "\n".join(out) + "\n"
    atomic_write(pathlib.Path(prefix + ".txt"), text)
    atomic_write(pathlib.Path(prefix + ".json"), json.dumps(summary, indent=1) + "\n")
    print(text, end="")


if __name__ == "__main__":
    main(*sys.argv[1:])
