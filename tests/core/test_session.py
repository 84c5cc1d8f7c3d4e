"""Session, the UI's one door: submit (field errors or stored takes), rerun, remove, the lists the
views show (downloads from memory, not the database, on every progress event) and the signals they follow."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from sora2_desktop.api import ApiKey, GenerationRequest, Mode
from sora2_desktop.core.config.profile import Profile
from sora2_desktop.core.config.secrets import SecretStore
from sora2_desktop.core.config.settings import AppSettings
from sora2_desktop.core.projects.model import TakeMark
from sora2_desktop.core.results.download_record import Download, DownloadState
from sora2_desktop.core.results.history_results import HistoryResults
from sora2_desktop.core.session import Session
from sora2_desktop.core.storage.database import Database
from sora2_desktop.core.tasks.poll_timing import PollTiming
from sora2_desktop.core.tasks.task import Task, TaskPhase
from sora2_desktop.sim import SimServer
from tests.helpers.keychain import MemoryKeyring
from tests.helpers.wait import wait_until

SPEED = 100.0
TIMING = PollTiming(first_delay_s=60.0, interval_s=10.0, callback_interval_s=20.0, time_scale=1.0 / SPEED)
PROMPT = "A kettle on a gas stove, steam rising, morning light"


class Heard:
    """What a session's signals carried, in order."""

    def __init__(self, session: Session) -> None:
        self.tasks: list[Task] = []
        self.batches: list[list[Task]] = []
        self.downloads: list[Download] = []
        session.task_changed.connect(self.tasks.append)
        session.tasks_submitted.connect(self.batches.append)
        session.download_changed.connect(self.downloads.append)


@pytest.fixture
def live_sim() -> Iterator[SimServer]:
    server = SimServer(speed=SPEED).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def make_session(
    tmp_path: Path, memory_keyring: MemoryKeyring, live_sim: SimServer, run_async: Any
) -> Iterator[Callable[..., Session]]:
    made: list[Session] = []

    def make(*, activate: bool = True) -> Session:
        profile = Profile.from_dir(tmp_path / f"profile{len(made)}").ensure()
        secrets = SecretStore()
        secrets.save_api_key(ApiKey("session-test-key"))
        session = Session(profile, AppSettings(profile), secrets, api_base_override=live_sim.api_base, timing=TIMING)
        made.append(session)
        if activate:

            async def start() -> None:
                session.activate()

            run_async(start())
        return session

    yield make
    for session in made:
        run_async(session.aclose())


def stored(session: Session, local_id: int | None) -> Task:
    return next(task for task in session.tasks() if task.local_id == local_id)


def test_before_activation_the_history_reads_and_nothing_is_sent(
    make_session: Callable[..., Session], run_async: Any
) -> None:
    session = make_session(activate=False)
    assert not session.active and session.tasks() == []
    with pytest.raises(RuntimeError):
        run_async(session.submit(GenerationRequest(prompt=PROMPT), [], 1))
    task = Task(request=GenerationRequest(prompt=PROMPT), created_at=datetime.now(UTC), local_id=99)
    assert session.rerun(task) == []
    assert session.redownload(task)  # a sentence: why not
    assert session.downloads_for(task) == []


def test_field_errors_come_back_and_nothing_is_stored(make_session: Callable[..., Session], run_async: Any) -> None:
    session = make_session()
    heard = Heard(session)
    result = run_async(session.submit(GenerationRequest(prompt=PROMPT, mode=Mode.IMAGE_TO_VIDEO), [], 2))
    assert not result.accepted and [e.field for e in result.errors] == ["image_urls"]
    assert session.tasks() == [] and heard.batches == [] and heard.tasks == []


