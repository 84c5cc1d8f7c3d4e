"""What a video file holds (size, frame rate, length, sound) and frames taken from it."""
