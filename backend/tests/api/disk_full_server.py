"""The service in a process of its own whose files cannot grow: a full disk, for real.

    python -m tests.api.disk_full_server PORT

Settings come from the environment, as for `serve.sh`. Start-up runs as usual (it
writes: the events are synced); then RLIMIT_FSIZE is set to 0 before the first request,
so from then on the kernel refuses every write that would grow a file (EFBIG; Python
ignores SIGXFSZ), as a full disk refuses them: SQLite's commit to its WAL fails.
The limit cannot be set before start (a preexec_fn) because start-up must write.
"""

from __future__ import annotations

import resource
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI

from app.main import create_app


def main(port: int) -> None:
    app = create_app()
    start_up = app.router.lifespan_context

    @asynccontextmanager
    async def then_no_file_may_grow(running_app: FastAPI) -> AsyncIterator[None]:
        async with start_up(running_app):
            _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
            resource.setrlimit(resource.RLIMIT_FSIZE, (0, hard))
            yield

    app.router.lifespan_context = then_no_file_may_grow
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main(int(sys.argv[1]))
