file(REMOVE_RECURSE
  "CMakeFiles/nfrace_tool.dir/sim/cli_cmds.c.o"
  "CMakeFiles/nfrace_tool.dir/sim/cli_cmds.c.o.d"
  "CMakeFiles/nfrace_tool.dir/sim/cli_common.c.o"
  "CMakeFiles/nfrace_tool.dir/sim/cli_common.c.o.d"
  "CMakeFiles/nfrace_tool.dir/sim/program.c.o"
  "CMakeFiles/nfrace_tool.dir/sim/program.c.o.d"
  "CMakeFiles/nfrace_tool.dir/sim/report.c.o"
  "CMakeFiles/nfrace_tool.dir/sim/report.c.o.d"
  "CMakeFiles/nfrace_tool.dir/sim/scenario_load.c.o"
  "CMakeFiles/nfrace_tool.dir/sim/scenario_load.c.o.d"
  "CMakeFiles/nfrace_tool.dir/sim/trace.c.o"
  "CMakeFiles/nfrace_tool.dir/sim/trace.c.o.d"
  "libnfrace_tool.a"
  "libnfrace_tool.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/nfrace_tool.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
