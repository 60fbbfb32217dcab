# Core tests, one executable per part so each can be built alone.
if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/test_types.cpp)
  centroid_gtest(test_types SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_types.cpp LIBS centroid_metrics)
endif()
