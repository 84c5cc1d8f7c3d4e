"""Contact sheets: a frame of each take with its shot, take, marks, stars, model and prompt, as PDF and PNG pages."""
