"""aieng: a hands-on curriculum for AI engineering, from math to generative AI.

Two products share this package: the reference library (`aieng.lib`, the solution key) and the
learning system (course, workspace, grader, progress store, CLI) that teaches with it.
"""

__version__ = "0.1.0"
