"""After the runs: reading sweep folders (`sweep`), the policy table (`compare`) and the figures (`plots`)."""
