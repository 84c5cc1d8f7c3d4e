"""Hand-off: selects copied or linked with a manifest, and the export that also writes timelines and contact sheets."""
