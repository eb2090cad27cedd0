"""Error codes of the bodies app (tests assert on these)."""

NOT_RESIDENT_LED = "not_resident_led"
WRONG_STATUS = "wrong_status"
REQUIREMENTS_UNMET = "requirements_unmet"
REASON_REQUIRED = "reason_required"
NO_OWNER = "no_owner"
