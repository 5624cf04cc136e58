"""`aieng serve`: the learner's home in the browser, over the same session the CLI uses."""

from aieng.web.app import create_app

__all__ = ["create_app"]
