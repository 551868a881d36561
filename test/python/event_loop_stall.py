"""How long the event loop was held while a coroutine ran: the hub serves
every user from one loop, so a long stall is a stall for everyone."""

import asyncio

TICK_S = 0.005


async def stalls_during(coroutine):
    """The coroutine's result and the longest the event loop was held meanwhile (s)."""
    loop = asyncio.get_running_loop()
    longest, done = 0.0, False

    async def tick():
        nonlocal longest
        while not done:
            before = loop.time()
            await asyncio.sleep(TICK_S)
            longest = max(longest, loop.time() - before - TICK_S)

    ticker = asyncio.ensure_future(tick())
    try:
        return await coroutine, longest
    finally:
        done = True
        await ticker
