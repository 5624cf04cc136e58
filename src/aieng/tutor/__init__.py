"""The course's tutor: retrieval-augmented answers over the lessons and the glossary.

    from aieng.tutor import ask
    answer = ask("why does my loss become nan?")     # TutorAnswer
    print(answer.to_markdown())

See `aieng.tutor.core` for the Tutor class, `aieng.tutor.generators` for who writes the answer
(AIENG_LLM_URL, the course's toy GPT, or nobody), and `benchmarks/tutor_recall.py` for how well it
retrieves.
"""

from aieng.tutor.core import Passage, Tutor, TutorAnswer, ask, default_cache_dir, get_tutor, search
from aieng.tutor.generators import EndpointGenerator, ToyGPTGenerator, pick_generator

__all__ = ["EndpointGenerator", "Passage", "ToyGPTGenerator", "Tutor", "TutorAnswer", "ask", "default_cache_dir",
           "get_tutor", "pick_generator", "search"]
