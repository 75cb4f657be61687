"""How fast is the clause-level diff?  `python bench/diff_bench.py`

1. Seed 000 against an edited copy (an amount, a reworded sentence, a deleted and an inserted
   clause), both through the real parser: median time of `diff_documents` (target < 20 ms).
2. Synthetic documents of 500, 1,000, 2,000 and 5,000 clauses built from the seed sentences,
   against copies with 1% of the clauses edited (reworded, amount changed, inserted, deleted;
   every insertion and deletion renumbers the rest): median time per size and per clause,
   to show growth close to linear (target for 5,000: < 2 s).
3. The hard case for the same sizes: every clause reworded, so nothing pairs by hash and every
   clause goes through candidate search and difflib.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from parsers.pipeline import parse_text  # noqa: E402
from parsers.schema import Amount, Clause, Document, Source  # noqa: E402
from seeds import seed_texts  # noqa: E402
from store.diff import diff_documents  # noqa: E402

SIZES = (500, 1_000, 2_000, 5_000)
EDIT_RATE = 0.01


def timings(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median seconds (wall clock, CPU time of this process). On a shared machine the CPU time
    is the steadier figure: it leaves out the time other processes held the core."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


LABEL_LINE = re.compile(r"^\(([一二三四五六七八九十]+)\)", re.MULTILINE)
NUMERALS = "一二三四五六七八九"


def chinese(n: int) -> str:
    tens, ones = divmod(n, 10)
    return (
        ("" if tens < 2 else NUMERALS[tens - 1])
        + ("十" if tens else "")
        + (NUMERALS[ones - 1] if ones else "")
    )


def edited_seed_000(text: str) -> str:
    """The kinds of edit a new version brings, made on the raw text, items renumbered after."""
    edits = [
        ("单个项目最高可给予1000万元补助", "单个项目最高可给予1500万元补助"),  # an amount
        ("加快推动学科专业设置调整优化", "加快推动学科专业设置动态调整优化"),  # a reworded sentence
        (
            "(三)支持高能级科创平台提能造峰",
            "(三)支持科技成果转化应用。建设概念验证中心。\n\n(三)支持高能级科创平台提能造峰",
        ),
    ]
    for old, new in edits:
        assert old in text, f"seed 000 no longer contains {old!r}"
        text = text.replace(old, new, 1)
    start, end = (
        text.index("(四)促进人工智能场景应用"),
        text.index("(五)强化科技金融支持"),
    )  # a deleted clause
    text = text[:start] + text[end:]
    counter = iter(range(1, 100))
    return LABEL_LINE.sub(lambda _: f"({chinese(next(counter))})", text)


def seed_benchmark() -> None:
    path = next(p for p in seed_texts() if p.name.startswith("000_"))
    text = path.read_text(encoding="utf-8")
    source = Source(path=str(path), sha256="0" * 64)
    [old] = parse_text(text, source)
    [new] = parse_text(edited_seed_000(text), source)
    changes = diff_documents(old, new)
    median, cpu = timings(lambda: diff_documents(old, new), repeat=50)
    print(f"seed 000 ({len(old.clauses)} clauses) vs edited copy: {len(changes)} changes")
    for change in changes:
        print(f"    {change.kind:<18} {change.summary}")
    print(
        f"  diff_documents, 50 runs: median {median * 1000:.2f} ms, CPU {cpu * 1000:.2f} ms (target < 20 ms)"
    )


def sentences() -> list[str]:
    found: list[str] = []
    for path in seed_texts():
        for sentence in re.split(r"(?<=[。；;])", path.read_text(encoding="utf-8")):
            sentence = re.sub(r"\s+", "", sentence)
            if 12 <= len(sentence) <= 120:
                found.append(sentence)
    return found


Measure = tuple[int, str, str, int]  # section, heading, text, amount in 万元


def synthetic(n: int, rng: random.Random, pool: list[str], per_section: int = 100) -> list[Measure]:
    return [
        (
            k // per_section + 1,
            rng.choice(pool)[:14].rstrip("。；;"),
            "".join(rng.sample(pool, rng.randint(2, 4))),
            rng.randint(1, 300) * 10,
        )
        for k in range(n)
    ]


def build(measures: list[Measure]) -> Document:
    """Sections of about 100 items, items numbered 1..n across sections like seed 000."""
    clauses: list[Clause] = []
    previous = 0
    for k, (s, heading, text, wan) in enumerate(measures):
        if s != previous:
            previous = s
            clauses.append(
                Clause(
                    id=str(s),
                    label=f"{s}、",
                    number=s,
                    level=1,
                    parent=None,
                    heading=f"第{s}部分",
                    text=f"第{s}部分",
                )
            )
        raw = f"最高可给予{wan}万元"
        amount = Amount(
            raw=raw, kind="money", value=str(wan * 10_000), unit="CNY", qualifier="max", role="subsidy"
        )
        clauses.append(
            Clause(
                id=f"{s}/{k + 1}",
                label=f"{k + 1}.",
                number=k + 1,
                level=2,
                parent=str(s),
                heading=heading,
                text=f"{heading}。{text}单个项目{raw}补助。",
                amounts=[amount],
            )
        )
    return Document(title="合成文件", source=Source(sha256="0" * 64), clauses=clauses)


def edit(measures: list[Measure], rng: random.Random, pool: list[str]) -> list[Measure]:
    edited = list(measures)
    count = max(4, int(len(measures) * EDIT_RATE))
    for e, k in enumerate(sorted(rng.sample(range(len(edited) - count), count), reverse=True)):
        s, heading, text, wan = edited[k]
        match e % 4:
            case 0:
                edited[k] = (s, heading, text[:10] + "进一步" + text[10:], wan)
            case 1:
                edited[k] = (s, heading, text, wan + 50)
            case 2:
                edited.insert(k, (s, *synthetic(1, rng, pool)[0][1:]))
            case 3:
                del edited[k]
    return edited


def synthetic_benchmark(sizes: tuple[int, ...] = SIZES) -> None:
    pool = sentences()
    print(f"\nsynthetic documents, {EDIT_RATE:.0%} of clauses edited (sentences drawn from the seeds):")
    print(f"  {'clauses':>8} {'changes':>8} {'median':>10} {'per clause':>11} {'CPU':>10} {'per clause':>11}")
    for n in sizes:
        rng = random.Random(n)
        measures = synthetic(n, rng, pool)
        old, new = build(measures), build(edit(measures, rng, pool))
        changes = diff_documents(old, new)
        median, cpu = timings(lambda old=old, new=new: diff_documents(old, new), repeat=7)
        n_clauses = len(old.clauses)
        print(
            f"  {n_clauses:>8} {len(changes):>8} {median * 1000:>7.1f} ms {median / n_clauses * 1e6:>8.1f} µs"
            f" {cpu * 1000:>7.1f} ms {cpu / n_clauses * 1e6:>8.1f} µs"
        )
    print("  target for 5,000 clauses: < 2 s")


def reworded_benchmark(sizes: tuple[int, ...] = SIZES) -> None:
    """The hard case, no clause unchanged: every one reworded, so none pairs by hash."""
    pool = sentences()
    print("\nevery clause reworded (no exact matches; one run each):")
    print(f"  {'clauses':>8} {'changes':>8} {'wall':>10} {'per clause':>11} {'CPU':>10} {'per clause':>11}")
    for n in sizes:
        measures = synthetic(n, random.Random(n), pool)
        reworded = [(s, heading, text[:10] + "进一步" + text[10:], wan) for s, heading, text, wan in measures]
        old, new = build(measures), build(reworded)
        changes: list[object] = []
        wall, cpu = timings(
            lambda old=old, new=new, out=changes: out.append(diff_documents(old, new)), repeat=1
        )
        n_clauses = len(old.clauses)
        print(
            f"  {n_clauses:>8} {len(changes[0]):>8} {wall * 1000:>7.0f} ms {wall / n_clauses * 1e6:>8.0f} µs"
            f" {cpu * 1000:>7.0f} ms {cpu / n_clauses * 1e6:>8.0f} µs"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=",".join(str(n) for n in SIZES),
        help="comma-separated clause counts for the synthetic documents (default %(default)s)",
    )
    args = parser.parse_args()
    sizes = tuple(int(n) for n in args.sizes.split(","))
    seed_benchmark()
    synthetic_benchmark(sizes)
    reworded_benchmark(sizes)
