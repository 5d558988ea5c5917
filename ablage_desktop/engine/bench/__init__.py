"""``ablage-desktop bench``: speed, memory and accuracy of every engine on the user's pages."""

from ablage_desktop.engine.bench.plan import BenchPlan, BenchProgress
from ablage_desktop.engine.bench.results import BenchReport, BenchRow
from ablage_desktop.engine.bench.runner import BenchRunner, run_bench

__all__ = ["BenchPlan", "BenchProgress", "BenchReport", "BenchRow", "BenchRunner", "run_bench"]
