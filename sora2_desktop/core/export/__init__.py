"""Hand-off: selects copied with a manifest, timelines for editors (FCPXML, FCP 7 XML, EDL), contact sheets."""
