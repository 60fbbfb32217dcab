# Reliability (label "reliability"): kills, hostile inputs, a full disk, NaN and Ctrl-C against
# the built programs. What each test does and what it found: docs/reliability.md.
# Run: ctest --test-dir build -L reliability (the run-file cases use Qt's offscreen platform,
# so no display is needed).
set(_rel ${CMAKE_CURRENT_LIST_DIR})

# Programs the tests spawn: each binary learns their paths and is built after them.
function(centroid_reliability_programs target)
  target_compile_definitions(${target} PRIVATE CENTROID_TRAIN_EXE="$<TARGET_FILE:centroid-train>")
  add_dependencies(${target} centroid-train)
  if(CENTROID_BUILD_GUI AND TARGET centroid)
    target_compile_definitions(${target} PRIVATE CENTROID_GUI_EXE="$<TARGET_FILE:centroid>")
    add_dependencies(${target} centroid)
  endif()
  # Cases are aggregates given in part, the rest from their member defaults (Hostile.h).
  target_compile_options(${target} PRIVATE -Wno-missing-field-initializers)
  # The tests read run files at the HDF5 level too (a partly appended epoch).
  target_link_libraries(${target} PRIVATE ${HDF5_C_LIBRARIES})
  target_include_directories(${target} PRIVATE ${HDF5_C_INCLUDE_DIRS})
endfunction()

centroid_gtest(test_kills SOURCES ${_rel}/test_kills.cpp ${_rel}/RunCheck.cpp
  LIBS centroid_runfile LABELS reliability)
centroid_reliability_programs(test_kills)

# ZLIB: the gzip cases write their own gzip streams.
centroid_gtest(test_hostile
  SOURCES ${_rel}/test_hostile.cpp ${_rel}/hostile_idx.cpp ${_rel}/hostile_runfiles.cpp
  LIBS centroid_runfile ZLIB::ZLIB LABELS reliability)
centroid_reliability_programs(test_hostile)

centroid_gtest(test_failures SOURCES ${_rel}/test_failures.cpp ${_rel}/RunCheck.cpp
  LIBS centroid_runfile LABELS reliability)
centroid_reliability_programs(test_failures)

# Extreme but valid settings through the window and the trainer (issue 14). The window needs a
# display, as the ui tests: scripts/test.sh runs ctest under Xvfb.
centroid_gtest(test_extremes SOURCES ${_rel}/test_extremes.cpp ${_rel}/RunCheck.cpp
  LIBS centroid_runfile LABELS reliability)
centroid_reliability_programs(test_extremes)
