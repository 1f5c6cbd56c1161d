"""Writes results/pruned-search.txt from results/pruned-search.log (one line per search run by
pruned-search.sh): each pruned search beside the latest full search of the same space, with the
targets, and a replay of other halving settings on the stored full searches (halving_sim.py)."""
import glob, os, re, sys

sys.path.insert(0, os.path.dirname(__file__))
import halving_sim  # noqa: E402

results = os.path.join(os.path.dirname(__file__), "results")
log = [l.rstrip("\n") for l in open(os.path.join(results, "pruned-search.log")) if l.strip()]
pattern = re.compile(r"^(\S+ \S+)\s+(pruned|full)\s+(\w+)\s+(.*?)\s+wall\s+(\d+) s\s+best val_accuracy ([0-9.]+)")
full, lines = {}, []
for l in log:
    m = pattern.match(l)
    if m and m.group(2) == "full":
        full[m.group(3)] = (float(m.group(5)), float(m.group(6)))
out = ["Fashion-MNIST MLP searches of the tuning notebook's full profile: 30 trials each, 48,000 training and"
       " 12,000 validation images, SGD with momentum 0.9, each search from an empty run cache.",
       "Targets: the pruned search's best validation accuracy within 0.3 points of the full search's, in at most"
       " a third of its wall time.", "", "Every search run (benchmarks/pruned-search.sh; results/pruned-search.log):", *log, ""]
for l in log:
    m = pattern.match(l)
    if m and m.group(2) == "pruned" and m.group(3) in full:
        wall, best = float(m.group(5)), float(m.group(6))
        fwall, fbest = full[m.group(3)]
        share, points = wall / fwall, 100 * (fbest - best)
        out.append(f"{m.group(1)} {m.group(3):8s} {m.group(4)}: wall time {share:.2f} of the full search's"
                   f" ({'met' if share <= 1 / 3 else 'NOT met'}), best {points:+.2f} points below it"
                   f" ({'met' if points <= 0.3 else 'NOT met'})")
for path in sorted(glob.glob(os.path.join(results, "pruned-search-full-*-trials.json"))):
    out += ["", f"Replay on {os.path.basename(path)} (decisions exact; time without pausing and resuming):"]
    import io, contextlib
    text = io.StringIO()
    with contextlib.redirect_stdout(text):
        halving_sim.main([path])
    out += text.getvalue().splitlines()[1:]
tmp = os.path.join(results, "pruned-search.txt.tmp")
open(tmp, "w").write("\n".join(out) + "\n")
os.replace(tmp, os.path.join(results, "pruned-search.txt"))
print("\n".join(out))
