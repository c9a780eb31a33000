# BenchGate: the performance-regression test of llama.cpp, as a CTest target.
#
# Install: copy this file into llama.cpp's tests/ and add at the end of tests/CMakeLists.txt, where
# llama_test_cmd is defined:
#
#     include(${CMAKE_CURRENT_SOURCE_DIR}/performance.cmake)
#
# Run it alone (it is labelled "performance", so the default test run can leave it out with -LE performance):
#
#     cmake -B build -DLLAMA_PERF_MODEL=models/tinyllama-1.1b-chat-v1.0.Q4_0.gguf
#     cmake --build build --target llama-bench
#     ctest --test-dir build -L performance --output-on-failure
#
# The test prints llama-bench's SQL on stdout, as the specification's workflow expects
# (`... -o sql | sqlite3 llama-bench.sqlite`); `benchgate run` runs the same benchmark with samples kept.

set(LLAMA_PERF_MODEL "${PROJECT_SOURCE_DIR}/models/tinyllama-1.1b-chat-v1.0.Q4_0.gguf" CACHE FILEPATH
    "GGUF model of the performance-regression test")

if (TARGET llama-bench)
    set(LLAMA_PERF_BENCH $<TARGET_FILE:llama-bench>)
else()
    set(LLAMA_PERF_BENCH ${CMAKE_RUNTIME_OUTPUT_DIRECTORY}/llama-bench)
endif()

llama_test_cmd(
    ${LLAMA_PERF_BENCH}
    NAME test-performance-regression-cpu
    LABEL "performance"
    ARGS -m ${LLAMA_PERF_MODEL} -ngl 0 -p 512 -n 128 -r 3 -o sql
)
