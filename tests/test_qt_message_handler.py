"""pytest-qt's capture of Qt's messages puts a handler back after each test, never none: with none, a message from
a Qt thread caught mid-swap by PySide6's trampoline called a null handler (a segfault; see tests/conftest.py)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import qInstallMessageHandler

from tests import conftest


def test_the_handler_pytest_qt_puts_back_after_a_test_is_the_runs_own(request: pytest.FixtureRequest) -> None:
    capture = request.node.qt_log_capture
    assert capture._previous_handler is conftest._qt_message_between_tests


def test_a_qt_message_outside_pytest_qts_capture_reaches_the_runs_handler(capsys: pytest.CaptureFixture[str]) -> None:
    from PySide6.QtCore import qWarning

    current = qInstallMessageHandler(conftest._qt_message_between_tests)  # as between two tests
    try:
        qWarning("a message between two tests")
    finally:
        qInstallMessageHandler(current)
    assert "a message between two tests" in capsys.readouterr().err
