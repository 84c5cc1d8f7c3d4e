"""PollTiming: when to ask the service about a task, following its advice (first at ~180 s, then every 10 s)."""

from __future__ import annotations

from dataclasses import dataclass

from sora2_desktop.api import GenerationRequest, RequestType


@dataclass(frozen=True)
class PollTiming:
    first_delay_s: float = 180.0  # for a 10 s video; a 15 s one waits a third longer
    interval_s: float = 10.0
    # Callback mode: the webhook goes to the studio's server, never to this app, so polling is how the app
    # learns the result all the same. 0 means "as often as any task"; only a longer interval counts.
    callback_interval_s: float = 0.0
    # Demo mode runs the stand-in's clock fast; every delay shrinks by the same factor.
    time_scale: float = 1.0

    def first_delay(self, request: GenerationRequest) -> float:
        # A 15 s video takes about a third longer (4-6 min against 3-5 min): so does the wait before asking.
        factor = 4.0 / 3.0 if request.duration >= 15 else 1.0
        return self.first_delay_s * factor * self.time_scale

    def interval(self, request: GenerationRequest) -> float:
        base = self.interval_s
        if request.request_type == RequestType.CALLBACK:
            base = max(base, self.callback_interval_s)
        return base * self.time_scale
