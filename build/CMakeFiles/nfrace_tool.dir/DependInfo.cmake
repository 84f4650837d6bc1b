
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/sim/cli_cmds.c" "CMakeFiles/nfrace_tool.dir/sim/cli_cmds.c.o" "gcc" "CMakeFiles/nfrace_tool.dir/sim/cli_cmds.c.o.d"
  "/work/main/sim/cli_common.c" "CMakeFiles/nfrace_tool.dir/sim/cli_common.c.o" "gcc" "CMakeFiles/nfrace_tool.dir/sim/cli_common.c.o.d"
  "/work/main/sim/program.c" "CMakeFiles/nfrace_tool.dir/sim/program.c.o" "gcc" "CMakeFiles/nfrace_tool.dir/sim/program.c.o.d"
  "/work/main/sim/report.c" "CMakeFiles/nfrace_tool.dir/sim/report.c.o" "gcc" "CMakeFiles/nfrace_tool.dir/sim/report.c.o.d"
  "/work/main/sim/scenario_load.c" "CMakeFiles/nfrace_tool.dir/sim/scenario_load.c.o" "gcc" "CMakeFiles/nfrace_tool.dir/sim/scenario_load.c.o.d"
  "/work/main/sim/trace.c" "CMakeFiles/nfrace_tool.dir/sim/trace.c.o" "gcc" "CMakeFiles/nfrace_tool.dir/sim/trace.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/main/build/CMakeFiles/nfrace_model.dir/DependInfo.cmake"
  "/work/main/build/CMakeFiles/nfrace_engine.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
