# Empty dependencies file for nfrace_model.
# This may be replaced when dependencies are built.
