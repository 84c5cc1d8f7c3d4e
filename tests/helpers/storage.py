"""The `s3_server` fixture: a real S3-compatible server (moto) on loopback for the whole session; any key pair works."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest


@dataclass(frozen=True)
class S3Server:
    """Where the loopback S3 server listens and how to sign in; moto accepts any key pair."""

    endpoint_url: str
    access_key: str
    secret_key: str
    region: str

    def new_bucket_name(self) -> str:
        """A bucket name no other test has used: moto keeps state for the whole session."""
        return f"test-{uuid.uuid4().hex[:16]}"

    def create_bucket(self) -> str:
        """Make a fresh bucket (through minio, as the app would talk to it) and return its name."""
        from minio import Minio

        parts = urlsplit(self.endpoint_url)
        client = Minio(
            endpoint=parts.netloc,
            access_key=self.access_key,
            secret_key=self.secret_key,
            secure=parts.scheme == "https",
            region=self.region,
        )
        name = self.new_bucket_name()
        client.make_bucket(bucket_name=name)
        return name


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield S3Server(
            endpoint_url=f"http://{host}:{port}",
            access_key="test-access-key",
            secret_key="test-secret-key-never-shown",
            region="us-east-1",
        )
    finally:
        server.stop()
