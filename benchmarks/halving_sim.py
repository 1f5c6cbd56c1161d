"""Replays successive halving on a finished full search: which trials each Halving(minEpochs, reduction)
would have pruned, the best validation accuracy it would have found and the share of the full
search's training time it would have spent. Exact for the decisions (a pruned search sees the same
epochs as the full one); the time leaves out pausing and resuming, which the real pruned run has.
   /usr/bin/python3 benchmarks/halving_sim.py build/bench/search-runs-full-*/search-mlp-baseline-*/trials.json
With --rules and several searches: other ways to rank trials at a rung than Halving's (the last
epoch's accuracy), every setting on every search side by side, and how much a trial's accuracy
moves from one epoch to the next; and last-epoch ranking that also keeps every trial within one
standard error of the validation accuracy of the cut ("keep 1 SE"). Writes nothing; redirect it to
benchmarks/results/.
"""
import json, math, statistics, sys

# How a rung ranks a trial from its curve so far. Halving itself uses "last".
RULES = {
    "last": lambda c: c[-1],
    "best so far": max,
    "mean of last 3": lambda c: statistics.fmean(c[-3:]),
    "mean of 2nd half": lambda c: statistics.fmean(c[len(c) // 2:]),
}


# The measured searches' validation split (benchmarks/results/pruned-search.txt): 12,000 images.
VALIDATION = 12_000


def standard_error(accuracy):
    """The sampling error of an accuracy measured on the validation split (binomial)."""
    return math.sqrt(accuracy * (1 - accuracy) / VALIDATION)


def simulate(trials, min_epochs, reduction, rule=RULES["last"], margin=None):
    """margin(cut) keeps, beside the best 1/reduction, every trial within that much of the last of
    them: a trial is not pruned on a difference smaller than the measurement's own error."""
    budgets = [t["trial"]["epochs"] for t in trials]
    curves = [t["curve"] for t in trials]
    longest = max(budgets)
    rungs, r = [], min_epochs
    while r < longest:
        rungs.append(r)
        r *= reduction
    rungs.append(longest)
    n = len(trials)
    trained, pruned, alive = [0] * n, [0] * n, list(range(n))
    for k, rung in enumerate(rungs):
        for i in alive:
            trained[i] = max(trained[i], min(rung, budgets[i], len(curves[i])))
        if k == len(rungs) - 1:
            break
        def score(i):
            c = curves[i][:min(rung, budgets[i])]
            return rule(c) if c and c[-1] == c[-1] else float("-inf")
        ranked = sorted(alive, key=lambda i: -score(i))  # stable: earlier trials first on ties
        kept = ranked[:(len(ranked) + reduction - 1) // reduction]
        if margin is not None:
            cut = score(kept[-1])
            kept = [i for i in ranked if score(i) >= cut - margin(cut)]
        for i in alive:
            ended = len(curves[i]) <= rung and (len(curves[i]) < budgets[i] or budgets[i] <= rung)
            if i not in kept and not ended and budgets[i] > rung:
                pruned[i] = rung
        alive = sorted(kept)
    finals = [curves[i][-1] for i in range(n) if not pruned[i] and curves[i] and not trials[i]["diverged"]]
    seconds = sum(t["seconds"] * trained[i] / max(1, len(curves[i])) for i, t in enumerate(trials))
    return max(finals), seconds / sum(t["seconds"] for t in trials), sum(trained)


def main(paths):
    for path in paths:
        trials = json.load(open(path))
        best = max(t["valAccuracy"] for t in trials if not t["diverged"])
        print(f"{path}: full search best {best:.4f}, {sum(t['seconds'] for t in trials):.0f} s of training")
        print("minEpochs reduction  best     points below  time share  epochs")
        for m in (1, 2, 3, 4, 5):
            for eta in (2, 3, 4):
                b, share, epochs = simulate(trials, m, eta)
                print(f"{m:9d} {eta:9d}  {b:.4f}  {100 * (best - b):12.2f}  {share:10.2f}  {epochs:6d}")


def noise(trials):
    """Median over trials of the spread of the last five epochs' accuracies around their line."""
    spreads = []
    for t in trials:
        c = t["curve"][-5:]
        if len(c) == 5 and not t["diverged"]:
            slope = (c[-1] - c[0]) / 4
            spreads.append(statistics.pstdev([v - slope * k for k, v in enumerate(c)]))
    return statistics.median(spreads)


def rules(paths):
    searches = [json.load(open(p)) for p in paths]
    print("Points below the full search's best / share of its training time, per search:")
    for k, path in enumerate(paths):
        print(f"  search {k + 1}: {path} (epoch-to-epoch spread {100 * noise(searches[k]):.2f} points)")
    print(f"{'rank by':18s} {'setting':12s}" + "".join(f"  search {k + 1:<5d}" for k in range(len(paths))) + "  all met")
    variants = [(name, rule, None) for name, rule in RULES.items()]
    variants.append(("last, keep 1 SE", RULES["last"], standard_error))
    for name, rule, margin in variants:
        for m in (1, 2, 3):
            for eta in (2, 3, 4):
                cells, met = [], True
                for trials in searches:
                    best = max(t["valAccuracy"] for t in trials if not t["diverged"])
                    b, share, _ = simulate(trials, m, eta, rule, margin)
                    cells.append(f"{100 * (best - b):5.2f}/{share:.2f}")
                    met &= best - b <= 0.003 + 1e-9 and share <= 1 / 3
                print(f"{name:18s} Halving({m}, {eta})" + "".join(f"  {c:12s}" for c in cells) + ("  yes" if met else ""))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--rules"]:
        rules(sys.argv[2:])
    else:
        main(sys.argv[1:])
