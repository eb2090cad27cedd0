"""Error codes of the regional-issue pipeline (tests assert on these)."""

NO_EXECUTING_ACTOR = "no_executing_actor"
NO_TARGET = "no_target"
NO_START_DATE = "no_start_date"
REASON_REQUIRED = "reason_required"
SAME_STAGE = "same_stage"
NOT_ON_HOLD = "not_on_hold"
