"""One error shape for every answer but 422: {"detail": {"code": "...", "message": "..."}}."""

from __future__ import annotations


class ApiError(Exception):
    """An answer other than success, with a stable machine-readable code."""

    def __init__(
        self,
        status_code: int,
        code: str,
        message: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.message = message
        self.headers = headers

    def body(self) -> dict[str, dict[str, str]]:
        return {"detail": {"code": self.code, "message": self.message}}


def event_not_found(event_id: str) -> ApiError:
    return ApiError(404, "event_not_found", f"There is no event {event_id!r}.")


def registration_not_found() -> ApiError:
    # The same answer for an unknown code and for a wrong email, so codes cannot be probed.
    return ApiError(404, "registration_not_found", "No registration with this code and email.")


def service_unavailable(
    message: str = "The database is busy or unavailable; try again shortly.",
) -> ApiError:
    return ApiError(503, "service_unavailable", message, headers={"Retry-After": "5"})


def too_many_requests(retry_after: str) -> ApiError:
    return ApiError(
        429,
        "too_many_requests",
        f"Too many attempts from this client; try again in {retry_after} seconds.",
        headers={"Retry-After": retry_after},
    )


def payload_too_large(max_bytes: int) -> ApiError:
    # Connection: close, so the server does not go on reading what is left of the body.
    return ApiError(
        413,
        "payload_too_large",
        f"The request body is larger than {max_bytes} bytes.",
        headers={"Connection": "close"},
    )
