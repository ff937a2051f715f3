"""Temporal's remote codec protocol under /api/v1/codec, for the Temporal UI (`--ui-codec-endpoint`) and CLI.

`POST …/decode` opens the payloads of a history with the keyring the workers use; `POST …/encode` seals
payloads the UI sends (start or signal from the UI). Bodies are Temporal's proto3 JSON of `Payloads`:
`{"payloads": [{"metadata": {"encoding": "<base64>"}, "data": "<base64>"}]}`. The UI's origin may call these
two routes from the browser (CORS, `codec_cors`); no other route is opened to it.

Decoding shows personal data: these routes carry the tag `codec` and the route names `codec_decode` and
`codec_encode`, for the access policy to allow to staff and admins only.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable, Sequence

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send
from temporalio.api.common.v1 import Payload
from temporalio.converter import PayloadCodec

from services.api.deps import TemporalDep
from services.api.problems import InvalidInput, Unavailable
from services.settings import Settings
from services.workflow.codec import PayloadDecryptionError

PREFIX = "/api/v1/codec"
TAG = "codec"
router = APIRouter(prefix=PREFIX, tags=[TAG])


class CodecPayload(BaseModel):
    """One Temporal payload in proto3 JSON: every metadata value and the data in base64."""

    model_config = ConfigDict(extra="ignore")
    metadata: dict[str, str] = Field(default_factory=dict, description="name → base64 value")
    data: str = Field(default="", description="base64")


class CodecPayloads(BaseModel):
    """The body and answer of both routes."""

    payloads: list[CodecPayload] = Field(default_factory=list)


def _b64(text: str, where: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as err:
        raise InvalidInput(f"{where} が base64 ではありません", f"{where} is not base64") from err


def to_payloads(body: CodecPayloads) -> list[Payload]:
    """The protobuf payloads of a request body."""
    return [
        Payload(
            metadata={k: _b64(v, f"payloads[{i}].metadata.{k}") for k, v in p.metadata.items()},
            data=_b64(p.data, f"payloads[{i}].data"),
        )
        for i, p in enumerate(body.payloads)
    ]


def from_payloads(payloads: Sequence[Payload]) -> CodecPayloads:
    """The JSON answer for protobuf payloads."""
    return CodecPayloads(
        payloads=[
            CodecPayload(
                metadata={k: base64.b64encode(v).decode("ascii") for k, v in p.metadata.items()},
                data=base64.b64encode(p.data).decode("ascii"),
            )
            for p in payloads
        ]
    )


def _codec(temporal: TemporalDep) -> PayloadCodec:
    codec = temporal.data_converter.payload_codec
    if codec is None:  # a client built without the converter of services.workflow.clients
        raise Unavailable("ペイロードの暗号鍵が設定されていません", "this process has no payload codec")
    return codec


async def _run(step: Callable[[Sequence[Payload]], Awaitable[list[Payload]]], body: CodecPayloads) -> CodecPayloads:
    try:
        return from_payloads(await step(to_payloads(body)))
    except PayloadDecryptionError as err:
        raise InvalidInput("暗号化されたペイロードを復号できません", str(err)) from err
    except ValueError as err:  # a decrypted payload that is not a protobuf Payload
        raise InvalidInput("ペイロードを読めません", f"unreadable payload: {err}") from err


@router.post(
    "/decode",
    name="codec_decode",
    summary="Temporal リモートコーデック: 復号 / Remote codec: decode payloads (staff, admin)",
)
async def decode(body: CodecPayloads, temporal: TemporalDep) -> CodecPayloads:
    """Open encrypted payloads with the workers' keyring; other payloads come back as they are."""
    return await _run(_codec(temporal).decode, body)


@router.post(
    "/encode",
    name="codec_encode",
    summary="Temporal リモートコーデック: 暗号化 / Remote codec: encode payloads (staff, admin)",
)
async def encode(body: CodecPayloads, temporal: TemporalDep) -> CodecPayloads:
    """Seal payloads with the newest key, as a worker would."""
    return await _run(_codec(temporal).encode, body)


def ui_origins(settings: Settings) -> list[str]:
    """The Temporal UI's origins that may call the codec from the browser."""
    return [f"http://{host}:{settings.temporal_ui_port}" for host in ("127.0.0.1", "localhost")]


class CodecCors:
    """CORS for the codec routes only: the Temporal UI's origin, POST, the headers the UI sends."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=ui_origins(settings),
            allow_methods=["POST"],
            allow_headers=["Content-Type", "Authorization", "X-Namespace"],
            allow_credentials=True,
            max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Codec paths through the CORS middleware, every other path straight on."""
        if scope["type"] == "http" and scope["path"].startswith(PREFIX + "/"):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
