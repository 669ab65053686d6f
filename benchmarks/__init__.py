"""kcextract's benchmark: ``python -m benchmarks`` (``--quick`` for a smaller run, ``--help`` for options).

Every row runs in the same process on the same text (:mod:`benchmarks.texts` says what it is),
so the ratios hold on any machine even when its speed varies. Performance is measured here,
never by timed unit tests.
"""
