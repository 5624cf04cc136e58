"""Traditional machine learning from scratch, as scikit-learn citizens.

Every estimator here subclasses ``sklearn.base.BaseEstimator`` with the right mixins, validates its input
with ``validate_data`` and stores what it learned in attributes ending in ``_``, so it works inside
``Pipeline``, ``GridSearchCV`` and ``cross_val_score`` like scikit-learn's own estimators.
"""
