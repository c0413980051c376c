"""Closing the loop: the actions a team takes on follow-up cases, landed like any source.

A case-actions file (`case_id, action, actor, at, note`) is detected, staged, checked and
written to `raw.case_actions` with a ledger row, like every other landing file. An action
whose case the follow-up queue (`marts.fct_follow_up_cases`, as last built) does not hold
is quarantined with the reason. `pulse followup close` writes the same kind of file.
"""
