"""Engagements, recommendations and harmonisation with the LAP: uploads, pages, PDFs, notifications."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from jmu_planner.models import NOTE_MAX_LENGTH
from jmu_planner.uploads import validate_upload
from plans import selectors as plan_selectors
from plans.models import OperationalPlan
from plans.tests.factories import MeasureFactory, PlanFactory
from reporting.documents import document_request
from reporting.models import Document
from reporting.tasks import render_document
from stakeholders import lifecycle
from stakeholders.engagements import selectors, services
from stakeholders.engagements.tests.world import as_user, inbox, pdf_text
from stakeholders.models import (
    Attachment,
    Engagement,
    FollowUp,
    LAPMeasure,
    Recommendation,
)
from stakeholders.tests.factories import LSGFactory, MembershipFactory


def blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(buffer)
    return buffer.getvalue()


PDF = blank_pdf()


def ooxml(main_part: str) -> bytes:
    """A minimal Office Open XML zip whose [Content_Types].xml names `main_part`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0"?><Types><Override PartName="/x.xml" ContentType="{main_part}"/></Types>',
        )
        archive.writestr("x.xml", "<x/>")
    return buffer.getvalue()


DOCX = ooxml("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")
XLSX = ooxml("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")


# --- Uploads: checked by content ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (PDF, "pdf"),
        (DOCX, "docx"),
        (XLSX, "xlsx"),
        (b"\x89PNG\r\n\x1a\n0000", "png"),
        (b"\xff\xd8\xff\xe0", "jpeg"),
    ],
)
def test_upload_kind_comes_from_the_content(content, kind):
    assert validate_upload(SimpleUploadedFile("whatever.bin", content)) == kind


@pytest.mark.parametrize(
    "content",
    [
        b"<html><script>alert(1)</script></html>",
        ooxml("application/zip"),
        b"PK\x03\x04 not a zip",
        b"%PDF-1.4 junk",
    ],
)
def test_an_upload_that_lies_about_its_type_is_refused(content):
    with pytest.raises(ValidationError):
        validate_upload(SimpleUploadedFile("zapisnik.pdf", content))


def test_attachment_view_refuses_a_liar_and_a_giant_and_keeps_a_docx(client, work, users, settings):
    url = reverse("stakeholders:attachment-create", args=[work.engagement.pk])
    client = as_user(client, users["expert"])
    before = Attachment.objects.count()
    response = client.post(url, {"file": SimpleUploadedFile("zapisnik.docx", b"<html></html>")})
    assert response.status_code == 200
    assert "not one of the accepted types" in response.content.decode()
    big = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (10 * 1024 * 1024))
    response = client.post(url, {"file": big})
    assert "larger than 10 MB" in response.content.decode()
    assert Attachment.objects.count() == before

    response = client.post(url, {"file": SimpleUploadedFile("zapisnik.html", DOCX)})
    assert response.status_code == 302
    attachment = Attachment.objects.latest("pk")
    assert attachment.kind == "docx"
    assert attachment.file.name.endswith(".docx") and "zapisnik" not in attachment.file.name
    download = client.get(reverse("stakeholders:attachment-download", args=[attachment.pk]))
    assert download["Content-Disposition"].startswith("attachment;")
    assert 'filename="zapisnik.docx"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == DOCX


# --- Engagements: bad input refused at the field ------------------------------------------------


def test_a_held_meeting_dated_in_the_future_is_refused(client, lsg, users):
    client = as_user(client, users["expert"])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = {
        "type": "coordination_meeting",
        "title": "Sastanak",
        "date": tomorrow.isoformat(),
        "held": "on",
        "lsgs": [lsg.pk],
    }
    response = client.post(reverse("stakeholders:engagement-create"), data)
    assert response.status_code == 200
    assert "cannot be dated in the future" in response.content.decode()
    assert not Engagement.objects.exists()
    del data["held"]  # a planned one may be
    assert client.post(reverse("stakeholders:engagement-create"), data).status_code == 302
    assert Engagement.objects.get().held is False


def test_an_expert_names_only_their_assigned_lsgs(client, lsg, other_lsg, users):
    client = as_user(client, users["expert"])
    data = {
        "type": "workshop",
        "title": "Radionica",
        "date": "2026-01-05",
        "held": "on",
        "lsgs": [other_lsg.pk],
    }
    response = client.post(reverse("stakeholders:engagement-create"), data)
    assert response.status_code == 200 and not Engagement.objects.exists()


