"""The evaluation report of a model version, file by file, as the registry stored it.

Training stores a version's report as one folder in the object store: the HTML page
(`report.html`, whose key the version keeps as `report_key`) and its PNG plots beside it,
which the page names by their bare file names. Whoever may read analytics may read a
version's report, the plots first of all: they are the evidence a model was promoted on.

Only the report's own files can be read through here, by a fixed list of names: the name
comes from a request, and joined to a folder unchecked it could reach any other object of
the store (the model artifact, a batch of personal data). A version of another tenant, a
version trained without a report, a name off the list and a file the folder lacks are all
one answer, `NotFound`, so nothing about another tenant's registry leaks. The store checks
each object's SHA-256 on read and raises `ObjectCorrupted` rather than return altered bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from attrs import frozen

from application.credit.model_promotions import load_model
from application.credit.ports import UnitOfWork
from application.credit.train_model import REPORT_PAGE
from application.errors import NotFound
from application.ports import ObjectNotFound, ObjectStore
from domain.identity import Permission, Principal, authorize

#: The report's files, by name, with the media type each is served as. The plots are the
#: ones the trainer draws (`adapters.ml.report.PLOTS`, a test keeps the two lists equal).
REPORT_FILES: Mapping[str, str] = MappingProxyType(
    {
        "roc.png": "image/png",
        "calibration.png": "image/png",
        "scores.png": "image/png",
        "contributions.png": "image/png",
        REPORT_PAGE: "text/html",
    }
)
#: The plots alone, in the order a reader meets them.
REPORT_PLOTS = tuple(name for name, media in REPORT_FILES.items() if media == "image/png")


@frozen
class ReportFile:
    """One file of a version's report: its bytes and the media type to serve them as."""

    version: str
    name: str
    data: bytes
    content_type: str


def report_file_key(report_key: str, name: str) -> str | None:
    """The key of file `name` in the folder of the report page `report_key`; None when the
    name is not one of the report's files or the key names no folder."""
    folder, slash, page = report_key.rpartition("/")
    if name not in REPORT_FILES or not (slash and folder and page == REPORT_PAGE):
        return None
    return f"{folder}/{name}"


@frozen
class ReadModelReport:
    uow: UnitOfWork
    store: ObjectStore

    def __call__(self, principal: Principal, version: str, name: str) -> ReportFile:
        """File `name` of the report of the tenant's `version` (see `REPORT_FILES`)."""
        authorize(principal, Permission.ANALYTICS_VIEW)
        with self.uow:
            record = load_model(self.uow, principal.tenant_id, version)
        key = None if record.report_key is None else report_file_key(record.report_key, name)
        if key is None:
            raise NotFound("model report file", f"{version}/{name}")
        try:
            data = self.store.get(key)
        except ObjectNotFound:
            raise NotFound("model report file", f"{version}/{name}") from None
        return ReportFile(version, name, data, REPORT_FILES[name])
