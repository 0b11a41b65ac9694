"""The learning loop: history read from GitHub, state that outlives the job, decisions and
test parameters that use it."""
