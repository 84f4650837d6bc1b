file(REMOVE_RECURSE
  "CMakeFiles/nfrace_engine.dir/sim/clock.c.o"
  "CMakeFiles/nfrace_engine.dir/sim/clock.c.o.d"
  "CMakeFiles/nfrace_engine.dir/sim/coro.c.o"
  "CMakeFiles/nfrace_engine.dir/sim/coro.c.o.d"
  "CMakeFiles/nfrace_engine.dir/sim/exec.c.o"
  "CMakeFiles/nfrace_engine.dir/sim/exec.c.o.d"
  "CMakeFiles/nfrace_engine.dir/sim/explore.c.o"
  "CMakeFiles/nfrace_engine.dir/sim/explore.c.o.d"
  "CMakeFiles/nfrace_engine.dir/sim/prng.c.o"
  "CMakeFiles/nfrace_engine.dir/sim/prng.c.o.d"
  "CMakeFiles/nfrace_engine.dir/sim/token.c.o"
  "CMakeFiles/nfrace_engine.dir/sim/token.c.o.d"
  "libnfrace_engine.a"
  "libnfrace_engine.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/nfrace_engine.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
