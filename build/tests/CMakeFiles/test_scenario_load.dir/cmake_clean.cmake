file(REMOVE_RECURSE
  "CMakeFiles/test_scenario_load.dir/unit/test_scenario_load.c.o"
  "CMakeFiles/test_scenario_load.dir/unit/test_scenario_load.c.o.d"
  "test_scenario_load"
  "test_scenario_load.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_scenario_load.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
