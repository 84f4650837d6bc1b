file(REMOVE_RECURSE
  "CMakeFiles/test_explore.dir/unit/test_explore.c.o"
  "CMakeFiles/test_explore.dir/unit/test_explore.c.o.d"
  "test_explore"
  "test_explore.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_explore.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
