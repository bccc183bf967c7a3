import datetime as dt

from django.utils import translation

from missions.templatetags.missions import long_date, posting_text, time_left
from testing import clock

NOW = clock.NOW  # the suite's pinned "now"


def test_time_left_counts_whole_days_then_hours_then_says_closed():
    with translation.override("fr"):
        assert time_left(NOW + dt.timedelta(days=3, hours=5), NOW) == "plus que 3 jours"
        assert time_left(NOW + dt.timedelta(days=1), NOW) == "plus que 1 jour"
        assert time_left(NOW + dt.timedelta(hours=5, minutes=10), NOW) == "plus que 5 heures"
        assert time_left(NOW + dt.timedelta(minutes=10), NOW) == "plus que 1 heure"
        assert time_left(NOW - dt.timedelta(minutes=1), NOW) == "candidatures closes"


def test_time_left_speaks_english_on_english_pages():
    with translation.override("en"):
        assert time_left(NOW + dt.timedelta(days=3, hours=5), NOW) == "3 days left"


def test_posting_text_makes_paragraphs_and_lists_and_escapes_html():
    html = posting_text("Premier <b>paragraphe</b>.\n\n• un ;\n• deux.\n\nFin.")

    assert html == (
        "<p>Premier &lt;b&gt;paragraphe&lt;/b&gt;.</p>"
        "<ul><li>un ;</li><li>deux.</li></ul>"
        "<p>Fin.</p>"
    )


def test_posting_text_reads_text_typed_in_a_browser_textarea():
    html = posting_text("Intro :\r\n  \r\n• un ;\r\n• deux.")

    assert html == "<p>Intro :</p><ul><li>un ;</li><li>deux.</li></ul>"


def test_long_date_writes_the_first_of_a_month_as_french_does():
    with translation.override("fr"):
        assert long_date(dt.date(2027, 4, 1)) == "1er avril 2027"
        assert long_date(dt.date(2026, 10, 12)) == "12 octobre 2026"
        assert long_date(dt.date(2027, 1, 11)) == "11 janvier 2027"  # not "11er"
    with translation.override("en"):
        assert long_date(dt.date(2027, 4, 1)) == "1 April 2027"
        assert long_date(dt.date(2026, 10, 12)) == "12 October 2026"


def test_long_date_gives_the_day_in_the_current_time_zone_and_nothing_for_no_date(settings):
    settings.TIME_ZONE = "Europe/Paris"
    # 23:30 UTC on 31 March 2027 is already 1 April in Paris (UTC+2).
    late = dt.datetime(2027, 3, 31, 23, 30, tzinfo=dt.UTC)
    with translation.override("fr"):
        assert long_date(late) == "1er avril 2027"
        assert long_date(None) == ""
