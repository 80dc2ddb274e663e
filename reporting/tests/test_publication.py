"""Publication: who publishes and takes down, what the public pages show (and never show), their
cache headers, throttle and language; and an access probe that crawls them as an anonymous reader."""

import datetime
import io
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from docx import Document as WordDocument

from plans.models import CommentThread, OperationalPlan
from plans.tests.factories import PlanFactory
from reporting import publication, services
from reporting.models import Document, Publication, Report
from reporting.tests.worlds import YEAR
from stakeholders.models import ProgrammeCohort

SECRETS = {
    "draft": "Nacrt plana koji se ne objavljuje",
    "unpublished": "Usvojen ali neobjavljen plan",
    "comment": "Interni komentar službenika",
    "field entry": "Terenska beleška iz naselja",
    "e-mail": "koordinator.tajna@example.org",
    "narrative of a month": "Mesečni problemi tajni",
}


@pytest.fixture
def world(plan, users):
    """The adopted plan of `plan` and an accepted annual report built from one reported month with
    three people reached; beside them everything that must never be public."""
    lsg, coordinator = plan.jmu.lsg, users["coordinator"]
    coordinator.email = SECRETS["e-mail"]
    coordinator.save(update_fields=["email"])
    plan.adopting_body, plan.adoption_number, plan.adoption_date = (
        "city_council",
        "06-1/2026",
        datetime.date(YEAR, 1, 20),
    )
    plan.adoption_file.save("odluka.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    cohort = ProgrammeCohort.objects.create(code="T1", name="Program podrške (EU i OEBS)", period="2024-2026")
    cohort.lsgs.add(lsg)
    PlanFactory(
        jmu=plan.jmu,
        title=SECRETS["draft"],
        period_start=datetime.date(YEAR + 1, 1, 1),
        period_end=datetime.date(YEAR + 1, 12, 31),
    )
    PlanFactory(
        jmu=plan.jmu,
        title=SECRETS["unpublished"],
        status=OperationalPlan.Status.ADOPTED,
        period_start=datetime.date(YEAR + 2, 1, 1),
        period_end=datetime.date(YEAR + 2, 12, 31),
    )
    CommentThread.objects.create(plan=plan, created_by=users["officer"]).comments.create(
        author=users["officer"], body=SECRETS["comment"]
    )
    month = services.report_create(
        jmu=plan.jmu, kind="monthly", day=datetime.date(YEAR, 3, 1), actor=coordinator
    )
    services.activity_save(
        jmu=month.jmu,
        actor=coordinator,
        data={
            "date": datetime.date(YEAR, 3, 5),
            "note": SECRETS["field entry"],
            "female_18_64": 3,
            "households": 2,
        },
    )
    Report.objects.filter(pk=month.pk).update(
        status=Report.Status.ACCEPTED, problems=SECRETS["narrative of a month"]
    )
    annual = services.report_create(
        jmu=plan.jmu, kind="annual", day=datetime.date(YEAR, 1, 1), actor=coordinator
    )
    Report.objects.filter(pk=annual.pk).update(status=Report.Status.ACCEPTED)
    annual.refresh_from_db()
    return {"plan": plan, "annual": annual, "month": month, "lsg": lsg}


def publish(client, user, kind, subject):
    client.force_login(user)
    return client.post(reverse("reporting:publication", args=[kind, subject.pk]), {"action": "publish"})


def test_the_coordinator_publishes_and_takes_down_with_a_reason_and_each_change_is_kept(world, users, client):
    plan, lsg = world["plan"], world["lsg"]
    public_lsg = reverse("public:lsg", args=[lsg.pk])
    assert client.get(public_lsg).status_code == 404  # nothing published yet
    assert publish(client, users["coordinator"], "plan", plan).status_code == 302
    client.logout()
    page = client.get(public_lsg).content.decode()
    assert plan.title in page and "06-1/2026" in page
    assert reverse("public:decision", args=[plan.pk]) in page

    client.force_login(users["coordinator"])
    url = reverse("reporting:publication", args=["plan", plan.pk])
    refused = client.post(url, {"action": "unpublish", "reason": "  "})
    assert refused.status_code == 400 and "This field is required." in refused.content.decode()
    assert Publication.objects.current().filter(plan=plan).exists()  # nothing half-done
    client.post(url, {"action": "unpublish", "reason": "Pogrešan fajl odluke"})
    client.logout()
    assert client.get(public_lsg).status_code == 404
    assert client.get(reverse("public:word", args=["plan", plan.pk])).status_code == 404

    publish(client, users["officer"], "plan", plan)  # the officer may publish too; a new row
    rows = list(Publication.objects.filter(plan=plan).order_by("pk"))
    assert [(r.published_by, r.unpublished_by, r.reason) for r in rows] == [
        (users["coordinator"], users["coordinator"], "Pogrešan fajl odluke"),
        (users["officer"], None, ""),
    ]
    history = client.get(url).content.decode()
    assert "Pogrešan fajl odluke" in history


def test_only_adopted_plans_and_accepted_annual_reports_are_published_by_their_coordinator_or_an_officer(
    world, users, client
):
    plan, month = world["plan"], world["month"]
    assert publish(client, users["member"], "plan", plan).status_code == 403
    assert publish(client, users["expert"], "plan", plan).status_code == 403
    assert publish(client, users["other_coordinator"], "plan", plan).status_code == 404
    draft = OperationalPlan.objects.get(title=SECRETS["draft"])
    refused = publish(client, users["coordinator"], "plan", draft)
    assert (
        refused.status_code == 403 and "Adopted plans and accepted annual reports" in refused.content.decode()
    )
    assert publish(client, users["coordinator"], "report", month).status_code == 403
    assert publish(client, users["coordinator"], "report", world["annual"]).status_code == 302
    assert not Publication.objects.filter(plan__in=[plan, draft]).exists()
    assert list(Publication.objects.values_list("report", flat=True)) == [world["annual"].pk]


def test_a_published_annual_report_shows_its_figures_with_small_counts_hidden(world, users, client):
    publish(client, users["coordinator"], "plan", world["plan"])
    publish(client, users["coordinator"], "report", world["annual"])
    client.logout()
    page = client.get(reverse("public:report", args=[world["annual"].pk])).content.decode()
    assert "People reached: <strong>&lt;5</strong>" in page  # three people
    assert "1,500.00" in page  # the plan's budget: planned total
    assert SECRETS["field entry"] not in page and SECRETS["narrative of a month"] not in page
    lsg_page = client.get(reverse("public:lsg", args=[world["lsg"].pk])).content.decode()
    assert "Program podrške (EU i OEBS)" in lsg_page  # the programme and its donors


def test_public_pages_are_cached_by_etag_throttled_and_in_the_readers_language(
    world, users, client, settings
):
    publish(client, users["coordinator"], "plan", world["plan"])
    client.logout()
    url = reverse("public:lsg", args=[world["lsg"].pk])
    first = client.get(url)
    assert "max-age=300" in first["Cache-Control"] and first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # Taking it down changes what the page says, so the browser's copy is not current any more.
    client.force_login(users["officer"])
    client.post(
        reverse("reporting:publication", args=["plan", world["plan"].pk]),
        {"action": "unpublish", "reason": "Greška"},
    )
    client.logout()
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 404
    publish(client, users["coordinator"], "plan", world["plan"])
    client.logout()

    # The language menu works logged out: the page comes in Cyrillic.
    client.post(reverse("set_language"), {"language": "sr", "next": url})
    page = client.get(url).content.decode()
    assert world["lsg"].name_cyr in page and "Оперативни планови" in page

    settings.PUBLIC_THROTTLE_RATE = "2/min"
    from django.core.cache import cache

    cache.clear()
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action") and value and not value.startswith(("#", "mailto:")):
                self.links.append(value)


def test_an_anonymous_reader_crawling_the_public_pages_finds_nothing_unpublished(world, users, client):
    """The access probe: every link of the public pages, followed as an anonymous reader."""
    plan, annual = world["plan"], world["annual"]
    publish(client, users["coordinator"], "plan", plan)
    publish(client, users["coordinator"], "report", annual)
    Document.objects.create(plan=plan, status=Document.Status.DONE, subject_status="adopted").file.save(
        "plan.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n")
    )
    # A PDF of the draft and one made while the plan was a draft: never offered.
    draft = OperationalPlan.objects.get(title=SECRETS["draft"])
    Document.objects.create(plan=draft, status=Document.Status.DONE, subject_status="draft").file.save(
        "draft.pdf", ContentFile(b"%PDF-1.4 draft\n%%EOF\n")
    )
    client.logout()
    seen, queue, public, texts = set(), [reverse("public:index")], [], []
    while queue:
        url = queue.pop()
        path = urlsplit(url).path
        if path in seen or urlsplit(url).netloc:
            continue
        seen.add(path)
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if not path.startswith("/public/"):
            # Anything else the pages link to is the log-in page, a static file, the language menu or
            # the installable app's own files (its manifest: the app's name and icons, no one's data).
            app_files = (reverse("pwa-manifest"), reverse("pwa-service-worker"), reverse("pwa-offline"))
            assert (
                path.startswith(("/static/", "/i18n/"))
                or path in app_files
                or (response.status_code == 302 and (response.url.startswith(reverse("login"))))
                or path == reverse("login")
            ), path
            continue
        assert response.status_code == 200, path
        public.append(path)
        kind = response["Content-Type"]
        if kind.startswith("text/html"):
            parser = Links()
            parser.feed(body.decode())
            queue.extend(parser.links)
            texts.append(body.decode())
        elif "wordprocessingml" in kind:
            doc = WordDocument(io.BytesIO(body))
            texts.append(
                "\n".join(
                    [p.text for p in doc.paragraphs]
                    + [c.text for t in doc.tables for r in t.rows for c in r.cells]
                )
            )
        else:
            assert kind == "application/pdf" and b"draft" not in body
    # Reached: the index, the LSG, the report, both Word copies, the plan's PDF and its decision.
    assert len(public) == 7, public
    everything = "\n".join(texts)
    for what, secret in SECRETS.items():
        assert secret not in everything, what
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", everything), "an e-mail address"
    assert plan.title in everything and "<5" in everything


def test_the_public_lsg_page_reads_a_fixed_number_of_queries(
    world, users, client, django_assert_max_num_queries
):
    publish(client, users["coordinator"], "plan", world["plan"])
    publish(client, users["coordinator"], "report", world["annual"])
    client.logout()
    # throttle (cache), ETag (2), session, the LSG, plans, reports, two PDF look-ups, programmes = 9
    with django_assert_max_num_queries(10):
        client.get(reverse("public:lsg", args=[world["lsg"].pk]))
    assert publication.public_lsgs()[0].published == 1
