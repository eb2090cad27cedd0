"""Care prevention (介護予防): the basic checklist now; residents, consent and referrals later."""
