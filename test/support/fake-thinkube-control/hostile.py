"""Hostile answers: what a broken or compromised thinkube-control could send
to exhaust the hub's memory, time or threads, or forge its log. Each writer
takes the request handler and the endpoint and writes the whole response
itself (some never finish: they stop when the client goes away)."""

import json
import socket
import struct
import time
import zlib
from functools import lru_cache

from dataset import IMAGES, RESOURCES

# Written between checks of the client's socket: large enough to be fast.
_CHUNK = 64 * 1024


def _head(handler, status, headers):
    handler.send_response(status)
    for name, value in headers:
        handler.send_header(name, value)
    handler.end_headers()


def _json_item(path):
    """One valid entry of the endpoint's answer, repeated by endless bodies."""
    item = IMAGES[0] if path == "/images/jupyter" else RESOURCES[1]
    return json.dumps(item).encode() + b","


def endless(handler, path):
    """200 with a body delimited by the connection's close, which never comes."""
    handler.close_connection = True
    _head(handler, 200, [("Content-Type", "application/json"), ("Connection", "close")])
    item = _json_item(path)
    block = b"[" + item * (_CHUNK // len(item))
    while True:
        handler.wfile.write(block)
        block = item * (_CHUNK // len(item))


def endless_chunked(handler, path):
    """200 with a chunked body whose last chunk never comes."""
    _head(handler, 200, [("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")])
    item = _json_item(path)
    block = item * (_CHUNK // len(item))
    handler.wfile.write(b"1\r\n[\r\n")
    while True:
        handler.wfile.write(b"%x\r\n%s\r\n" % (len(block), block))


def endless_headers(handler, path):
    """A status line, then header lines forever."""
    handler.close_connection = True
    handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
    line = b"X-Padding: " + b"a" * 200 + b"\r\n"
    while True:
        handler.wfile.write(line * (_CHUNK // len(line)))


def drip(handler, path):
    """The real answer, one byte every 100 ms."""
    body = json.dumps(handler.state.dataset[path]).encode()
    _head(handler, 200, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    for offset in range(len(body)):
        handler.wfile.write(body[offset:offset + 1])
        handler.wfile.flush()
        time.sleep(0.1)


def gzip_ok(handler, path):
    """The real answer, gzip-encoded (what a GZip middleware would send)."""
    body = zlib.compress(json.dumps(handler.state.dataset[path]).encode(), 9, wbits=31)
    _send(handler, 200, body, [("Content-Encoding", "gzip")])


@lru_cache(maxsize=1)
def gzip_bomb_body(mebibytes=400):
    """A single gzip member of about 400 KB that inflates to `[` + 400 MiB of
    spaces + `]` (valid JSON). Built from one compressed MiB repeated: after a
    full flush, deflate output depends only on its input, so every MiB of
    spaces compresses to the same block (0.5 s instead of 9 s)."""
    spaces = b" " * 2**20
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = deflate.compress(b"[") + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(spaces) + deflate.flush(zlib.Z_FULL_FLUSH)
    end = deflate.compress(b"]") + deflate.flush()
    crc = zlib.crc32(b"[")
    for _ in range(mebibytes):
        crc = zlib.crc32(spaces, crc)
    crc = zlib.crc32(b"]", crc)
    size = mebibytes * len(spaces) + 2
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + start + block * mebibytes + end + struct.pack("<II", crc, size & 0xFFFFFFFF)


def gzip_bomb(handler, path):
    _send(handler, 200, gzip_bomb_body(), [("Content-Encoding", "gzip")])


@lru_cache(maxsize=3)
def huge_body(path, megabytes=50):
    """About 50 MB of valid, distinct entries (a node list, an image list, or
    a config object with a padding field)."""
    if path == "/jupyterhub/config":
        return json.dumps({"default_node": "gpu-node-1", "padding": "x" * megabytes * 10**6}).encode()
    template = IMAGES[0] if path == "/images/jupyter" else RESOURCES[1]
    size = len(json.dumps(template)) + 10
    entries = [dict(template, name=f"{template['name']}-{i}") for i in range(megabytes * 10**6 // size)]
    return json.dumps(entries).encode()


def huge(handler, path):
    _send(handler, 200, huge_body(path))


def redirect_dead(handler, path):
    """302 to a port on 127.0.0.1 where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _send(handler, 302, b"", [("Location", f"http://127.0.0.1:{port}/api/v1{path}")])


def error500_control(handler, path):
    """500 whose detail forges a hub log line and a terminal escape."""
    detail = ("boom\n[E 2026-01-01 00:00:00.000 JupyterHub app:1] forged: admin token leaked"
              "\r\x1b[2K\x1b[31mred\x1b[0m\u2028\u202eevil\x00")
    _send(handler, 500, json.dumps({"detail": detail}).encode())


# Integers beyond a float (401 digits) and beyond Python's int-from-string
# limit (5000 digits), each in one entry only: the rest of the answer is fine.
_BIG = "1" + "0" * 400
_HUGE = "9" * 5000


def huge_numbers(handler, path):
    if path == "/jupyterhub/config":
        good = json.dumps(handler.state.dataset[path])
        body = good[:-1] + f', "default_cpu_cores": {_BIG}, "default_gpu_count": {_HUGE}}}'
    else:
        good = json.dumps(handler.state.dataset[path])[1:-1]
        if path == "/images/jupyter":
            bad = [f'{{"name": "tk-jupyter-big", "default": {_BIG}}}',
                   f'{{"name": "tk-jupyter-huge", "metadata": {{"image_size": {_HUGE}}}}}']
        else:
            bad = [f'{{"name": "big-node", "available": {{"cpu": {_BIG}, "memory": "8Gi"}}}}',
                   f'{{"name": "huge-node", "available": {{"cpu": 1, "memory": {_HUGE}}}}}']
        body = "[" + ", ".join(bad + [good]) + "]"
    _send(handler, 200, body.encode())


def _send(handler, status, body, headers=()):
    _head(handler, status, [("Content-Type", "application/json"),
                            ("Content-Length", str(len(body))), *headers])
    handler.wfile.write(body)


WRITERS = {
    "endless": endless,
    "endlessChunked": endless_chunked,
    "endlessHeaders": endless_headers,
    "drip": drip,
    "gzip": gzip_ok,
    "gzipBomb": gzip_bomb,
    "huge": huge,
    "redirectDead": redirect_dead,
    "error500Control": error500_control,
    "hugeNumbers": huge_numbers,
}
