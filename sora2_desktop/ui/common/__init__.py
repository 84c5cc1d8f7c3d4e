"""Pieces every part of the window uses: colours, time text, icons, field error labels, frame thumbnails."""
