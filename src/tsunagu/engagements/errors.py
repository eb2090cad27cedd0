"""Error codes of accompanying support (tests assert on these)."""

BAD_STATUS = "bad_status"
SAME_STATUS = "same_status"
BAD_TRANSITION = "bad_transition"
REASON_REQUIRED = "reason_required"
BAD_DATE = "bad_date"
DUPLICATE_VISIT = "duplicate_visit"
OUTSIDE_PROGRAM_YEARS = "outside_program_years"
