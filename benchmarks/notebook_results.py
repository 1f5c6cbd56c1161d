"""Writes what an executed notebook printed and showed as text (findings, final losses, per-run
progress lines, result tables) to a results file, atomically; used by benchmarks/notebook.sh.

  notebook_results.py EXECUTED.ipynb RESULT.txt PROFILE WALL_SECONDS THREADS "LOAD AVERAGE"
"""
import json
import os
import sys
import time

notebook, result, profile, wall, threads, load = sys.argv[1:7]
lines = [f"{os.path.basename(notebook)}, profile {profile}, {time.strftime('%Y-%m-%d %H:%M', time.localtime(os.path.getmtime(notebook)))}, "
         f"{os.cpu_count()} cores shared with other jobs (load before: {load}), DLKIT_THREADS={threads}",
         f"notebook wall time (kernel start to end, every run trained from scratch): {wall} s"]


def text(data):
    part = data.get("text/plain", "")
    return "".join(part) if isinstance(part, list) else part


for cell in json.load(open(notebook))["cells"]:
    out = ""  # a cell's printf output arrives in pieces: join them before splitting lines
    for o in cell.get("outputs", []):
        if o["output_type"] == "stream":
            out += "".join(o["text"])
        elif o["output_type"] == "display_data":  # Fit's progress: its last state is the run's summary
            out += text(o.get("data", {})) + "\n"
        elif o["output_type"] == "execute_result" and "text/html" in o.get("data", {}):
            out += text(o["data"]) + "\n"  # a table the cell ends with, as text
    lines += [line for line in out.splitlines() if line.strip() and not line.startswith("dlkit: PyTorch")]
tmp = result + ".tmp"
with open(tmp, "w") as f:
    f.write("\n".join(lines) + "\n")
os.replace(tmp, result)
print("\n".join(lines))
