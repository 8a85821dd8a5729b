"""Publishing: ID3 tags, cover art, the podcast feed and the GUID ledger.

Every file this package writes goes through :mod:`msaudio.publish.atomic`, so a
reader never sees a half-written feed, cover or ledger.
"""
