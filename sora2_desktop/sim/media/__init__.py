"""The stand-in's demo videos: H.264 + AAC MP4s built in memory from pre-encoded one-second GOPs, as asked."""
