#!/usr/bin/python3
"""Print a TCP port on 127.0.0.1 that is free right now (the kernel picks it).
Another process may take it before you bind it: retry on "address in use"."""
import socket

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
