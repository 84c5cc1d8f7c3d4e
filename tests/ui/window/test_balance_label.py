"""BalanceLabel: the balance as read, "unknown" when the service gave no amount, a stale mark after a failed read."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from pytestqt.qtbot import QtBot

from sora2_desktop.api.errors import ProtocolError, TransientError
from sora2_desktop.core.account.account import Account
from sora2_desktop.core.catalogue.catalogue_service import CatalogueService
from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.core.tasks.rate_limiter import RateLimiter
from sora2_desktop.ui.window.balance_label import BalanceLabel
from tests.core.account.test_account import FakeBalance
from tests.helpers.wait import wait_until

READ_AT = datetime(2026, 3, 2, 14, 2, tzinfo=UTC)


@pytest.fixture
def account(tmp_path: Path, run_async: Any) -> Iterator[Account]:
    profile = Profile.from_dir(tmp_path).ensure()
    made = Account(
        CatalogueService(profile, AppSettings(profile)), settle_s=0.0, min_interval_s=0.0, now=lambda: READ_AT
    )
    yield made
    run_async(made.detach())


def test_the_label_follows_the_balance(qtbot: QtBot, account: Account, run_async: Any) -> None:
    label = BalanceLabel(account)
    qtbot.addWidget(label)
    assert label.text() == "Balance …"  # not read yet
    client = FakeBalance(74.87, TransientError("offline", request_sent=False), ProtocolError("not a number"))
    account.attach(client, RateLimiter(), None)
    run_async(wait_until(lambda: label.text() == "Balance $74.87", what="the balance in the label"))
    clock = READ_AT.astimezone().strftime("%H:%M")
    assert f"Read at {clock};" in label.toolTip()
    assert "prices are estimates you can edit in Settings" in label.toolTip()
    assert label.property("stale") is False
    normal = label.palette().color(QPalette.ColorRole.ButtonText)

    account.request_read()  # offline: the figure stays, marked
    run_async(wait_until(lambda: label.property("stale") is True, what="the stale mark"))
    assert label.text() == f"Balance $74.87 · {clock}"
    assert label.palette().color(QPalette.ColorRole.ButtonText) != normal
    assert "last reading failed" in label.toolTip()

    account.request_read()  # an answer with no amount
    run_async(wait_until(lambda: label.text() == "Balance unknown", what="the unknown balance"))
    assert label.property("stale") is False
    assert label.palette().color(QPalette.ColorRole.ButtonText) == normal


def test_a_click_asks_for_the_spend_view(qtbot: QtBot, account: Account) -> None:
    label = BalanceLabel(account)
    qtbot.addWidget(label)
    label.show()
    with qtbot.waitSignal(label.clicked, timeout=2000):
        qtbot.mouseClick(label, Qt.MouseButton.LeftButton)


def test_in_demo_mode_the_figure_says_it_is_play_money(qtbot: QtBot, account: Account, run_async: Any) -> None:
    label = BalanceLabel(account)
    qtbot.addWidget(label)
    account.attach(FakeBalance(25.0), RateLimiter(), None)
    run_async(wait_until(lambda: label.text() == "Balance $25.00", what="the balance in the label"))
    label.set_demo(True)
    assert label.text() == "Demo balance $25.00"
    assert "nothing is charged in demo mode" in label.toolTip()
    label.set_demo(False)
    assert label.text() == "Balance $25.00"
