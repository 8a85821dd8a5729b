"""Places named by URL (``s3://bucket/prefix``, ``gs://...``, ``memory://...``), through fsspec.

The sentence cache and the output folder can live at a URL instead of a local
folder. fsspec and its S3 driver, s3fs, come with ``msaudio[cluster]`` and are
imported only when a URL is used, so a plain local build never needs them.
Credentials and endpoints come from the store's usual configuration (for S3:
``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``/``AWS_PROFILE``, and
``AWS_ENDPOINT_URL`` for an S3-compatible service).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from msaudio.errors import ConfigError

EXTRA_HINT = "install msaudio[cluster]"

WHOLE_OBJECT_PROTOCOLS = frozenset({"s3", "s3a", "gs", "gcs", "az", "abfs", "abfss", "adl", "oss"})
"""Object stores: a single PUT shows readers the whole object or nothing, never a part."""

_S3 = frozenset({"s3", "s3a"})
_GCS = frozenset({"gs", "gcs"})


def is_url(location: str | Path) -> bool:
    """Whether ``location`` names a place through fsspec rather than a local path.

    ``file://`` URLs are local paths (see :func:`local_path`).
    """
    if isinstance(location, Path):
        return False
    scheme = urlsplit(location).scheme if "://" in location else ""
    return bool(scheme) and scheme != "file"


def local_path(location: str) -> Path:
    """``location`` as a local path: a ``file://`` URL's path, else itself with ``~`` expanded."""
    if location.startswith("file://"):
        return Path(unquote(urlsplit(location).path))
    return Path(location).expanduser()


def protocol(url: str) -> str:
    return urlsplit(url).scheme.lower()


def open_url(url: str, what: str) -> tuple[Any, str]:
    """The fsspec file system for ``url`` and the path in it (no trailing slash).

    ``what`` starts a :class:`ConfigError`'s message when fsspec or the store's
    driver is missing (``--out s3://b/x``). Each call makes a new file system
    object, so a changed environment (credentials, endpoint) is seen.
    """
    try:
        import fsspec.core
    except ImportError:
        raise ConfigError(f"{what}: a URL needs fsspec; {EXTRA_HINT}") from None
    try:
        fs, path = fsspec.core.url_to_fs(url, skip_instance_cache=True)
    except ImportError as error:
        hint = f"needs s3fs; {EXTRA_HINT}" if protocol(url) in _S3 else str(error)
        raise ConfigError(f"{what}: {hint}") from None
    except (ValueError, TypeError) as error:
        raise ConfigError(f"{what}: not a URL fsspec knows ({error})") from None
    return fs, str(path).rstrip("/")


def content_type_options(
    protocol_name: str, content_type: str, cache_control: str | None = None
) -> dict[str, str]:
    """Upload keyword arguments that set an object's ``Content-Type`` (and, on S3, its
    ``Cache-Control``) on this kind of store."""
    if protocol_name in _S3:
        options = {"ContentType": content_type}
        if cache_control:
            options["CacheControl"] = cache_control
        return options
    if protocol_name in _GCS:
        return {"content_type": content_type}
    return {}


def fs_protocol(fs: Any) -> str:
    """The main protocol name of an fsspec file system (``s3``, ``memory``, ``file``)."""
    names = fs.protocol
    return str(names if isinstance(names, str) else names[0])
