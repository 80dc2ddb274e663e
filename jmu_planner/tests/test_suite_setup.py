"""The test suite's own set-up keeps Django's guards where the product has them."""

import asyncio
import os

import pytest
from django.core.exceptions import SynchronousOnlyOperation

from stakeholders.models import LSG


@pytest.mark.django_db
def test_the_orm_refuses_a_query_from_async_code_outside_browser_tests():
    """DJANGO_ALLOW_ASYNC_UNSAFE is for Playwright's event loop only (the `browser` fixture): any
    other test that queries from async code by mistake fails as the site would."""

    async def count_lsgs() -> int:
        return LSG.objects.count()

    assert "DJANGO_ALLOW_ASYNC_UNSAFE" not in os.environ
    with pytest.raises(SynchronousOnlyOperation):
        asyncio.run(count_lsgs())
