"""Stage 02, statistics: describing data, probability, tests, intervals, estimation, regression and PCA."""
