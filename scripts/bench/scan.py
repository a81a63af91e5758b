"""Side-by-side scan benchmark: `amoro scan` and PyIceberg's `inspect.files()` over the same table.

Each tool runs in its own child process (best of three runs); peak memory is the child's maximum resident set.
"""
import argparse
import json
import os
import subprocess
import sys
import time

PYICEBERG = """
import sys
from pyiceberg.catalog.sql import SqlCatalog
data = sys.argv[1]
catalog = SqlCatalog("default", uri=f"sqlite:///{data}/catalog.db", warehouse=f"file://{data}")
files = catalog.load_table("bench.files").inspect.files()
print(files.num_rows)
"""


def measure(command):
    """Best wall time of three runs, and the child's own peak resident memory (os.wait4 reports it per child)."""
    best, peak, out = None, 0, ""
    for _ in range(3):
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        out = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - start
        if status != 0:
            raise SystemExit(f"{command[0]} failed with status {status}")
        peak = max(peak, usage.ru_maxrss)
        best = elapsed if best is None else min(best, elapsed)
    return best, peak / 1024, out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--amoro", required=True)
    args = parser.parse_args()
    ours, ours_mb, out = measure([args.amoro, "scan", "--config", f"{args.data}/amoro.yaml", "bench.files", "--json"])
    files = json.loads(out)["totals"]["data_files"]
    theirs, theirs_mb, out = measure([sys.executable, "-c", PYICEBERG, args.data])
    assert int(out) == files, (out, files)
    print(f"table: {files} data files")
    print(f"{'tool':<28}{'seconds':>10}{'peak MiB':>10}")
    print(f"{'amoro scan':<28}{ours:>10.3f}{ours_mb:>10.0f}")
    print(f"{'pyiceberg inspect.files()':<28}{theirs:>10.3f}{theirs_mb:>10.0f}")
    print(f"ratio: amoro {theirs / ours:.1f}x faster, {theirs_mb / ours_mb:.1f}x less peak memory")


if __name__ == "__main__":
    main()
