"""Store benchmark: 100,000 versions in SQLite, then "one week's changes matching a department".

    .venv/bin/python bench/store_bench.py [--versions 100000] [--runs 15] [--db PATH] [--pg-url URL]

Builds the schema with the real migrations, bulk-inserts many documents x several versions each
(realistic normalized JSON, changes naming departments, two years of fetch times), then times
store.repository.changes_since(week, department=...) — the query a weekly digest runs — and prints
the median. For comparison it repeats the measurement with a plain index on the department alone,
and finally times record_document (real diff, real transaction) on new versions.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, insert, text

from parsers.schema import Amount, Clause, Department, Document, Source
from store.changes import Change
from store.db import make_engine, make_session_factory
from store.identity import content_hash, identity_key, series_key
from store.migrate import upgrade
from store.models import (
    ChangeDepartmentRow,
    ChangeRow,
    DocumentRow,
    SourceRow,
    VersionRow,
)
from store.repository import changes_since, record_document

START = datetime(2024, 11, 1, tzinfo=UTC)
SPAN = timedelta(days=730)
REGIONS = [
    "浙江省",
    "杭州市",
    "宁波市",
    "温州市",
    "嘉兴市",
    "湖州市",
    "绍兴市",
    "金华市",
    "衢州市",
    "舟山市",
    "台州市",
    "丽水市",
]
DEPARTMENTS = [
    "省发展改革委", "省经信厅", "省教育厅", "省科技厅", "省公安厅", "省民政厅", "省财政厅", "省人力社保厅",
    "省自然资源厅", "省生态环境厅", "省建设厅", "省交通运输厅", "省水利厅", "省农业农村厅", "省商务厅",
    "省文化广电旅游厅", "省卫生健康委", "省应急管理厅", "省市场监管局", "省体育局", "省统计局", "省医保局",
    "省机关事务局", "省大数据局", "省地方金融监管局", "省能源局", "省林业局", "省药监局", "省税务局", "省国资委",
    "市发改委", "市经信局", "市科技局", "市财政局", "市人力社保局", "市商务局", "市农业农村局", "市住建局",
    "市市场监管局", "市交通运输局",
]  # fmt: skip
TOPICS = [
    "科技创新",
    "有效投资",
    "消费扩容",
    "外贸稳定",
    "人才引育",
    "数字经济",
    "先进制造",
    "农业农村",
    "民生保障",
    "营商环境",
]
KINDS = ["amount_changed"] * 4 + ["clause_modified"] * 3 + ["clause_added", "clause_removed", "lead_changed"]


def build_document(rng: random.Random, n: int, region: str, edition: int, subsidy: int) -> Document:
    topic = TOPICS[n % len(TOPICS)]
    leads = rng.sample(DEPARTMENTS, 6)
    clauses = [
        Clause(
            id=str(i + 1),
            label=f"{i + 1}.",
            number=i + 1,
            level=1,
            parent=None,
            heading=f"支持{topic}第{i + 1}项措施",
            text=f"支持{topic}第{i + 1}项措施。对符合条件的项目,最高给予{subsidy + i * 50}万元补助,"
            f"所需资金由各级财政按规定分担。(责任单位:{leads[i]})",
            lead=[Department(name=leads[i], written=leads[i])],
            amounts=[
                Amount(
                    raw=f"最高给予{subsidy + i * 50}万元",
                    kind="money",
                    value=str((subsidy + i * 50) * 10000),
                    unit="CNY",
                    qualifier="max",
                    role="subsidy",
                )
            ],
        )
        for i in range(6)
    ]
    return Document(
        doc_number=f"浙政发〔{2024 + n % 3}〕{n}号",
        issuer=f"{region}人民政府",
        region=region,
        level="province" if region == "浙江省" else "city",
        title=f"关于促进{topic}的若干政策({edition}年版)第{n}号",
        series=f"关于促进{topic}的若干政策第{n}号",
        edition=str(edition),
        source=Source(url=f"https://www.zj.gov.cn/art/{n}.html", sha256=f"{n:064x}"),
        clauses=clauses,
    )


def build_change(rng: random.Random, doc: Document, kind: str, old_subsidy: int, new_subsidy: int) -> Change:
    clause = rng.choice(doc.clauses)
    departments = [d.name for d in clause.lead]
    if rng.random() < 0.3:
        departments.append(rng.choice(DEPARTMENTS))
    return Change.model_validate(
        {
            "kind": kind,
            "doc_number": doc.doc_number,
            "doc_title": doc.title,
            "old_clause_id": clause.id,
            "new_clause_id": clause.id,
            "old_label": clause.label,
            "new_label": clause.label,
            "old_heading": clause.heading,
            "new_heading": clause.heading,
            "departments": sorted(set(departments)),
            "summary": f"{clause.label} 最高补助 {old_subsidy}万元 → {new_subsidy}万元",
        }
    )


def populate(engine: Engine, total_versions: int, seed: int = 7) -> tuple[int, int]:
    """Bulk-insert documents with 3-7 versions each until `total_versions`; returns (documents, changes)."""
    rng = random.Random(seed)
    factory = make_session_factory(engine)
    version_id = change_id = 0
    doc_id = 0
    batch: dict[type, list[dict[str, object]]] = {}

    def flush(session: object) -> None:
        for row_type in (SourceRow, DocumentRow, VersionRow, ChangeRow, ChangeDepartmentRow):
            rows = batch.pop(row_type, [])
            if rows:
                session.execute(insert(row_type), rows)  # type: ignore[attr-defined]

    with factory.begin() as session:
        while version_id < total_versions:
            doc_id += 1
            region = REGIONS[doc_id % len(REGIONS)]
            count = min(rng.randint(3, 7), total_versions - version_id)
            moments = sorted(START + SPAN * rng.random() for _ in range(count))
            subsidy = rng.randrange(100, 2000, 50)
            url = f"https://www.zj.gov.cn/art/2026/1/1/art_1229019364_{doc_id}.html"
            batch.setdefault(SourceRow, []).append(
                {"id": doc_id, "url": url, "first_seen_at": moments[0], "last_seen_at": moments[-1]}
            )
            previous_id = None
            previous_subsidy = subsidy
            doc = build_document(rng, doc_id, region, 2026, subsidy)
            batch.setdefault(DocumentRow, []).append(
                {
                    "id": doc_id,
                    "identity_key": identity_key(doc),
                    "doc_number": doc.doc_number,
                    "issuer": doc.issuer,
                    "region": region,
                    "level": doc.level,
                    "title": doc.title,
                    "series_key": series_key(doc),
                    "edition": doc.edition,
                    "status": "final",
                    "created_at": moments[0],
                    "updated_at": moments[-1],
                }
            )
            for seq, moment in enumerate(moments, start=1):
                version_id += 1
                subsidy = previous_subsidy if seq == 1 else previous_subsidy + rng.randrange(50, 500, 50)
                doc = build_document(rng, doc_id, region, 2026, subsidy)
                batch.setdefault(VersionRow, []).append(
                    {
                        "id": version_id,
                        "document_id": doc_id,
                        "seq": seq,
                        "base_version_id": previous_id,
                        "content_sha256": content_hash(doc),
                        "raw_sha256": f"{version_id:064x}",
                        "source_id": doc_id,
                        "url": url,
                        "fetched_at": moment,
                        "created_at": moment,
                        "schema_version": "1.0",
                        "normalized_json": doc.model_dump_json(),
                    }
                )
                if previous_id is not None:
                    for position in range(rng.randint(1, 4)):
                        change_id += 1
                        change = build_change(rng, doc, rng.choice(KINDS), previous_subsidy, subsidy)
                        batch.setdefault(ChangeRow, []).append(
                            {
                                "id": change_id,
                                "document_id": doc_id,
                                "old_version_id": previous_id,
                                "new_version_id": version_id,
                                "position": position,
                                "kind": change.kind,
                                "old_clause_id": change.old_clause_id,
                                "new_clause_id": change.new_clause_id,
                                "old_label": change.old_label,
                                "new_label": change.new_label,
                                "old_heading": change.old_heading,
                                "new_heading": change.new_heading,
                                "summary": change.summary,
                                "created_at": moment,
                                "change_json": change.model_dump_json(),
                            }
                        )
                        batch.setdefault(ChangeDepartmentRow, []).extend(
                            {"change_id": change_id, "department": name, "created_at": moment}
                            for name in change.departments
                        )
                previous_id, previous_subsidy = version_id, subsidy
            if len(batch.get(VersionRow, [])) >= 5000:
                flush(session)
        flush(session)
        if engine.dialect.name == "postgresql":  # explicit ids above do not advance the sequences
            for table in ("sources", "documents", "versions", "changes"):
                session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                    )
                )
    return doc_id, change_id


def time_query(engine: Engine, since: datetime, department: str, runs: int) -> tuple[float, int]:
    """Median milliseconds of changes_since over `runs` fresh sessions, and the number of rows."""
    factory = make_session_factory(engine)
    timings: list[float] = []
    found = 0
    for _ in range(runs):
        with factory() as session:
            started = time.perf_counter()
            found = len(changes_since(session, since, until=since + timedelta(days=7), department=department))
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), found


def query_plan(engine: Engine, since: datetime, department: str) -> Iterator[str]:
    with engine.connect() as connection:
        compiled = (
            "EXPLAIN QUERY PLAN SELECT changes.id FROM changes WHERE changes.created_at >= :since"
            " AND changes.created_at < :until AND changes.id IN (SELECT change_id FROM change_departments"
            " WHERE department = :department AND created_at >= :since AND created_at < :until)"
            " ORDER BY changes.created_at, changes.id"
        )
        params = {
            "since": since.replace(tzinfo=None),
            "until": (since + timedelta(days=7)).replace(tzinfo=None),
            "department": department,
        }
        for row in connection.execute(text(compiled), params):
            yield str(row[-1])


def time_record_document(engine: Engine, samples: int) -> float:
    """Median milliseconds per record_document call that creates a new version (with its diff)."""
    rng = random.Random(11)
    factory = make_session_factory(engine)
    timings: list[float] = []
    moment = START + SPAN + timedelta(days=1)
    for i in range(samples):
        doc = build_document(rng, 10_000_000 + i, "浙江省", 2026, 500 + 50 * i)
        with factory() as session:
            record_document(
                session, doc, raw_sha256="0" * 64, url=f"https://bench.invalid/{i}", fetched_at=moment
            )
            changed = build_document(rng, 10_000_000 + i, "浙江省", 2026, 800 + 50 * i)
            started = time.perf_counter()
            record_document(
                session, changed, raw_sha256="1" * 64, url=f"https://bench.invalid/{i}", fetched_at=moment
            )
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def measure(engine: Engine, args: argparse.Namespace, size: Callable[[], str]) -> None:
    upgrade(engine)
    started = time.perf_counter()
    documents, changes = populate(engine, args.versions)
    print(
        f"[{engine.dialect.name}] populated {args.versions:,} versions of {documents:,} documents,"
        f" {changes:,} changes in {time.perf_counter() - started:.1f} s{size()}"
    )
    since = START + timedelta(days=400)
    department = "省科技厅"
    if engine.dialect.name == "sqlite":
        print(f"query plan: {' | '.join(query_plan(engine, since, department))}")
    else:
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    median, found = time_query(engine, since, department, args.runs)
    print(
        f"one week's changes for {department}: {found} changes, median {median:.1f} ms"
        f" over {args.runs} runs (target < 100 ms)"
    )
    for label, ddl in (
        ("an index on department alone", "CREATE INDEX bench_alternative ON change_departments (department)"),
        ("no department index", None),
    ):
        with engine.begin() as connection:
            connection.execute(text("DROP INDEX IF EXISTS ix_change_departments_department_created_at"))
            connection.execute(text("DROP INDEX IF EXISTS bench_alternative"))
            if ddl:
                connection.execute(text(ddl))
        other, _ = time_query(engine, since, department, max(3, args.runs // 3))
        print(f"  same query with {label}: median {other:.1f} ms")
    with engine.begin() as connection:
        connection.execute(text("DROP INDEX IF EXISTS bench_alternative"))
        connection.execute(
            text(
                "CREATE INDEX ix_change_departments_department_created_at"
                " ON change_departments (department, created_at)"
            )
        )
    print(f"record_document, new version with its diff: median {time_record_document(engine, 20):.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--versions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--db", type=Path, help="SQLite file to build (default: a temporary directory)")
    parser.add_argument(
        "--pg-url", help="Also measure PostgreSQL at this URL, in a scratch schema dropped afterwards"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="zjwatch-bench-") as scratch:
        path = args.db or Path(scratch) / "bench.db"
        path.unlink(missing_ok=True)
        engine = make_engine(f"sqlite:///{path}")
        measure(engine, args, lambda: f" ({path.stat().st_size / 1e6:.0f} MB)")
        engine.dispose()
    if args.pg_url:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        admin = make_engine(args.pg_url)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine = make_engine(args.pg_url, connect_args={"options": f"-csearch_path={schema}"})
        try:
            measure(engine, args, lambda: "")
        finally:
            engine.dispose()
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


if __name__ == "__main__":
    main()