def test_a_follow_up_without_an_owner_is_refused(client, work, users):
    client = as_user(client, users["expert"])
    url = reverse("stakeholders:follow-up-create", args=[work.engagement.pk])
    response = client.post(url, {"task": "Poslati nacrt", "owner": "   ", "due_date": "2026-04-01"})
    assert response.status_code == 200
    assert (
        "This field is required" in response.content.decode() or "needs an owner" in response.content.decode()
    )
    assert not FollowUp.objects.exists()
    with pytest.raises(ValidationError) as error:
        services.follow_up_add(
            engagement=work.engagement,
            actor=users["expert"],
            data={"task": "x", "owner": " ", "due_date": datetime.date(2026, 4, 1)},
        )
    assert "owner" in error.value.message_dict
    assert (
        client.post(url, {"task": "Poslati nacrt", "owner": "Sanja", "due_date": "2026-04-01"}).status_code
        == 302
    )


def test_participants_from_the_registry_or_by_name(client, work, jmu, users):
    member = MembershipFactory(jmu=jmu, person_name="Marija Petrović")
    elsewhere = MembershipFactory()
    client = as_user(client, users["expert"])
    url = reverse("stakeholders:participant-create", args=[work.engagement.pk])
    assert client.post(url, {"membership": member.pk}).status_code == 302
    assert client.post(url, {"name": "Zoran Simić", "institution": "SKGO"}).status_code == 302
    assert client.post(url, {"membership": elsewhere.pk}).status_code == 200  # not a choice
    assert client.post(url, {}).status_code == 200  # neither member nor name
    page = client.get(reverse("stakeholders:engagement-detail", args=[work.engagement.pk])).content.decode()
    assert "Marija Petrović" in page and "Zoran Simić" in page and "SKGO" in page


# --- Access: in and out ----------------------------------------------------------------------------


