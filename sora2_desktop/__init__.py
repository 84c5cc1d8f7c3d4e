"""Sora 2 Desktop: a desktop app for generating videos with OpenAI's Sora 2 through the APIXO API."""

__version__ = "0.1.0"
