# One bounded GET for thinkube-control's answers (hub.extraConfig).
#
# thinkube-control is trusted for what it says, not for how much it says or
# how it says it. tornado's clients as the hub uses them keep an endless body
# in memory (curl: about 2 GB within the timeout), inflate a gzip bomb whole,
# and follow redirects. The simple client (tornado's default, used where pycurl
# is missing) never completes a request redirected to a dead target (the
# redirect's error is raised inside a done-callback, so the first request's
# future is never resolved), and it resolves host names in the event loop's
# default thread pool, where a slow DNS holds every thread for the whole hub.
#
# So one GET here:
# - never follows a redirect: a 3xx is an error answer;
# - asks for gzip itself and inflates it itself (a body starting with gzip's
#   magic bytes), counting the bytes received, the bytes inflated and their
#   ratio as the body arrives. Past a limit the rest is dropped: curl aborts
#   the transfer at once; the simple client's own max_body_size and
#   max_buffer_size end it within the same number of bytes;
# - runs on a client instance of its own, of the class the hub configured
#   (curl in the chart), so a hostile thinkube-control never takes the slots
#   of the hub's shared client (proxy API calls);
# - with the simple client, resolves names in a thread pool of its own and
#   refuses a lookup when every thread is still busy, instead of queueing;
# - has a deadline of its own, whatever the client does.

import asyncio
import socket
import threading
import zlib
from concurrent.futures import ThreadPoolExecutor

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.ioloop import IOLoop
from tornado.netutil import Resolver
from tornado.simple_httpclient import SimpleAsyncHTTPClient

# Limits of one answer (documented in docs/configuration.md). The default
# answers are a few KB; a cluster of THINKUBE_MAX_ENTRIES nodes with full GPU
# details is well under 1 MiB.
THINKUBE_MAX_ANSWER_BYTES = 2**20  # received, and again after inflating
THINKUBE_MAX_INFLATION = 200  # inflated bytes per received byte (gzip tops out near 1030)
# The ratio is judged once this much is inflated: a short prefix of a
# legitimate answer can inflate more than the whole.
THINKUBE_INFLATION_FLOOR = 64 * 2**10
# What the request may take beyond the client's own request_timeout.
THINKUBE_DEADLINE_GRACE = 0.25
# Concurrent name lookups (one per endpoint); more are refused, not queued.
THINKUBE_DNS_THREADS = 3
THINKUBE_GZIP_MAGIC = b"\x1f\x8b"


class ThinkubeBody:
    """One answer's body, collected within the limits; `error` says which limit
    was passed (then every later byte is dropped)."""

    def __init__(self):
        self.received = 0
        self.size = 0
        self.parts = []
        self.head = b""  # the first bytes, until gzip or not is decided
        self.inflater = None
        self.decided = False
        self.error = None

    def write(self, chunk):
        """Takes the next received bytes; False once a limit is passed."""
        if self.error is not None:
            return False
        self.received += len(chunk)
        if self.received > THINKUBE_MAX_ANSWER_BYTES:
            return self._refuse(f"more than {THINKUBE_MAX_ANSWER_BYTES} bytes received")
        if not self.decided:
            self.head += chunk
            if len(self.head) < len(THINKUBE_GZIP_MAGIC):
                return True
            chunk, self.head, self.decided = self.head, b"", True
            if chunk.startswith(THINKUBE_GZIP_MAGIC):
                self.inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        if self.inflater is not None:
            try:
                chunk = self.inflater.decompress(chunk, THINKUBE_MAX_ANSWER_BYTES - self.size + 1)
            except zlib.error as error:
                return self._refuse(f"broken gzip body ({error})")
            if self.inflater.unconsumed_tail:
                return self._refuse(f"more than {THINKUBE_MAX_ANSWER_BYTES} bytes after inflating")
        self.size += len(chunk)
        if self.size > THINKUBE_MAX_ANSWER_BYTES:
            return self._refuse(f"more than {THINKUBE_MAX_ANSWER_BYTES} bytes")
        if (self.inflater is not None and self.size > THINKUBE_INFLATION_FLOOR
                and self.size > THINKUBE_MAX_INFLATION * self.received):
            return self._refuse(f"gzip body inflating more than {THINKUBE_MAX_INFLATION} times")
        self.parts.append(chunk)
        return True

    def curl_write(self, chunk):
        # pycurl: None = all taken; any other count aborts the transfer.
        return None if self.write(chunk) else 0

    def _refuse(self, reason):
        self.error = f"answer refused: {reason}"
        self.parts, self.inflater = [], None
        return False

    def content(self):
        """The whole (inflated) body; ValueError when a limit was passed."""
        if self.error is not None:
            raise ValueError(self.error)
        if self.inflater is not None and not self.inflater.eof:
            raise ValueError("answer refused: truncated gzip body")
        return self.head + b"".join(self.parts)


