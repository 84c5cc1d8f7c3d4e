"""Reference images: checking files and URLs, uploading local files to the storage host."""
