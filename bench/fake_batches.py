"""A localhost fake of OpenAI's Files and Batches endpoints, answering lines like stub_server.

    python bench/fake_batches.py --port PORT

Implements ``POST /v1/files`` (multipart), ``GET /v1/files/{id}/content``, ``POST /v1/batches``,
``GET /v1/batches/{id}`` and ``GET /v1/batches`` (the list, newest first). A batch is answered when
created and reported ``in_progress`` for ``polls`` retrievals, then ``completed``. The knobs below
(``FakeBatches`` attributes) give the failure shapes, each named after the one it imitates:

* ``server_error_rate``: lines answered HTTP 500 inside the output file;
* ``bad_request_every``: every Nth line answered HTTP 400 inside the output file;
* ``expire_next``: the next batch ``expired``, half its lines answered, the rest in the error
  file with code ``batch_expired``;
* ``fail_all_next``: the next batch's every line in the error file and no output file;
* ``kill``: ``(event, pid)``: SIGKILL the client when ``event`` happens ("upload", "created" -
  after the batch exists, before its id is answered - "content", "create-2" - the second round).

``submitted`` keeps every batch's custom ids, to check that no line is submitted twice.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from werkzeug.exceptions import ClientDisconnected
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stub_server import _answer  # noqa: E402


class FakeBatches:
    def __init__(self, polls: int = 1) -> None:
        self.polls = polls
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.retrievals: dict[str, int] = {}
        self.submitted: dict[str, list[str]] = {}
        self.ids = itertools.count(1)
        self.lock = threading.Lock()
        self.random = random.Random(0)
        self.server_error_rate = 0.0
        self.bad_request_every = 0
        self.expire_next = False
        self.fail_all_next = False
        self.kill: tuple[str, int] | None = None
        self.creates = 0
        self.lines = 0

    def _event(self, name: str) -> None:
        if self.kill is not None and self.kill[0] == name:
            pid, self.kill = self.kill[1], None
            os.kill(pid, signal.SIGKILL)
            time.sleep(0.2)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        try:
            with self.lock:
                response = self._route(request)
        except ClientDisconnected:  # the client was killed mid-upload: nobody to answer
            response = _json({"error": {"message": "client gone"}}, 400)
        finally:
            request.close()  # the upload's spooled file
        return response(environ, start_response)

    def _route(self, request: Request) -> Response:
        parts = request.path.strip("/").split("/")[1:]  # after "v1"
        if request.method == "POST" and parts == ["files"]:
            return self._upload(request)
        if request.method == "GET" and len(parts) == 3 and parts[0] == "files" and parts[2] == "content":
            self._event("content")
            data = self.files.get(parts[1])
            return Response(data, mimetype="application/jsonl") if data is not None else _json({"error": {}}, 404)
        if request.method == "POST" and parts == ["batches"]:
            return self._create(request.get_json())
        if request.method == "GET" and parts == ["batches"]:
            data = sorted(self.batches.values(), key=lambda b: b["created_at"], reverse=True)
            return _json({"object": "list", "data": data, "has_more": False})
        if request.method == "GET" and len(parts) == 2 and parts[0] == "batches":
            return self._retrieve(parts[1])
        return _json({"error": {"message": "not found"}}, 404)

    def _upload(self, request: Request) -> Response:
        self._event("upload")
        upload = request.files["file"]
        file_id = f"file-{next(self.ids)}"
        self.files[file_id] = upload.read()
        return _json(
            {"id": file_id, "object": "file", "bytes": len(self.files[file_id]), "created_at": int(time.time()),
             "filename": upload.filename, "purpose": request.form.get("purpose", "batch"), "status": "processed"}
        )  # fmt: skip

    def _create(self, body: dict[str, Any]) -> Response:
        self.creates += 1
        lines = [json.loads(line) for line in self.files[body["input_file_id"]].decode().splitlines() if line.strip()]
        batch_id = f"batch_{next(self.ids)}"
        self.submitted[batch_id] = [line["custom_id"] for line in lines]
        status, output, errors = self._answer_all(lines)
        batch = {
            "id": batch_id, "object": "batch", "endpoint": body["endpoint"], "input_file_id": body["input_file_id"],
            "completion_window": body["completion_window"], "status": "in_progress", "final_status": status,
            "created_at": time.time(), "metadata": body.get("metadata"), "output_file_id": None, "error_file_id": None,
            "outputs": (output, errors),
            "request_counts": {"total": len(lines), "completed": len(output), "failed": len(errors)},
        }  # fmt: skip
        self.batches[batch_id] = batch
        self._event("created")
        self._event(f"create-{self.creates}")
        return _json(_public(batch))

    def _answer_all(self, lines: list[dict[str, Any]]) -> tuple[str, list[str], list[str]]:
        output, errors, status = [], [], "completed"
        expire, fail_all = self.expire_next, self.fail_all_next
        self.expire_next = self.fail_all_next = False
        for index, line in enumerate(lines):
            self.lines += 1
            custom_id = line["custom_id"]
            if fail_all or (expire and index >= len(lines) // 2):
                code = "batch_expired" if expire else "server_error"
                errors.append(_line(custom_id, None, {"code": code, "message": f"{code} (fake)"}))
                continue
            if self.bad_request_every and self.lines % self.bad_request_every == 0:
                output.append(_line(custom_id, (400, {"error": {"message": "bad request (fake)"}})))
            elif self.random.random() < self.server_error_rate:
                output.append(_line(custom_id, (500, {"error": {"message": "server error (fake)"}})))
            else:
                content = _answer(line["body"]["messages"], line["body"].get("response_format"))
                output.append(_line(custom_id, (200, _completion(line["body"], content))))
        if expire:
            status = "expired"
        elif fail_all:
            status, output = "failed", []
        return status, output, errors

    def _retrieve(self, batch_id: str) -> Response:
        batch = self.batches.get(batch_id)
        if batch is None:
            return _json({"error": {"message": "no such batch"}}, 404)
        self.retrievals[batch_id] = self.retrievals.get(batch_id, 0) + 1
        if batch["status"] == "in_progress" and self.retrievals[batch_id] > self.polls:
            batch["status"] = batch["final_status"]
            output, errors = batch["outputs"]
            if output:
                batch["output_file_id"] = self._file(output)
            if errors:
                batch["error_file_id"] = self._file(errors)
        return _json(_public(batch))

    def _file(self, lines: list[str]) -> str:
        file_id = f"file-{next(self.ids)}"
        self.files[file_id] = "".join(line + "\n" for line in lines).encode()
        return file_id


def _line(custom_id: str, response: tuple[int, Any] | None, error: dict[str, Any] | None = None) -> str:
    body = {"status_code": response[0], "request_id": "req-fake", "body": response[1]} if response else None
    return json.dumps({"id": f"line-{custom_id}", "custom_id": custom_id, "response": body, "error": error})


def _completion(body: dict[str, Any], content: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()), "model": body.get("model"),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": len(json.dumps(body)) // 4, "completion_tokens": len(content) // 4,
                  "total_tokens": len(json.dumps(body)) // 4 + len(content) // 4},
    }  # fmt: skip


def _public(batch: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in batch.items() if k not in ("final_status", "outputs")}


def _json(payload: Any, status: int = 200) -> Response:
    return Response(json.dumps(payload), status=status, mimetype="application/json")


def serve_in_thread(fake: FakeBatches, port: int = 0) -> Any:
    """Serve ``fake`` on localhost in a daemon thread; the server's ``port`` and ``shutdown()``."""
    server = make_server("127.0.0.1", port, fake, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8801)
    parser.add_argument("--polls", type=int, default=1)
    args = parser.parse_args()
    server = make_server("127.0.0.1", args.port, FakeBatches(args.polls), threaded=True)
    print(f"fake batches listening on http://127.0.0.1:{args.port}/v1", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
