"""The fake Slack Web API with files: `files.info` and the download of a file's
`url_private_download` (served by the fake itself, bearer token required), for Ask by voice.

    with FakeSlackFiles() as slack:
        file = slack.add_file(wav_bytes, filetype="wav")   # the dict an event's `files` holds
        ... an event with files=[file] ...
        assert slack.downloads == [file["id"]]
"""

from __future__ import annotations

from typing import Any

from tests.fakes.slack_api import Body, Call, FakeSlackApi

DOWNLOAD = "files.download"  # recorded name of a file download (not an API method)


class FakeSlackFiles(FakeSlackApi):
    def __init__(self) -> None:
        super().__init__()
        self._files: dict[str, tuple[bytes, Body]] = {}

    def add_file(self, data: bytes, *, filetype: str, **fields: Any) -> Body:
        """Store a file; returns its `files.info` object (as a file_share event carries it)."""
        file_id = f"F0AUDIO{len(self._files) + 1:04d}"
        info: Body = {
            "id": file_id,
            "name": f"clip.{filetype}",
            "filetype": filetype,
            "mimetype": f"audio/{filetype}",
            "size": len(data),
            "url_private": f"{self.base_url}files-pri/{file_id}/clip.{filetype}",
            "url_private_download": f"{self.base_url}files-pri/{file_id}/download/clip.{filetype}",
        }
        info |= fields
        self._files[file_id] = (data, info)
        return dict(info)

    @property
    def downloads(self) -> list[str]:
        return [c.body["file_id"] for c in self.calls if c.method == DOWNLOAD and not c.failed]

    def handle(
        self, path: str, query: str, raw: bytes, headers: dict[str, str]
    ) -> tuple[int, Body | str | bytes, dict[str, str]]:
        if path.startswith("/files-pri/"):
            file_id = path.split("/")[2]
            authorised = headers.get("authorization", "").startswith("Bearer xox")
            self._record(Call(DOWNLOAD, {"file_id": file_id}, headers, failed=not authorised))
            if not authorised or file_id not in self._files:
                return 404, "not found", {}
            return 200, self._files[file_id][0], {}
        return super().handle(path, query, raw, headers)

    def _reply_files_info(self, body: Body) -> Body:
        file = self._files.get(str(body.get("file", "")))
        return {"ok": True, "file": file[1]} if file else {"ok": False, "error": "file_not_found"}