class ThinkubeResolver(Resolver):
    """Name lookups in a few threads of their own; a lookup while all of them
    are busy (a DNS slower than the timeouts) fails at once."""

    def initialize(self, threads):
        self.threads = threads
        self.executor = ThreadPoolExecutor(threads, thread_name_prefix="thinkube-dns")
        self.slots = threading.BoundedSemaphore(threads)

    async def resolve(self, host, port, family=socket.AF_UNSPEC):
        if not self.slots.acquire(blocking=False):
            raise OSError(f"name lookup of {host} refused: {self.threads} earlier lookups still running")
        return await asyncio.wrap_future(self.executor.submit(self._lookup, host, port, family))

    def _lookup(self, host, port, family):
        try:
            return [(fam, address) for fam, _, _, _, address
                    in socket.getaddrinfo(host, port, family, socket.SOCK_STREAM)]
        finally:
            self.slots.release()

    def close(self):
        self.executor.shutdown(wait=False)


class ThinkubeHttp:
    """GETs on a client instance of their own."""

    def __init__(self):
        self.resolver = ThinkubeResolver(threads=THINKUBE_DNS_THREADS)
        self._client = None
        self._key = None

    def client(self):
        # An instance belongs to one event loop and one configured class (a
        # hub has one of each; tests switch).
        key = (IOLoop.current(), AsyncHTTPClient.configured_class())
        if self._client is None or self._key != key:
            options = {}
            if issubclass(key[1], SimpleAsyncHTTPClient):
                options = {
                    "resolver": self.resolver,
                    # Ends chunked and sized bodies past the limit, and
                    # bodies delimited by the connection's close.
                    "max_body_size": THINKUBE_MAX_ANSWER_BYTES,
                    "max_buffer_size": THINKUBE_MAX_ANSWER_BYTES + 2**16,
                }
            self._client, self._key = AsyncHTTPClient(force_instance=True, **options), key
        return self._client

    async def get(self, url, timeout):
        """(response, body bytes) of one GET within `timeout` seconds; raises on a
        transport error, a passed limit or the deadline (a non-200 response is
        returned)."""
        body = ThinkubeBody()

        def limit_curl(curl):
            import pycurl  # only the curl client calls this

            curl.setopt(pycurl.WRITEFUNCTION, body.curl_write)
            curl.setopt(pycurl.MAXFILESIZE_LARGE, THINKUBE_MAX_ANSWER_BYTES)

        request = HTTPRequest(
            url,
            connect_timeout=timeout,
            request_timeout=timeout,
            follow_redirects=False,
            decompress_response=False,
            headers={"Accept": "application/json", "Accept-Encoding": "gzip"},
            streaming_callback=body.write,
            prepare_curl_callback=limit_curl,
        )
        deadline = timeout + THINKUBE_DEADLINE_GRACE
        try:
            response = await asyncio.wait_for(self.client().fetch(request, raise_error=False), deadline)
        except asyncio.TimeoutError:
            raise TimeoutError(f"no complete answer within {deadline:g} s") from None
        except Exception:
            if body.error is not None:
                raise ValueError(body.error) from None
            raise
        return response, body.content()
