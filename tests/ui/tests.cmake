# GUI tests (QtTest), run under Xvfb by scripts/test.sh.

# Panels around the 3-D view (charts, purity tables, table export). No GL, so Qt's offscreen
# platform is enough. Built from their own sources plus centroid_metrics: the test neither waits
# for nor pays for centroid_core (torch, HDF5) and the VTK view.
# Qt's imported targets are directory-scoped: ui/ found them for ui/ only, so find them here
# (every ui test below uses Qt6::Test).
find_package(Qt6 REQUIRED COMPONENTS Widgets Charts Test)
set(_widgets ${PROJECT_SOURCE_DIR}/ui/widgets)
set(_models ${PROJECT_SOURCE_DIR}/ui/models)
add_executable(test_panels ${CMAKE_CURRENT_LIST_DIR}/test_panels.cpp
  ${_widgets}/MetricsCharts.cpp ${_widgets}/MetricsCharts.h ${_widgets}/ChartScale.cpp
  ${_models}/PurityTableModel.cpp ${_models}/PurityTableModel.h
  ${_models}/MetricsTableModel.cpp ${_models}/MetricsTableModel.h
  ${_widgets}/PurityPanel.cpp ${_widgets}/PurityPanel.h)
set_target_properties(test_panels PROPERTIES AUTOMOC ON)
target_include_directories(test_panels PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(test_panels PRIVATE centroid_metrics Qt6::Widgets Qt6::Charts Qt6::Test)
add_test(NAME test_panels COMMAND test_panels)
# CENTROID_SNAPSHOT_DIR=<dir> (set by hand) also writes charts.png, charts-collapse.png and
# purity.png there, to look at.
set_tests_properties(test_panels PROPERTIES LABELS ui TIMEOUT 120
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen")

# The charts under extreme but valid values (issue 14), offscreen like test_panels.
add_executable(test_chart_scale ${CMAKE_CURRENT_LIST_DIR}/test_chart_scale.cpp
  ${PROJECT_SOURCE_DIR}/ui/widgets/MetricsCharts.cpp ${PROJECT_SOURCE_DIR}/ui/widgets/ChartScale.cpp)
set_target_properties(test_chart_scale PROPERTIES AUTOMOC ON)
target_include_directories(test_chart_scale PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(test_chart_scale PRIVATE centroid_metrics Qt6::Widgets Qt6::Charts Qt6::Test)
add_test(NAME test_chart_scale COMMAND test_chart_scale)
set_tests_properties(test_chart_scale PROPERTIES LABELS ui TIMEOUT 120 ENVIRONMENT "QT_QPA_PLATFORM=offscreen")

# The run model with scripted, live and file sources (ui/run): no display, no trainer.
add_executable(test_runmodel ${CMAKE_CURRENT_LIST_DIR}/test_runmodel.cpp ${CMAKE_CURRENT_LIST_DIR}/ReplayFixture.h)
set_target_properties(test_runmodel PROPERTIES AUTOMOC ON)
target_include_directories(test_runmodel PRIVATE ${PROJECT_SOURCE_DIR} ${HDF5_C_INCLUDE_DIRS})
target_link_libraries(test_runmodel PRIVATE centroid_ui Qt6::Test ${HDF5_C_LIBRARIES})
add_test(NAME test_runmodel COMMAND test_runmodel)
set_tests_properties(test_runmodel PROPERTIES LABELS ui TIMEOUT 120 ENVIRONMENT "QT_QPA_PLATFORM=offscreen")

# The live window (test_mainwindow): controls, settings, command line, and real short runs on
# MNIST through the worker thread. Needs an X display for the OpenGL view: when ctest runs
# without one, the test starts its own Xvfb (timeout inside xvfb-run, so no Xvfb is left over).
add_executable(test_mainwindow ${CMAKE_CURRENT_LIST_DIR}/test_mainwindow.cpp)
set_target_properties(test_mainwindow PROPERTIES AUTOMOC ON)
target_include_directories(test_mainwindow PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(test_mainwindow PRIVATE centroid_ui Qt6::Test)
target_compile_definitions(test_mainwindow PRIVATE CENTROID_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
add_test(NAME test_mainwindow COMMAND sh -c
  "if [ -n \"$DISPLAY\" ]; then exec \"$0\"; else exec xvfb-run -a -s '-screen 0 1280x1024x24' timeout 540 \"$0\"; fi"
  $<TARGET_FILE:test_mainwindow>)
# Run files open through the helper as in the program (RunModel::open).
set_tests_properties(test_mainwindow PROPERTIES LABELS ui TIMEOUT 600
  ENVIRONMENT "CENTROID_PROBE_RUN=$<TARGET_FILE:centroid-probe-run>")
add_dependencies(test_mainwindow centroid-probe-run)

# The 3-D scatter view: renders under Xvfb (llvmpipe) and compares with tests/data/baselines/.
add_executable(test_scatterview ${CMAKE_CURRENT_LIST_DIR}/test_scatterview.cpp ${CMAKE_CURRENT_LIST_DIR}/ImageCompare.h)
set_target_properties(test_scatterview PROPERTIES AUTOMOC ON)
target_link_libraries(test_scatterview PRIVATE centroid_view Qt6::Test)
target_include_directories(test_scatterview PRIVATE ${PROJECT_SOURCE_DIR})
target_compile_definitions(test_scatterview PRIVATE CENTROID_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
# Like test_mainwindow: without a display, start an Xvfb (timeout inside xvfb-run).
add_test(NAME test_scatterview COMMAND sh -c
  "if [ -n \"$DISPLAY\" ]; then exec \"$0\"; else exec xvfb-run -a -s '-screen 0 1280x1024x24' timeout 280 \"$0\"; fi"
  $<TARGET_FILE:test_scatterview>)
set_tests_properties(test_scatterview PROPERTIES LABELS ui TIMEOUT 300)

# Replay and export (test_replay, test_inspect, test_export): run files written by the core's
# RunWriter with synthetic epochs (tests/ui/ReplayFixture.h; its bad files use the HDF5 C API).
# test_export also runs the built centroid program on the test's display. Xvfb as above.
# Test programs do not sit next to centroid-probe-run, the helper every open goes through:
# they get its path at build time (CENTROID_PROBE_EXE) and in the environment.
foreach(_t test_replay test_inspect test_export)
  add_executable(${_t} ${CMAKE_CURRENT_LIST_DIR}/${_t}.cpp ${CMAKE_CURRENT_LIST_DIR}/ReplayFixture.h
    ${CMAKE_CURRENT_LIST_DIR}/ReplayTestSupport.h)
  set_target_properties(${_t} PROPERTIES AUTOMOC ON)
  target_include_directories(${_t} PRIVATE ${PROJECT_SOURCE_DIR} ${HDF5_C_INCLUDE_DIRS})
  target_link_libraries(${_t} PRIVATE centroid_ui Qt6::Test ${HDF5_C_LIBRARIES} PkgConfig::FFMPEG)
  target_compile_definitions(${_t} PRIVATE CENTROID_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    CENTROID_PROBE_EXE="$<TARGET_FILE:centroid-probe-run>")
  add_dependencies(${_t} centroid-probe-run)
  add_test(NAME ${_t} COMMAND sh -c
    "if [ -n \"$DISPLAY\" ]; then exec \"$0\"; else exec xvfb-run -a -s '-screen 0 1280x1024x24' timeout 540 \"$0\"; fi"
    $<TARGET_FILE:${_t}>)
  set_tests_properties(${_t} PROPERTIES LABELS ui TIMEOUT 600
    ENVIRONMENT "CENTROID_PROBE_RUN=$<TARGET_FILE:centroid-probe-run>")
endforeach()
if(TARGET test_export)
  target_compile_definitions(test_export PRIVATE CENTROID_GUI_EXE="$<TARGET_FILE:centroid>")
  add_dependencies(test_export centroid)
endif()

# The objectives in the window through the built program: --objective, --train-both, --compare
# (needs a display: scripts/test.sh runs ctest under Xvfb).
centroid_gtest(test_objectives_gui SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_objectives_gui.cpp
  LIBS centroid_runfile LABELS ui)
target_compile_definitions(test_objectives_gui PRIVATE CENTROID_GUI_EXE="$<TARGET_FILE:centroid>")
add_dependencies(test_objectives_gui centroid)
