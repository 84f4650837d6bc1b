file(REMOVE_RECURSE
  "libnfrace_tool.a"
)
