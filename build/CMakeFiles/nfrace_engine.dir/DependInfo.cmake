
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/sim/clock.c" "CMakeFiles/nfrace_engine.dir/sim/clock.c.o" "gcc" "CMakeFiles/nfrace_engine.dir/sim/clock.c.o.d"
  "/work/main/sim/coro.c" "CMakeFiles/nfrace_engine.dir/sim/coro.c.o" "gcc" "CMakeFiles/nfrace_engine.dir/sim/coro.c.o.d"
  "/work/main/sim/exec.c" "CMakeFiles/nfrace_engine.dir/sim/exec.c.o" "gcc" "CMakeFiles/nfrace_engine.dir/sim/exec.c.o.d"
  "/work/main/sim/explore.c" "CMakeFiles/nfrace_engine.dir/sim/explore.c.o" "gcc" "CMakeFiles/nfrace_engine.dir/sim/explore.c.o.d"
  "/work/main/sim/prng.c" "CMakeFiles/nfrace_engine.dir/sim/prng.c.o" "gcc" "CMakeFiles/nfrace_engine.dir/sim/prng.c.o.d"
  "/work/main/sim/token.c" "CMakeFiles/nfrace_engine.dir/sim/token.c.o" "gcc" "CMakeFiles/nfrace_engine.dir/sim/token.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
