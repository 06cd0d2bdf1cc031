// Asio's compiled TLS part (see asio_impl.cpp).
#include <boost/asio/ssl/impl/src.hpp>
