"""The warm background process that keeps models loaded for quick checks, and its client."""
