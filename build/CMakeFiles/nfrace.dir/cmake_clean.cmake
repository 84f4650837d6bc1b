file(REMOVE_RECURSE
  "CMakeFiles/nfrace.dir/sim/main.c.o"
  "CMakeFiles/nfrace.dir/sim/main.c.o.d"
  "nfrace"
  "nfrace.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/nfrace.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
