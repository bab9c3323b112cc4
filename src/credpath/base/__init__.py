"""What every layer may use: errors, escaped text, bounded JSON input, safe output,
forked workers, and the one finding type."""
