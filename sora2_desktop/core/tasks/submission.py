"""Submission: checks a generation against the service's rules, makes its images public, and stores its takes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from sora2_desktop.api.model_spec import ModelSpec
from sora2_desktop.api.request import FieldError, GenerationRequest, image_address_errors, image_count_errors
from sora2_desktop.core.catalogue.catalogue import ModelCatalogue
from sora2_desktop.core.images.resolver import ImageProblem, ImageSource
from sora2_desktop.core.projects.source_frame import SourceFrame
from sora2_desktop.core.tasks.task import Task


class ImageResolving(Protocol):
    """What the submission needs of ImageResolver: public URLs in order, or ImageProblem for the first bad one."""

    async def resolve(self, sources: Sequence[ImageSource]) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class SubmitResult:
    """Either the stored tasks (one per take) or why nothing was stored, as errors at the form's fields."""

    tasks: list[Task] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)  # `field` is a GenerationRequest attribute name

    @property
    def accepted(self) -> bool:
        return not self.errors


class StoreAndSend(Protocol):
    """TaskRunner.submit (through ProjectService.placing): one stored, queued task per request, each with its
    catalogue and cost estimate; with a `shot_id`, takes of that shot (of prompt version `version_id` when a
    re-run keeps its version)."""

    def __call__(
        self,
        requests: list[GenerationRequest],
        *,
        catalogue_version: str | None,
        estimate_usd: float | None,
        shot_id: int | None = None,
        version_id: int | None = None,
        source_frame: SourceFrame | None = None,
    ) -> list[Task]: ...


class SubmissionService:
    """The one place a generation is judged before anything is stored or sent: the request's own rules
    (GenerationRequest.validate, the callback URL's among them), how many images the mode takes, and then
    whether each image can be used (URLs answer with an allowed image; files are uploaded to the image host).

    `store_and_send` stores one task per request (the takes of one click share a batch) and queues them for
    the service: TaskRunner.submit."""

    def __init__(
        self, images: ImageResolving, store_and_send: StoreAndSend, catalogue: Callable[[], ModelCatalogue]
    ) -> None:
        self._images = images
        self._store_and_send = store_and_send
        self._catalogue = catalogue  # read at each submit: a refresh or a price edit applies to the next click

    def check(self, request: GenerationRequest, images: Sequence[ImageSource]) -> list[FieldError]:
        """Every rule that can be judged without the network, by the request's model's spec. `images` are the
        request's images (its own `image_urls` are not looked at): local files have no URL until uploaded."""
        spec = self._catalogue().get(request.model)
        if spec is None:
            return [FieldError("model", f"The model {request.model!r} is not offered any more: choose another.")]
        errors = request.validate(spec, images=False)
        image_errors = image_count_errors(spec, request.mode, len(images))
        errors.extend(image_errors or image_address_errors(image.source for image in images if not image.is_local))
        return errors

    async def submit(
        self, request: GenerationRequest, images: Sequence[ImageSource], takes: int, shot_id: int | None = None
    ) -> SubmitResult:
        """Check, make every image public, then store and queue `takes` tasks of the same request (takes of the
        shot `shot_id`, if given)."""
        errors = self.check(request, images)
        if errors:
            return SubmitResult(errors=errors)
        spec: ModelSpec = self._catalogue().spec_for(request.model)
        try:
            urls = await self._images.resolve(images) if images else ()
        except ImageProblem as problem:
            return SubmitResult(errors=[FieldError("image_urls", f"{_image_label(problem.source)}: {problem.reason}")])
        final = replace(request, image_urls=urls)
        # The addresses an image host handed out are checked too, as the service would: microseconds.
        errors = final.validate(spec)
        if errors:
            return SubmitResult(errors=errors)
        return SubmitResult(tasks=self._send([final] * max(1, takes), shot_id))

    def send_again(
        self,
        request: GenerationRequest,
        shot_id: int | None = None,
        version_id: int | None = None,
        source_frame: SourceFrame | None = None,
    ) -> list[Task]:
        """A stored request once more (a re-run), as it was: the service judges it under today's rules, and a
        refusal comes back as a REJECTED task with the service's words. A take's re-run is a new take of the same
        shot and prompt version, from the same start frame."""
        return self._send([request], shot_id, version_id, source_frame)

    def _send(
        self,
        requests: list[GenerationRequest],
        shot_id: int | None = None,
        version_id: int | None = None,
        source_frame: SourceFrame | None = None,
    ) -> list[Task]:
        catalogue = self._catalogue()
        spec = catalogue.spec_for(requests[0].model)
        return self._store_and_send(
            requests,
            catalogue_version=catalogue.version,
            estimate_usd=spec.price.estimate(requests[0].duration),
            shot_id=shot_id,
            version_id=version_id,
            source_frame=source_frame,
        )


def _image_label(source: str) -> str:
    """A file by its name (the folder is noise beside the form), a web address whole."""
    return source if source.startswith(("http://", "https://")) else Path(source).name
