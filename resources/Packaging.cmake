# A Debian package of the installed tree: `cmake --build build --target package` (or `cpack` in
# the build folder) writes centroid_<version>_amd64.deb. Its dependencies come from
# dpkg-shlibdeps on the installed programs, so they name the exact Debian 12 libraries they link.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME centroid)
set(CPACK_PACKAGE_VENDOR "The Centroid authors")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "watch a neural network learn to cluster digits in 3-D")
set(CPACK_PACKAGE_DESCRIPTION
    "Centroid trains a small CNN on MNIST with k-means as its loss, and with a k-means-friendly
objective beside it, and shows the digits move in 3-D while it learns. Includes the headless
trainer centroid-train.")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://github.com/centroid-app/centroid")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "The Centroid authors <centroid@users.noreply.github.com>")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Plugins Qt loads at run time, which shlibdeps cannot see: the xcb platform and OpenGL.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins, libgl1")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "dataset-fashion-mnist, python3-h5py")
include(CPack)
