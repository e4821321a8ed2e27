"""Build hook for the compiled modules; everything else is configured in pyproject.toml.

Both are plain C99 and the CPython buffer protocol (no numpy headers), and both are optional:
without a C compiler the build goes on and the tally uses its Python paths (the same results,
slower).

- ``app.tally._kernels`` (app/tally/_kernels.c) counts Copeland ballots in snapshot.js's exact
  addition order;
- ``app.tally._scan`` (app/tally/_scan.c, _number.h) reads a vote document's JSON bytes straight
  into a VoteTable's columns, numbers rounded exactly as Python rounds them.
"""

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class BuildExact(build_ext):
    """GCC and Clang may fuse ``a * b + c`` into one rounding (an FMA) on targets that have it
    (arm64, or x86 with -march=native); the kernels must round every product on its own, as
    JavaScript does. MSVC does not contract unless asked (/fp:contract)."""

    def build_extensions(self) -> None:
        if self.compiler.compiler_type != "msvc":
            for extension in self.extensions:
                extension.extra_compile_args = [*extension.extra_compile_args, "-ffp-contract=off"]
        super().build_extensions()


setup(
    cmdclass={"build_ext": BuildExact},
    ext_modules=[
        Extension("app.tally._kernels", sources=["app/tally/_kernels.c"], optional=True),
        Extension(
            "app.tally._scan",
            sources=["app/tally/_scan.c"],
            depends=["app/tally/_number.h"],
            optional=True,
        ),
    ],
)
