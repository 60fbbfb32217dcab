# Core tests, one executable per part so each can be built alone.
centroid_gtest(test_objectives SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_objectives.cpp LIBS centroid_trainer)
centroid_gtest(test_number_format SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_number_format.cpp LIBS centroid_metrics)
centroid_gtest(test_metrics SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_metrics.cpp LIBS centroid_metrics)
centroid_gtest(test_tables SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_tables.cpp LIBS centroid_metrics)
centroid_gtest(test_baselines SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_baselines.cpp LIBS centroid_model centroid_data)
centroid_gtest(test_kmeans_loss SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_kmeans_loss.cpp LIBS centroid_objectives)
centroid_gtest(test_trainer SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_trainer.cpp LIBS centroid_trainer)
# ZLIB: the malformed-file tests write their own gzip streams.
centroid_gtest(test_idx SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_idx.cpp LIBS centroid_data ZLIB::ZLIB)
centroid_gtest(test_dataset SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_dataset.cpp LIBS centroid_data)
# The real-data tests check that the default folder is where MNIST was found.
target_compile_definitions(test_dataset PRIVATE CENTROID_DEFAULT_DATA_DIR="${CENTROID_DEFAULT_DATA_DIR}")
# Dataset.cpp again, built with an empty default data folder, to test the not-found message.
centroid_gtest(test_dataset_nodefault
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_dataset.cpp ${PROJECT_SOURCE_DIR}/core/data/Dataset.cpp
          ${PROJECT_SOURCE_DIR}/core/data/Idx.cpp
  LIBS centroid_metrics ${TORCH_LIBRARIES} ZLIB::ZLIB)
target_compile_definitions(test_dataset_nodefault PRIVATE CENTROID_TEST_NO_DEFAULT_DATA
  CENTROID_DEFAULT_DATA_DIR="${CENTROID_TEST_TMP}/no-default-data")

# Run files. runfile_writer_child is a helper process the tests follow and kill with SIGKILL.
add_executable(runfile_writer_child ${CMAKE_CURRENT_LIST_DIR}/runfile_writer_child.cpp)
target_link_libraries(runfile_writer_child PRIVATE centroid_runfile)
target_include_directories(runfile_writer_child PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/tests)
centroid_gtest(test_runfile
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_runfile.cpp ${CMAKE_CURRENT_LIST_DIR}/runfile_damaged_files.cpp
  LIBS centroid_runfile)
# The tests also build foreign and altered HDF5 files themselves.
target_link_libraries(test_runfile PRIVATE ${HDF5_C_LIBRARIES})
target_include_directories(test_runfile PRIVATE ${HDF5_C_INCLUDE_DIRS})
target_compile_definitions(test_runfile PRIVATE RUNFILE_WRITER_CHILD="$<TARGET_FILE:runfile_writer_child>")
add_dependencies(test_runfile runfile_writer_child)
# Objectives in run files (format version 2, version 1 files).
centroid_gtest(test_runfile_objectives SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_runfile_objectives.cpp
  LIBS centroid_runfile)
target_link_libraries(test_runfile_objectives PRIVATE ${HDF5_C_LIBRARIES})
target_include_directories(test_runfile_objectives PRIVATE ${HDF5_C_INCLUDE_DIRS})
target_compile_definitions(test_runfile_objectives PRIVATE RUNFILE_WRITER_CHILD="$<TARGET_FILE:runfile_writer_child>")
