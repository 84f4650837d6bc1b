# CMake generated Testfile for 
# Source directory: /work/main/tests
# Build directory: /work/main/build/tests
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
add_test(test_prng "/work/main/build/tests/test_prng")
set_tests_properties(test_prng PROPERTIES  WORKING_DIRECTORY "/work/main" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;10;add_test;/work/main/tests/CMakeLists.txt;13;add_cmocka_test;/work/main/tests/CMakeLists.txt;0;")
add_test(test_clock "/work/main/build/tests/test_clock")
set_tests_properties(test_clock PROPERTIES  WORKING_DIRECTORY "/work/main" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;10;add_test;/work/main/tests/CMakeLists.txt;14;add_cmocka_test;/work/main/tests/CMakeLists.txt;0;")
add_test(test_token "/work/main/build/tests/test_token")
set_tests_properties(test_token PROPERTIES  WORKING_DIRECTORY "/work/main" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;10;add_test;/work/main/tests/CMakeLists.txt;15;add_cmocka_test;/work/main/tests/CMakeLists.txt;0;")
add_test(test_explore "/work/main/build/tests/test_explore")
set_tests_properties(test_explore PROPERTIES  WORKING_DIRECTORY "/work/main" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;10;add_test;/work/main/tests/CMakeLists.txt;16;add_cmocka_test;/work/main/tests/CMakeLists.txt;0;")
add_test(test_scenario_load "/work/main/build/tests/test_scenario_load")
set_tests_properties(test_scenario_load PROPERTIES  WORKING_DIRECTORY "/work/main" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;10;add_test;/work/main/tests/CMakeLists.txt;17;add_cmocka_test;/work/main/tests/CMakeLists.txt;0;")
