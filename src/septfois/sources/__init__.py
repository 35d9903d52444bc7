"""Where posts come from: stdin, files, post files with front matter, CSV/JSONL schedules, the git index."""