def test_takes_are_stored_announced_and_followed(make_session: Callable[..., Session], run_async: Any) -> None:
    session = make_session()
    heard = Heard(session)

    async def scenario() -> list[Task]:
        result = await session.submit(GenerationRequest(prompt=PROMPT), [], 2)
        await wait_until(
            lambda: all(stored(session, t.local_id).phase == TaskPhase.SUCCESS for t in result.tasks), what="success"
        )
        # The views hear of a change on the loop's next turn, after the store has it.
        wanted = {t.local_id for t in result.tasks}
        await wait_until(
            lambda: wanted <= {t.local_id for t in heard.tasks if t.phase == TaskPhase.SUCCESS},
            what="the views hear of success",
        )
        return result.tasks

    tasks = run_async(scenario())
    assert len(tasks) == 2 and len({t.batch_id for t in tasks}) == 1
    assert heard.batches == [tasks]
    for task in tasks:
        phases = [t.phase for t in heard.tasks if t.local_id == task.local_id]
        assert phases[-1] == TaskPhase.SUCCESS and TaskPhase.PENDING in phases


def test_a_download_progress_event_needs_no_database_read(
    make_session: Callable[..., Session], run_async: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = make_session()
    reads: list[str] = []
    execute = Database.execute

    def counted(self: Database, sql: str, params: Any = ()) -> Any:
        if sql.lstrip().upper().startswith("SELECT"):
            reads.append(sql)
        return execute(self, sql, params)

    monkeypatch.setattr(Database, "execute", counted)
    # What the task list does for each event: the task's downloads, for its Detail note.
    per_event: list[tuple[DownloadState, int]] = []

    def on_download(task: Task, record: Download) -> None:
        before = len(reads)
        session.downloads_for(task)
        per_event.append((record.state, len(reads) - before))

    async def scenario() -> Task:
        # One run of the loop from the submit to the saved file, as in the app: a request left half-way
        # between two runs would wait for the next.
        (task,) = (await session.submit(GenerationRequest(prompt=PROMPT), [], 1)).tasks
        session.download_changed.connect(lambda record: on_download(task, record))
        await wait_until(lambda: session.local_video(task) is not None, what="the saved video")
        return task

    task = run_async(scenario())
    states = [state for state, _ in per_event]
    assert DownloadState.DOWNLOADING in states and states[-1] == DownloadState.DONE, states
    assert sum(count for _, count in per_event) <= 1, per_event  # the first ask at most; then memory
    assert all(count == 0 for state, count in per_event if state == DownloadState.DOWNLOADING), per_event
    (record,) = session.downloads_for(task)
    assert record.state == DownloadState.DONE and record.path == session.local_video(task)


def test_history_results_hold_every_download_and_ask_for_missing_posters(
    make_session: Callable[..., Session], run_async: Any
) -> None:
    session = make_session()
    posters: list[tuple[int, str]] = []
    session.poster_ready.connect(lambda local_id, path: posters.append((local_id, path)))

    async def scenario() -> tuple[Task, HistoryResults, HistoryResults]:
        (task,) = (await session.submit(GenerationRequest(prompt=PROMPT), [], 1)).tasks
        await wait_until(lambda: session.local_video(task) is not None, what="the saved video")
        await wait_until(lambda: bool(posters), timeout=15, what="the poster of the new video")
        Path(posters[0][1]).unlink()  # gone: the history asks for it again
        posters.clear()
        before = await session.history_results()
        await wait_until(lambda: bool(posters), timeout=15, what="the poster made again")
        return task, before, await session.history_results()

    task, before, after = run_async(scenario())
    assert [d.state for d in before.downloads[task.local_id]] == [DownloadState.DONE]  # type: ignore[index]
    assert before.posters == {}
    assert posters[0][0] == task.local_id and Path(posters[0][1]).is_file()
    assert after.posters == {task.local_id: posters[0][1]}


def test_rerun_and_remove(make_session: Callable[..., Session], run_async: Any) -> None:
    session = make_session()

    async def scenario() -> tuple[Task, Task]:
        (task,) = (await session.submit(GenerationRequest(prompt=PROMPT), [], 1)).tasks
        (again,) = session.rerun(task, duration=15)
        return task, again

    heard = Heard(session)
    task, again = run_async(scenario())
    assert again.request == GenerationRequest(prompt=PROMPT, duration=15) and again.batch_id != task.batch_id
    assert heard.batches[1:] == [[again]]
    session.remove(task)
    assert [t.local_id for t in session.tasks()] == [again.local_id]
    assert session.downloads_for(task) == []


def test_demo_mode_keeps_its_own_history_and_deactivate_goes_back_to_the_real_one(
    make_session: Callable[..., Session], run_async: Any
) -> None:
    session = make_session(activate=False)
    session.cancel(1)  # no connection: nothing to cancel or retry, and no error
    session.retry_now(1)
    session.projects.create_project("Real work")

    async def scenario() -> None:
        session.activate(demo=True)
        assert [p.name for p in session.projects.projects()] == ["Untitled"]  # the demo's own projects
        result = await session.submit(GenerationRequest(prompt=PROMPT), [], 1)
        (task,) = result.tasks
        assert [t.local_id for t in session.tasks()] == [task.local_id]
        session.cancel(task.local_id or 0)  # any phase can be ended
        await wait_until(lambda: session.tasks()[0].phase == TaskPhase.CANCELLED, what="cancelled")
        await session.deactivate()
        assert not session.active and not session.demo
        assert session.tasks() == []  # the real history never shows demo tasks
        assert [p.name for p in session.projects.projects()] == ["Untitled", "Real work"]
        session.activate()
        assert session.active and not session.demo and session.tasks() == []

    run_async(scenario())
    assert (session.profile.root / "demo" / "tasks.sqlite3").is_file()


# -- projects, shots and takes ------------------------------------------------------------------------------------


def test_takes_submitted_into_a_shot_are_numbered_versioned_and_saved_under_the_projects_name(
    make_session: Callable[..., Session], run_async: Any
) -> None:
    session = make_session()
    project = session.projects.create_project("Trailer")
    (shot,) = session.projects.shots(project.id)
    edited = "A kettle on a gas stove, steam rising, evening light"

    async def scenario() -> tuple[list[Task], list[Task], list[Task]]:
        first = (await session.submit(GenerationRequest(prompt=PROMPT, aspect_ratio="portrait"), [], 2, shot.id)).tasks
        second = (await session.submit(GenerationRequest(prompt=edited), [], 1, shot_id=shot.id)).tasks
        again = session.rerun(first[0])
        await wait_until(lambda: all(session.local_video(t) is not None for t in first), what="the saved takes")
        return first, second, again

    first, second, again = run_async(scenario())
    v1, v2 = session.projects.versions(shot.id)
    assert (v1.prompt, v2.prompt) == (PROMPT, edited)
    placed = [(t.shot_id, t.take_number, t.version_id) for t in first + second + again]
    assert placed == [(shot.id, 1, v1.id), (shot.id, 2, v1.id), (shot.id, 3, v2.id), (shot.id, 4, v1.id)]
    assert [t.local_id for t in session.projects.takes(shot.id)] == [t.local_id for t in first + second + again]
    assert [session.local_video(t).name for t in first] == [  # type: ignore[union-attr]
        "Trailer_SH010_T01_9x16.mp4",
        "Trailer_SH010_T02_9x16.mp4",
    ]


def test_a_review_mark_reaches_the_views_and_survives_the_runners_next_write(
    make_session: Callable[..., Session], run_async: Any
) -> None:
    session = make_session()
    (shot,) = session.projects.shots(session.projects.current_project().id)

    async def scenario() -> Task:
        (take,) = (await session.submit(GenerationRequest(prompt=PROMPT), [], 1, shot.id)).tasks
        heard = Heard(session)
        session.projects.set_mark(take.local_id or 0, TakeMark.CIRCLED)  # while it is still being made
        assert [(t.local_id, t.mark) for t in heard.tasks] == [(take.local_id, TakeMark.CIRCLED)]
        await wait_until(lambda: stored(session, take.local_id).phase == TaskPhase.SUCCESS, what="success")
        # The views hear of a change on the loop's next turn, after the store has it (a loaded run read it first).
        await wait_until(lambda: heard.tasks[-1].phase == TaskPhase.SUCCESS, what="the views hear of success")
        assert heard.tasks[-1].mark == TakeMark.CIRCLED
        return take

    take = run_async(scenario())
    assert stored(session, take.local_id).mark == TakeMark.CIRCLED
