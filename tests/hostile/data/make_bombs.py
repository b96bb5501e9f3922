"""Makes the compression bombs of the hostile-server tests (run once; the outputs are committed).

zeros-64mib.br: 64 MiB of zero bytes, brotli quality 11 (a few dozen bytes on the wire).
"""
import brotli

with open("zeros-64mib.br", "wb") as f:
    f.write(brotli.compress(b"\0" * (64 * 1024 * 1024), quality=11))
