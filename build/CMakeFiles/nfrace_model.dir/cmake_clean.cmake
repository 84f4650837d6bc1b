file(REMOVE_RECURSE
  "CMakeFiles/nfrace_model.dir/model/confirm.c.o"
  "CMakeFiles/nfrace_model.dir/model/confirm.c.o.d"
  "CMakeFiles/nfrace_model.dir/model/conntrack.c.o"
  "CMakeFiles/nfrace_model.dir/model/conntrack.c.o.d"
  "CMakeFiles/nfrace_model.dir/model/fixes.c.o"
  "CMakeFiles/nfrace_model.dir/model/fixes.c.o.d"
  "CMakeFiles/nfrace_model.dir/model/invariants.c.o"
  "CMakeFiles/nfrace_model.dir/model/invariants.c.o.d"
  "CMakeFiles/nfrace_model.dir/model/nat.c.o"
  "CMakeFiles/nfrace_model.dir/model/nat.c.o.d"
  "CMakeFiles/nfrace_model.dir/model/packet.c.o"
  "CMakeFiles/nfrace_model.dir/model/packet.c.o.d"
  "CMakeFiles/nfrace_model.dir/model/world.c.o"
  "CMakeFiles/nfrace_model.dir/model/world.c.o.d"
  "libnfrace_model.a"
  "libnfrace_model.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/nfrace_model.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