def test_experts_see_only_their_assigned_lsgs_engagements(client, work, users, other_lsg):
    theirs = Engagement.objects.create(
        type="workshop", title="Tuđa radionica", date=datetime.date(2026, 1, 1)
    )
    theirs.lsgs.set([other_lsg])
    client = as_user(client, users["expert"])
    listing = client.get(reverse("stakeholders:engagement-list")).content.decode()
    assert "Radionica o merama" in listing and "Tuđa radionica" not in listing
    assert client.get(reverse("stakeholders:engagement-detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("stakeholders:engagement-update", args=[theirs.pk])).status_code == 404
    client = as_user(client, users["unassigned_expert"])
    assert client.get(reverse("stakeholders:engagement-detail", args=[work.engagement.pk])).status_code == 404
    assert client.get(reverse("stakeholders:engagement-detail", args=[theirs.pk])).status_code == 200
    client = as_user(client, users["officer"])
    listing = client.get(reverse("stakeholders:engagement-list")).content.decode()
    assert "Radionica o merama" in listing and "Tuđa radionica" in listing


def test_coordinators_read_but_do_not_change_engagements(client, work, users):
    client = as_user(client, users["coordinator"])
    assert client.get(reverse("stakeholders:engagement-detail", args=[work.engagement.pk])).status_code == 200
    response = client.get(reverse("stakeholders:engagement-update", args=[work.engagement.pk]))
    assert response.status_code == 403
    assert "experts assigned" in response.content.decode()


def test_engagement_list_query_count_is_constant(client, lsg, users, django_assert_num_queries):
    for day in range(30):  # more than one page (25)
        engagement = Engagement.objects.create(
            type="field_visit",
            title=f"Obilazak {day}",
            date=datetime.date(2026, 1, 1) + datetime.timedelta(days=day),
        )
        engagement.lsgs.set([lsg, LSGFactory()])
    client = as_user(client, users["expert"])
    # session, user, roles, count, the page of engagements, their LSGs (one prefetch) and the
    # request's savepoint and release (ATOMIC_REQUESTS): 8, whatever the number of rows.
    with django_assert_num_queries(8):
        response = client.get(reverse("stakeholders:engagement-list"))
    assert response.content.decode().count("Obilazak") == 25


# --- Recommendations and traceability -----------------------------------------------------------


def test_recommendation_answered_by_the_coordinator_only(work, users):
    recommendation = work.recommendation
    with pytest.raises(ValidationError):
        lifecycle.recommendation_transition(
            recommendation=recommendation, to="accepted", actor=users["expert"]
        )
    with pytest.raises(ValidationError):  # rejecting needs a note
        lifecycle.recommendation_transition(
            recommendation=recommendation, to="rejected", actor=users["coordinator"]
        )
    lifecycle.recommendation_transition(
        recommendation=recommendation, to="accepted", actor=users["coordinator"]
    )
    lifecycle.recommendation_transition(
        recommendation=recommendation, to="implemented", actor=users["coordinator"]
    )
    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.IMPLEMENTED
    assert [t.to_status for t in recommendation.transitions.all()] == ["accepted", "implemented"]


def test_coordinator_links_a_measure_and_the_plan_page_shows_it(client, work, plan, measure, users, lsg):
    other_plan_measure = MeasureFactory(plan=PlanFactory())
    unanswered = Recommendation.objects.create(
        engagement=work.engagement, lsg=lsg, text="Zaposliti još jednu medijatorku.", addressee="Dom zdravlja"
    )
    Recommendation.objects.create(
        engagement=work.engagement,
        lsg=lsg,
        text="Odbijena preporuka",
        addressee="x",
        status=Recommendation.Status.REJECTED,
    )
    url = reverse("stakeholders:recommendation-detail", args=[work.recommendation.pk])
    expert = as_user(client, users["expert"])
    assert expert.post(url, {"measure": measure.pk}).status_code == 403
    coordinator = as_user(client, users["coordinator"])
    assert coordinator.post(url, {"measure": other_plan_measure.pk}).status_code == 200  # not the LSG's
    assert coordinator.post(url, {"measure": measure.pk}).status_code == 302
    assert list(work.recommendation.measures.all()) == [measure]

    traced = plan_selectors.plan_recommendations(plan)
    assert traced.by_measure == {measure.pk: [work.recommendation]}
    assert traced.unanswered == [unanswered]  # the rejected one needs no measure
    page = coordinator.get(reverse("plans:plan-detail", args=[plan.pk])).content.decode()
    assert f'id="traced-{measure.pk}"' in page and "Uvesti redovne obilaske naselja." in page
    assert "Zaposliti još jednu medijatorku." in page and "Odbijena preporuka" not in page
    member_page = as_user(client, users["member"]).get(reverse("plans:plan-detail", args=[plan.pk]))
    assert "Uvesti redovne obilaske" not in member_page.content.decode()  # members do not read them


def test_a_superseded_plans_measure_cannot_be_linked(work, jmu, users):
    old = PlanFactory(
        jmu=jmu,
        status=OperationalPlan.Status.SUPERSEDED,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
    )
    with pytest.raises(ValidationError):
        services.recommendation_link(
            recommendation=work.recommendation, measure=MeasureFactory(plan=old), actor=users["coordinator"]
        )


# --- Harmonisation ----------------------------------------------------------------------------


def test_harmonisation_lists_lap_measures_with_and_without_a_plan_measure(client, work, measure, plan, users):
    LAPMeasure.objects.create(document=work.policy, number="2.1", title="Zdravstvena zaštita")
    LAPMeasure.objects.create(document=work.policy, number="3.1", title="Zapošljavanje")
    measure.lap_measure = work.lap_measure
    measure.save()
    outside = PlanFactory(
        jmu=plan.jmu, period_start=datetime.date(2031, 1, 1), period_end=datetime.date(2031, 12, 31)
    )
    MeasureFactory(plan=outside, lap_measure=LAPMeasure.objects.get(number="2.1"))  # after the LAP's period
    result = selectors.harmonisation(work.policy)
    assert [row.lap_measure.number for row in result.covered] == ["1.1"]
    assert [row.lap_measure.number for row in result.uncovered] == ["2.1", "3.1"]
    assert result.coverage_percent == 33
    page = as_user(client, users["expert"]).get(reverse("stakeholders:policy-detail", args=[work.policy.pk]))
    text = page.content.decode()
    assert "1 of 3 measures are carried out by a plan measure in the period." in text
    assert "Upis dece u vrtić" in text


def test_the_measure_form_offers_the_lsgs_lap_measures(client, work, measure, users):
    foreign = LAPMeasure.objects.create(
        document=type(work.policy).objects.create(
            lsg=LSGFactory(),
            kind="health",
            title="Drugi plan",
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2026, 1, 1),
        ),
        number="9.9",
        title="Tuđa mera",
    )
    page = as_user(client, users["coordinator"]).get(reverse("plans:measure-update", args=[measure.pk]))
    text = page.content.decode()
    assert "Predškolsko obrazovanje" in text and foreign.title not in text


# --- Time sheets -------------------------------------------------------------------------------


# --- PDFs through the document pipeline -------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_mentoring_session_report_pdf(reference_data, eager):
    from jmu_planner.access import Role
    from stakeholders.tests.factories import user_with_role

    lsg = LSGFactory(name_lat="Niš PDF", name_cyr="Ниш PDF")
    expert = user_with_role(Role.EXPERT, lsg)
    engagement = services.engagement_save(
        actor=expert,
        lsgs=[lsg],
        data={
            "type": Engagement.Type.MENTORING_SESSION,
            "title": "Mentorska sesija",
            "date": datetime.date(2026, 2, 3),
            "held": True,
            "questions_raised": "Kako prikazati aktivnosti van plana?",
            "advice_given": "Upisati ih kao terenske aktivnosti.",
        },
    )
    services.participant_add(
        engagement=engagement, actor=expert, data={"name": "Ana Ilić", "institution": "CSR"}
    )
    services.follow_up_add(
        engagement=engagement,
        actor=expert,
        data={"task": "Poslati izveštaj", "owner": "Ana Ilić", "due_date": datetime.date(2026, 2, 20)},
    )
    document = document_request(actor=expert, engagement=engagement)
    document.refresh_from_db()
    assert document.status == Document.Status.DONE, document.error
    text = pdf_text(document)
    for expected in [
        "Mentoring session report",
        "Kako prikazati aktivnosti van plana?",
        "Upisati ih kao terenske aktivnosti.",
        "Ana Ilić",
        "Poslati izveštaj",
        "Niš PDF",
    ]:
        assert expected in text, expected
    assert Document.objects.visible_to(expert).filter(pk=document.pk).exists()
    assert not Document.objects.visible_to(user_with_role(Role.EXPERT, LSGFactory())).exists()


# --- The pages, end to end -------------------------------------------------------------------------


def test_expert_changes_the_engagement_and_writes_a_recommendation(client, work, lsg, users):
    client = as_user(client, users["expert"])
    url = reverse("stakeholders:engagement-update", args=[work.engagement.pk])
    assert client.get(url).status_code == 200
    data = {
        "type": "field_visit",
        "title": "Obilazak naselja",
        "date": "2026-03-11",
        "held": "on",
        "lsgs": [lsg.pk],
    }
    assert client.post(url, data).status_code == 302
    work.engagement.refresh_from_db()
    assert (work.engagement.type, work.engagement.title) == ("field_visit", "Obilazak naselja")
    assert client.post(url, data | {"lsgs": []}).status_code == 200  # at least one LSG
    url = reverse("stakeholders:recommendation-create", args=[work.engagement.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"lsg": lsg.pk, "text": "Nova preporuka", "addressee": "Gradsko veće"})
    assert response.status_code == 302
    assert Recommendation.objects.filter(text="Nova preporuka", created_by=users["expert"]).exists()


def test_coordinator_rejects_with_a_note_through_the_page(client, work, users):
    client = as_user(client, users["coordinator"])
    url = reverse("stakeholders:recommendation-transition", args=[work.recommendation.pk, "rejected"])
    response = client.post(url, {"note": ""}, follow=True)
    assert "a note is required" in response.content.decode()
    client.post(url, {"note": "Nema sredstava."})
    work.recommendation.refresh_from_db()
    assert work.recommendation.is_rejected
    bogus = reverse("stakeholders:recommendation-transition", args=[work.recommendation.pk, "nonsense"])
    assert client.post(bogus).status_code == 404


def test_a_megabyte_note_on_a_rejection_is_refused_with_a_message_and_nothing_moves(client, work, users):
    """A 1 MB note was accepted on rejecting a recommendation (the note's column says 2,000)."""
    client = as_user(client, users["coordinator"])
    url = reverse("stakeholders:recommendation-transition", args=[work.recommendation.pk, "rejected"])
    response = client.post(url, {"note": "x" * 1_000_000}, follow=True)
    assert f"at most {NOTE_MAX_LENGTH} characters" in response.content.decode()
    work.recommendation.refresh_from_db()
    assert not work.recommendation.is_rejected and not work.recommendation.transitions.exists()


def test_policy_documents_are_recorded_by_the_lsgs_authors(client, lsg, users):
    client = as_user(client, users["expert"])
    url = reverse("stakeholders:policy-create", args=[lsg.pk])
    data = {
        "kind": "employment",
        "title": "Lokalni akcioni plan zapošljavanja",
        "period_start": "2026-01-01",
        "period_end": "2025-12-31",
    }
    assert client.post(url, data).status_code == 200  # ends before it starts
    response = client.post(url, data | {"period_end": "2028-12-31"})
    assert response.status_code == 302
    document = lsg.policy_documents.get()
    detail = reverse("stakeholders:policy-detail", args=[document.pk])
    assert client.post(detail, {"number": "1.1", "title": "Sajam zapošljavanja"}).status_code == 302
    assert client.post(detail, {"number": "1.1", "title": "Dupla"}).status_code == 200  # number taken
    listing = client.get(reverse("stakeholders:policy-list", args=[lsg.pk])).content.decode()
    assert "Lokalni akcioni plan zapošljavanja" in listing
    member = as_user(client, users["member"])
    assert member.post(detail, {"number": "2.1", "title": "x"}).status_code == 403


def test_engagement_pdf_is_asked_for_from_its_page(
    client, work, users, eager, django_capture_on_commit_callbacks
):
    url = reverse("stakeholders:engagement-documents", args=[work.engagement.pk])
    coordinator = as_user(client, users["coordinator"])
    assert coordinator.post(url).status_code == 403  # coordinators read; the experts make PDFs
    expert = as_user(client, users["expert"])
    with django_capture_on_commit_callbacks(execute=True):  # the queue is asked on commit
        assert expert.post(url).status_code == 302
    document = Document.objects.get(engagement=work.engagement)
    assert document.is_done and document.subject == work.engagement
    page = expert.get(url).content.decode()
    assert reverse("reporting:document-download", args=[document.pk]) in page
    download = expert.get(reverse("reporting:document-download", args=[document.pk]))
    assert download.status_code == 200
    b"".join(download.streaming_content)
    other = as_user(client, users["unassigned_expert"])
    assert other.get(reverse("reporting:document-download", args=[document.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_engagement_documents_page_says_the_pdf_is_queued(
    reference_data, client, work, users, monkeypatch
):
    """Real commits (ATOMIC_REQUESTS): the queue is asked on commit, and the page says so, as a
    plan's documents page does (they are one page: reporting.document_kinds)."""
    queued = []
    monkeypatch.setattr(render_document, "apply_async", lambda **kw: queued.append(kw))
    url = reverse("stakeholders:engagement-documents", args=[work.engagement.pk])
    expert = as_user(client, users["expert"])
    response = expert.post(url)
    assert response.status_code == 302 and "?wait=" in response["Location"]
    page = expert.get(response["Location"]).content.decode()
    assert queued and "Your PDF is being made. It downloads by itself when it is ready" in page
    assert "every 2s" in page  # refreshed while it is pending


def test_a_failed_engagement_pdf_is_retried_from_its_page(
    client, work, users, eager, django_capture_on_commit_callbacks
):
    failed = Document.objects.create(
        engagement=work.engagement, status=Document.Status.FAILED, error="WorkerLostError"
    )
    url = reverse("stakeholders:engagement-documents", args=[work.engagement.pk])
    retry = reverse("reporting:document-retry", args=[failed.pk])
    assert as_user(client, users["coordinator"]).post(retry).status_code == 403  # they read, not make
    expert = as_user(client, users["expert"])
    page = expert.get(url).content.decode()
    assert retry in page and "WorkerLostError" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = expert.post(retry)
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == Document.Status.DONE, failed.error


# --- Who hears of the experts' work ---------------------------------------------------------------


@pytest.mark.serbian
def test_the_author_hears_how_the_lsg_answered_the_recommendation_in_their_script(work, users, lsg):
    from django.utils import translation

    coordinator, expert = users["coordinator"], users["expert"]
    lifecycle.recommendation_transition(recommendation=work.recommendation, to="accepted", actor=coordinator)
    lifecycle.recommendation_transition(
        recommendation=work.recommendation, to="implemented", actor=coordinator
    )
    rejected = Recommendation.objects.create(
        engagement=work.engagement, lsg=lsg, text="Druga preporuka", addressee="x", created_by=expert
    )
    lifecycle.recommendation_transition(
        recommendation=rejected, to="rejected", actor=coordinator, note="Nema sredstava."
    )
    with translation.override("sr"):
        texts = inbox(expert)
    assert texts == [
        f"{lsg.name_cyr}: препорука „Увести редовне обиласке насеља.“ је прихваћена.",
        f"{lsg.name_cyr}: препорука „Увести редовне обиласке насеља.“ је спроведена.",
        f"{lsg.name_cyr}: препорука „Друга препорука“ је одбијена: Нема средстава.",
    ]
    assert inbox(coordinator) == []


# --- A shared engagement: each LSG's part for its own readers (issue 22, point 7) -------------------


@pytest.fixture
def exchange(lsg, other_lsg, users):
    """An exchange event of two LSGs (Čačak's and the other's), with each one's part and a shared part."""
    event = Engagement.objects.create(
        type=Engagement.Type.EXCHANGE_EVENT,
        title="Razmena iskustava",
        date=datetime.date(2026, 5, 5),
        created_by=users["officer"],
    )
    event.lsgs.set([lsg, other_lsg])
    for owner, word in ((lsg, "ČAČAK"), (other_lsg, "DRUGI")):
        Recommendation.objects.create(
            engagement=event,
            lsg=owner,
            text=f"Preporuka {word}",
            addressee="Tim",
            created_by=users["officer"],
        )
        FollowUp.objects.create(
            engagement=event,
            lsg=owner,
            task=f"Zadatak {word}",
            owner="Tim",
            due_date=datetime.date(2026, 6, 1),
        )
        services.attachment_add(
            engagement=event,
            actor=users["officer"],
            lsg=owner,
            upload=SimpleUploadedFile(f"prilog-{word}.pdf", PDF),
        )
    FollowUp.objects.create(
        engagement=event, task="Zadatak ZAJEDNIČKI", owner="Svi", due_date=datetime.date(2026, 6, 1)
    )
    return event


@pytest.mark.parametrize(
    ("reader", "sees", "not_sees"),
    [
        ("coordinator", "ČAČAK", "DRUGI"),
        ("expert", "ČAČAK", "DRUGI"),
        ("other_coordinator", "DRUGI", "ČAČAK"),
        ("unassigned_expert", "DRUGI", "ČAČAK"),
    ],
)
def test_a_shared_engagement_shows_each_reader_the_shared_part_and_only_their_lsgs_part(
    client, exchange, users, reader, sees, not_sees
):
    client = as_user(client, users[reader])
    page = client.get(reverse("stakeholders:engagement-detail", args=[exchange.pk])).content.decode()
    assert "Razmena iskustava" in page and "Zadatak ZAJEDNIČKI" in page
    assert all(text in page for text in (f"Preporuka {sees}", f"Zadatak {sees}", f"prilog-{sees}.pdf"))
    assert not_sees not in page, f"{reader} reads another LSG's part"
    theirs = Attachment.objects.get(engagement=exchange, original_name=f"prilog-{not_sees}.pdf")
    assert client.get(reverse("stakeholders:attachment-download", args=[theirs.pk])).status_code == 404


def test_an_officer_reads_every_part_of_a_shared_engagement(client, exchange, users):
    page = as_user(client, users["officer"]).get(
        reverse("stakeholders:engagement-detail", args=[exchange.pk])
    )
    assert all(
        word in page.content.decode() for word in ("Preporuka ČAČAK", "Preporuka DRUGI", "prilog-DRUGI")
    )


def test_a_shared_engagements_pdf_holds_its_askers_part_and_is_theirs(exchange, users, settings):
    from stakeholders.engagements.documents import engagement_context

    context = engagement_context(exchange, reader=users["coordinator"])
    assert [r.text for r in context["recommendations"]] == ["Preporuka ČAČAK"]
    assert {f.task for f in context["follow_ups"]} == {"Zadatak ČAČAK", "Zadatak ZAJEDNIČKI"}
    document = Document.objects.create(engagement=exchange, created_by=users["coordinator"])
    assert Document.objects.visible_to(users["coordinator"]).filter(pk=document.pk).exists()
    assert not Document.objects.visible_to(users["other_coordinator"]).filter(pk=document.pk).exists()


@pytest.mark.parametrize("language", ["sr-latn", "sr"])
def test_an_engagement_names_its_type_once(language):
    from django.utils import translation

    from stakeholders.models import Engagement

    with translation.override(language):
        typed = Engagement(type=Engagement.Type.MENTORING_SESSION, title="Mentorska sesija: izveštavanje")
        plain = Engagement(type=Engagement.Type.MENTORING_SESSION, title="Izveštavanje mobilnog tima")
        assert str(typed) == "Mentorska sesija: izveštavanje"
        kind = str(plain.get_type_display())
        assert str(plain) == f"{kind}: Izveštavanje mobilnog tima" and kind.count(":") == 0
