"""Plots a bench-soak result: read latency (DuckDB and PyIceberg, the three queries summed) and live files (data +
delete) over time, one column per variant, one line per arm. Usage: soak_plot.py soak.json soak.png"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

COLOURS = {"none": "#d62728", "amoro": "#1f77b4", "amoro-commit": "#9467bd", "zamboni": "#ff7f0e",
           "reference": "#2ca02c"}
STYLES = {"none": ":", "amoro": "-", "amoro-commit": "-", "zamboni": "-.", "reference": "--"}


def main():
    source, target = sys.argv[1], sys.argv[2]
    with open(source) as file:
        result = json.load(file)
    variants = ["equality", "position"]
    figure, axes = plt.subplots(3, 2, figsize=(12, 10), sharex=True)
    for column, variant in enumerate(variants):
        for label, arm in result["arms"].items():
            arm_variant, name = label.split("/")
            if arm_variant != variant or not arm["samples"]:
                continue
            minutes = [s["t"] / 60 for s in arm["samples"]]
            style = dict(color=COLOURS.get(name), linestyle=STYLES.get(name, "-"), linewidth=1.8, marker="o", markersize=3,
                         label=name)
            read = [(m, s) for m, s in zip(minutes, arm["samples"]) if s["duckdb_s"]]
            axes[0][column].plot([m for m, _ in read], [sum(s["duckdb_s"].values()) * 1000 for _, s in read], **style)
            readable = [(m, s) for m, s in zip(minutes, arm["samples"]) if s["pyiceberg_s"]]
            axes[1][column].plot([m for m, _ in readable], [sum(s["pyiceberg_s"].values()) * 1000 for _, s in readable],
                                 **style)
            for row, (engine, points) in enumerate((("duckdb", read), ("pyiceberg", readable))):
                if engine in arm.get("stopped_reading", {}) and points:
                    last_minute, last = points[-1]
                    axes[row][column].annotate("not read further", (last_minute, sum(last[f"{engine}_s"].values()) * 1000),
                                               textcoords="offset points", xytext=(6, -4), fontsize=8,
                                               color=COLOURS.get(name))
            axes[2][column].plot(minutes, [s["data_files"] + s["delete_files"] for s in arm["samples"]], **style)
        kind = "equality deletes (CDC updates and deletes)" if variant == "equality" else "position deletes"
        refusal = result.get("zamboni_refusals", {}).get(variant)
        axes[0][column].set_title(f"{kind}" + ("\n(zamboni refuses equality deletes)" if refusal else ""))
        axes[0][column].set_ylabel("DuckDB read ms (3 queries)")
        axes[1][column].set_ylabel("PyIceberg read ms (3 queries)")
        axes[2][column].set_ylabel("live data + delete files")
        axes[2][column].set_xlabel("minutes of streaming")
        for row in range(3):
            axes[row][column].set_yscale("log")
            axes[row][column].grid(True, which="both", alpha=0.3)
        axes[2][column].legend(loc="center right", fontsize=9)
    settings = result["settings"]
    figure.suptitle(
        f"amoro soak: a commit every {settings['tick_s']:g} s for {settings['duration_s']} s "
        f"({result['commits']} commits per arm) on {settings.get('base_rows', 0):,} base rows\n"
        f"amoro optimizing every {settings['intervals_s']['compact']} s, amoro-commit after every commit, "
        f"reference fully compacting after every commit", fontsize=12)
    figure.tight_layout()
    figure.savefig(target, dpi=100)


if __name__ == "__main__":
    main()
