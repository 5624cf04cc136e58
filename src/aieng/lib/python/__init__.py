"""Stage 00, Python for AI: numpy arrays, broadcasting, vectorization, indexing, pandas, the data
structures an AI engineer reaches for (hash maps, heaps, binary search, sliding windows), loading data
and plotting. One module per idea; each is the solution key of one exercise."""
