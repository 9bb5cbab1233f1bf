"""Input formats shared by every admin language: see hub/formats/de/formats.py."""
