"""msaudio: turn written articles into narrated, accessible podcast episodes."""

__version__ = "0.3.0"
