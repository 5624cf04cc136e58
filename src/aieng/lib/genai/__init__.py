"""Generative AI from tokens to a GPT, and the LLM lifecycle, in PyTorch."""
