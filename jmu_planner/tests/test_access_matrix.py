"""Every URL of the project, answered for every role.

A URL pattern without a row in MATRIX fails `test_every_url_has_a_row`: a new page must say who
may see it. Django's admin is left out: it has its own permission system (test_admin.py).

One refusal rule (jmu_planner/access.py): an object the user may not see is a 404; a visible
object with a forbidden action is a 403 that says why.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jmu_planner.tests.access_world import MATRIX, ROLES, L, build_world, project_url_names, url_of


def test_every_url_has_a_row():
    covered = {row.url or name for name, row in MATRIX.items()}
    missing = project_url_names() - covered
    assert not missing, f"URLs without a row in the access matrix: {sorted(missing)}"
    stale = covered - project_url_names()
    assert not stale, f"Rows for URLs that no longer exist: {sorted(stale)}"


@pytest.fixture
def world(db):
    return build_world()


# Every page and every write, for every role, in at most this many queries (issue 15). That they stay
# constant as data grows is pinned page by page (the plan page, reports, lists, the measure save).
QUERY_CEILING = 20


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access_matrix(client, world, name):
    row = MATRIX[name]
    url = url_of(name, world)
    failures = []
    for role in ROLES:
        client.logout()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        data = row.data(world) if row.data else {}
        with CaptureQueriesContext(connection) as queries:
            if row.method != "post":
                response = client.get(url)
            elif row.json:
                response = client.post(url, data, content_type="application/json")
            else:
                response = client.post(url, data)
        if len(queries) > QUERY_CEILING:
            failures.append(f"{role}: {len(queries)} queries (at most {QUERY_CEILING})")
        if response.streaming:  # reading a download to its end closes its file
            b"".join(response.streaming_content)
        expected = row.expected[role]
        if expected == L:
            ok = response.status_code == 302 and response.url.startswith(reverse("login"))
        else:
            ok = response.status_code == expected
        if not ok:
            failures.append(f"{role}: expected {expected}, got {response.status_code}")
    assert not failures, f"{name} {url}: " + "; ".join(failures)
