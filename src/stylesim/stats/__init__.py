"""Statistics: arrays in, results out. Nothing here knows about text or models.

* :mod:`.moments` - cross-prompt similarity U-statistics under bootstrap weights, sign flips;
* :mod:`.resampling` - bootstrap weights, sign-flip plans, percentile intervals, p-values;
* :mod:`.panel` - rank among a panel with its exact p-value, closeness index, Holm correction.
"""
