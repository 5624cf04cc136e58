"""The reference library: clean, vectorized, from-scratch implementations of every topic of the course.

It is the course's solution key and a library to read. Subpackages mirror the stages: `python`,
`math`, `stats`, `data`, `ml`, `dl`, `genai`, `ethics`, `deploy`.
"""
