"""Results: the pane with the embedded player, download notes, compare takes."""
