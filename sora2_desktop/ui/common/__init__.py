"""Pieces every part of the window uses: icons, field error labels, frame thumbnails."""
