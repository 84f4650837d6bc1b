# Empty dependencies file for nfrace.
# This may be replaced when dependencies are built.
