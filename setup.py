"""Build hook for the one compiled module; everything else is configured in pyproject.toml.

``app.tally._kernels`` (app/tally/_kernels.c: plain C99 and the CPython buffer protocol, no numpy
headers) counts Copeland ballots in snapshot.js's exact addition order. It is optional: without
a C compiler the build goes on and the tally uses its numpy path (the same results, slower).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[Extension("app.tally._kernels", sources=["app/tally/_kernels.c"], optional=True)]
)
