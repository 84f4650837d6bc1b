file(REMOVE_RECURSE
  "CMakeFiles/bench_yield.dir/bench/bench_yield.c.o"
  "CMakeFiles/bench_yield.dir/bench/bench_yield.c.o.d"
  "bench_yield"
  "bench_yield.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/bench_yield.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
