"""{% frozen obj "part" vary... %}...{% endfrozen %}: a fragment of a frozen version, rendered once.

Like Django's {% cache %}, but keyed by the object itself (jmu_planner.fragment_cache): never cached while
the object may change, a new entry per language and per status, and a failing cache only means
rendering. Put inside it only what is the same for every reader who passes the same `vary`
values: no {% csrf_token %}, no per-user buttons, no messages.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token

from jmu_planner import fragment_cache

register = template.Library()


class FrozenNode(template.Node):
    def __init__(
        self, nodelist: NodeList, obj: FilterExpression, part: FilterExpression, vary: list[FilterExpression]
    ):
        self.nodelist = nodelist
        self.obj = obj
        self.part = part
        self.vary = vary

    def render(self, context: template.Context) -> str:
        obj = self.obj.resolve(context)
        vary = [value.resolve(context) for value in self.vary]
        return fragment_cache.fragment(
            obj, str(self.part.resolve(context)), lambda: self.nodelist.render(context), *vary
        )


@register.tag("frozen")
def do_frozen(parser: Parser, token: Token) -> FrozenNode:
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(
            f"'{bits[0]}' takes an object and a part name: {{% frozen plan \"body\" %}}."
        )
    nodelist = parser.parse(("endfrozen",))
    parser.delete_first_token()
    return FrozenNode(
        nodelist,
        parser.compile_filter(bits[1]),
        parser.compile_filter(bits[2]),
        [parser.compile_filter(b) for b in bits[3:]],
    )
