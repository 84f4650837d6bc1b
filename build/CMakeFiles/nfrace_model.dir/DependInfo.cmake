
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/model/confirm.c" "CMakeFiles/nfrace_model.dir/model/confirm.c.o" "gcc" "CMakeFiles/nfrace_model.dir/model/confirm.c.o.d"
  "/work/main/model/conntrack.c" "CMakeFiles/nfrace_model.dir/model/conntrack.c.o" "gcc" "CMakeFiles/nfrace_model.dir/model/conntrack.c.o.d"
  "/work/main/model/fixes.c" "CMakeFiles/nfrace_model.dir/model/fixes.c.o" "gcc" "CMakeFiles/nfrace_model.dir/model/fixes.c.o.d"
  "/work/main/model/invariants.c" "CMakeFiles/nfrace_model.dir/model/invariants.c.o" "gcc" "CMakeFiles/nfrace_model.dir/model/invariants.c.o.d"
  "/work/main/model/nat.c" "CMakeFiles/nfrace_model.dir/model/nat.c.o" "gcc" "CMakeFiles/nfrace_model.dir/model/nat.c.o.d"
  "/work/main/model/packet.c" "CMakeFiles/nfrace_model.dir/model/packet.c.o" "gcc" "CMakeFiles/nfrace_model.dir/model/packet.c.o.d"
  "/work/main/model/world.c" "CMakeFiles/nfrace_model.dir/model/world.c.o" "gcc" "CMakeFiles/nfrace_model.dir/model/world.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/main/build/CMakeFiles/nfrace_engine.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
