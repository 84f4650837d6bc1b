# Empty dependencies file for nfrace_engine.
# This may be replaced when dependencies are built.
