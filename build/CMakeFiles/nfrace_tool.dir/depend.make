# Empty dependencies file for nfrace_tool.
# This may be replaced when dependencies are built.
