#!/usr/bin/env python3
"""A counting HTTP/1.1 server for bench/serve_wrk.sh: answers every request with a fixed 200 and, when
stopped (SIGTERM or SIGINT), prints what the load generator sent as one JSON line: connections,
requests, bytes per request (head and body), the request heads seen (the Host port blanked) and how
many requests came before an answer (pipelining). Loopback only.

    python3 bench/http_count.py PORT
"""
import asyncio
import json
import signal
import sys

ANSWER = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
stats = {"connections": 0, "requests": 0, "bytes": 0, "pipelined": 0, "heads": {}}


async def serve(reader, writer):
    stats["connections"] += 1
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            await reader.readexactly(length)
            # Bytes already waiting before the answer went out: a pipelined request.
            if len(reader._buffer) > 0:  # noqa: SLF001 (asyncio's StreamReader keeps what it has read here)
                stats["pipelined"] += 1
            stats["requests"] += 1
            stats["bytes"] += len(head) + length
            lines = head.decode("latin-1").split("\r\n")
            shown = "\r\n".join(l if not l.lower().startswith("host:") else l.rsplit(":", 1)[0] + ":PORT" for l in lines)
            stats["heads"][shown] = stats["heads"].get(shown, 0) + 1
            writer.write(ANSWER)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main(port):
    server = await asyncio.start_server(serve, "127.0.0.1", port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, stop.set)
    async with server:
        await stop.wait()
    n = stats["requests"]
    print(json.dumps({"connections": stats["connections"], "requests": n, "bytes": stats["bytes"],
                      "bytes_per_request": stats["bytes"] / n if n else None, "pipelined": stats["pipelined"],
                      "heads": stats["heads"]}), flush=True)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
