"""Kill rate per mutated module from `mutmut results --all true` (mutants/results.txt).

`make mutants` prints this table; docs/mutation-testing.md keeps the figures.
"""

import sys
from collections import Counter, defaultdict
from pathlib import Path

KILLED = {"killed", "timeout", "segfault", "caught by type check"}


def module_of(mutant: str) -> str:
    parts = mutant.split(".")
    for index, part in enumerate(parts):
        if part.startswith(("x_", "xǁ")):
            return ".".join(parts[:index])
    return ".".join(parts[:-1])


def summary(results: Path) -> str:
    counts: dict[str, Counter] = defaultdict(Counter)
    survivors = []
    for line in results.read_text().splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if not sep or "__mutmut_" not in name:
            continue
        counts[module_of(name)][status] += 1
        if status not in KILLED:
            survivors.append(f"  {name}: {status}")
    rows = ["| module | killed | survived | no tests | other | total | kill rate |"]
    rows.append("|---|---:|---:|---:|---:|---:|---:|")
    total: Counter = Counter()
    for module, count in [*sorted(counts.items()), ("**all**", None)]:
        count = total if count is None else count
        if count is not total:
            total.update(count)
        killed = sum(count[status] for status in KILLED)
        survived, untested = count["survived"], count["no tests"]
        everything = sum(count.values())
        other = everything - killed - survived - untested
        rate = f"{100 * killed / everything:.1f} %" if everything else "–"
        rows.append(
            f"| {module} | {killed} | {survived} | {untested} | {other} | "
            f"{everything} | {rate} |"
        )
    return "\n".join([*rows, "", "Not killed:", *survivors])


if __name__ == "__main__":
    results = Path(sys.argv[1] if len(sys.argv) > 1 else "mutants/results.txt")
    sys.stdout.write(summary(results) + "\n")
