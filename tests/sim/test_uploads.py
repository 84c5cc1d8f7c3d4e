"""The stand-in's demo image host: an image posted to /_sim/uploads comes back at a loopback URL that the stand-in's
own image-to-video check fetches; anything but an image is refused with a reason."""

from __future__ import annotations

import httpx

from sora2_desktop.sim.uploads import KEPT_UPLOADS, UploadStore, image_type
from tests.helpers.sim import ManualSim
from tests.helpers.sim_protocol import body, status, submit

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40


def test_an_uploaded_image_is_served_back_and_the_service_check_fetches_it(
    sim: ManualSim, api: httpx.Client, web: httpx.Client
) -> None:
    assert sim.uploads_url == f"{sim.api_base}/_sim/uploads"
    answer = web.post(sim.uploads_url, content=PNG, headers={"Content-Type": "image/png"})
    assert answer.status_code == 201, answer.text
    url = answer.json()["url"]
    assert url.startswith(f"{sim.uploads_url}/") and url.endswith(".png")
    served = web.get(url)
    assert (served.status_code, served.headers["content-type"], served.content) == (200, "image/png", PNG)

    task_id = submit(api, body(mode="image-to-video", image_urls=[url]))
    sim.finish_all()
    assert status(api, task_id)["state"] == "success"
    name = url.rsplit("/", 1)[1]
    assert sim.uploads.fetched == [name, name]  # this test's GET, then the service's own check
    assert all("/_sim/" not in request.path for request in sim.requests)  # the demo host is no API traffic


def test_the_same_image_twice_is_one_upload(web: httpx.Client, sim: ManualSim) -> None:
    assert sim.uploads_url is not None
    first = web.post(sim.uploads_url, content=JPEG).json()["url"]
    second = web.put(sim.uploads_url, content=JPEG).json()["url"]
    assert first == second and first.endswith(".jpg") and len(sim.uploads.names()) == 1


def test_what_is_not_an_image_is_refused_with_a_reason(web: httpx.Client, sim: ManualSim) -> None:
    assert sim.uploads_url is not None
    refused = web.post(sim.uploads_url, content=b"<html>no</html>")
    assert refused.status_code == 415 and "PNG" in refused.json()["error"]
    assert web.post(sim.uploads_url, content=b"\x89PNG\r\n\x1a\n" + b"\x00" * (10 * 1024 * 1024)).status_code == 413
    assert web.get(sim.uploads_url).status_code == 405
    assert web.get(f"{sim.uploads_url}/nothing.png").status_code == 404
    assert web.delete(f"{sim.uploads_url}/nothing.png").status_code == 405


def test_the_store_keeps_the_newest_images_only() -> None:
    store = UploadStore(kept=3)
    names = [store.put(PNG + bytes([n]), "image/png") for n in range(5)]
    assert store.names() == names[2:] and store.get(names[0]) is None
    assert KEPT_UPLOADS >= 16
    assert (image_type(PNG), image_type(JPEG), image_type(b"RIFF\x00\x00\x00\x00WEBPVP8 "), image_type(b"GIF89a")) == (
        "image/png",
        "image/jpeg",
        "image/webp",
        None,
    )
