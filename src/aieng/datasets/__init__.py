"""Data sets for exercises and projects. Nothing here touches the network: the sets are generated from a
seed, or read from files that ship in an installed package."""

from aieng.datasets.shakespeare import Corpus, DatasetError, shakespeare
from aieng.datasets.transactions import COLUMNS, FRAUD_CATEGORIES, LEGIT_CATEGORIES, transactions

__all__ = ["COLUMNS", "FRAUD_CATEGORIES", "LEGIT_CATEGORIES", "Corpus", "DatasetError", "shakespeare", "transactions"]
