// Asio's compiled TLS part (see core/asio_impl.cpp), in the layer that links OpenSSL.
#include <boost/asio/ssl/impl/src.hpp>
