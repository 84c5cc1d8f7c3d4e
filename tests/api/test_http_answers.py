"""The service's other HTTP answers (402, 403, 404, 500, 503): each an error type, and — through the real runner —
a task phase and a sentence that says what to do. httpx.MockTransport plays the service."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from sora2_desktop.api import (
    ApiError,
    ApiKey,
    ApixoClient,
    AuthError,
    GenerationRequest,
    InvalidRequestError,
    NotFoundError,
    TransientError,
)
from sora2_desktop.api.errors import BalanceTooLowError, PolicyRefusedError
from sora2_desktop.core.storage.task_store import TaskStore
from sora2_desktop.core.tasks.backoff import Backoff
from sora2_desktop.core.tasks.failure_text import explain_failure, task_note_text
from sora2_desktop.core.tasks.poll_timing import PollTiming
from sora2_desktop.core.tasks.rate_limiter import RateLimiter
from sora2_desktop.core.tasks.runner import TaskRunner
from sora2_desktop.core.tasks.task import Task, TaskNote, TaskPhase
from tests.helpers.models import SORA_2, SORA_2_PRO
from tests.helpers.wait import wait_until

API = "https://api.apixo.ai"
REQUEST = GenerationRequest(prompt="A lighthouse at golden hour, slow dolly in")
PRO_REQUEST = GenerationRequest(prompt="A lighthouse", model="sora-2-pro", duration=4, size="1280*720",
                                provider="official")  # fmt: skip
Handler = Callable[[httpx.Request], httpx.Response]


def envelope(code: int, message: str) -> dict[str, Any]:
    return {"code": code, "message": message, "data": None}


def submit_error(status: int, body: Any = None, *, text: str | None = None) -> ApiError:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, text=text) if text is not None else httpx.Response(status, json=body)

    async def main() -> ApiError:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
            client = ApixoClient(API, ApiKey("sk-test"), http=http)
            with pytest.raises(ApiError) as info:
                await client.submit(REQUEST, SORA_2)
            return info.value

    return asyncio.run(main())


# -- the client: which error each answer is ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param((402, envelope(402, "Insufficient balance")), id="http-402"),
        pytest.param((200, envelope(402, "Insufficient balance")), id="402-in-body"),
    ],
)
def test_402_is_a_balance_refusal_never_retried(answer: tuple[int, Any]) -> None:
    error = submit_error(*answer)
    assert type(error) is BalanceTooLowError and not error.retryable
    assert error.status_code == 402 and error.service_message == "Insufficient balance"
    assert error.user_message == (
        "The key's balance is too low for this task: top up at the APIXO dashboard, then Re-run."
    )


@pytest.mark.parametrize(
    ("message", "text"),
    [
        ("Request blocked by content policy", None),
        ("", "<h1>Forbidden</h1>"),  # a proxy's page names no key: one refusal, not a key problem
        ("Region not supported for this model", None),
    ],
)
def test_403_by_policy_is_one_refusal_not_the_key(message: str, text: str | None) -> None:
    error = submit_error(403, envelope(403, message), text=text)
    assert type(error) is PolicyRefusedError and not error.retryable
    assert isinstance(error, InvalidRequestError) and error.status_code == 403
    assert error.service_message == message
    assert "not because of the API key" in error.user_message


@pytest.mark.parametrize("message", ["Invalid API key", "api_key revoked", "Token expired", "Unauthorized"])
def test_403_about_the_key_asks_for_the_key(message: str) -> None:
    error = submit_error(403, envelope(403, message))
    assert type(error) is AuthError and error.status_code == 403


def test_404_is_not_found() -> None:
    error = submit_error(404, envelope(404, "Not Found"))
    assert type(error) is NotFoundError and error.status_code == 404


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (503, "The service is unavailable (HTTP 503); the request will be tried again."),
        (500, "The service failed (HTTP 500); the request will be tried again."),
    ],
)
def test_5xx_is_retried_and_says_so(status: int, words: str) -> None:
    error = submit_error(status, envelope(status, "oops"))
    assert type(error) is TransientError and error.retryable and error.user_message == words


# -- through the runner: the task's phase and the sentence shown ----------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> TaskStore:
    opened = TaskStore(tmp_path / "tasks.sqlite3")
    yield opened
    opened.close()


class Service:
    """Answers submits with `submit_answer`, then status queries from `status_answers` (the last repeats)."""

    def __init__(self, submit_answer: tuple[int, Any], status_answers: list[tuple[int, Any]] | None = None) -> None:
        self.submit_answer = submit_answer
        self.status_answers = status_answers or []
        self.submits = 0
        self.polls = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            self.submits += 1
            return httpx.Response(self.submit_answer[0], json=self.submit_answer[1])
        self.polls += 1
        status, body = self.status_answers[min(self.polls, len(self.status_answers)) - 1]
        return httpx.Response(status, json=body)


def run_one(store: TaskStore, service: Service, request: GenerationRequest, *final: TaskPhase) -> tuple[Task, list]:
    """Submit `request` through the real client and runner; the stored task once in one of `final`, and every
    task_changed and auth_required the runner emitted."""
    seen: list[Any] = []

    async def main() -> Task:
        async with httpx.AsyncClient(transport=httpx.MockTransport(service)) as http:
            client = ApixoClient(API, ApiKey("sk-test"), http=http)
            runner = TaskRunner(
                store,
                client,
                PollTiming(first_delay_s=0.01, interval_s=0.01),
                limiter=RateLimiter(rate_per_minute=600_000, burst=1000),
                backoff=Backoff(base_s=0.01, cap_s=0.02),
            )
            runner.task_changed.connect(seen.append)
            runner.auth_required.connect(lambda words: seen.append(("auth", words)))
            runner.start()
            (task,) = runner.submit([request])
            assert task.local_id is not None
            local_id = task.local_id
            await wait_until(lambda: (row := store.get(local_id)) is not None and row.phase in final)
            assert not runner.paused  # none of these answers is about the key
            await runner.stop()
        stored = store.get(local_id)
        assert stored is not None
        return stored

    return asyncio.run(main()), seen


def test_a_402_submit_is_rejected_with_the_top_up_sentence(qapp: object, store: TaskStore) -> None:
    service = Service((402, envelope(402, "Insufficient balance")))
    task, _ = run_one(store, service, REQUEST, TaskPhase.REJECTED)
    assert service.submits == 1  # not retried: topping up is the person's move
    assert (task.note, task.note_detail, task.error_message) == (TaskNote.SUBMIT_REFUSED, "402", "Insufficient balance")
    said = explain_failure(task)
    assert said.summary == "The key's balance is too low for this task: top up at the APIXO dashboard, then Re-run."
    assert "Insufficient balance" in said.detail  # the service's words, for support


def test_a_403_policy_refusal_rejects_one_task_and_keeps_the_key(qapp: object, store: TaskStore) -> None:
    service = Service((403, envelope(403, "Request blocked by content policy")))
    task, seen = run_one(store, service, REQUEST, TaskPhase.REJECTED)
    assert not any(isinstance(item, tuple) and item[0] == "auth" for item in seen)  # no key question
    assert (task.note, task.note_detail) == (TaskNote.SUBMIT_REFUSED, "403")
    said = explain_failure(task)
    assert "policy" in said.summary and "not the API key" in said.summary
    assert "Request blocked by content policy" in said.detail and "Re-run" in said.detail


def test_a_404_submit_names_the_model_and_what_to_check(qapp: object, store: TaskStore) -> None:
    service = Service((404, envelope(404, "Not Found")))
    task, _ = run_one(store, service, PRO_REQUEST, TaskPhase.REJECTED)
    assert explain_failure(task, SORA_2_PRO).summary == (
        "The service does not offer Sora 2 Pro at this address: refresh the model list or check the API address "
        "in Settings."
    )


def test_a_503_status_is_retried_with_a_sentence_then_followed_on(qapp: object, store: TaskStore) -> None:
    success = {"taskId": "task_1", "state": "success", "resultJson": '{"resultUrls":["https://r2.apixo.ai/v.mp4"]}'}
    service = Service(
        (200, {"code": 200, "message": "success", "data": {"taskId": "task_1"}}),
        [(503, envelope(503, "Service Unavailable")), (200, {"code": 200, "message": "success", "data": success})],
    )
    task, seen = run_one(store, service, REQUEST, TaskPhase.SUCCESS)
    assert task.phase == TaskPhase.SUCCESS and service.polls == 2
    notes = [task_note_text(item) for item in seen if isinstance(item, Task) and item.note == TaskNote.SERVICE_ERROR]
    assert notes == ["The service is unavailable (HTTP 503); retrying shortly."]


def test_a_plain_400_keeps_the_service_words_and_no_status_note(qapp: object, store: TaskStore) -> None:
    service = Service((400, envelope(400, "Insufficient credits")))
    task, _ = run_one(store, service, REQUEST, TaskPhase.REJECTED)
    assert (task.note, task.error_message) == (None, "Insufficient credits")
    assert explain_failure(task).summary == "Insufficient credits"
