"""Timelines for editors from the selects: FCPXML (Final Cut, Resolve), FCP 7 XML (Premiere), CMX 3600 EDL."""
