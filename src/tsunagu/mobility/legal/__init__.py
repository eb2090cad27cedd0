"""道路運送法の確認 (Road Transport Act check): the check itself (:mod:`.check`, pure Python so the
CLI runs without Django), saving a service's result (services), the form pages, the API and
``tsunagu mobility legal-check``."""
