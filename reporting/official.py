"""What every official document of an LSG carries (DOMAIN.md, "Rules of the field"): the
authority's heading (Republika Srbija, the city or municipality, the body), the number, place and
date, and the signatory's name, function and seal mark (M.P.).

Built once here from the LSG and the adoption record, as plain data, for every printable copy (the
PDF's print layouts, and a Word copy that shows the same heading).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plans.bodies import body_name
from plans.models import OperationalPlan
from stakeholders.models import LSG

Type = LSG.Type

# "Grad Kragujevac", "Opština Ada", "Gradska opština Palilula": the second line of the heading.
_AUTHORITY = {
    Type.CITY: gettext_lazy("City of %(name)s"),
    Type.MUNICIPALITY: gettext_lazy("Municipality of %(name)s"),
    Type.CITY_MUNICIPALITY: gettext_lazy("City Municipality of %(name)s"),
}
# The print layouts name the coat of arms by this URL; the renderer's fetcher serves the bytes read
# here (reporting.fetcher.StaticFilesFetcher `attachments`), so no stored path reaches the layout.
ARMS_URL = "file:///document/coat-of-arms"


@dataclass(frozen=True)
class OfficialHeading:
    country: str
    authority: str
    body: str
    place: str
    number: str = ""
    date: datetime.date | None = None
    # The LSG's coat of arms as uploaded (checked PNG or JPEG), or None: nothing is printed then.
    arms: bytes | None = field(default=None, repr=False)
    arms_type: str = ""

    @property
    def arms_url(self) -> str:
        return ARMS_URL if self.arms else ""

    def attachments(self) -> dict[str, tuple[bytes, str]]:
        """What the renderer may load besides the static files: the coat of arms, if any."""
        return {ARMS_URL: (self.arms, self.arms_type)} if self.arms else {}


@dataclass(frozen=True)
class Signature:
    """A signature line: the function above it, the name below; `seal` adds "M.P." beside it."""

    function: str
    name: str = ""
    seal: bool = False


def authority_name(lsg: LSG) -> str:
    return str(_AUTHORITY.get(lsg.type, _AUTHORITY[Type.MUNICIPALITY])) % {"name": lsg.name}


def coat_of_arms(lsg: LSG) -> tuple[bytes | None, str]:
    """The stored coat of arms' bytes and type; (None, "") when none is on file or it is gone."""
    if not lsg.coat_of_arms:
        return None, ""
    name = lsg.coat_of_arms.name.lower()
    try:
        with lsg.coat_of_arms.open("rb") as image:
            data = image.read()
    except OSError:
        return None, ""
    return data, "image/png" if name.endswith(".png") else "image/jpeg"


def official_heading(
    lsg: LSG, *, body: str = "", number: str = "", date: datetime.date | None = None
) -> OfficialHeading:
    arms, arms_type = coat_of_arms(lsg)
    return OfficialHeading(
        country=_("Republic of Serbia"),
        authority=authority_name(lsg),
        body=body_name(lsg, body),
        place=lsg.name,
        number=number,
        date=date,
        arms=arms,
        arms_type=arms_type,
    )


def jmu_heading(jmu, *, date: datetime.date | None = None) -> OfficialHeading:
    """The heading of what the JMU itself issues (its reports): the LSG, with the JMU as the body."""
    heading = official_heading(jmu.lsg, date=date)
    return replace(heading, body=str(jmu))


def plan_heading(plan: OperationalPlan) -> OfficialHeading:
    """The plan's heading: the adopting body, number and date of the adoption record (none yet for
    a draft: the LSG's council, which adopts operational plans)."""
    return official_heading(
        plan.jmu.lsg, body=plan.adopting_body, number=plan.adoption_number, date=plan.adoption_date
    )


def plan_signature(plan: OperationalPlan) -> Signature:
    """The adopted plan is signed for the body by the signatory of the adoption record."""
    function = plan.signatory_function or body_name(plan.jmu.lsg, plan.adopting_body)
    return Signature(function=function, name=plan.signatory_name, seal=True)


def person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
