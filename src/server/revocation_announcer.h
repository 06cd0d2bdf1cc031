// How the built-in key manager's revocations reach the gateway's revocation list: from the
// worker that served the revocation to the control thread, which owns the list
// (security::Revocations) and posts the revocation to every worker; the key manager's answer
// resumes once the last worker has it, so that a call that follows the answer is refused wherever
// it lands.
#pragma once

#include <boost/asio/io_context.hpp>

#include "core/worker_barrier.h"
#include "keymanager/server/server_context.h"
#include "security/auth/revocations.h"

namespace gatehouse::server {

// `control` and `revocations` outlive every worker, and so every revocation in flight;
// `every_worker` is the gateway's barrier over its workers (core/worker_barrier.h).
keymanager::RevocationCallback revocations_through_control(boost::asio::io_context& control,
                                                           security::Revocations& revocations,
                                                           WorkerBarrier every_worker);

}  // namespace gatehouse::server
