# Empty dependencies file for test_explore.
# This may be replaced when dependencies are built.
