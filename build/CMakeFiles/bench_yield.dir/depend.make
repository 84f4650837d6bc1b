# Empty dependencies file for bench_yield.
# This may be replaced when dependencies are built.
