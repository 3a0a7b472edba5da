"""The figures ``make bench`` explains its ratios with: CPU time and context switches per process group."""

import subprocess
import sys

from bench.stack import Processes, Usage, group_usage

# A child that burns some CPU, then sleeps and wakes 200 times: at least 200 switches; then waits.
CHILD = """
import time
sum(i * i for i in range(2_000_000))
for _ in range(200):
    time.sleep(0.001)
print("done", flush=True)
time.sleep(60)  # stays readable until the test stops it
"""


def test_group_usage_counts_a_groups_cpu_and_switches(tmp_path):
    procs = Processes()
    try:
        proc = procs.start("child", [sys.executable, "-c", CHILD], tmp_path)
        group = procs.group_of("child")
        assert group == proc.pid
        before = group_usage(group)
        # Read the group while the child lives: wait for it to print, not to exit.
        for _ in range(500):
            if (tmp_path / "child.log").read_text().strip() == "done":
                break
            subprocess.run(["sleep", "0.02"], check=True)
        used = group_usage(group) - before
        assert used.switches >= 150
        assert used.cpu_seconds >= 0
        assert group_usage(group).cpu_seconds > 0
    finally:
        procs.close()
    # A group with no live process has used nothing that can still be read.
    assert group_usage(group) == Usage()
