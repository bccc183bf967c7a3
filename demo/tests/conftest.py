import datetime as dt

import pytest


@pytest.fixture(autouse=True)
def today_is_26_november_2026(time_machine):
    """Factories use fixed dates; pin "now" so the tests mean the same thing next year."""
    time_machine.move_to(dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC), tick=True)
