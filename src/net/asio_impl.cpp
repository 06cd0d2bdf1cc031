// Asio's compiled part, built once here. The project defines BOOST_ASIO_SEPARATE_COMPILATION for
// every translation unit (top-level CMakeLists.txt), so the others only declare these functions:
// the scheduler, reactor, socket operations and error categories are compiled and optimised once
// instead of in each file that uses Asio. It lives in net, the layer every Asio user links; its
// TLS part is beside it in asio_ssl_impl.cpp.
#include <boost/asio/impl/src.hpp>
