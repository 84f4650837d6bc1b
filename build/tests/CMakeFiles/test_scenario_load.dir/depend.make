# Empty dependencies file for test_scenario_load.
# This may be replaced when dependencies are built.
