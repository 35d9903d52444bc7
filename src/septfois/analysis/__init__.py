"""From text to the plain Analysis value: normalising, language, the spaCy pipeline."""
