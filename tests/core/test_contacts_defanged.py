"""A person's page on a social network with the dot of its host put in brackets, as an
address is written to keep it from being a link (`instagram[.]com/aigul_k`), is a contact as
the plain address is; a post or a video stays none, and so does another host's page."""

from __future__ import annotations

import pytest

from ichinv.core.contacts import sure_contact
from tests.support.helpers import judged_in_linear_time

PAGES = (
    "instagram[.]com/aigul_k",
    "https://www.instagram(.)com/aigul.kenzhe/",
    "vk[.]com/aigul_kenzhe",
    "vk(dot)com/aigul_kenzhe",
    "facebook[.]com/aigul.kenzhe",
    "x[.]com/aigul_k",
    "linkedin[ . ]com/in/aigul-kenzhe",
)


@pytest.mark.parametrize("text", PAGES)
def test_a_person_s_page_with_a_bracketed_dot_is_a_contact(text: str) -> None:
    assert sure_contact(f"Her page: {text} (ask first).")


@pytest.mark.parametrize(
    "text",
    [
        "instagram[.]com/p/Cx1",
        "facebook[.]com/watch?v=1",
        "vk[.]com/wall-1_2",
        "kazakh[.]com/aigul",
    ],
)
def test_a_post_or_another_host_with_a_bracketed_dot_is_none(text: str) -> None:
    assert not sure_contact(text)


def test_bracketed_dots_are_told_in_linear_time() -> None:
    judged_in_linear_time(["[.]com/" * 20_000, "vk" + "[.]" * 30_000 + "com/a", "(" * 50_000])
