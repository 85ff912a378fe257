"""The batches page in a real browser: upload a CSV file with a few bad rows, follow the
progress bar to the end, compare the counts with the API's, and download the error report."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.browser.workbench import DemoServer, screenshot
from tests.e2e.console import ROOT

SAMPLE = ROOT / "samples" / "batch.csv"
#: Rows of the file that break a rule, and the column the error report names for each.
BAD = {"date_of_birth": "not-a-date", "term_months": "2"}


def batch_file(folder: Path) -> tuple[Path, int, dict[int, str]]:
    """The sample batch under fresh external ids, with one bad row per entry of `BAD` appended
    (copies of the first row): the file, its row count, and the bad rows' numbers and columns."""
    reader = csv.DictReader(io.StringIO(SAMPLE.read_text(encoding="utf-8")))
    assert reader.fieldnames is not None
    prefix = uuid.uuid4().hex[:8]
    rows = [dict(row, external_id=f"WB-{prefix}-{i}") for i, row in enumerate(reader, start=1)]
    bad_rows: dict[int, str] = {}
    for column, value in BAD.items():
        bad = dict(rows[0], external_id=f"WB-{prefix}-bad-{column}", **{column: value})
        rows.append(bad)
        bad_rows[len(rows)] = column
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = folder / f"applications-{prefix}.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path, len(rows), bad_rows


def test_an_upload_is_followed_to_completion_and_its_error_report_lists_the_bad_rows(
    page_as: Callable[..., Page], workbench: DemoServer, tmp_path: Path
) -> None:
    path, total, bad_rows = batch_file(tmp_path)
    page = page_as("admin", "/app/batches")
    page.get_by_label("CSV file", exact=True).set_input_files(str(path))
    expect(page.get_by_label("Idempotency key")).not_to_have_value("")
    with page.expect_response("**/api/v1/batches") as uploaded:
        page.get_by_role("button", name="Upload").click()
    assert uploaded.value.status == 202
    batch_id = uploaded.value.json()["id"]

    panel = page.get_by_test_id("batch-progress")
    expect(panel).to_contain_text(batch_id)
    expect(panel.get_by_test_id("batch-status")).to_have_text("completed", timeout=60_000)
    bar = panel.get_by_role("progressbar", name="Rows done")
    expect(bar).to_have_attribute("value", str(total))
    expect(bar).to_have_attribute("max", str(total))

    status = workbench.api("admin").get(f"/api/v1/batches/{batch_id}").json()
    progress = status["progress"]
    assert status["status"] == "completed"
    assert progress["rejected"] == len(bad_rows)
    assert progress["accepted"] == total - len(bad_rows)
    for testid, key in [("count-total", "total_rows"), ("count-read", "rows_read"),
                        ("count-accepted", "accepted"), ("count-rejected", "rejected"),
                        ("count-scored", "scored")]:  # fmt: skip
        expect(panel.get_by_test_id(testid)).to_have_text(str(progress[key]))
    screenshot(page, "batches")

    with page.expect_download() as download:
        panel.get_by_role("link", name="Download the error report (CSV)").click()
    report = Path(download.value.path()).read_text(encoding="utf-8")
    lines = list(csv.DictReader(io.StringIO(report)))
    assert {(int(line["row"]), line["column"]) for line in lines} == set(bad_rows.items())

    page.reload()
    listed = page.get_by_test_id("recent-batches").get_by_role("row").filter(has_text=path.name)
    expect(listed).to_contain_text("completed")
    expect(listed.get_by_role("link", name="Error report")).to_be_visible()


def test_a_file_with_a_header_that_does_not_fit_is_refused_with_the_apis_problems(
    page_as: Callable[..., Page], tmp_path: Path
) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("external_id,telephone\nX-1,123\n", encoding="utf-8")
    page = page_as("admin", "/app/batches")
    page.get_by_label("CSV file", exact=True).set_input_files(str(path))
    page.get_by_role("button", name="Upload").click()
    alert = page.get_by_test_id("upload-form").get_by_role("alert")
    expect(alert).to_contain_text("unknown columns: telephone")
    expect(alert).to_contain_text("missing columns:")
