file(REMOVE_RECURSE
  "libnfrace_model.a"
)
