"""The test-generation pages: the queue of suites awaiting review, and a suite's tests, each
one's code beside the spec operation it exercises, to approve or reject one by one or in bulk.

They read through `deps.testgen`, the facade the API's routes call, and act through the JSON
API from `testgen.js` (uploading a spec, reviewing tests), so the pages can do nothing a client
of the API could not. Another tenant's suite is not found, as on the API.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, get
from litestar.params import FromPath

from domain.identity import Permission
from entrypoints.http.auth import AppDeps, CurrentPrincipal
from entrypoints.web.guards import page
from entrypoints.web.layout import page_context
from entrypoints.web.people import display_names
from entrypoints.web.rendering import render
from entrypoints.web.testgen_view import counts_of, modules

_P = Permission


class TestgenPages(Controller):
    include_in_schema = False

    @get("/app/testgen", **page(_P.TESTGEN_VIEW))
    def queue(self, deps: AppDeps, principal: CurrentPrincipal) -> Any:
        suites = deps.testgen.suites(principal)
        return render(
            "testgen_queue.html",
            page_context(deps, principal, "testgen", suites=suites, counts_of=counts_of),
        )

    @get("/app/testgen/{suite_id:str}", **page(_P.TESTGEN_VIEW))
    def suite(self, deps: AppDeps, principal: CurrentPrincipal, suite_id: FromPath[str]) -> Any:
        detail = deps.testgen.suite(principal, suite_id)
        authors = [detail.summary.created_by]
        authors += [t.reviewer for case in detail.cases for t in case.review.history]
        authors += [t.reviewer for t in detail.history]
        return render(
            "testgen_suite.html",
            page_context(
                deps, principal, "testgen",
                detail=detail, summary=detail.summary, counts=counts_of(detail.summary),
                modules=modules(detail.cases), names=display_names(deps, principal, authors),
            ),
        )  # fmt: skip
