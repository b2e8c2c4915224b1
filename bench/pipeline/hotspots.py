"""Where the time goes: the functions most often on the stack in py-spy's collapsed stacks.

Usage: ``python -m bench.pipeline.hotspots FILE [--own] [--top 30]`` (files written by
``workplan bench --profile DIR``). Counts a function once per sample it is in (inclusive
time), or only when it is the innermost frame (``--own``).
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path


def hotspots(path: Path, *, own: bool, top: int) -> list[tuple[str, float]]:
    counts: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, number = line.rpartition(" ")
        if not stack:
            continue
        samples = int(number)
        total += samples
        frames = stack.split(";")
        if own:
            counts[frames[-1]] += samples
        else:
            for frame in set(frames):
                counts[frame] += samples
    return [(frame, 100 * n / total) for frame, n in counts.most_common(top)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", type=Path)
    parser.add_argument("--own", action="store_true")
    parser.add_argument("--top", type=int, default=30)
    arguments = parser.parse_args()
    for frame, share in hotspots(arguments.file, own=arguments.own, top=arguments.top):
        print(f"{share:5.1f}%  {frame[:150]}")


if __name__ == "__main__":
    main()
