#include "proxy/worker_context.h"

#include <cstring>

#include "proxy/client_session.h"

namespace gatehouse::proxy {

WorkerContext::WorkerContext(observability::Metrics::Worker& metrics,
                             std::unique_ptr<observability::AccessLog::Writer> access_log,
                             const keymanager::Endpoints* key_manager)
    : metrics_(metrics),
      access_log_(std::move(access_log)),
      key_manager_(key_manager),
      random_(std::random_device{}()) {}

void WorkerContext::install(snapshot::SnapshotPtr snapshot,
                            security::SubscriptionsPtr subscriptions) {
  view_ =
      std::make_shared<WorkerView>(std::move(snapshot), std::move(subscriptions), endpoint_health_);
}

void WorkerContext::install(security::SubscriptionsPtr subscriptions) {
  install(view_->snapshot, std::move(subscriptions));
}

void WorkerContext::new_request_id(std::string& id) {
  static constexpr char hex[] = "0123456789abcdef";
  const uint64_t words[2] = {random_(), random_()};
  unsigned char bytes[16];
  std::memcpy(bytes, words, sizeof bytes);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;  // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80;  // variant 10xx
  id.resize(36);
  char* out = id.data();
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) *out++ = '-';
    *out++ = hex[bytes[i] >> 4];
    *out++ = hex[bytes[i] & 0xf];
  }
}

void WorkerContext::drain() {
  draining_ = true;
  for (ClientSession* session : sessions_) session->close_if_idle();
}

}  // namespace gatehouse::proxy
