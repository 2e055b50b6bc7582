"""Switches local to the calling thread or asyncio task.

Predict and explain paths use them where ``warnings.catch_warnings`` would
swap the process-wide warning filters, which concurrent calls restore over
each other (see docs/inputs.rst).
"""

import contextlib


@contextlib.contextmanager
def set_within(variable, value):
    """Within this block, in the calling thread or task only, the context ``variable`` holds ``value``."""
    token = variable.set(value)
    try:
        yield
    finally:
        variable.reset(token)
