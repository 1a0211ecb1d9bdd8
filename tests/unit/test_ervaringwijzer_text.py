"""The Dutch texts the client and the chat see: short, with the link, without client data."""

from __future__ import annotations

from datetime import date, datetime

from casework.ervaringwijzer import text
from models.clock import AMSTERDAM

EXPIRES = datetime(2026, 12, 25, 9, 0, tzinfo=AMSTERDAM)


def test_the_mail_has_the_link_the_end_date_and_the_opt_out() -> None:
    body = text.mail_text(
        url="https://x/ervaringwijzer/t",
        opt_out_url="https://x/ervaringwijzer/afmelden/t",
        expires_at=EXPIRES,
        reminder=False,
    )
    assert "\nhttps://x/ervaringwijzer/t\n" in body and "25 december 2026" in body
    assert body.rstrip().endswith("https://x/ervaringwijzer/afmelden/t")
    assert text.mail_subject(reminder=True) == "Herinnering: wat vond je van het buurtteam?"
    reminder = text.mail_text(url="u", opt_out_url="o", expires_at=EXPIRES, reminder=True)
    assert "Een week geleden" in reminder


def test_an_sms_fits_in_two_messages() -> None:
    url = "https://vraagbaak.example.nl/ervaringwijzer/" + "x" * 43
    sms = text.sms_text(
        url=url, opt_out_url=url.replace("wijzer/", "wijzer/afmelden/"), reminder=True
    )
    assert len(sms) <= 2 * 153


def test_the_chat_texts_for_the_generalist_and_the_team() -> None:
    link = text.link_text(case_ref="C-1", url="https://x/e/t", expires_on=date(2026, 12, 25))
    assert "C-1" in link and "https://x/e/t" in link and "25 december 2026" in link
    remark = text.remark_text(remark="Fijn!\nDank je.", grade=8)
    assert (
        remark == "Een cliënt schreef in de Ervaringwijzer (rapportcijfer 8):\n> Fijn!\n> Dank je."
    )
    assert "Casus C-7 is afgesloten." in text.card_question("C-7")
    assert [key for key, _ in text.CHANNEL_LABELS] == ["email", "sms", "link"]
