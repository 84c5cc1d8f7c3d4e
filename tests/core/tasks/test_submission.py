"""SubmissionService: judges a request and its images (no stand-in URL for files yet to upload), resolves the
images, and stores one task per take — or returns errors at the form's fields and stores nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from sora2_desktop.api.request import FieldError, GenerationRequest, Mode, RequestType
from sora2_desktop.core.catalogue.catalogue import shipped_catalogue
from sora2_desktop.core.images.resolver import ImageProblem, ImageSource
from sora2_desktop.core.projects.source_frame import SourceFrame
from sora2_desktop.core.tasks.submission import SubmissionService, SubmitResult
from sora2_desktop.core.tasks.task import Task

T2V = GenerationRequest(prompt="A paper boat on a rainy street")
I2V = GenerationRequest(prompt="The same boat, drifting", mode=Mode.IMAGE_TO_VIDEO)
FILE = ImageSource("/home/me/pictures/boat.png", True)
URL = ImageSource("https://cdn.example.com/street.webp", False)


class FakeResolver:
    """Uploads every file to an address named after it; can refuse one source, or hand out `urls` as given."""

    def __init__(self, refuse: str | None = None, urls: tuple[str, ...] | None = None) -> None:
        self.refuse = refuse
        self.urls = urls
        self.calls: list[list[ImageSource]] = []

    async def resolve(self, sources: Sequence[ImageSource]) -> tuple[str, ...]:
        self.calls.append(list(sources))
        for source in sources:
            if source.source == self.refuse:
                raise ImageProblem(source.source, "It answered 404.")
        if self.urls is not None:
            return self.urls
        return tuple(
            f"https://up.example.com/{s.source.rsplit('/', 1)[-1]}" if s.is_local else s.source for s in sources
        )


class Stored:
    """Stands in for TaskRunner.submit: keeps what it was given, answers with one task per request."""

    def __init__(self) -> None:
        self.batches: list[list[GenerationRequest]] = []
        self.recorded: list[tuple[str | None, float | None]] = []  # catalogue version, estimate per batch
        self.shots: list[tuple[int | None, int | None]] = []  # shot id, prompt version id per batch
        self.lineages: list[SourceFrame | None] = []  # the start frame each batch came from

    def __call__(
        self,
        requests: list[GenerationRequest],
        *,
        catalogue_version: str | None,
        estimate_usd: float | None,
        shot_id: int | None = None,
        version_id: int | None = None,
        source_frame: SourceFrame | None = None,
    ) -> list[Task]:
        self.batches.append(requests)
        self.lineages.append(source_frame)
        self.recorded.append((catalogue_version, estimate_usd))
        self.shots.append((shot_id, version_id))
        now = datetime.now(UTC)
        return [Task(request=r, created_at=now, local_id=i + 1, batch_id="b") for i, r in enumerate(requests)]


def submit(
    request: GenerationRequest, images: Sequence[ImageSource] = (), takes: int = 1, resolver: FakeResolver | None = None
) -> tuple[SubmitResult, FakeResolver, Stored]:
    resolver = resolver or FakeResolver()
    stored = Stored()
    service = SubmissionService(resolver, stored, shipped_catalogue)
    result = asyncio.run(service.submit(request, images, takes))
    return result, resolver, stored


def test_a_good_request_stores_one_task_per_take() -> None:
    result, resolver, stored = submit(T2V, takes=3)
    assert result.accepted and not result.errors
    assert [t.local_id for t in result.tasks] == [1, 2, 3]
    assert stored.batches == [[T2V, T2V, T2V]]
    assert resolver.calls == []  # no images: nothing to resolve


def test_no_takes_still_means_one() -> None:
    _result, _resolver, stored = submit(T2V, takes=0)
    assert stored.batches == [[T2V]]


def test_files_and_urls_become_public_urls_in_their_order() -> None:
    result, resolver, stored = submit(I2V, [FILE, URL])
    assert result.accepted
    assert resolver.calls == [[FILE, URL]]
    (final,) = stored.batches[0]
    assert final == replace(I2V, image_urls=("https://up.example.com/boat.png", URL.source))


def test_a_file_not_yet_uploaded_does_not_hide_the_other_errors_nor_need_a_placeholder() -> None:
    bad = replace(I2V, prompt=" ", request_type=RequestType.CALLBACK, callback_url="http://plain.example.com")
    result, resolver, stored = submit(bad, [FILE])
    assert {e.field for e in result.errors} == {"prompt", "callback_url"}
    assert resolver.calls == [] and stored.batches == []  # nothing uploaded for a request that cannot go


@pytest.mark.parametrize(
    ("request_", "images", "words"),
    [
        (I2V, [], "at least one reference image"),
        (T2V, [URL], "takes no images"),
        (I2V, [ImageSource("ftp://example.com/a.png", False)], "full http:// or https:// URL"),
    ],
)
def test_image_count_and_addresses_are_judged_before_any_network(
    request_: GenerationRequest, images: list[ImageSource], words: str
) -> None:
    result, resolver, stored = submit(request_, images)
    (error,) = result.errors
    assert error.field == "image_urls" and words in error.message
    assert resolver.calls == [] and stored.batches == []


def test_the_requests_own_image_urls_are_not_looked_at() -> None:
    stale = replace(T2V, image_urls=("not even a url",))
    result, _resolver, stored = submit(stale)
    assert result.accepted
    assert stored.batches == [[T2V]]  # the images given (none) are the request's images


@pytest.mark.parametrize(
    ("refused", "label"),
    [(FILE.source, "boat.png"), (URL.source, URL.source)],
)
def test_an_image_that_cannot_be_used_is_named_at_the_images(refused: str, label: str) -> None:
    result, _resolver, stored = submit(I2V, [FILE, URL], resolver=FakeResolver(refuse=refused))
    assert result.errors == [FieldError("image_urls", f"{label}: It answered 404.")]
    assert stored.batches == []


def test_an_address_the_image_host_handed_out_is_checked_as_the_service_would() -> None:
    result, _resolver, stored = submit(I2V, [FILE], resolver=FakeResolver(urls=("file:///tmp/boat.png",)))
    (error,) = result.errors
    assert error.field == "image_urls"
    assert stored.batches == []


def test_check_alone_needs_no_network() -> None:
    service = SubmissionService(FakeResolver(), Stored(), shipped_catalogue)
    assert service.check(I2V, [FILE]) == []
    assert [e.field for e in service.check(replace(I2V, duration=12), [FILE])] == ["duration"]


def test_each_take_records_the_catalogue_and_its_estimate() -> None:
    pro = GenerationRequest(
        prompt="A heron lands", model="sora-2-pro", duration=8, size="1280*720", provider="official"
    )
    result, _resolver, stored = submit(pro, takes=2)
    assert result.accepted
    assert stored.recorded == [(shipped_catalogue().version, pytest.approx(8 * 0.30))]


def test_a_model_the_catalogue_does_not_offer_is_refused_at_the_model() -> None:
    result, _resolver, stored = submit(GenerationRequest(prompt="p", model="veo-9"))
    assert [e.field for e in result.errors] == ["model"]
    assert "not offered" in result.errors[0].message and stored.batches == []


def test_takes_of_a_shot_and_a_re_run_are_stored_with_their_shot_and_version() -> None:
    stored = Stored()
    service = SubmissionService(FakeResolver(), stored, shipped_catalogue)
    asyncio.run(service.submit(T2V, [], 2, shot_id=7))
    service.send_again(T2V, shot_id=7, version_id=3)
    service.send_again(T2V)
    assert stored.shots == [(7, None), (7, 3), (None, None)]


def test_a_re_run_of_a_take_made_from_a_frame_keeps_where_the_frame_came_from() -> None:
    stored = Stored()
    service = SubmissionService(FakeResolver(), stored, shipped_catalogue)
    lineage = SourceFrame(task_local_id=4, shot_code="SH020", take_number=3, at_ms=4_480, timecode="00:00:04:12")
    service.send_again(I2V, shot_id=7, version_id=3, source_frame=lineage)
    service.send_again(T2V, shot_id=7, version_id=3)
    assert stored.lineages == [lineage, None]
