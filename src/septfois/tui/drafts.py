"""Draft autosave: the text being edited, written atomically to the user data folder and offered back."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from septfois.files import replace_atomically


def default_drafts_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path("septfois") / "drafts"


@dataclass(frozen=True)
class Draft:
    """What was being written, for which post file (None for a new post), and when it was saved."""

    text: str
    path: str | None
    saved_at: datetime
    account: str = "personal"
    kind: str = "post"


class DraftStore:
    """One draft file per post being edited: `untitled.json`, or one named after the post file's path."""

    def __init__(self, folder: Path | None = None, post_path: Path | None = None) -> None:
        self.folder = folder if folder is not None else default_drafts_dir()
        self.post_path = post_path.resolve() if post_path is not None else None
        if self.post_path is None:
            name = "untitled.json"
        else:
            digest = hashlib.sha256(str(self.post_path).encode("utf-8")).hexdigest()[:16]
            name = f"{self.post_path.stem[:40]}-{digest}.json"
        self.path = self.folder / name

    def save(self, text: str, *, account: str = "personal", kind: str = "post") -> None:
        """Write the draft so that a crash at any moment leaves either the old or the new one whole."""
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {
            "version": 1,
            "text": text,
            "path": str(self.post_path) if self.post_path else None,
            "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "account": account,
            "kind": kind,
        }
        replace_atomically(self.path, json.dumps(data, ensure_ascii=False).encode("utf-8"), durable=True)

    def load(self) -> Draft | None:
        """The saved draft, or None when there is none or it cannot be read (a broken draft is not fatal)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return Draft(
                text=str(data["text"]),
                path=data.get("path"),
                saved_at=datetime.fromisoformat(data["saved_at"]),
                account=str(data.get("account", "personal")),
                kind=str(data.get("kind", "post")),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)
