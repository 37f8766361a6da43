"""The checks: each turns one network question into a result with a cause, a summary and a remedy."""
