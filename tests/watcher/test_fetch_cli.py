"""`zjwatch fetch` against the replica over real sockets: detection, JSON shapes, clear errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from typer.testing import CliRunner

from parsers.schema import ParseResult
from watcher.cli import app
from watcher.replica.pages import proxy_params
from watcher.replica.server import Replica, run_replica

pytestmark = pytest.mark.slow
runner = CliRunner()


@pytest.fixture(scope="module")
def replica() -> Iterator[Replica]:
    with run_replica(articles=20) as running:
        yield running


def _fetch(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["fetch", *args, "--rate", "0"])
    return result.exit_code, result.stdout, result.stderr


def test_listing_is_detected_and_printed_as_entries(replica: Replica) -> None:
    code, out, err = _fetch(replica.url("/col/col1229019364/index.html"), "--json", "--depth", "1")
    assert code == 0, err
    entries = json.loads(out)["entries"]
    assert len(entries) == 24  # 4 seed articles in the policy column + 20 synthetic, all in the first group
    assert set(entries[0]) == {"url", "title", "date", "doc_number"}
    assert entries[0]["date"] == "2026-02-03"


def test_article_is_detected_and_printed_in_the_parse_shape(replica: Replica) -> None:
    code, out, err = _fetch(replica.site.article("002").url, "--json")
    assert code == 0, err
    result = ParseResult.model_validate_json(out)
    doc = result.documents[0]
    assert doc.doc_number == "浙政办发〔2026〕4号" and doc.attachments and doc.attachments[0].text_extracted


def test_forced_adapter_and_readable_output(replica: Replica) -> None:
    code, out, _ = _fetch(replica.url("/module/xxgk/search.jsp"), "--adapter", "xxgk-search")
    assert code == 0 and "浙政发〔2026〕6号" in out
    code, out, _ = _fetch(replica.site.article("001", "city").url, "--adapter", "article")
    assert code == 0 and "杭政〔2026〕3号" in out


def test_post_only_endpoints_are_detected_without_a_get(replica: Replica) -> None:
    replica.clear_log()
    code, out, err = _fetch(replica.url("/module/xxgk/search.jsp"), "--json", "--depth", "2")
    assert code == 0, err
    assert {e["doc_number"] for e in json.loads(out)["entries"]} >= {"浙政发〔2026〕6号"}
    site = replica.site.sites["province"]
    query = urlencode(
        {"startrecord": 1, "endrecord": 30, "perpage": 15, **proxy_params(site, site.columns[0])}
    )
    code, out, err = _fetch(replica.url(f"/module/jpage/dataproxy.jsp?{query}"), "--json")
    assert code == 0, err
    assert len(json.loads(out)["entries"]) == 24  # every article of the column fits in 30 records
    requests = [(r.method, r.path, r.status) for r in replica.request_log]
    assert requests == [
        ("POST", "/module/xxgk/search.jsp", 200),
        ("POST", "/module/jpage/dataproxy.jsp", 200),
    ]


def test_errors_are_clear_and_never_a_traceback(replica: Replica) -> None:
    code, _, err = _fetch(replica.url("/art/2026/1/1/art_1229019364_1.html"))
    assert code == 1 and "not_found" in err and "Traceback" not in err
    code, _, err = _fetch(replica.url("/"), "--adapter", "nonsense")
    assert code == 2 and "unknown adapter 'nonsense'" in err
    code, _, err = _fetch("no-such-source")
    assert code == 2 and "neither an http(s) URL nor a source name" in err


def test_a_document_url_is_parsed_as_an_article(replica: Replica) -> None:
    pdf = replica.site.article("003").attachments[0]
    code, out, err = _fetch(replica.url(pdf.path), "--json")
    assert code == 0, err
    doc = ParseResult.model_validate_json(out).documents[0]
    assert doc.attachments[0].media_type == "application/pdf" and doc.attachments[0].text_extracted
    assert doc.status == "draft" and len(doc.clauses) > 10
