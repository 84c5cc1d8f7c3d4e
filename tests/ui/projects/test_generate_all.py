"""Generate all shots: one question with the whole estimate (per model, the total, the balance it leaves) and the
shots skipped and why, default No; No sends nothing; Yes sends each ready shot's takes into the shot — a real
Session against the stand-in over loopback HTTP."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from sora2_desktop.api import ApiKey, GenerationRequest
from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.secrets import SecretStore
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.core.projects.model import Shot
from sora2_desktop.core.session import Session
from sora2_desktop.core.tasks.poll_timing import PollTiming
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.ui.common import confirm
from sora2_desktop.ui.projects.generate_all import GenerateAll
from sora2_desktop.ui.projects.generate_all_plan import question_words
from sora2_desktop.ui.projects.shot_panel import ShotPanel
from tests.helpers.keychain import MemoryKeyring
from tests.helpers.sim import ManualSim
from tests.helpers.wait import wait_until

# Nothing is polled during a test: only the submits are looked at.
QUIET = PollTiming(first_delay_s=3600.0, interval_s=3600.0, callback_interval_s=3600.0)


@dataclass
class Rig:
    session: Session
    generate: GenerateAll
    sim: ManualSim
    shots: dict[str, Shot]

    def submits(self) -> list[dict[str, Any]]:
        return [
            json.loads(r.body)
            for r in self.sim.requests
            if r.origin == "api" and r.method == "POST" and r.path.startswith("/api/v1/generateTask")
        ]


@pytest.fixture
def rig(
    qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring, sim: ManualSim, run_async: Callable[..., Any]
) -> Iterator[Rig]:
    profile = Profile.from_dir(tmp_path / "profile").ensure()
    secrets = SecretStore()
    secrets.save_api_key(ApiKey("generate-all-key-0123"))
    session = Session(profile, AppSettings(profile), secrets, api_base_override=sim.api_base, timing=QUIET)

    async def start() -> None:
        session.activate()
        await wait_until(lambda: session.account.balance() is not None, what="the balance read")

    run_async(start())
    projects = session.projects
    project = projects.current_project()
    (first,) = projects.shots(project.id)
    projects.save_shot_settings(
        first.id, {"prompt": "A lighthouse in fog", "model": "sora-2", "duration": 15, "takes": 2}
    )
    pro = {"prompt": "A harbour at dawn", "model": "sora-2-pro", "duration": 8, "size": "720*1280", "takes": 1}
    projects.add_shot(project.id, pro)
    projects.add_shot(project.id, {"prompt": "", "model": "sora-2"})
    projects.add_shot(project.id, {"prompt": "Gulls", "model": "sora-2", "mode": "image-to-video", "images": []})
    projects.add_shot(project.id, {"prompt": "Old draft", "model": "sora-2", "duration": 12})  # no longer offered
    panel = ShotPanel(session)
    window = QWidget()
    qtbot.addWidget(panel)
    qtbot.addWidget(window)
    panel.reload()
    shots = {shot.code: shot for shot in projects.shots(project.id)}
    yield Rig(session, GenerateAll(session, panel, window), sim, shots)
    window.close()
    run_async(session.aclose())


def answer(
    monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton, *, include: bool = False
) -> list[QMessageBox]:
    """Answers the question with `button` (ticking "Also the shots that already have takes" first, if asked) and
    keeps what it showed."""
    asked: list[QMessageBox] = []

    def run(box: QMessageBox) -> int:
        if include:
            box.checkBox().setChecked(True)
        asked.append(box)
        return button

    monkeypatch.setattr(confirm, "runner", run)
    return asked


def test_the_question_shows_the_whole_estimate_and_no_sends_nothing(rig: Rig, monkeypatch: pytest.MonkeyPatch) -> None:
    asked = answer(monkeypatch, QMessageBox.StandardButton.No)
    rig.generate.generate_all_action.trigger()
    (box,) = asked
    balance = rig.session.account.balance()
    assert balance == 25.0
    assert box.text() == "Submit 3 take(s) of 2 shot(s), estimated at ≈$2.70?"
    lines = box.informativeText().splitlines()
    assert lines[:3] == [
        "Sora 2: 1 shot(s), 2 take(s), ≈$0.30",
        "Sora 2 Pro: 1 shot(s), 1 take(s), ≈$2.40",
        "Total ≈$2.70; leaves ≈$22.30 of the key's $25.00.",
    ]
    assert lines[3] == "Skipped:" and lines[4] == "• SH030: no prompt"
    assert lines[5].startswith("• SH040: Image-to-video needs at least one reference image")
    assert lines[6] == "• SH050: 12 s is no longer offered for Sora 2; set to 10 s."  # as the composer would say
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    assert box.escapeButton() is box.button(QMessageBox.StandardButton.No)
    assert box.checkBox() is None  # no shot has takes yet: nothing to choose
    assert rig.session.tasks() == [] and rig.submits() == []


def test_yes_sends_each_ready_shots_takes_into_the_shot(
    rig: Rig, monkeypatch: pytest.MonkeyPatch, run_async: Callable[..., Any]
) -> None:
    answer(monkeypatch, QMessageBox.StandardButton.Yes)
    with_words: list[list[str]] = []
    rig.generate.finished.connect(with_words.append)
    rig.generate.generate_all_action.trigger()

    async def sent() -> None:
        await wait_until(lambda: bool(with_words), what="the shots submitted")
        await wait_until(lambda: len(rig.submits()) == 3, what="three submits")

    run_async(sent())
    assert with_words == [[]]
    projects = rig.session.projects
    assert [take.take_number for take in projects.takes(rig.shots["SH010"].id)] == [1, 2]
    (pro_take,) = projects.takes(rig.shots["SH020"].id)
    assert (pro_take.request.model, pro_take.request.size, pro_take.request.duration) == ("sora-2-pro", "720*1280", 8)
    assert all(projects.takes(rig.shots[code].id) == [] for code in ("SH030", "SH040", "SH050"))
    bodies = rig.submits()
    assert sorted(body["input"]["prompt"] for body in bodies) == ["A harbour at dawn"] + ["A lighthouse in fog"] * 2


def test_shots_that_already_have_takes_are_left_out_unless_the_person_includes_them(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = Task(
        request=GenerationRequest(prompt="A lighthouse in fog"), created_at=datetime.now(UTC), phase=TaskPhase.SUCCESS
    )
    store_take(rig, done.with_(shot_id=rig.shots["SH010"].id, take_number=1))
    plan = rig.generate.plan()
    assert plan is not None and [job.shot.code for job in plan.chosen(False)] == ["SH020"]
    asked = answer(monkeypatch, QMessageBox.StandardButton.No, include=True)
    rig.generate.ask_and_generate()
    (box,) = asked
    assert box.checkBox().text() == "Also the 1 shot(s) that already have takes"
    # Ticked: the question is said again for both shots.
    assert box.text() == "Submit 3 take(s) of 2 shot(s), estimated at ≈$2.70?"
    box.checkBox().setChecked(False)
    assert box.text() == "Submit 1 take(s) of 1 shot(s), estimated at ≈$2.40?"
    assert "Left out: 1 shot(s) that already have takes." in box.informativeText()


def store_take(rig: Rig, task: Task) -> None:
    """A take stored as a finished one, as an earlier Generate would have left it."""
    rig.session._store.add(task)  # the test plays an earlier run of the app


def test_the_total_says_when_it_is_above_the_balance_or_the_balance_is_unknown(rig: Rig) -> None:
    plan = rig.generate.plan()
    assert plan is not None
    titles = {"sora-2": "Sora 2", "sora-2-pro": "Sora 2 Pro"}.__getitem__
    low = replace(plan, balance_usd=1.0)
    assert "Total ≈$2.70: more than the key's balance of $1.00." in question_words(low, False, titles)[1]
    unknown = replace(plan, balance_usd=None)
    assert "Total ≈$2.70; the key's balance is unknown." in question_words(unknown, False, titles)[1]
