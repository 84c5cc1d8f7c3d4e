"""Composing a generation: the form and its draft, the prompt editor, the image picker, and the Generate flow."""
