"""Stage 01, mathematics: vectors, matrices, linear systems, decompositions, calculus, optimization,
game theory. One module per idea; each is the solution key of one or two exercises."""
