"""Throughput of `normalize_text` on hard-wrapped text, beside the same text as written.

Each seed 000-003 is wrapped at 37 characters (textwrap, as an e-mail or text viewer wraps),
repeated until at least --mb MB of UTF-8 went through, and normalized; then one document of
that size made of the wrapped seeds. Prints MB/s of raw input (CPU time of this process, best of
--repeat runs), so the cost of detecting and undoing the wrap can be read off against the text
as written (bench/normalize_throughput.py covers the unwrapped side in full).

    .venv/bin/python bench/rewrap_throughput.py [--mb 20] [--repeat 3] [--width 37]
"""

from __future__ import annotations

import argparse
import textwrap
import time
from collections.abc import Callable

from parsers.normalize import normalize_text
from seeds import seed_texts


def wrap(text: str, width: int) -> str:
    return "\n".join(
        "\n".join(textwrap.wrap(line, width)) if line.strip() else line for line in text.splitlines()
    )


def best_of(repeat: int, run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        run()
        best = min(best, time.process_time() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--width", type=int, default=37)
    args = parser.parse_args()
    normalize_text("一、预热")  # script tables, built once per process
    goal = args.mb * 1_000_000
    for path in seed_texts()[:4]:
        written = path.read_text(encoding="utf-8")
        for label, text in (("as written", written), (f"wrapped at {args.width}", wrap(written, args.width))):
            size = len(text.encode("utf-8"))
            times = max(1, int(goal // size))
            seconds = best_of(
                args.repeat, lambda text=text, times=times: [normalize_text(text) for _ in range(times)]
            )
            print(f"normalize_text {path.name} {label}: {times * size / seconds / 1e6:.1f} MB/s")
    wrapped = "\n\n".join(wrap(p.read_text(encoding="utf-8"), args.width) for p in seed_texts()[:4])
    big = "\n\n".join([wrapped] * max(1, int(goal // len(wrapped.encode("utf-8")))))
    seconds = best_of(args.repeat, lambda: normalize_text(big))
    print(
        f"normalize_text one {len(big.encode('utf-8')) / 1e6:.1f} MB wrapped document: "
        f"{len(big.encode('utf-8')) / seconds / 1e6:.1f} MB/s"
    )


if __name__ == "__main__":
    main()
