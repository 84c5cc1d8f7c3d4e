"""Results: downloading result videos, their files, sidecars, expiry, posters and export."""
