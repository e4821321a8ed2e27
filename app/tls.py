"""One TLS context for every HTTPS client of the core: the hub, the sequencer, avatars, forums.

Building a context reads a CA bundle: about 25 ms on a quiet machine and far more on a busy one,
paid on the event loop's thread by each client made there. So it is built once, and
``Services.warm_up`` builds it in its worker thread before the first client needs it (issue
#20). It trusts what httpx trusts by default: ``SSL_CERT_FILE`` or ``SSL_CERT_DIR`` when set,
else certifi's bundle.
"""

from __future__ import annotations

import functools
import os
import ssl


@functools.cache
def shared_context() -> ssl.SSLContext:
    if os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    if os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    import certifi

    return ssl.create_default_context(cafile=certifi.where())
