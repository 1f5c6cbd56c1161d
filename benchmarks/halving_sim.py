"""Replays successive halving on a finished full search: which trials each Halving(minEpochs, reduction)
would have pruned, the best validation accuracy it would have found and the share of the full
search's training time it would have spent. Exact for the decisions (a pruned search sees the same
epochs as the full one); the time leaves out pausing and resuming, which the real pruned run has.
   /usr/bin/python3 benchmarks/halving_sim.py build/bench/search-runs-full-*/search-mlp-baseline-*/trials.json
"""
import json, sys


def simulate(trials, min_epochs, reduction):
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
            return c[-1] if c and c[-1] == c[-1] else float("-inf")
        ranked = sorted(alive, key=lambda i: -score(i))  # stable: earlier trials first on ties
        kept = ranked[:(len(ranked) + reduction - 1) // reduction]
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


if __name__ == "__main__":
    main(sys.argv[1:])
