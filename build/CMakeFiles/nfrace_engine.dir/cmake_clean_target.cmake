file(REMOVE_RECURSE
  "libnfrace_engine.a"
)
