"""The LSG's bodies as its acts name them, by the LSG's type: "Skupština opštine", "Gradsko veće",
"Predsednik opštine". The plan page, its documents and the official heading name them here."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from stakeholders.models import LSG

Type = LSG.Type

# The body, as the LSG's type names it: a city has a City Council, a municipality a Municipal Council.
_COUNCIL = {
    Type.CITY: gettext_lazy("City Council"),
    Type.MUNICIPALITY: gettext_lazy("Municipal Council"),
    Type.CITY_MUNICIPALITY: gettext_lazy("Council of the City Municipality"),
}
# Keyed by OperationalPlan.AdoptingBody.
_BODIES = {
    "assembly": {
        Type.CITY: gettext_lazy("City Assembly"),
        Type.MUNICIPALITY: gettext_lazy("Municipal Assembly"),
        Type.CITY_MUNICIPALITY: gettext_lazy("Assembly of the City Municipality"),
    },
    "mayor": {
        Type.CITY: gettext_lazy("Mayor of the City"),
        Type.MUNICIPALITY: gettext_lazy("President of the Municipality"),
        Type.CITY_MUNICIPALITY: gettext_lazy("President of the City Municipality"),
    },
    "city_council": _COUNCIL,
    "municipal_council": _COUNCIL,
}


def body_name(lsg: LSG, body: str = "") -> str:
    """The LSG's body as its acts name it: the adopting body of the record, else its council."""
    names = _BODIES.get(body, _COUNCIL)
    return str(names.get(lsg.type, _COUNCIL[Type.MUNICIPALITY]))
