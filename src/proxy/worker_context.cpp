#include "proxy/worker_context.h"

#include "proxy/client_session.h"

namespace gatehouse::proxy {

WorkerContext::WorkerContext(observability::Metrics::Worker& metrics,
                             std::unique_ptr<observability::AccessLog::Writer> access_log)
    : metrics_(metrics), access_log_(std::move(access_log)), random_(std::random_device{}()) {}

void WorkerContext::install(SnapshotPtr snapshot) {
  view_ = std::make_shared<WorkerView>(std::move(snapshot), endpoint_health_);
}

void WorkerContext::new_request_id(std::string& id) {
  static constexpr char hex[] = "0123456789abcdef";
  const uint64_t high = random_();
  const uint64_t low = random_();
  id.assign(36, '-');
  size_t out = 0;
  for (int i = 0; i < 32; ++i) {
    if (out == 8 || out == 13 || out == 18 || out == 23) ++out;
    const uint64_t word = i < 16 ? high : low;
    id[out++] = hex[(word >> ((i % 16) * 4)) & 0xf];
  }
  id[14] = '4';                           // version 4
  id[19] = hex[8 | ((low >> 60) & 0x3)];  // variant 10xx
}

void WorkerContext::drain() {
  draining_ = true;
  for (ClientSession* session : sessions_) session->close_if_idle();
}

}  // namespace gatehouse::proxy
