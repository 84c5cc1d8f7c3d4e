"""Composing a generation: the form, the prompt editor and the reference-image picker."""
