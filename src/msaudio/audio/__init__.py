"""Audio stages: narration into PCM, and PCM into an MP3 stream."""
