"""Data science: clean, impute, scale, encode, engineer, split and explore tabular data without leaking
the answer. Every transformer here is a scikit-learn citizen (fit learns, transform applies)."""
